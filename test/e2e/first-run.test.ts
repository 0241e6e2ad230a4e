/**
 * A first run as a newcomer meets it, through the built CLI in real processes: every user-facing error is one
 * line that says what to do, with a non-zero exit, no stack trace and nothing written; `.` in a fresh clone
 * (only `.git`) is a new repo, and what is printed is the answers, the files written and the next steps.
 * The other first-run paths have their own real-process tests: the docs' commands against each repo's tasks
 * (test/render/pipeline-docs.test.ts), the synth's output and warnings through the real install
 * (test/e2e/install-path.test.ts), git and the folder's mode (test/scaffold-git.test.ts), npm create's
 * consumed flags (test/cli/npm-create.test.ts, and through the local registry in install-path), errors from
 * `npx projen` (test/project/projenrc-errors.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers';

/** Every file under `dir`, as relative paths. */
function tree(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tree(dir, join(rel, e.name)) : [join(rel, e.name)])).sort();
}

const STACK = /^\s+at\s/m;

/** [what a newcomer typed, the arguments, what the one line must say] */
const ERRORS: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
  ['a mistyped flag', ['svc', '--runtim', 'node', '--yes'], /unknown option --runtim: did you mean --runtime\?/],
  ['a subcommand one typo away', ['statuz', '--yes'], /did you mean .*status/],
  ['a combination AWS refuses', ['svc', '--target', 'ec2', '--strategy', 'canary', '--yes'], /only on the Lambda and ECS compute platforms/],
  ['an interval CodeDeploy does not offer', ['svc', '--target', 'ecs', '--strategy', 'canary', '--ecs-engine', 'codedeploy', '--interval', '7', '--yes'], /use --interval 5 \| 15/],
  ['an ECS engine for Lambda', ['svc', '--target', 'lambda', '--ecs-engine', 'ecs', '--yes'], /--ecs-engine .*remove it/],
  ['pull-request builds from S3', ['svc', '--source', 's3', '--pr-builds', '--yes'], /S3/],
  ['GitHub Actions on GitLab', ['svc', '--source', 'gitlab', '--ci', 'github-actions', '--yes'], /GitHub Actions runs only in repositories hosted on GitHub/],
  ['no terminal and answers missing', ['svc', '--skip-install'], /missing .*--yes/],
  ['a Region that does not exist', ['svc', '--region', 'mars-1', '--yes'], /mars-1/],
  ['a preset that is not there', ['svc', '--preset', './nowhere.json', '--yes'], /nowhere\.json/],
  ['a folder that is not empty', ['taken', '--yes'], /taken is not empty: choose a new directory, or pass --force/],
  ['a day-2 command outside a repo', ['status'], /aws-pipeline\.json/],
];

describe('a first run', () => {
  it.each(ERRORS)('%s: one line that says what to do, a non-zero exit, no stack trace, nothing written', (_what, args, says) => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken', 'notes.txt'), 'mine\n');
    const before = tree(cwd);
    const r = cli(args, cwd);
    expect(r.status, r.stdout + r.stderr).not.toBe(0);
    expect(r.stderr).toMatch(/^error [^\n]+\n$/);
    expect(r.stderr).toMatch(says);
    expect(r.stderr + r.stdout).not.toMatch(STACK);
    expect(tree(cwd)).toEqual(before);
  });

  it('status --json: the error as JSON on stdout, a non-zero exit', () => {
    const r = cli(['status', '--json'], tempDir());
    expect(r.status).not.toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'NoOpsFile', message: expect.stringMatching(/^no aws-pipeline\.json in .*: run this in a generated repo/) } });
    expect(r.stdout + r.stderr).not.toMatch(STACK);
  });

  it('in a fresh clone (only .git): `.` is a new repo; it prints the answers, the files written and the next steps, and nothing of Yeoman\'s', () => {
    const clone = join(tempDir(), 'shop');
    mkdirSync(clone);
    for (const args of [['init', '-q'], ['remote', 'add', 'origin', 'git@github.com:acme/shop.git']]) expect(spawnSync('git', args, { cwd: clone }).status).toBe(0);
    const r = cli(['.', '--yes', '--skip-install'], clone);
    expect(r.status, r.stderr).toBe(0);
    // The remote is the repository: no placeholder, so no warning at all.
    expect(r.stderr).toBe('');
    const out = r.stdout;
    const [answers, written, done] = [out.indexOf('Your answers:'), out.indexOf('Wrote '), out.indexOf('Done.')];
    expect(answers).toBeGreaterThanOrEqual(0);
    expect(written).toBeGreaterThan(answers);
    expect(done).toBeGreaterThan(written);
    expect(out).toMatch(/ {2}Service name: +shop \(default: from the folder's name\)\n/);
    expect(out).toMatch(/ {2}Repository: +acme\/shop \(default: git remote origin\)\n/);
    const files = tree(clone).filter((f) => !f.startsWith('.git/'));
    expect(out).toContain(`Wrote ${files.length} files to .:`);
    expect(out).not.toMatch(/package\.json was detected|package manager|identical|conflict|force /);
    // The clone's own git, not a nested one; our files are left for its owner to commit.
    expect(readdirSync(clone)).toContain('.projenrc.ts');
    expect(files.some((f) => f.endsWith('/.git/HEAD') || f.includes('/.git/'))).toBe(false);
    expect(spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: join(clone, 'app'), encoding: 'utf8' }).stdout.trim()).toBe(clone);
  });
});
