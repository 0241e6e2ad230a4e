/**
 * Many files written as one change, all or nothing. A journal in the root
 * records the plan first; every new file is written and synced beside its
 * destination (same folder: the final rename never crosses file systems);
 * the file it replaces is kept beside it (a hard link, or a copy); then each
 * new file is renamed over its destination. On any error the change is
 * undone at once; after a kill, the next run in that root (scaffold,
 * `npx projen`, reset) undoes it from the journal, or finishes a change that
 * had completed. Paths are checked first (fs-safe.ts): nothing is written
 * through a symlink or outside the root.
 */
/* eslint-disable no-bitwise -- open(2) flags and file modes are bit sets */
import { closeSync, constants, copyFileSync, fchmodSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './cli/errors';
import { assertSafePath, lstatOrUndefined, obstacleOnPath, pathProblem, UnsafePathError } from './fs-safe';

export interface FileChange {
  /** A path inside the root, `/`-separated. */
  readonly path: string;
  /** The new content; undefined removes the file. */
  readonly content?: string | Uint8Array;
  /** The mode of a written file. @default 0o644 */
  readonly mode?: number;
}

/** The journal of a change in progress, in the root of the change. */
export const JOURNAL = '.create-aws-pipeline-journal.json';

interface Entry {
  readonly path: string;
  /** A new content is written (else the file is removed). */
  readonly write: boolean;
  /** A file was there before. */
  readonly existed: boolean;
}

interface Journal {
  readonly version: 1;
  readonly id: string;
  state: 'writing' | 'done';
  readonly entries: readonly Entry[];
  /** Folders the change creates, parents first. */
  readonly dirs: readonly string[];
}

/** The new (`new`) or previous (`old`) version of `rel` during change `id`: a hidden file beside it. */
function scratch(rel: string, id: string, kind: 'new' | 'old'): string {
  const dir = dirname(rel);
  const name = `.${basename(rel)}.cap-${id}.${kind}`;
  return dir === '.' ? name : `${dir}/${name}`;
}

/** True for the name of a scratch file of a change (left only by a kill, and removed by the next run). */
export const isScratchName = (name: string): boolean => /^\..+\.cap-[0-9a-f]{8}\.(new|old)$/.test(name);

const exists = (file: string): boolean => lstatOrUndefined(file) !== undefined;

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems cannot sync a folder; the data itself is synced
  }
}

/** Writes a file that must not exist yet (never through a link), synced, with its mode. */
function writeNew(file: string, bytes: Buffer, mode: number): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  try {
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeJournal(root: string, journal: Journal): void {
  const file = join(root, JOURNAL);
  const tmp = `${file}.new`;
  try {
    if (exists(tmp)) unlinkSync(tmp);
    writeNew(tmp, Buffer.from(`${JSON.stringify(journal)}\n`), 0o644);
    renameSync(tmp, file);
  } catch (err) {
    if (exists(tmp)) unlinkSync(tmp);
    throw err;
  }
  fsyncDir(root);
}

/** Keeps the file being replaced beside it: a hard link, or a copy where the file system has none. */
function keepOld(file: string, old: string): void {
  try {
    linkSync(file, old);
  } catch (err) {
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    copyFileSync(file, old, constants.COPYFILE_EXCL);
  }
}

/** Puts every file back as it was before the change (idempotent: a kill during the undo is undone again). */
function undo(root: string, j: Journal): void {
  for (const e of [...j.entries].reverse()) {
    const file = join(root, e.path);
    const old = join(root, scratch(e.path, j.id, 'old'));
    const next = join(root, scratch(e.path, j.id, 'new'));
    if (exists(old)) {
      renameSync(old, file);
      // A hard link of the file itself: rename() leaves both names; the old name goes.
      if (exists(old)) unlinkSync(old);
    } else if (e.write && !e.existed && !exists(next) && exists(file)) {
      unlinkSync(file);
    }
    if (exists(next)) unlinkSync(next);
  }
  for (const d of [...j.dirs].reverse()) {
    try {
      rmdirSync(join(root, d));
    } catch {
      // not created, or not empty: left as it is
    }
  }
  unlinkSync(join(root, JOURNAL));
}

/**
 * Removes what a completed change kept for an undo. The change is complete either way: what cannot be removed
 * stays listed in the journal, and the next run removes it.
 */
function finish(root: string, j: Journal): void {
  try {
    for (const e of j.entries) {
      for (const kind of ['old', 'new'] as const) {
        const f = join(root, scratch(e.path, j.id, kind));
        if (exists(f)) {
          unlinkSync(f);
        }
      }
    }
    unlinkSync(join(root, JOURNAL));
  } catch (err) {
    process.stderr.write(`the files are written, but ${JOURNAL} and the copies it lists stay in ${root} (${(err as Error).message}); the next run removes them\n`);
  }
}

/** The journal in `root`, checked: only paths inside the root, none through a symlink. */
function readJournal(root: string): Journal | undefined {
  const file = join(root, JOURNAL);
  const st = lstatOrUndefined(file);
  if (!st) {
    if (exists(`${file}.new`)) unlinkSync(`${file}.new`);
    return undefined;
  }
  const bad = (why: string) => new UsageError(`${JOURNAL} in ${root} is not a journal create-aws-pipeline wrote (${why}): nothing was changed; remove it and run again`);
  if (!st.isFile()) throw bad('not a regular file');
  let j: Journal;
  try {
    j = JSON.parse(readFileSync(file, 'utf8')) as Journal;
  } catch {
    throw bad('not JSON');
  }
  if (j?.version !== 1 || !/^[0-9a-f]{8}$/.test(String(j.id)) || !['writing', 'done'].includes(j.state) || !Array.isArray(j.entries) || !Array.isArray(j.dirs)) {
    throw bad('not its shape');
  }
  for (const p of [...j.entries.map((e) => e?.path), ...j.dirs]) {
    const problem = pathProblem(p);
    if (problem) throw bad(`${JSON.stringify(p)} is ${problem}`);
    const obstacle = dirname(p) === '.' ? undefined : obstacleOnPath(root, dirname(p));
    if (obstacle?.kind === 'symlink') {
      throw new UnsafePathError(`refusing to undo the interrupted write recorded in ${JOURNAL}: ${obstacle.at} is a symlink (to ${obstacle.target}); nothing was changed`);
    }
  }
  return j;
}

/**
 * Undoes (or, when it had completed, finishes) a change a killed process left in `root`. Returns what it did.
 * Every command that writes in a root calls it first.
 */
export function recoverInterrupted(root: string): 'none' | 'undone' | 'finished' {
  if (!exists(root)) return 'none';
  const j = readJournal(root);
  if (!j) return 'none';
  if (j.state === 'done') {
    finish(root, j);
    return 'finished';
  }
  undo(root, j);
  process.stderr.write(`undid an interrupted write of create-aws-pipeline in ${root}: ${j.entries.length} files are as they were before it\n`);
  return 'undone';
}

/**
 * Applies `changes` under `root` as one change: afterwards every file is the new one, or, on any error (thrown),
 * every file is as it was. Unchanged files (same bytes, same executable bit) are not touched. Returns how many
 * files changed.
 */
export function commitChanges(root: string, changes: readonly FileChange[]): number {
  recoverInterrupted(root);
  // Unique among the runs in this root (each file is created exclusively anyway); node:crypto is not loaded for it.
  const id = Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  const entries: Entry[] = [];
  const dirs: string[] = [];
  const contents = new Map<string, { bytes: Buffer; mode: number }>();
  for (const c of changes) {
    assertSafePath(root, c.path, c.content === undefined ? 'remove' : 'write');
    if (contents.has(c.path) || entries.some((e) => e.path === c.path)) throw new Error(`${c.path} is changed twice in one change`);
    const file = join(root, c.path);
    const st = lstatOrUndefined(file);
    if (c.content === undefined) {
      if (st) entries.push({ path: c.path, write: false, existed: true });
      continue;
    }
    const bytes = Buffer.from(c.content);
    const mode = c.mode ?? 0o644;
    if (st && (st.mode & 0o100) === (mode & 0o100) && readFileSync(file).equals(bytes)) continue;
    const segments = c.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const d = segments.slice(0, i).join('/');
      if (!dirs.includes(d) && !exists(join(root, d))) dirs.push(d);
    }
    entries.push({ path: c.path, write: true, existed: st !== undefined });
    contents.set(c.path, { bytes, mode });
  }
  if (!entries.length) return 0;
  const journal: Journal = { version: 1, id, state: 'writing', entries, dirs };
  writeJournal(root, journal);
  try {
    for (const d of dirs) {
      mkdirSync(join(root, d));
    }
    for (const e of entries) {
      const c = contents.get(e.path);
      if (c) writeNew(join(root, scratch(e.path, id, 'new')), c.bytes, c.mode);
    }
    for (const e of entries) {
      const file = join(root, e.path);
      if (!e.write) {
        renameSync(file, join(root, scratch(e.path, id, 'old')));
        continue;
      }
      if (e.existed) keepOld(file, join(root, scratch(e.path, id, 'old')));
      renameSync(join(root, scratch(e.path, id, 'new')), file);
    }
    journal.state = 'done';
    writeJournal(root, journal);
  } catch (err) {
    try {
      if (exists(join(root, JOURNAL))) undo(root, journal);
    } catch (undoErr) {
      throw new UsageError(
        `${(err as Error).message}; undoing the partial write failed too (${(undoErr as Error).message}): ${JOURNAL} in ${root} records it, ` +
          'and the next create-aws-pipeline or npx projen there undoes it',
      );
    }
    throw err;
  }
  finish(root, journal);
  return entries.length;
}

/** Every regular file under `dir` (folders walked, nothing followed), as changes that write it elsewhere. */
export function treeAsChanges(dir: string, rel = ''): FileChange[] {
  const out: FileChange[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(dir, path));
    if (st.isDirectory()) out.push(...treeAsChanges(dir, path));
    else if (st.isFile()) out.push({ path, content: readFileSync(join(dir, path)), mode: st.mode & 0o777 });
  }
  return out;
}
