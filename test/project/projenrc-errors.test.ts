/**
 * `npx projen` in a generated repo whose `.projenrc.ts` (the user's file) has a bad answer, or whose managed
 * files hold unresolved conflicts: the real projen runs the real `tsx .projenrc.ts`, which loads this checkout's
 * bundle (dist/index.cjs, so compile first). One line per problem naming the property or the file, no stack
 * trace unless DEBUG is set, exit code non-zero.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkNodeModules } from '../components/repo';
import { generate } from '../support/generated';

/** A generated repo (lambda canary, so `interval` applies) with this checkout's node_modules. */
function repo(): string {
  const dir = generate(['--target', 'lambda', '--strategy', 'canary']);
  linkNodeModules(dir);
  return dir;
}

/** Sets a property in the repo's .projenrc.ts, as a user would by hand. */
function setAnswer(dir: string, line: string): void {
  const file = join(dir, '.projenrc.ts');
  const text = readFileSync(file, 'utf8').replace(/^( *)region: /m, `$1${line}\n$1region: `);
  expect(text, 'the property went in').toContain(line);
  writeFileSync(file, text);
}

/**
 * The repo's own projen, as `npx projen` runs it; DEBUG only when asked. Always --no-post: after a synth, projen's
 * post step runs npm install, which through the linked node_modules would rewrite this checkout's own.
 */
function projen(dir: string, debug = false) {
  const args = ['--no-post'];
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DEBUG' && !k.startsWith('npm_')));
  const r = spawnSync(join(dir, 'node_modules', '.bin', 'projen'), args, { cwd: dir, encoding: 'utf8', env: { ...env, NO_COLOR: '1', ...(debug ? { DEBUG: '1' } : {}) }, timeout: 120_000 });
  // projen's own lines (the task it runs, "Synthesis failed") start with its 👾; ours are the rest.
  const lines = r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('👾'));
  return { status: r.status, stderr: r.stderr, lines };
}

const shown = (stderr: string) => `\n${stderr.replace(/^/gm, '│ ')}`;

describe('npx projen with a bad answer in .projenrc.ts', () => {
  it('prints one line naming the property (not the flag) and what to use, no stack, exit 1; DEBUG=1 adds the stack', () => {
    const dir = repo();
    setAnswer(dir, 'interval: 7,');
    const r = projen(dir);
    expect(r.status, shown(r.stderr)).not.toBe(0);
    expect(r.lines, shown(r.stderr)).toEqual([expect.stringMatching(/^error \.projenrc\.ts: .*: use interval 5 \| 10 \| 15 \| 30$/)]);
    expect(r.stderr).not.toContain('--interval');
    expect(r.stderr).not.toMatch(/^ {4}at /m);

    const debug = projen(dir, true);
    expect(debug.status).not.toBe(0);
    expect(debug.stderr).toMatch(/^error \.projenrc\.ts: .*: use interval 5/m);
    expect(debug.stderr).toMatch(/^ {4}at .*resolveConfig/m);
  }, 180_000);

  it('names an unknown property with the nearest known one, in one line', () => {
    const dir = repo();
    setAnswer(dir, 'healthCheckPth: "/up",');
    const r = projen(dir);
    expect(r.status, shown(r.stderr)).not.toBe(0);
    expect(r.lines, shown(r.stderr)).toEqual([expect.stringMatching(/^error \.projenrc\.ts: unknown option "healthCheckPth": did you mean healthCheckPath\?/)]);
    expect(r.stderr).not.toMatch(/^ {4}at /m);
  }, 180_000);
});

describe('npx projen with an error that is not ours', () => {
  it('prints it as Node does, with its stack, exit 1', () => {
    const dir = repo();
    appendFileSync(join(dir, '.projenrc.ts'), "\nthrow new TypeError('not ours');\n");
    const r = projen(dir);
    expect(r.status, shown(r.stderr)).toBe(1);
    expect(r.stderr).toContain('TypeError: not ours');
    expect(r.stderr).toMatch(/^ {4}at .*\.projenrc\.ts/m);
  }, 180_000);
});

describe('npx projen with unresolved merge conflicts', () => {
  it('prints one line naming the file and what to do, no stack, exit 1', () => {
    const dir = repo();
    appendFileSync(join(dir, 'buildspec.yml'), '<<<<<<< your edit\nmine\n=======\ntheirs\n>>>>>>> template\n');
    // The conflict check runs after the synth, with --no-post too (AwsPipelineProject.synth).
    const r = projen(dir);
    expect(r.status, shown(r.stderr)).not.toBe(0);
    const errors = r.lines.filter((l) => !l.startsWith('Kept your edits'));
    expect(errors, shown(r.stderr)).toEqual([expect.stringMatching(/^error merge conflicts in buildspec\.yml: .*resolve the <<<<<<< your edit/)]);
    expect(r.stderr).not.toMatch(/^ {4}at /m);
  }, 180_000);
});
