/**
 * The synth stopped by a fault at every step that changes a managed file
 * or its record (disk full, a read-only folder, an I/O error, another file
 * system; injected into Node's fs, no hook needed): it fails in one line, the
 * managed files and their
 * records are all as they were (or, for a fault after the change completed,
 * all new), no edit is lost, and the next synth gives exactly the repo an
 * uninterrupted synth gives.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editsPresent, NEXT, scenario, withFsFaults } from './support';
import { RENDERED_DIR } from '../../src/components/rendered-record';
import { snapshot, synth } from '../components/repo';
import type { Tree } from '../components/repo';
import { tempDir } from '../helpers';

/** The entries the synth's one change covers: everything but projen's own files (rewritten by every synth). */
function ours(tree: Tree, projenOwn: ReadonlySet<string>): Tree {
  return Object.fromEntries(Object.entries(tree).filter(([p]) => !projenOwn.has(p)));
}

describe('the synth, stopped by a fault at every step that changes the repo', () => {
  it('fails in one line, leaves every managed file and record as it was, loses no edit, and the next synth completes it', () => {
    const done = scenario();
    expect(synth(done, NEXT)).toBeUndefined();
    const uninterrupted = snapshot(done);
    // projen's own files (rewritten by every synth, no edit of the user's in them); a record is ours, in any format.
    const projenOwn = new Set(
      [...(JSON.parse(readFileSync(join(done, '.projen/files.json'), 'utf8')) as { files: string[] }).files, '.projen/files.json'].filter((p) => !p.startsWith(RENDERED_DIR)),
    );

    const base = scenario();
    const before = snapshot(base);
    const copy = () => {
      const dir = tempDir('cap-fault-');
      cpSync(base, dir, { recursive: true });
      return dir;
    };
    const counted = copy();
    const skip = (rel: string) => projenOwn.has(rel);
    const steps = withFsFaults(counted, 0, 'EIO', () => expect(synth(counted, NEXT)).toBeUndefined(), skip);
    expect(steps).toBeGreaterThan(10);

    const codes = ['ENOSPC', 'EACCES', 'EIO', 'EXDEV'];
    const broken: string[] = [];
    let complete = 0;
    for (let at = 1; at <= steps; at++) {
      const repo = copy();
      let err: Error | undefined;
      withFsFaults(repo, at, codes[at % codes.length], () => {
        err = synth(repo, NEXT);
      }, skip);
      const now = snapshot(repo);
      if (err !== undefined) {
        const line = /^could not write the managed files \(E[A-Z]+: injected fault, [^)]*\): every one is as it was before this synth; fix that and run npx projen again$/;
        if (!line.test(err.message)) broken.push(`step ${at}: ${err.message}`);
        if (JSON.stringify(ours(now, projenOwn)) !== JSON.stringify(ours(before, projenOwn))) broken.push(`step ${at}: managed files changed`);
      } else {
        complete += 1;
        const left = Object.keys(now).filter((p) => !p.includes('.cap-') && !p.includes('journal'));
        if (JSON.stringify(left) !== JSON.stringify(Object.keys(uninterrupted))) broken.push(`step ${at}: not completely written`);
      }
      const missing = editsPresent(repo);
      if (missing.length) broken.push(`step ${at}: lost the edits in ${missing.join(', ')}`);
      // The next synth: after every fault past the change's end, and every third one before it.
      if (err !== undefined && at % 3 !== 0) continue;
      const again = synth(repo, NEXT);
      if (again) broken.push(`step ${at}: the next synth failed: ${again.message}`);
      else if (JSON.stringify(snapshot(repo)) !== JSON.stringify(uninterrupted)) broken.push(`step ${at}: the next synth differs from an uninterrupted one`);
    }
    expect(broken).toEqual([]);
    // Only removing what the change kept for an undo comes after it is complete.
    expect(complete).toBeLessThan(steps / 2);
  });
});
