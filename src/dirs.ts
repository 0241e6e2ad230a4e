/** Folder checks the CLI makes before anything heavy loads. */
import { existsSync, readdirSync, statSync } from 'node:fs';

/**
 * True when `dir` exists and holds anything (or is not a folder). A folder holding only `.git` (a fresh clone)
 * counts as empty, as create-vite's isEmpty has it.
 */
export function isNonEmptyDir(dir: string): boolean {
  return existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).some((entry) => entry !== '.git'));
}
