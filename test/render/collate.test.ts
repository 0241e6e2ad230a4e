/** The ICU-free order of render/collate.ts is localeCompare's, on its characters; other strings go to localeCompare. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collate, COLLATION_ORDER } from '../../src/render/collate';

const sign = (n: number) => Math.sign(n);

describe('collate', () => {
  it('orders its characters as localeCompare does', () => {
    const chars = [...COLLATION_ORDER];
    expect([...chars].sort((a, b) => a.localeCompare(b))).toEqual(chars);
    for (const a of chars) for (const b of chars) expect(collate(a, b), `${a} ${b}`).toBe(sign(a.localeCompare(b)));
  });

  it('agrees with localeCompare on any strings of its characters (package names, versions, task names, paths)', () => {
    const text = fc.string({ unit: fc.constantFrom(...COLLATION_ORDER), maxLength: 12 });
    fc.assert(
      fc.property(text, text, (a, b) => collate(a, b) === sign(a.localeCompare(b))),
      { numRuns: 20000 },
    );
  });

  it('agrees on strings with a shared start (a prefix, a suffix past it)', () => {
    const text = fc.string({ unit: fc.constantFrom(...COLLATION_ORDER), maxLength: 6 });
    fc.assert(fc.property(text, text, text, (p, a, b) => collate(p + a, p + b) === sign((p + a).localeCompare(p + b))), { numRuns: 5000 });
  });

  it('leaves any other string to localeCompare', () => {
    const text = fc.string({ unit: fc.constantFrom(...'aAbB-_ é:0Z'), maxLength: 8 });
    fc.assert(fc.property(text, text, (a, b) => collate(a, b) === sign(a.localeCompare(b))), { numRuns: 5000 });
    expect(collate('Zeta', 'alpha')).toBe(sign('Zeta'.localeCompare('alpha')));
  });

  it('sorts what projen sorts in a generated repo as projen does', () => {
    const names = ['build:aws-cdk@^2', 'build:@types/node@^22', 'runtime:constructs@^10.5.1', 'build:constructs@^10.0.0', 'build:typescript@~5.9.3', 'build:projen@0.103.25', 'cdk:synth', 'cdk:deploy', 'pipeline:status', 'post-compile', 'pre-compile', 'install:ci', '/.projen/**', '/.projen/aws-pipeline-rendered/**', '/scripts/deploy/ecs.sh', '/.gitattributes', '*'];
    expect([...names].sort(collate)).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });
});
