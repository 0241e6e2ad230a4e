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
  /**
   * The first commit made by scaffold() in its staging folder too, while the files were synced (commitInStaging: there
   * is nothing to install first): the note it left, '' when committed. Undefined when it was not made there.
   */
  readonly committed?: string;
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
 * The first commit. Without git's automatic maintenance (git >= 2.29; an older git ignores the setting), which would
 * start one more process to find nothing to do in a repo of one commit; the user's later commits keep it.
 */
const COMMIT_ARGS = ['-c', 'maintenance.auto=false', 'commit', '--quiet', '--message', FIRST_COMMIT_MESSAGE];

/**
 * True when a new repo at `dir` is put under git by a `git init` of its own: the CLI runs it early, in the staging
 * folder, while the repo is rendered (startGitInit). Not where a repository may hold the folder already (firstCommit
 * then asks git, and a repo inside one gets no repository of its own).
 */
export const mayInitEarly = (dir: string): boolean => !mayBeInGitRepo(dir);

/** git with `args` in `dir`, in the background: resolved when it has finished, with its first line of output. */
function git(dir: string, args: readonly string[]): Promise<GitResult & { readonly out: string }> {
  return new Promise((done) => {
    const child = childProcess().spawn('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, missing: e.code === 'ENOENT', firstLine: e.message, out }));
    child.on('close', (code) => done({ ok: code === 0, missing: false, firstLine: firstLineOf(`${err}${out}`), out }));
  });
}

/** `git init` in `dir` (a new staging folder), in the background: resolved when it has finished. */
export const startGitInit = (dir: string, branch: string): Promise<GitResult> => git(dir, initArgs(branch));

/**
 * Every file of `dir` (under git by `git init` already) added, and the first commit made. The note to print (one
 * line), or '' when committed.
 */
async function addAndCommit(dir: string): Promise<string> {
  const add = await git(dir, ['add', '--all']);
  if (!add.ok) return `git add failed (${add.firstLine}): the repo is written, but not under git`;
  // No identity is made up: like create-react-app, a commit git refuses (no user.name/user.email, a hook) is skipped.
  const commit = await git(dir, COMMIT_ARGS);
  if (!commit.ok) {
    return `git init done and every file staged, but no first commit (${commit.firstLine}): set git config user.name and user.email, then git commit -m "${FIRST_COMMIT_MESSAGE}"`;
  }
  return '';
}

/**
 * The first commit in the staging folder `dir`, once its `git init` (`init`) has finished: the note it leaves ('' when
 * committed), or undefined when git init failed (firstCommit then says why, or tries again where the repo is placed).
 */
export async function commitInStaging(dir: string, init: Promise<GitResult>): Promise<string | undefined> {
  return (await init).ok ? addAndCommit(dir) : undefined;
}

/**
 * Puts `dir` under git with one first commit on `branch`. Returns the note to print (one line): why it is not
 * committed (inside a work tree already, git missing or refusing), or undefined when it is.
 */
export async function firstCommit(dir: string, branch: string, placed: Placed): Promise<string | undefined> {
  if (placed.gitInit?.missing) return NO_GIT;
  if (placed.committed !== undefined) return placed.committed || undefined;
  // Asked of git only where a repository may hold the folder (a `.git` above it, or GIT_DIR): one process fewer otherwise.
  if (!placed.gitInit?.ok && mayBeInGitRepo(dir)) {
    const probe = await git(dir, ['rev-parse', '--is-inside-work-tree', '--show-toplevel']);
    if (probe.missing) return NO_GIT;
    const [inside, top] = probe.out.trim().split('\n');
    if (probe.ok && inside === 'true') return `not committed: it is inside the git repository at ${top} (git add and commit there when you are ready)`;
  }
  // --path writes a service into a repository of the user's (the folder run in): never a repository of its own inside.
  if (placed.outside) return 'not put under git: --path writes a service into the repo you run it in (git init, git add and commit there)';
  if (!placed.fresh) return 'not put under git: the folder held files of its own (git init there when you are ready)';
  // `init -b` (git >= 2.28) names the release branch; an older git gets it by symbolic-ref. Done already when the repo
  // came with its `.git` (the scaffold ran it while it rendered).
  const init = placed.gitInit?.ok ? placed.gitInit : await git(dir, initArgs(branch));
  if (init.missing) return NO_GIT;
  if (!init.ok) {
    for (const args of [['init', '--quiet'], ['symbolic-ref', 'HEAD', `refs/heads/${branch}`]]) {
      const r = await git(dir, args);
      if (!r.ok) return `git ${args[0]} failed (${r.firstLine}): the repo is written, but not under git`;
    }
  }
  return (await addAndCommit(dir)) || undefined;
}
