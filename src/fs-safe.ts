/**
 * Paths inside a repo, checked before anything is read or written there: no
 * absolute path, no `..`, and no symlink anywhere along the path (a folder
 * or the file itself). A refusal is one line naming the path. Every write of
 * create-aws-pipeline goes through these checks and through
 * fs-transaction.ts, so no command writes outside the repo or through a link.
 */
/* eslint-disable no-bitwise -- open(2) flags and file modes are bit sets */
import { closeSync, constants, lstatSync, openSync, readFileSync, readlinkSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UsageError } from './cli/errors';

/** A path create-aws-pipeline refuses to read or write (printed as one line by the CLI). */
export class UnsafePathError extends UsageError {
  constructor(message: string) {
    super(message);
  }
}

/** Why `rel` is not a plain relative path inside a repo (`a/b.sh`), or undefined when it is one. */
export function pathProblem(rel: unknown): string | undefined {
  if (typeof rel !== 'string' || rel === '') return 'not a file path';
  if (rel.includes('\0')) return 'a path with a NUL byte';
  if (isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || rel.startsWith('/')) return 'an absolute path, not a path in the repo';
  if (rel.includes('\\')) return 'a path with a backslash';
  const segments = rel.split('/');
  if (segments.includes('..')) return 'a path that leads out of the repo (..)';
  if (segments.some((s) => s === '' || s === '.')) return 'not a normalized path';
  return undefined;
}

/** lstat, or undefined when nothing is there. */
export function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (err) {
    if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw err;
  }
}

export interface PathObstacle {
  /** The part of the path (relative to the root) where the obstacle is. */
  readonly at: string;
  /** A symlink (with its target), or a file where a folder is needed. */
  readonly kind: 'symlink' | 'not-a-folder';
  readonly target?: string;
}

/**
 * The first symlink along `rel` under `root` (each folder, then the file itself), or a file where the path needs a
 * folder; undefined when the path is clear. The root itself may be a link: the user named it.
 */
export function obstacleOnPath(root: string, rel: string): PathObstacle | undefined {
  const segments = rel.split('/');
  for (let i = 1; i <= segments.length; i++) {
    const at = segments.slice(0, i).join('/');
    const st = lstatOrUndefined(join(root, at));
    if (!st) return undefined;
    if (st.isSymbolicLink()) {
      let target = '?';
      try {
        target = readlinkSync(join(root, at));
      } catch {
        // unreadable link: still a link
      }
      return { at, kind: 'symlink', target };
    }
    if (i < segments.length && !st.isDirectory()) return { at, kind: 'not-a-folder' };
  }
  return undefined;
}

function describe(o: PathObstacle): string {
  return o.kind === 'symlink' ? `${o.at} is a symlink (to ${o.target})` : `${o.at} is a file, not a folder`;
}

/**
 * Throws unless `rel` is a path create-aws-pipeline may write under `root`: inside it, no symlink along it, and not
 * a folder itself. `action` names what was refused ("write", "remove", "reset").
 */
export function assertSafePath(root: string, rel: string, action = 'write'): void {
  const problem = pathProblem(rel);
  if (problem) throw new UnsafePathError(`refusing to ${action} ${JSON.stringify(rel)}: ${problem}; nothing was written or removed there`);
  const obstacle = obstacleOnPath(root, rel);
  if (obstacle) {
    throw new UnsafePathError(
      `refusing to ${action} ${rel}: ${describe(obstacle)}; create-aws-pipeline reads and writes nothing through a symlink, and changed nothing (make it a real folder or file, and run again)`,
    );
  }
  const st = lstatOrUndefined(join(root, rel));
  if (st && !st.isFile()) throw new UnsafePathError(`refusing to ${action} ${rel}: it is a folder (or not a regular file), where a file belongs; nothing was changed`);
}

/** The bytes of `rel` under `root`, or undefined when it does not exist; refused (thrown) through a symlink. */
export function readInside(root: string, rel: string): Buffer | undefined {
  assertSafePath(root, rel, 'read');
  const file = join(root, rel);
  if (!lstatOrUndefined(file)) return undefined;
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
