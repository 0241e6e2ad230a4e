/**
 * The new repo under git (src/first-commit.ts), and the folder it is written to: the built CLI as a child
 * process, with real git, each run with its own git configuration (no global or system config leaks in).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir } from './helpers';
import { FIRST_COMMIT_MESSAGE } from '../src/first-commit';

interface Options {
  readonly umask?: string;
  /** A global git config: an identity by default. */
  readonly gitconfig?: string;
  readonly path?: string;
}

/** The CLI in `cwd`, through sh so the umask can be set first. */
function run(args: readonly string[], cwd: string, o: Options = {}) {
  const config = join(tempDir('cap-gitconfig-'), 'gitconfig');
  writeFileSync(config, o.gitconfig ?? '[user]\n\tname = Tester\n\temail = tester@example.com\n');
  const r = spawnSync('/bin/sh', ['-c', `umask ${o.umask ?? '022'}; exec "$0" "$@"`, process.execPath, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', NO_COLOR: '1', npm_command: '', GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: '1', PATH: o.path ?? process.env.PATH },
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
  expect(r.status, `git ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout.trim();
}

/** git, as it is, first on PATH, with each run's folder and arguments written down (the staging folder as <staging>). */
function recordedGit(parent: string): { readonly bin: string; readonly calls: () => string[] } {
  const bin = tempDir('cap-bin-');
  const log = join(bin, 'git.log');
  const real = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(join(bin, 'git'), `#!/bin/sh\nprintf '%s %s\\n' "$PWD" "$*" >> ${JSON.stringify(log)}\nexec ${JSON.stringify(real)} "$@"\n`, { mode: 0o755 });
  const calls = () => readFileSync(log, 'utf8').trim().split('\n').map((c) => c.replace(parent, '<parent>').replace(/\.svc\.create-aws-pipeline-\d+-\w+/, '<staging>'));
  return { bin, calls };
}

describe('the generated repo under git', () => {
  it('is a git repo on the release branch with one first commit holding every file', () => {
    const parent = tempDir();
    const r = run(['svc', '--yes', '--skip-install', '--branch', 'trunk'], parent);
    expect(r.status, r.out).toBe(0);
    const repo = join(parent, 'svc');
    expect(git(repo, 'rev-parse', '--show-toplevel')).toBe(repo);
    expect(git(repo, 'branch', '--show-current')).toBe('trunk');
    expect(git(repo, 'log', '--format=%s|%an')).toBe(`${FIRST_COMMIT_MESSAGE}|Tester`);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'ls-files')).toContain('.projenrc.ts');
    expect(r.out).not.toMatch(/\bgit (init|commit|config)\b|not under git/);
  });

  it('--no-git: no repo', () => {
    const parent = tempDir();
    expect(run(['svc', '--yes', '--skip-install', '--no-git'], parent).status).toBe(0);
    expect(readdirSync(join(parent, 'svc'))).not.toContain('.git');
  });

  it('without user.name/email: the scaffold succeeds, git init done and files staged, one line saying what to do', () => {
    const parent = tempDir();
    const r = run(['svc', '--yes', '--skip-install'], parent, { gitconfig: '[user]\n\tuseConfigOnly = true\n' });
    expect(r.status, r.out).toBe(0);
    const lines = r.out.split('\n').filter((l) => /\bgit (init|commit|config)\b/.test(l));
    expect(lines).toEqual([expect.stringMatching(/^git init done and every file staged, but no first commit \(.+\): set git config user\.name and user\.email, then git commit -m /)]);
    const repo = join(parent, 'svc');
    expect(git(repo, 'diff', '--cached', '--name-only')).toContain('.projenrc.ts');
  });

  it('a new folder, nothing to install: git init, add and commit run in the staging folder, and the repo arrives with its first commit', () => {
    const parent = tempDir();
    const { bin, calls } = recordedGit(parent);
    const r = run(['svc', '--yes', '--skip-install', '--branch', 'trunk'], parent, { path: `${bin}:${process.env.PATH}` });
    expect(r.status, r.out).toBe(0);
    expect(calls()).toEqual([
      '<parent>/<staging> init --quiet --initial-branch=trunk',
      '<parent>/<staging> add --all',
      `<parent>/<staging> -c maintenance.auto=false commit --quiet --message ${FIRST_COMMIT_MESSAGE}`,
    ]);
    expect(git(join(parent, 'svc'), 'log', '--format=%s')).toBe(FIRST_COMMIT_MESSAGE);
    const repo = join(parent, 'svc');
    expect(git(repo, 'branch', '--show-current')).toBe('trunk');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(readdirSync(parent)).toEqual(['svc']);
    // The list of written files says nothing of .git.
    expect(r.out).not.toMatch(/\.git\//);
  });

  it('with the install: the first commit is made where the repo is placed, after npm install, and holds the lockfile', () => {
    const parent = tempDir();
    const { bin, calls } = recordedGit(parent);
    // An npm that writes a lockfile, as npm install does.
    writeFileSync(join(bin, 'npm'), '#!/bin/sh\necho \'{"lockfileVersion": 3}\' > package-lock.json\n', { mode: 0o755 });
    const r = run(['svc', '--yes', '--branch', 'trunk'], parent, { path: `${bin}:${process.env.PATH}` });
    expect(r.status, r.out).toBe(0);
    expect(calls()).toEqual([
      '<parent>/<staging> init --quiet --initial-branch=trunk',
      '<parent>/svc add --all',
      `<parent>/svc -c maintenance.auto=false commit --quiet --message ${FIRST_COMMIT_MESSAGE}`,
    ]);
    const repo = join(parent, 'svc');
    expect(git(repo, 'ls-files').split('\n')).toContain('package-lock.json');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('npm install failed: the error, and the repo still gets its first commit (as with --skip-install)', () => {
    const parent = tempDir();
    const bin = tempDir('cap-bin-');
    writeFileSync(join(bin, 'npm'), '#!/bin/sh\necho "npm error code E404" >&2\nexit 1\n', { mode: 0o755 });
    const r = run(['svc', '--yes'], parent, { path: `${bin}:${process.env.PATH}` });
    expect(r.status, r.out).toBe(1);
    expect(r.out).toMatch(/error the repo is written to svc, but npm install failed \(exit 1\)/);
    const repo = join(parent, 'svc');
    expect(git(repo, 'log', '--format=%s')).toBe(FIRST_COMMIT_MESSAGE);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('git not on PATH: one line, no repo, exit 0', () => {
    const parent = tempDir();
    const bin = tempDir('cap-bin-');
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = run(['svc', '--yes', '--skip-install'], parent, { path: bin });
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('git is not on PATH: the repo is not under git');
    expect(existsSync(join(parent, 'svc', '.git'))).toBe(false);
  });

  it('inside a work tree: no nested repo', () => {
    const parent = tempDir();
    git(parent, 'init', '--quiet');
    const r = run(['svc', '--yes', '--skip-install'], parent);
    expect(r.status, r.out).toBe(0);
    // Said, not silent: the files are the user's to commit.
    expect(r.out).toContain(`not committed: it is inside the git repository at ${parent} (git add and commit there when you are ready)`);
    expect(existsSync(join(parent, 'svc', '.git'))).toBe(false);
    expect(git(join(parent, 'svc'), 'rev-parse', '--show-toplevel')).toBe(parent);
  });

  it('--force into a folder with files of its own: not put under git (they are not ours to commit)', () => {
    const parent = tempDir();
    mkdirSync(join(parent, 'svc'));
    writeFileSync(join(parent, 'svc', 'secret.env'), 'TOKEN=x\n');
    const r = run(['svc', '--yes', '--skip-install', '--force'], parent);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('not put under git: the folder held files of its own');
    expect(existsSync(join(parent, 'svc', '.git'))).toBe(false);
  });
});

describe('the folder written', () => {
  it('a fresh clone (only .git) counts as empty: written without --force, into that repo, nothing committed for the user', () => {
    const clone = join(tempDir(), 'svc');
    mkdirSync(clone);
    git(clone, 'init', '--quiet');
    const r = run(['.', '--yes', '--skip-install'], clone);
    expect(r.status, r.out).toBe(0);
    expect(existsSync(join(clone, '.projenrc.ts'))).toBe(true);
    expect(git(clone, 'rev-parse', '--show-toplevel')).toBe(clone);
    expect(git(clone, 'rev-list', '--all')).toBe('');
    expect(git(clone, 'status', '--porcelain')).toContain('?? .projenrc.ts');
  });

  it.each([
    ['022', 0o755],
    ['002', 0o775],
    ['077', 0o700],
  ])('has the mode a new folder gets under umask %s', (umask, mode) => {
    const parent = tempDir();
    expect(run(['svc', '--yes', '--skip-install', '--no-git'], parent, { umask }).status).toBe(0);
    expect((statSync(join(parent, 'svc')).mode % 0o1000).toString(8)).toBe(mode.toString(8));
  });
});
