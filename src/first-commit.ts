/**
 * The new repo under git, as `projen new` and create-react-app leave theirs: `git init` on the release branch,
 * every file added, one first commit. Skipped with `--no-git`, inside an existing work tree (a fresh clone
 * `npm create aws-pipeline .` writes into: no nested repo), and in a folder that held files of its own
 * (`--force`: they are not ours to commit). Nothing here fails the scaffold: the repo is written; a step git
 * refuses becomes one line saying what to run.
 */
import { childProcess } from './child-process';
import { mayBeInGitRepo } from './dirs';

const NO_GIT = 'git is not on PATH: the repo is not under git (git init, git add -A and git commit there when you have it)';

/** The first commit's message. */
export const FIRST_COMMIT_MESSAGE = 'Initial commit from create-aws-pipeline';

/**
 * What scaffold() knew of the folder before it wrote: `fresh` when it was missing, empty, or held only `.git`;
 * `files`: the paths it wrote, relative to the folder, sorted.
 */
export interface Placed {
  readonly fresh: boolean;
  readonly files: readonly string[];
  /** A service in a folder (`--path`): the files it wrote at the repository's root, relative to it. */
  readonly outside?: readonly string[];
  /** `git init` run by scaffold() in its staging folder while it rendered (startGitInit): the repo came with its `.git`. */
  readonly gitInit?: GitResult;
}

/** How a git command went: it ran and succeeded, git is not on PATH, and its first line of output. */
export interface GitResult {
  readonly ok: boolean;
  readonly missing: boolean;
  readonly firstLine: string;
}

const firstLineOf = (text: string): string => text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';

/** The `git init` of a new repo, for its release branch (git >= 2.28). */
const initArgs = (branch: string) => ['init', '--quiet', `--initial-branch=${branch}`];

/**
 * True when a new repo at `dir` is put under git by a `git init` of its own: the CLI runs it early, in the staging
 * folder, while the repo is rendered (startGitInit). Not where a repository may hold the folder already (firstCommit
 * then asks git, and a repo inside one gets no repository of its own).
 */
export const mayInitEarly = (dir: string): boolean => !mayBeInGitRepo(dir);

/** `git init` in `dir` (a new staging folder), in the background: resolved when it has finished. */
export function startGitInit(dir: string, branch: string): Promise<GitResult> {
  return new Promise((done) => {
    const child = childProcess().spawn('git', initArgs(branch), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, missing: err.code === 'ENOENT', firstLine: err.message }));
    child.on('close', (code) => done({ ok: code === 0, missing: false, firstLine: firstLineOf(out) }));
  });
}

function git(dir: string, args: readonly string[]) {
  const r = childProcess().spawnSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const firstLine = firstLineOf(`${r.stderr ?? ''}${r.stdout ?? ''}`);
  return { ok: r.status === 0 && !r.error, missing: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT', out: r.stdout ?? '', firstLine };
}

/**
 * Puts `dir` under git with one first commit on `branch`. Returns the note to print (one line), or undefined
 * when there is nothing to say (committed, or inside a work tree already).
 */
export function firstCommit(dir: string, branch: string, placed: Placed): string | undefined {
  if (placed.gitInit?.missing) return NO_GIT;
  // Asked of git only where a repository may hold the folder (a `.git` above it, or GIT_DIR): one process fewer otherwise.
  if (!placed.gitInit?.ok && mayBeInGitRepo(dir)) {
    const probe = git(dir, ['rev-parse', '--is-inside-work-tree']);
    if (probe.missing) return NO_GIT;
    if (probe.ok && probe.out.trim() === 'true') return undefined;
  }
  // --path writes a service into a repository of the user's (the folder run in): never a repository of its own inside.
  if (placed.outside) return 'not put under git: --path writes a service into the repo you run it in (git init, git add and commit there)';
  if (!placed.fresh) return 'not put under git: the folder held files of its own (git init there when you are ready)';
  // `init -b` (git >= 2.28) names the release branch; an older git gets it by symbolic-ref. Done already when the repo
  // came with its `.git` (the scaffold ran it while it rendered).
  const init = placed.gitInit?.ok ? placed.gitInit : git(dir, initArgs(branch));
  if (init.missing) return NO_GIT;
  const steps = init.ok ? [['add', '--all']] : [['init', '--quiet'], ['symbolic-ref', 'HEAD', `refs/heads/${branch}`], ['add', '--all']];
  for (const args of steps) {
    const r = git(dir, args);
    if (!r.ok) return `git ${args[0]} failed (${r.firstLine}): the repo is written, but not under git`;
  }
  // No identity is made up: like create-react-app, a commit git refuses (no user.name/user.email, a hook) is skipped.
  const commit = git(dir, ['commit', '--quiet', '--message', FIRST_COMMIT_MESSAGE]);
  if (!commit.ok) {
    return `git init done and every file staged, but no first commit (${commit.firstLine}): set git config user.name and user.email, then git commit -m "${FIRST_COMMIT_MESSAGE}"`;
  }
  return undefined;
}
