/**
 * projen sorts with String.prototype.localeCompare (ICU's root collation). Its first call on a string V8 cannot compare
 * by itself (a `:` or `@`, as in `build:aws-cdk@^2`) loads ICU's collator: about 8 ms of a scaffold's run. For the
 * characters of package names, versions, task names and paths, this is the same order, without ICU: every character
 * below has its own primary weight, in this order (test/render/collate.test.ts compares it with localeCompare).
 * Any other character in either string: localeCompare.
 */
export const COLLATION_ORDER = '_-:!.@*/^~0123456789abcdefghijklmnopqrstuvwxyz';

const WEIGHT = new Int8Array(128).fill(-1);
for (let i = 0; i < COLLATION_ORDER.length; i++) WEIGHT[COLLATION_ORDER.charCodeAt(i)] = i;

const plain = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || WEIGHT[c] < 0) return false;
  }
  return true;
};

/** The sign of `a.localeCompare(b)`. */
export function collate(a: string, b: string): number {
  if (!plain(a) || !plain(b)) return a.localeCompare(b);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = WEIGHT[a.charCodeAt(i)] - WEIGHT[b.charCodeAt(i)];
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(a.length - b.length);
}
