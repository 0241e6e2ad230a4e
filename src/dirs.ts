/** Folder checks the CLI makes before anything heavy loads. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * True when `dir` exists and holds anything (or is not a folder). A folder holding only `.git` (a fresh clone)
 * counts as empty, as create-vite's isEmpty has it.
 */
export function isNonEmptyDir(dir: string): boolean {
  return existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).some((entry) => entry !== '.git'));
}

/** The files under `dir`, at any depth: their paths from it, with `/`, sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/**
 * False when no git repository can hold `dir`: no `.git` (a folder, or a worktree's file) in it or any parent, and no
 * GIT_DIR naming one. Then `git rev-parse` and `git remote` need not run (a process each, on every scaffold).
 */
export function mayBeInGitRepo(dir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.GIT_DIR !== undefined) return true;
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return true;
    if (dirname(at) === at) return false;
  }
}
