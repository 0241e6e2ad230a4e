/**
 * The three-way merge of a managed file: the user's file (mine), what the
 * templates rendered last time (base, kept in .projen/) and what they render
 * now (next). An edit is never silently lost: unchanged files follow the
 * templates, edits survive template changes elsewhere in the file, and where
 * both changed the same lines the file gets conflict markers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** node-diff3 ships CommonJS for require (its typings are ESM-only, so the one function used is typed here); loaded only when both sides changed. */
type Diff3Merge = <T>(a: T[], o: T[], b: T[], options?: { excludeFalseConflicts?: boolean }) => Array<{ ok?: T[]; conflict?: { a: T[]; o: T[]; b: T[] } }>;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: most synths never merge
const diff3Merge: Diff3Merge = (a, o, b, options) => (require('node-diff3') as { diff3Merge: Diff3Merge }).diff3Merge(a, o, b, options);

/** Where a repo keeps the last render of each mergeable managed file (committed, like the rest of .projen/). */
export const RENDERED_FILES = '.projen/aws-pipeline-rendered.json';

/** The record of the last render in `repo`: path -> content (empty when missing or unreadable: nothing to merge against). */
export function readRendered(repo: string): Record<string, string> {
  const file = join(repo, RENDERED_FILES);
  if (!existsSync(file)) return {};
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { files?: Record<string, string> }).files ?? {};
  } catch {
    return {};
  }
}

export const CONFLICT_START = '<<<<<<< your edit';
export const CONFLICT_BASE = '||||||| last rendered';
export const CONFLICT_SEP = '=======';
export const CONFLICT_END_PREFIX = '>>>>>>> template';

export interface MergeOutcome {
  /** What the file becomes. */
  readonly content: string;
  /** How: `template` (the new render), `kept` (the user's edit, the template unchanged), `merged` (both, no overlap), `conflict`. */
  readonly how: 'template' | 'kept' | 'merged' | 'conflict';
}

/** True when the text still holds conflict markers this merge wrote. */
export function hasConflictMarkers(text: string): boolean {
  return text.split('\n').some((line) => line === CONFLICT_START || line.startsWith(CONFLICT_END_PREFIX));
}

/**
 * Merges a managed file. Without a file there is nothing to keep; without a
 * record of the last render an existing file is taken to be the template's
 * (a repo rendered before records were kept, or a file reset).
 */
export function mergeManaged(mine: string | undefined, base: string | undefined, next: string, templateLabel: string): MergeOutcome {
  if (mine === undefined || base === undefined || mine === base || mine === next) return { content: next, how: 'template' };
  if (next === base) return { content: mine, how: 'kept' };
  const lines = (s: string) => s.split('\n');
  const regions = diff3Merge(lines(mine), lines(base), lines(next), { excludeFalseConflicts: true });
  const out: string[] = [];
  let conflict = false;
  for (const region of regions) {
    if (region.ok) {out.push(...region.ok);} else if (region.conflict) {
      conflict = true;
      const { a, o, b } = region.conflict;
      out.push(CONFLICT_START, ...a, CONFLICT_BASE, ...o, CONFLICT_SEP, ...b, `${CONFLICT_END_PREFIX} ${templateLabel}`);
    }
  }
  return { content: out.join('\n'), how: conflict ? 'conflict' : 'merged' };
}
