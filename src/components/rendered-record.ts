/**
 * The record of the last render, the base of the next merge: one file per
 * managed file, `.projen/aws-pipeline-rendered/<path>` holding what the
 * templates rendered for `<path>`. Committed with the repo. Two branches
 * that change different managed files change different record files, so
 * git merges them without a conflict; where both change the same file, its
 * record merges line by line like the file itself, and a record left with
 * git's conflict markers is not trusted (for that file only).
 *
 * Repos from earlier releases have one JSON file,
 * `.projen/aws-pipeline-rendered.json`; it is still read (for files the
 * folder does not hold) and the next synth moves it into the folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lstatOrUndefined, pathProblem } from '../fs-safe';
import { isScratchName } from '../fs-transaction';

/** The folder of the last render of each managed text file. */
export const RENDERED_DIR = '.projen/aws-pipeline-rendered';
/** The single-file record of earlier releases (path -> content under `files`). */
export const LEGACY_RECORD = '.projen/aws-pipeline-rendered.json';

/**
 * The first segment of the key (projen path, record entry) of a file at the repository's root: `@repo/.github/workflows/x.yml`
 * stands for `<repository root>/.github/workflows/x.yml`, never for a file in the project's folder.
 */
export const REPO_ROOT_KEY = '@repo';

/**
 * Where a service in a folder finds its repository's root, when not by going up from its folder by the depth of its
 * `path`: set around a synth whose project is rendered somewhere else (the scaffold's staging folder, drift's copy), so
 * the files of the root go to a folder of that run, never next to the copy.
 */
export const REPO_ROOT_ENV = 'CREATE_AWS_PIPELINE_REPO_ROOT';

/**
 * Set by `create-aws-pipeline reset FILE...` for the synth it runs: a JSON array of managed paths whose current
 * content is dropped, so the synth writes the template there (in the same all-or-nothing change as the rest).
 */
export const RESET_ENV = 'CREATE_AWS_PIPELINE_RESET';

/** Where the last render of `path` is kept. */
export const basePath = (path: string): string => `${RENDERED_DIR}/${path}`;

/** True when a text still holds git's conflict markers (a start and an end line). */
export const hasGitConflict = (text: string): boolean => /^<{7}( |$)/m.test(text) && /^>{7}( |$)/m.test(text);

export interface RenderedRecord {
  /** path -> last render, for every path with a trustworthy one. */
  readonly files: Record<string, string>;
  /** Every record file in the folder (trusted or not): the ones no longer rendered are removed. */
  readonly stored: readonly string[];
  /** Entries refused, with why: a key outside the repo, a symlink in the folder. Never read, written or removed. */
  readonly refused: readonly string[];
  /** The single-file record of an earlier release is there. */
  readonly legacy: boolean;
  /** Symlinks in the record's place (the folder itself, or in it), relative to the repo: never followed. */
  readonly links: readonly string[];
}

/** The record files under the folder: regular files only, nothing followed; links refused. */
function walk(root: string, rel: string, stored: string[], refused: string[], links: string[]): void {
  for (const name of readdirSync(join(root, RENDERED_DIR, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    const st = lstatOrUndefined(join(root, RENDERED_DIR, path));
    if (!st || isScratchName(name)) continue;
    if (st.isDirectory()) walk(root, path, stored, refused, links);
    else if (st.isFile()) stored.push(path);
    else refused.push(`${basePath(path)} (not a regular file)`);
    if (st.isSymbolicLink()) links.push(basePath(path));
  }
}

/** The entries of the single-file record: none when it is unreadable, not its shape, or git-conflicted. */
function readLegacy(root: string, refused: string[]): Record<string, string> {
  try {
    const text = readFileSync(join(root, LEGACY_RECORD), 'utf8');
    if (hasGitConflict(text) || /^={7}$/m.test(text)) return {};
    const files = (JSON.parse(text) as { files?: unknown }).files;
    if (typeof files !== 'object' || files === null || Array.isArray(files)) return {};
    const out: Record<string, string> = {};
    for (const [path, content] of Object.entries(files)) {
      const problem = pathProblem(path);
      if (problem) refused.push(`${JSON.stringify(path)} in ${LEGACY_RECORD} (${problem})`);
      else if (typeof content === 'string') out[path] = content;
    }
    return out;
  } catch {
    return {};
  }
}

/**
 * The record of the last render in `root`. A file has no base (and an edit to it becomes a conflict, never
 * overwritten) when its record is missing, unreadable or git-conflicted. Keys that are not paths inside the repo,
 * and links in the folder, are refused: reported, never followed.
 */
export function readRecord(root: string): RenderedRecord {
  const stored: string[] = [];
  const refused: string[] = [];
  const links: string[] = [];
  const dir = lstatOrUndefined(join(root, RENDERED_DIR));
  if (dir?.isDirectory()) walk(root, '', stored, refused, links);
  else if (dir) refused.push(`${RENDERED_DIR} (not a folder)`);
  if (dir?.isSymbolicLink()) links.push(RENDERED_DIR);
  const legacy = lstatOrUndefined(join(root, LEGACY_RECORD))?.isFile() === true;
  const files: Record<string, string> = legacy ? readLegacy(root, refused) : {};
  for (const path of stored) {
    delete files[path];
    try {
      const text = readFileSync(join(root, RENDERED_DIR, path), 'utf8');
      if (!hasGitConflict(text)) files[path] = text;
    } catch {
      // unreadable: no base
    }
  }
  return { files, stored, refused, legacy, links };
}

/** path -> last render (see readRecord). */
export const readRendered = (root: string): Record<string, string> => readRecord(root).files;

/** True when `root` has a record of the last render (either format): a repo create-aws-pipeline generated. */
export const hasRecord = (root: string): boolean => lstatOrUndefined(join(root, RENDERED_DIR)) !== undefined || lstatOrUndefined(join(root, LEGACY_RECORD)) !== undefined;
