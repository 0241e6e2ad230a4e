/** Folder checks the CLI makes before anything heavy loads. */
import { existsSync, readdirSync, statSync } from 'node:fs';

/** True when `dir` exists and holds anything (or is not a folder). */
export function isNonEmptyDir(dir: string): boolean {
  return existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0);
}
