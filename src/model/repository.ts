/**
 * The source repository: what a git remote says it is, and whether the one
 * in the config is still the placeholder written when none was given
 * (`your-org/<name>`), which the pipeline's source action cannot reach.
 */
import { CONNECTION_SOURCES } from './catalog';
import type { Source } from './catalog';
import { DEFAULTS } from './config';

/** The hosts of the CodeConnections sources, as their remotes name them. */
const HOSTS: Readonly<Record<string, Source>> = {
  'github.com': 'github',
  'gitlab.com': 'gitlab',
  'bitbucket.org': 'bitbucket',
};

/**
 * A git remote URL of github.com, gitlab.com or bitbucket.org, as the source and its `owner/repo`
 * (a GitLab group may have subgroups); undefined for another host or a URL that names no repository.
 * Takes the forms git prints: `https://[user@]host/owner/repo[.git]`, `ssh://git@host[:port]/owner/repo[.git]`,
 * `git@host:owner/repo[.git]`.
 */
export function repositoryFromRemote(url: string): { readonly source: Source; readonly repository: string } | undefined {
  const trimmed = url.trim();
  const match =
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/.exec(trimmed) ??
    /^(?:[^@/]+@)?([^/:]+):(?!\/)(.+)$/.exec(trimmed);
  if (!match) return undefined;
  const source = HOSTS[match[1].toLowerCase()];
  if (!source) return undefined;
  const repository = match[2].replace(/\/+$/, '').replace(/\.git$/, '');
  const parts = repository.split('/');
  const ok = parts.length >= 2 && (source === 'gitlab' || parts.length === 2) && parts.every((p) => /^[A-Za-z0-9_.-]+$/.test(p) && p !== '.' && p !== '..');
  return ok ? { source, repository } : undefined;
}

/** True when the repository of a CodeConnections source is the placeholder `your-org/<name>`. */
export function isPlaceholderRepository(config: { readonly source: Source; readonly repository: string }): boolean {
  return CONNECTION_SOURCES.includes(config.source) && config.repository.split('/')[0] === DEFAULTS.repositoryOwner;
}

/** The one line said while the repository is the placeholder (by the CLI, `npx projen` and `cdk synth`), else undefined. */
export function placeholderRepositoryWarning(config: { readonly source: Source; readonly repository: string }): string | undefined {
  if (!isPlaceholderRepository(config)) return undefined;
  return `repository ${config.repository} is a placeholder, so the pipeline's source action will fail: set repository: "<owner>/<repo>" (your ${config.source} repository) in .projenrc.ts, then run npx projen`;
}

/**
 * Set by the CLI once it has said the warning for the repo it is writing: the first synth, in the same
 * process, does not say it again. Every later `npx projen` runs without it, and says it.
 */
export const placeholderWarned = { byCli: false };
