/**
 * Writing a generated repo, all or nothing: the repo is written into a
 * staging folder beside the target (render/repo-files.ts: what the first
 * projen synth would write, without loading projen), then put in place.
 * A new target is the staging folder, renamed. An existing one (`--force`)
 * gets every file as one change (fs-transaction.ts): the files it replaces
 * are kept until the end, and on any error (disk full, a read-only folder)
 * or a kill the target is as it was. Nothing is written through a symlink in the target.
 */
import { chmodSync, closeSync, constants, fchmodSync, fsync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './cli/errors';
import { commitInStaging, mayInitEarly, startGitInit } from './first-commit';
import type { GitResult, Placed } from './first-commit';
import { lstatOrUndefined, UnsafePathError } from './fs-safe';
import { commitChanges, recoverInterrupted, treeAsChanges } from './fs-transaction';
import type { FileChange } from './fs-transaction';
import type { PipelineConfig } from './model/config';
export { isNonEmptyDir } from './dirs';
import { newRepoFiles } from './render/repo-files';
import type { NewRepo, ProjenBase, RepoFile } from './render/repo-files';

/** projen's files of the base project, baked into the CLI's bundle by bundle/build.mjs. */
declare const CAP_PROJEN_BASE: ProjenBase | undefined;

let synthesized: ProjenBase | undefined;

/** projen's base files: as this build baked them, else (from the sources) synthesized by projen, once. */
async function projenBase(): Promise<ProjenBase> {
  if (typeof CAP_PROJEN_BASE === 'object') return CAP_PROJEN_BASE;
  const { synthProjenBase } = await import('./project-base.js');
  return (synthesized ??= synthProjenBase());
}

/** fsync(2) of an open file, on libuv's thread pool. */
const syncFile = (fd: number) => new Promise<void>((done, fail) => fsync(fd, (err) => (err ? fail(err) : done())));

/**
 * Writes `files` under `dir` (a new, private folder): each one new, never through a link, with its mode, and synced
 * (its fsync starts as soon as it is written, on libuv's thread pool, while the next ones are written; the file system
 * commits them together) before the folder is moved into place: a power loss never leaves a placed repo with empty files.
 * `meanwhile` starts when every file is written, and runs while they are synced (the first commit, in the staging folder).
 */
async function writeAll(dir: string, files: ReadonlyMap<string, RepoFile>, meanwhile?: () => Promise<unknown>): Promise<void> {
  const made = new Set<string>();
  const open: number[] = [];
  const synced: Promise<void>[] = [];
  let failure: { readonly error: unknown } | undefined;
  try {
    for (const [path, file] of files) {
      const at = path.lastIndexOf('/');
      if (at > 0 && !made.has(path.slice(0, at))) {
        mkdirSync(join(dir, path.slice(0, at)), { recursive: true });
        made.add(path.slice(0, at));
      }
      // eslint-disable-next-line no-bitwise -- open(2) flags
      const fd = openSync(join(dir, path), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), file.mode ?? 0o666);
      open.push(fd);
      const bytes = Buffer.from(file.content);
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      // An explicit mode whatever the umask, as projen sets it; the rest (the sample app) as a new file gets.
      if (file.mode !== undefined) fchmodSync(fd, file.mode);
      synced.push(syncFile(fd));
    }
  } catch (error) {
    failure = { error };
  }
  const alongside = failure || !meanwhile ? [] : [meanwhile()];
  // Every sync settled before any file is closed (a close under a pending sync could end another file's).
  const failed = (await Promise.allSettled([...synced, ...alongside])).find((r) => r.status === 'rejected');
  for (const fd of open) closeSync(fd);
  if (failure) throw failure.error;
  if (failed) throw failed.reason;
}

/**
 * Writes the files of `repo` into `dir` (which must exist), and those of its repository's root into `repoRoot`.
 * `meanwhile` runs while the files of `dir` are synced (writeAll).
 */
export async function writeRepoFiles(repo: NewRepo, dir: string, repoRoot?: string, meanwhile?: () => Promise<unknown>): Promise<void> {
  if (repo.root.size && repoRoot === undefined) throw new Error(`${[...repo.root.keys()].join(', ')}: a file at the repository's root, and no folder given for it`);
  await writeAll(dir, repo.files, meanwhile);
  if (repoRoot !== undefined) await writeAll(repoRoot, repo.root);
}

/**
 * Writes the whole repo for `config` into `dir` (which must exist): what the first projen synth of its `.projenrc.ts`
 * writes. A service in a folder (`path`) writes the files of its repository's root (its workflow) into `repoRoot`.
 */
export async function writeRepo(config: PipelineConfig, dir: string, repoRoot?: string, meanwhile?: () => Promise<unknown>): Promise<NewRepo> {
  const repo = newRepoFiles(config, await projenBase());
  await writeRepoFiles(repo, dir, repoRoot, meanwhile);
  return repo;
}

/** In the staging folder: what the synth writes for the repository's root (a service in a folder), moved with the rest. */
const ROOT_STAGING = '.create-aws-pipeline-repo-root';

/** The repository's root of a service in folder `path` written to `dest`: `path` up from it. */
export function repoRootOf(dest: string, path: string): string {
  return resolve(dest, ...path.split('/').map(() => '..'));
}

const STAGING = '.create-aws-pipeline-';

/** Removes staging folders of runs for `name` that were killed (their process is gone). */
function removeStaleStaging(parent: string, name: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${STAGING}(\\d+)-`).exec(entry);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
      continue; // its run is still going
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') continue;
    }
    rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * The folder to render in: beside the target (same file system, and the same depth, so paths relative to the
 * target, such as a preset's, resolve alike), with the mode a new folder gets (mkdtemp makes it private).
 */
function makeStaging(parent: string, name: string): string {
  const staging = mkdtempSync(join(parent, `.${name}${STAGING}${process.pid}-`));
  const probe = join(staging, '.mode');
  mkdirSync(probe);
  chmodSync(staging, statSync(probe).mode % 0o10000);
  rmdirSync(probe);
  return staging;
}

/** A write that failed with a system error becomes one line: the target is as it was. */
function couldNotWrite(err: unknown, target: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (err instanceof UsageError || !e.code) return err;
  return new UsageError(`could not write ${target} (${e.message}): it is as it was before, nothing was written`);
}

/**
 * Puts the rendered repo `staged` at `dest`: a rename when `dest` is new (true), else one all-or-nothing change
 * (false), which never takes a `.git` of the staging folder along.
 */
function place(staged: string, dest: string, target: string): boolean {
  let created = false;
  if (!lstatOrUndefined(dest)) {
    try {
      renameSync(staged, dest);
      return true;
    } catch (err) {
      // Another file system (EXDEV), or the target appeared meanwhile: written as one change instead.
      if (!['EXDEV', 'EEXIST', 'ENOTEMPTY'].includes((err as NodeJS.ErrnoException).code ?? '')) throw couldNotWrite(err, target);
    }
  }
  rmSync(join(staged, '.git'), { recursive: true, force: true });
  if (!lstatOrUndefined(dest)) {
    try {
      mkdirSync(dest);
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw couldNotWrite(err, target);
    }
  }
  // The target itself may be a link the user named; everything under it is checked.
  const root = realpathSync(dest);
  if (!lstatSync(root).isDirectory()) throw new UsageError(`${target} is not a folder: choose a new directory`);
  try {
    commitChanges(root, treeAsChanges(staged));
  } catch (err) {
    if (created) {
      try {
        rmdirSync(dest);
      } catch {
        // not empty: an undo that failed is recorded in its journal, for the next run
      }
    }
    if (err instanceof UnsafePathError) throw new UsageError(`${err.message.replace(/^refusing to (\w+) /, `refusing to $1 ${target}/`)}`);
    throw couldNotWrite(err, target);
  }
  return false;
}

/**
 * A service in a folder of a repository: its files (under `path`) and the root's (its workflow) as one change from the
 * repository's root, so no symlink on the way to either is followed, and an error leaves both as they were.
 */
function placeInRepo(staged: string, root: string, path: string, outside: readonly FileChange[], target: string): void {
  const changes = [...treeAsChanges(staged).map((c) => ({ ...c, path: `${path}/${c.path}` })), ...outside];
  try {
    commitChanges(root, changes);
  } catch (err) {
    if (err instanceof UnsafePathError) throw new UsageError(err.message);
    throw couldNotWrite(err, target);
  }
}

/**
 * Writes the repo for `config` to `target`. An existing non-empty target
 * needs `force` (the caller checks first, to fail before any prompt).
 * Before the move the event loop gets a turn, so a Ctrl-C or SIGTERM that
 * arrived meanwhile cancels the move.
 * Says whether the folder was fresh (missing, empty, or only `.git`): only then is it put under git (first-commit.ts).
 * With `gitBranch`, a new folder outside any repository is put under git on that branch by a `git init` that runs in
 * the staging folder while the repo renders (firstCommit then adds and commits). With `commit` too (nothing is
 * installed before the first commit), every file is added and committed there, while the files are synced: the repo
 * arrives with its first commit, or with the note of why it has none (Placed.committed).
 */
export async function scaffold(config: PipelineConfig, target: string, options: { readonly gitBranch?: string; readonly commit?: boolean } = {}): Promise<Placed> {
  const dest = resolve(target);
  const parent = dirname(dest);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw couldNotWrite(err, target);
  }
  removeStaleStaging(parent, basename(dest));
  const existing = lstatOrUndefined(dest);
  if (existing?.isDirectory()) recoverInterrupted(dest);
  const fresh = !existing || (existing.isDirectory() && readdirSync(dest).every((entry) => entry === '.git'));
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
  };
  // Before the staging folder exists: a signal while it is made is taken here (Node's default would exit and leave it).
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let staged: string | undefined;
  let gitInit: Promise<GitResult> | undefined;
  let committed: string | undefined;
  try {
    try {
      staged = makeStaging(parent, basename(dest));
    } catch (err) {
      // A folder the user cannot write to: one line, nothing written.
      throw couldNotWrite(err, target);
    }
    if (options.gitBranch !== undefined && !existing && config.path === '.' && mayInitEarly(dest)) gitInit = startGitInit(staged, options.gitBranch);
    const rootStaged = config.path === '.' ? undefined : join(staged, ROOT_STAGING);
    if (rootStaged) mkdirSync(rootStaged);
    let repo: NewRepo;
    const [init, dir] = [gitInit, staged];
    const commit = init && options.commit ? async () => (committed = await commitInStaging(dir, init)) : undefined;
    try {
      repo = await writeRepo(config, staged, rootStaged, commit);
    } catch (err) {
      // A full disk or a read-only folder, met in the staging folder: which goes; the target was never touched.
      throw couldNotWrite(err, target);
    }
    const initialized = await gitInit;
    await new Promise((done) => setImmediate(done));
    if (interrupted) throw new InterruptedError(interrupted, target);
    if (rootStaged) {
      // The service's folder and its files at the repository's root, as one change from the root.
      const outside = treeAsChanges(rootStaged);
      rmSync(rootStaged, { recursive: true });
      const files = [...repo.files.keys()].sort();
      placeInRepo(staged, repoRootOf(dest, config.path), config.path, outside, target);
      return { fresh, files, outside: outside.map((c) => c.path) };
    }
    // The paths written, sorted.
    const files = [...repo.files.keys()].sort();
    const renamed = place(staged, dest, target);
    return { fresh, files, ...(initialized && renamed ? { gitInit: initialized, ...(committed !== undefined ? { committed } : {}) } : {}) };
  } finally {
    // A git init still running writes into the staging folder: it ends first. Then the staging folder goes, while the
    // signals are still ours: one arriving now must not leave it half removed.
    await gitInit;
    // Renamed into place: nothing left to remove (and no recursive removal to load).
    if (staged && lstatOrUndefined(staged)) rmSync(staged, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** A run stopped by a signal before anything was moved into place. */
export class InterruptedError extends Error {
  readonly exitCode = 130;
  constructor(signal: NodeJS.Signals, target: string) {
    super(`interrupted (${signal}): nothing was written to ${target}`);
    this.name = 'InterruptedError';
  }
}
