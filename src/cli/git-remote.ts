/** The origin remote of the git clone a folder is in (the folder need not exist yet). */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { childProcess } from '../child-process';
import { mayBeInGitRepo } from '../dirs';
import type { Source } from '../model/catalog';
import { repositoryFromRemote } from '../model/repository';

/** `git remote get-url origin` run in `dir`, or its nearest existing parent; undefined outside a clone, without git, or without origin. */
export function originUrl(dir: string): string | undefined {
  let at = resolve(dir);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const env = { ...process.env };
  // Variables git sets for hooks would point it at another repository.
  for (const v of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR']) delete env[v];
  if (!mayBeInGitRepo(at, env)) return undefined;
  const r = childProcess().spawnSync('git', ['remote', 'get-url', 'origin'], { cwd: at, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** The repository the origin remote of `dir`'s clone names, on github.com, gitlab.com or bitbucket.org. */
export function remoteRepository(dir: string): { readonly source: Source; readonly repository: string } | undefined {
  const url = originUrl(dir);
  return url === undefined ? undefined : repositoryFromRemote(url);
}
