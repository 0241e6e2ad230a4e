/**
 * The interactive path: the CLI in a pseudo-terminal (util-linux `script`),
 * so the Yeoman generator asks what the flags left open, with inquirer.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../helpers';

/** Runs the CLI in a pty; `answer(output)` returns keys to type once the output shows a prompt. */
function inTerminal(args: string[], cwd: string, keys: Array<[RegExp, string]>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    // A wide terminal, so prompts do not wrap.
    const command = `stty cols 250 rows 50; ${[process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ')}`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, CI: '', NO_COLOR: '1', TERM: 'xterm' } });
    let output = '';
    const pending = [...keys];
    child.stdout.on('data', (d) => {
      output += d;
      while (pending.length && pending[0][0].test(output)) child.stdin.write(pending.shift()![1]);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

const GIVEN = ['--runtime', 'node', '--source', 'github', '--target', 'lambda', '--ci', 'codepipeline', '--skip-install'];

describe('create-aws-pipeline in a terminal', () => {
  it('asks only the open question, offering what the matrix allows, and writes the answer', async () => {
    const dir = tempDir();
    // Down twice from the default (canary) reaches linear; the rolling strategies are disabled for Lambda.
    const r = await inTerminal(['svc', ...GIVEN], dir, [[/Deployment strategy/, '\u001b[B'], [/❯ Linear|> Linear/, '\r']]);
    expect(r.output).toContain('Deployment strategy');
    expect(r.output).toContain('Lambda has no in-place rolling deployment');
    expect(r.output).not.toContain('Runtime');
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(join(dir, 'svc', '.projenrc.ts'), 'utf8')).toContain('strategy: "linear"');
  });

  it('leaves nothing when the prompt is cancelled with Ctrl-C', async () => {
    const dir = tempDir();
    const r = await inTerminal(['svc', ...GIVEN], dir, [[/Deployment strategy/, '\u0003']]);
    expect(r.code).toBe(130);
    expect(r.output).toContain('cancelled: nothing was written');
    expect(existsSync(join(dir, 'svc'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('with a preset, skips locked answers and offers only the allowed choices, the preset\'s value first', async () => {
    const dir = tempDir();
    const preset = { name: 'acme', defaults: { target: 'lambda', strategy: 'linear' }, locked: ['target'], allowed: { runtime: ['node', 'python'] } };
    writeFileSync(join(dir, 'acme.json'), JSON.stringify(preset));
    const args = ['svc', '--preset', './acme.json', '--source', 'github', '--ci', 'codepipeline', '--skip-install'];
    // Enter takes the offered default at each prompt: Node.js, then the preset's linear.
    const r = await inTerminal(args, dir, [[/Runtime/, '\r'], [/Deployment strategy/, '\r']]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('Python');
    expect(r.output).not.toMatch(/Java|Any Dockerfile/);
    expect(r.output).not.toContain('Deploy target');
    const rc = readFileSync(join(dir, 'svc', '.projenrc.ts'), 'utf8');
    expect(rc).toContain('preset: "../acme.json",');
    expect(rc).not.toMatch(/target:|strategy:/);
    expect(readFileSync(join(dir, 'svc', 'docs', 'pipeline.md'), 'utf8')).toContain('CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
  });
});
