/**
 * The interactive path: the CLI in a pseudo-terminal (util-linux `script`),
 * so the Yeoman generator asks what the flags left open, with inquirer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STRATEGY_CHOICES, TRAFFIC_INTERVALS } from '../../src/model';
import { tempDir } from '../helpers';
import { inTerminal } from '../support/terminal';

/** The output as the terminal shows it, without colours and cursor movements; pty line ends as \n. */
const plain = (output: string) => output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');

/** The last rendering of the list asked with `message`: its choice lines and the help line under them. */
function lastList(output: string, message: string): { choices: string[]; help: string } {
  const text = plain(output);
  const block = text.slice(text.lastIndexOf(`? ${message}`)).split('\n');
  const end = block.findIndex((l) => l.startsWith('↑↓'));
  return { choices: block.slice(1, end).filter((l) => l !== ''), help: block[end] };
}

const ENTER = '\r';
const DOWN = '\u001b[B';
const CTRL_C = '\u0003';

/** A folder inside a git clone whose origin is `url`. */
function cloneWithOrigin(url: string): string {
  const dir = tempDir();
  for (const args of [['init', '-q'], ['remote', 'add', 'origin', url]]) expect(spawnSync('git', args, { cwd: dir }).status).toBe(0);
  return dir;
}

const GIVEN = ['--runtime', 'node', '--source', 'github', '--target', 'lambda', '--ci', 'codepipeline', '--skip-install'];

describe('create-aws-pipeline in a terminal', () => {
  it('asks only the open question, offering what the matrix allows, and writes the answer', async () => {
    const dir = tempDir();
    // Down once from the default (canary) reaches linear; the rolling strategies are disabled for Lambda.
    const r = await inTerminal(['svc', ...GIVEN, '--repository', 'acme/svc'], dir, [[/Deployment strategy/, '\u001b[B'], [/❯ Linear|> Linear/, '\r'], [/Minutes between traffic shifts/, '\r']]);
    expect(r.output).toContain('Deployment strategy');
    expect(r.output).toContain('Lambda has no in-place rolling deployment');
    expect(r.output).not.toContain('? Runtime');
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(join(dir, 'svc', '.projenrc.ts'), 'utf8')).toContain('strategy: "linear"');
  });

  it('with --path, asks nothing more and writes the service into that folder, its workflow at the root', async () => {
    const dir = tempDir();
    const r = await inTerminal(['api', '--path', 'services/api', '--runtime', 'node', '--source', 'github', '--target', 'lambda', '--ci', 'github-actions', '--skip-install', '--repository', 'acme/mono'], dir, [
      [/Deployment strategy/, ENTER],
      [/Minutes between traffic shifts/, ENTER],
    ]);
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(join(dir, 'services', 'api', '.projenrc.ts'), 'utf8')).toContain('path: "services/api"');
    expect(existsSync(join(dir, '.github', 'workflows', 'api.yml'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['.github', 'services']);
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
    const args = ['svc', '--preset', './acme.json', '--source', 'github', '--repository', 'acme/svc', '--ci', 'codepipeline', '--skip-install'];
    // Enter takes the offered default at each prompt: Node.js, then the preset's linear and the shortest interval.
    const r = await inTerminal(args, dir, [[/Runtime/, '\r'], [/Deployment strategy/, '\r'], [/Minutes between traffic shifts/, '\r']]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('Python');
    expect(r.output).not.toMatch(/Java|Any Dockerfile/);
    expect(r.output).not.toContain('? Deploy target');
    const rc = readFileSync(join(dir, 'svc', '.projenrc.ts'), 'utf8');
    expect(rc).toContain('preset: "../acme.json",');
    expect(rc).not.toMatch(/target:|strategy:/);
    expect(readFileSync(join(dir, 'svc', 'docs', 'pipeline.md'), 'utf8')).toContain('CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
  });

  it('asks the target first, with every target open, then takes the only runtime, strategy and CI without asking', async () => {
    const dir = tempDir();
    // From ECS, two down is the S3 static site; from GitHub, four down is Amazon S3.
    const r = await inTerminal(['site', '--skip-install'], dir, [[/\? Deploy target/, DOWN + DOWN + ENTER], [/\? Source provider/, DOWN.repeat(4) + ENTER]]);
    expect(r.code, r.output).toBe(0);
    const text = plain(r.output);
    const targets = lastList(r.output, 'Deploy target').choices;
    expect(targets.filter((l) => l.includes('unavailable'))).toEqual([]);
    expect(targets.some((l) => l.includes('S3 static site'))).toBe(true);
    for (const prompt of ['? Runtime', '? Deployment strategy', '? CI system', '? Repository']) expect(text).not.toContain(prompt);
    expect(text).toMatch(/Runtime: +node \(forced: the only choice\)/);
    expect(text).toMatch(/Deployment strategy: +all-at-once \(forced: the only choice\)/);
    expect(text).toMatch(/CI system: +codepipeline \(forced: the only choice\)/);
    const rc = readFileSync(join(dir, 'site', '.projenrc.ts'), 'utf8');
    expect(rc).toContain('target: "s3-site"');
    expect(rc).toContain('source: "s3"');
  });

  it('shows every choice on one line of an 80-column terminal, an unavailable one set apart with its short reason', async () => {
    const dir = tempDir();
    const r = await inTerminal(['svc', '--runtime', 'node', '--target', 'lambda', '--source', 'github', '--skip-install'], dir, [[/\? Deployment strategy[\s\S]*↑↓.*\n?.*select/, CTRL_C]], 80);
    expect(r.code, r.output).toBe(130);
    const { choices, help } = lastList(r.output, 'Deployment strategy');
    expect(choices).toHaveLength(STRATEGY_CHOICES.length);
    STRATEGY_CHOICES.forEach((c, i) => expect(choices[i]).toContain(c.label));
    for (const line of [...choices, help]) expect(line.length, line).toBeLessThan(80);
    expect(choices.filter((l) => l.startsWith('- '))).toEqual([
      expect.stringMatching(/^- Rolling, one at a time - unavailable: Lambda has no in-place rolling deploy/),
      expect.stringMatching(/^- Rolling, half at a time - unavailable: Lambda has no in-place rolling deploy/),
      expect.stringMatching(/^- Blue\/green - unavailable: every Lambda deployment is already blue\/green .*…$/),
    ]);
    expect(help).toContain('create-aws-pipeline --list-combinations');
  });

  it('asks the canary or linear interval, offering the model\'s values', async () => {
    const dir = tempDir();
    const keys: Array<[RegExp, string]> = [[/\? Deployment strategy/, DOWN], [/❯ Linear/, ENTER], [/\? Minutes between traffic shifts/, DOWN.repeat(3) + ENTER]];
    const r = await inTerminal(['svc', ...GIVEN, '--repository', 'acme/svc'], dir, keys);
    expect(r.code, r.output).toBe(0);
    const offered = lastList(r.output, 'Minutes between traffic shifts').choices.map((l) => Number(/(\d+) minutes?/.exec(l)![1]));
    expect(offered).toEqual(TRAFFIC_INTERVALS.lambda.linear);
    expect(plain(r.output)).toMatch(/Traffic shift interval: +10 minutes\n/);
    expect(readFileSync(join(dir, 'svc', '.projenrc.ts'), 'utf8')).toContain('interval: 10');
    expect(readFileSync(join(dir, 'svc', 'docs', 'pipeline.md'), 'utf8')).toContain('CodeDeployDefault.LambdaLinear10PercentEvery10Minutes');
  });

  it('asks the repository, offering the git remote origin of the clone the folder is in', async () => {
    const dir = cloneWithOrigin('git@github.com:acme/shop.git');
    const r = await inTerminal(['svc', ...GIVEN, '--strategy', 'all-at-once'], dir, [[/\? Repository \(owner\/repo on github\) \(acme\/shop\)/, ENTER]]);
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(join(dir, 'svc', '.projenrc.ts'), 'utf8')).toContain('repository: "acme/shop"');
    expect(plain(r.output)).not.toContain('placeholder');
  });

  it('offers no remote of another host; an empty repository keeps the placeholder, said in the summary and one warning', async () => {
    const dir = cloneWithOrigin('https://git.example.com/acme/shop.git');
    const r = await inTerminal(['svc', ...GIVEN, '--strategy', 'all-at-once'], dir, [[/\? Repository \(owner\/repo on github, empty for a placeholder to set later\)/, ENTER]]);
    expect(r.code, r.output).toBe(0);
    const text = plain(r.output);
    expect(text).toMatch(/Repository: +your-org\/svc \(placeholder\)/);
    expect(text.match(/repository your-org\/svc is a placeholder/g)).toHaveLength(1);
    expect(text).toMatch(/^warning repository your-org\/svc is a placeholder, so the pipeline's source action will fail: set repository: "<owner>\/<repo>" \(your github repository\) in \.projenrc\.ts, then run npx projen$/m);
    // The placeholder is written as the property to change.
    expect(readFileSync(join(dir, 'svc', '.projenrc.ts'), 'utf8')).toContain('repository: "your-org/svc"');
  });

  it('refuses a typed service name whose folder is not empty at the name question, unless --force', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'keep.txt'), 'mine');
    const r = await inTerminal(['--skip-install'], dir, [[/\? Service name/, `taken${ENTER}`], [/taken is not empty/, CTRL_C]]);
    expect(r.code, r.output).toBe(130);
    expect(plain(r.output)).toContain('taken is not empty: choose a new directory, or pass --force to write into it');
    expect(plain(r.output)).not.toContain('? Deploy target');
    expect(readdirSync(join(dir, 'taken'))).toEqual(['keep.txt']);
    const forced = await inTerminal(['--force', '--skip-install'], dir, [[/\? Service name/, `taken${ENTER}`], [/\? Deploy target/, CTRL_C]]);
    expect(forced.code, forced.output).toBe(130);
    expect(plain(forced.output)).not.toContain('is not empty');
  });

  it('prints every answer before writing, defaults marked, and nothing of Yeoman\'s', async () => {
    const dir = tempDir();
    const r = await inTerminal(['svc', ...GIVEN, '--strategy', 'canary', '--repository', 'acme/svc', '--interval', '15', '--region', 'eu-west-1'], dir, []);
    expect(r.code, r.output).toBe(0);
    const text = plain(r.output);
    const summary = text.slice(text.indexOf('Your answers:'), text.indexOf('Wrote '));
    expect(summary.trim().split('\n')).toEqual([
      'Your answers:',
      '  Service name:               svc (default: from the folder\'s name)',
      '  Deploy target:              lambda',
      '  Runtime:                    node',
      '  Deployment strategy:        canary',
      '  Traffic shift interval:     15 minutes',
      '  Source provider:            github',
      '  Repository:                 acme/svc',
      '  Branch:                     main (default)',
      '  CI system:                  codepipeline',
      '  AWS Region:                 eu-west-1',
      '  AWS account:                the account of the credentials that deploy (default)',
      '  Environments:               staging -> production (default)',
      '  Approval before production: yes (default)',
    ]);
    expect(text).not.toMatch(/package\.json was detected|package manager/);
  });
});
