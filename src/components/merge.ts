/**
 * The three-way merge of a managed file: the user's file (mine), what the
 * templates rendered last time (base, kept in .projen/) and what they render
 * now (next). An edit is never silently lost: unchanged files follow the
 * templates, edits survive template changes elsewhere in the file, and where
 * both changed the same lines the file gets conflict markers. The last
 * render is kept in .projen/aws-pipeline-rendered/ (rendered-record.ts).
 */

/** node-diff3 ships CommonJS for require (its typings are ESM-only, so the one function used is typed here); loaded only when both sides changed. */
type Diff3Merge = <T>(a: T[], o: T[], b: T[], options?: { excludeFalseConflicts?: boolean }) => Array<{ ok?: T[]; conflict?: { a: T[]; o: T[]; b: T[] } }>;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: most synths never merge
const diff3Merge: Diff3Merge = (a, o, b, options) => (require('node-diff3') as { diff3Merge: Diff3Merge }).diff3Merge(a, o, b, options);

/** Text a merge may rewrite: valid UTF-8 without NUL bytes (anything else is kept byte for byte, and reported). */
export function isMergeableText(bytes: Buffer): boolean {
  return !bytes.includes(0) && Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
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

/** The base section of a conflict where no last render can be trusted (none recorded, or the record is broken). */
export const NO_BASE = '||||||| last rendered: unknown (no trustworthy record)';

/**
 * Merges a managed file. Without a file there is nothing to keep. A file that differs from the new render and has
 * no trustworthy last render (the user's own file at a newly managed path, a missing or broken record) is a
 * conflict: both versions stay in the file, between markers, until the user resolves them.
 */
export function mergeManaged(mine: string | undefined, base: string | undefined, next: string, templateLabel: string): MergeOutcome {
  if (mine === undefined || mine === base || mine === next) return { content: next, how: 'template' };
  if (base === undefined) {
    const body = (s: string) => (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n');
    const content = [CONFLICT_START, ...body(mine), NO_BASE, CONFLICT_SEP, ...body(next), `${CONFLICT_END_PREFIX} ${templateLabel}`].join('\n');
    return { content: `${content}\n`, how: 'conflict' };
  }
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
