/**
 * A symlink in every position: each folder along every path a synth
 * writes (managed files, their records, projen's own files) and each file
 * itself, in turn, replaced by a link to the same thing outside the repo.
 * The synth, drift, reset of a file under it, and the --force move (its
 * one change, fs-transaction) refuse in one line naming the link, and the
 * repo and the folder outside stay byte-identical.
 */
import { mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEXT } from './support';
import { basePath, readRendered } from '../../src/components/rendered-record';
import { commitChanges, treeAsChanges } from '../../src/fs-transaction';
import { drift } from '../../src/ops/drift';
import { runReset } from '../../src/ops/reset';
import { BASE, generated, snapshot, synth } from '../components/repo';
import { tempDir } from '../helpers';

/** Every folder along `paths`, and each path itself. */
function positions(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const segments = p.split('/');
    for (let i = 1; i <= segments.length; i++) out.add(segments.slice(0, i).join('/'));
  }
  return [...out].sort();
}

/** What the call threw (or returned, for an error), or undefined. */
function failure(fn: () => unknown): Error | undefined {
  try {
    const r = fn();
    return r instanceof Error ? r : undefined;
  } catch (err) {
    return err as Error;
  }
}

describe('a symlink in every position', () => {
  it('is refused in one line by the synth, drift, reset and the --force move, and nothing changes', () => {
    const rendered = generated();
    const managed = Object.keys(readRendered(rendered));
    const projenOwn = (JSON.parse(readFileSync(join(rendered, '.projen/files.json'), 'utf8')) as { files: string[] }).files;
    const all = positions([...managed, ...managed.map(basePath), ...projenOwn]);
    expect(all.length).toBeGreaterThan(30);
    const render = treeAsChanges(rendered);
    const broken: string[] = [];
    for (const position of all) {
      const repo = tempDir('cap-link-');
      const outside = tempDir('cap-outside-');
      generated(BASE, repo);
      mkdirSync(join(repo, 'node_modules/.bin'), { recursive: true });
      writeFileSync(join(repo, 'node_modules/.bin/projen'), '#!/bin/sh\nexit 99\n', { mode: 0o755 });
      mkdirSync(dirname(join(outside, position)), { recursive: true });
      renameSync(join(repo, position), join(outside, position));
      symlinkSync(join(outside, position), join(repo, position));
      const before = [snapshot(repo), snapshot(outside)];
      const under = managed.find((m) => m === position || m.startsWith(`${position}/`));
      const commands: Array<[string, () => unknown]> = [
        ['synth', () => synth(repo, NEXT)],
        ['drift', () => drift(repo)],
        ['--force', () => commitChanges(repo, render)],
        ...(under ? [['reset', () => runReset(repo, [join(repo, under)])] as [string, () => unknown]] : []),
      ];
      for (const [name, run] of commands) {
        const err = failure(run);
        if (!err || !err.message.includes(`${position} is a symlink (to ${join(outside, position)})`) || err.message.includes('\n')) {
          broken.push(`${position}, ${name}: ${err?.message ?? 'not refused'}`);
        }
        const after = [snapshot(repo), snapshot(outside)];
        if (JSON.stringify(after) !== JSON.stringify(before)) broken.push(`${position}, ${name}: changed something`);
      }
    }
    expect(broken).toEqual([]);
  });
});
