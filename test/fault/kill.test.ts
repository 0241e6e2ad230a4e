/**
 * Processes killed with SIGKILL at seeded points: at a chosen write step
 * (kill-at.cjs, preloaded into the command and into the repo's own projen
 * that drift and reset run; no hook in the code under test), and by a
 * timer (the whole process group). Afterwards, once the next run has
 * undone what was left half done, the repo is as it was or fully written,
 * and no edit is lost.
 */
import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editsPresent, linkToSrc, NEXT, points, runChild, scenario, withFsFaults } from './support';
import type { Fault } from './support';
import { RESET_ENV } from '../../src/components/managed-file';
import { recoverInterrupted } from '../../src/fs-transaction';
import { resolveNewRepo } from '../../src/model/preset';
import { synthProjenBase } from '../../src/project-base';
import { newRepoFiles } from '../../src/render/repo-files';
import { scaffold, writeRepoFiles } from '../../src/scaffold';
import { BASE, snapshot, synth } from '../components/repo';
import type { Tree } from '../components/repo';
import { tempDir } from '../helpers';

interface Kill {
  readonly fault?: Fault;
  readonly killAfterMs?: number;
}

const without = (tree: Tree, skip: (p: string) => boolean): Tree => Object.fromEntries(Object.entries(tree).filter(([p]) => !skip(p)));
const isScratch = (p: string) => /\.cap-[0-9a-f]{8}\.(new|old)$/.test(p) || p.includes('create-aws-pipeline-journal');
/** projen's own files: written by projen before ours, outside our change, and rewritten alike by every synth. */
const projenOwn = (p: string) =>
  !p.startsWith('.projen/aws-pipeline-rendered') &&
  (p.startsWith('.projen/') || ['.gitattributes', '.gitignore', '.npmignore', 'package.json', 'tsconfig.json', 'test/tsconfig.json', 'projenrc/tsconfig.json', 'aws-pipeline.json', 'cdk.json'].includes(p));

/** Which of the expected trees `tree` is, or undefined. */
function whichOf(tree: Tree, expected: Record<string, Tree>): string | undefined {
  return Object.entries(expected).find(([, t]) => JSON.stringify(t) === JSON.stringify(tree))?.[0];
}

/** A timer kill at 90% of a clean run's time. */
const timer = (ms: number): Kill => ({ killAfterMs: Math.round(ms * 0.9) });

describe('killed at seeded points', () => {
  it('npx projen (synth): as before or fully written once the next run has undone or finished it; no edit lost', async () => {
    const done = scenario();
    expect(synth(done, NEXT)).toBeUndefined();
    const after = snapshot(done);
    const counted = scenario();
    const steps = withFsFaults(counted, 0, 'EIO', () => expect(synth(counted, NEXT)).toBeUndefined());
    expect(steps).toBeGreaterThan(20);
    const kills: Kill[] = [...points(steps - 1, 2, 7), steps].map((at) => ({ fault: { root: '', at } }));
    kills.push({ killAfterMs: 900 });
    const outcomes: string[] = [];
    for (const kill of kills) {
      const repo = scenario();
      const before = snapshot(repo);
      const r = await runChild(['synth', repo, JSON.stringify(NEXT)], kill.fault ? { fault: { ...kill.fault, root: `${repo}/` } } : kill);
      if (kill.fault || r.code !== 0) expect(r.signal, `${JSON.stringify(kill)} ${r.stderr}`).toBe('SIGKILL');
      expect(editsPresent(repo)).toEqual([]);
      recoverInterrupted(repo);
      const state = whichOf(without(snapshot(repo), projenOwn), { before: without(before, projenOwn), after: without(after, projenOwn) });
      outcomes.push(`${kill.fault ? `step ${kill.fault.at} of ${steps}` : `after ${kill.killAfterMs} ms`}: ${state ?? 'neither'}`);
      expect(editsPresent(repo)).toEqual([]);
      expect(synth(repo, NEXT)).toBeUndefined();
      expect(snapshot(repo)).toEqual(after);
    }
    expect(outcomes.filter((o) => o.endsWith('neither'))).toEqual([]);
  });

  it('scaffold --force: the target as before or complete once the next run has undone it; the staging folder goes', async () => {
    const userFiles = (dir: string) => {
      mkdirSync(join(dir, 'docs'), { recursive: true });
      writeFileSync(join(dir, 'package.json'), '{"name":"mine"}\n', { mode: 0o600 });
      writeFileSync(join(dir, 'docs/pipeline.md'), 'my own notes\n');
      writeFileSync(join(dir, 'keep.txt'), 'mine\n');
      symlinkSync('keep.txt', join(dir, 'keep-link'));
    };
    const args = ['cli', 'svc', '--yes', '--skip-install', '--force'];
    const ref = tempDir('cap-kill-');
    userFiles(join(ref, 'svc'));
    const started = Date.now();
    const clean = await runChild(args, { cwd: ref, countUnder: `${ref}/` });
    expect(clean.code, clean.stderr).toBe(0);
    const duration = Date.now() - started;
    const complete = snapshot(join(ref, 'svc'));
    const steps = clean.steps;
    // The render into the staging folder comes first (its steps counted here in-process), then the target.
    const render = tempDir('cap-kill-');
    const repo = newRepoFiles(resolveNewRepo({ name: 'svc' }, []), synthProjenBase());
    let written: Promise<void> | undefined;
    // The writes are made before the first await (the files are then synced together): all counted here.
    const renderSteps = withFsFaults(render, 0, 'EIO', () => void (written = writeRepoFiles(repo, render))) + 2;
    await written;
    expect(steps).toBeGreaterThan(renderSteps + 40);
    // One kill in the render, one while the target is written, one at the last step (the change complete, its
    // kept copies being removed: the next run finishes it), and one by a timer.
    const atSteps = [points(renderSteps, 1, 11)[0], renderSteps + points(steps - renderSteps - 1, 1, 13)[0], steps];
    const kills: Kill[] = [...atSteps.map((at) => ({ fault: { root: '', at } })), timer(duration)];
    const outcomes: string[] = [];
    for (const kill of kills) {
      const parent = tempDir('cap-kill-');
      const target = join(parent, 'svc');
      userFiles(target);
      const before = snapshot(target);
      const r = await runChild(args, { cwd: parent, ...(kill.fault ? { fault: { ...kill.fault, root: `${parent}/` } } : kill) });
      if (kill.fault || r.code !== 0) expect(r.signal, `${JSON.stringify(kill)} ${r.stderr}`).toBe('SIGKILL');
      recoverInterrupted(target);
      const state = whichOf(snapshot(target), { before, complete });
      outcomes.push(`${kill.fault ? `step ${kill.fault.at} of ${steps}` : `after ${kill.killAfterMs} ms`}: ${state ?? 'neither'}`);
      // The next run removes the staging folder the killed one left, and writes the repo (a new repo's answers, as the CLI's).
      await scaffold(resolveNewRepo({ name: 'svc' }, []), target);
      expect(readdirSync(parent)).toEqual(['svc']);
      expect(snapshot(target)).toEqual(complete);
    }
    expect(outcomes.filter((o) => o.endsWith('neither'))).toEqual([]);
  });

  it('drift: the repo is never changed, whoever is killed', async () => {
    const repo = scenario();
    linkToSrc(repo);
    const before = snapshot(repo);
    const copies = () => readdirSync(tmpdir()).filter((d) => d.startsWith('cap-drift-'));
    const known = new Set(copies());
    const prefix = join(tmpdir(), 'cap-drift-');
    // The repo's own projen (or drift), killed while writing in drift's copy; then the whole group, by a timer.
    const inCopy = await runChild(['cli', 'drift', '--dir', repo], { fault: { root: prefix, at: 9 } });
    expect(inCopy.code).not.toBe(0);
    expect(snapshot(repo)).toEqual(before);
    const killed = await runChild(['cli', 'drift', '--dir', repo], { killAfterMs: 2500 });
    expect(killed.code).not.toBe(0);
    expect(snapshot(repo)).toEqual(before);
    // A drift killed itself leaves its temp copy (only there): removed here.
    for (const d of copies()) if (!known.has(d)) rmSync(join(tmpdir(), d), { recursive: true, force: true });
  });

  it('reset FILE: the file as it was (the edit kept) or the template, every other edit kept', async () => {
    const base = scenario();
    linkToSrc(base);
    const file = 'buildspec.yml';
    const fork = () => {
      const dir = tempDir('cap-kill-');
      cpSync(base, dir, { recursive: true, verbatimSymlinks: true });
      return dir;
    };
    const reset = (repo: string) => ['cli', 'reset', join(repo, file), '--dir', repo];
    // The reset the repo's projen makes, in-process: its write steps, and the repo it gives.
    const ref = fork();
    process.env[RESET_ENV] = JSON.stringify([file]);
    let steps = 0;
    try {
      steps = withFsFaults(ref, 0, 'EIO', () => expect(synth(ref, BASE)).toBeUndefined());
    } finally {
      delete process.env[RESET_ENV];
    }
    const isReset = snapshot(ref, ['node_modules']);
    const kills: Kill[] = [...points(steps, 1, 17).map((at) => ({ fault: { root: '', at } })), { killAfterMs: 2500 }];
    for (const kill of kills) {
      const repo = fork();
      const before = snapshot(repo, ['node_modules']);
      await runChild(reset(repo), kill.fault ? { fault: { ...kill.fault, root: `${repo}/` } } : kill);
      recoverInterrupted(repo);
      const now = snapshot(repo, ['node_modules']);
      expect(whichOf(without(now, projenOwn), { before: without(before, projenOwn), reset: without(isReset, projenOwn) }), JSON.stringify(kill)).toBeDefined();
      expect(editsPresent(repo).filter((f) => f !== file)).toEqual([]);
      expect(Object.keys(now).filter(isScratch)).toEqual([]);
    }
  });
});
