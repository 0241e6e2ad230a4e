/**
 * `--force` into an existing folder, on the real file system, all or
 * nothing: a fault at every write step in the target (EACCES, EXDEV,
 * ENOSPC, EIO, injected through node:fs) leaves the target byte-identical
 * (contents, modes, symlinks); symlinks a written path would traverse or
 * replace are refused before anything is written. Each run renders the
 * repo for real (render/repo-files.ts, no projen synth).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { snapshot } from './components/repo';
import { asUnprivileged, ROOT, tempDir } from './helpers';

const fault = vi.hoisted(() => ({ target: '', at: 0, seen: 0, code: 'EACCES' }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const inTarget = (p: unknown) => typeof p === 'string' && fault.target !== '' && (p === fault.target || p.startsWith(`${fault.target}/`));
  const writes = (flags: unknown) => (typeof flags === 'string' ? /[wa+]/.test(flags) : typeof flags === 'number' && (flags & 3) !== 0); // eslint-disable-line no-bitwise
  const wrap = (name: string) => (...args: unknown[]) => {
    if (args.slice(0, 2).some(inTarget) && (name !== 'openSync' || writes(args[1]))) {
      fault.seen += 1;
      if (fault.seen === fault.at) throw Object.assign(new Error(`${fault.code}: injected fault, ${name} '${String(args[0])}'`), { code: fault.code });
    }
    return (real as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args);
  };
  const names = ['renameSync', 'writeFileSync', 'openSync', 'linkSync', 'mkdirSync', 'unlinkSync', 'rmSync', 'rmdirSync', 'copyFileSync', 'symlinkSync', 'chmodSync', 'cpSync'];
  const mocked = { ...real, ...Object.fromEntries(names.map((n) => [n, wrap(n)])) };
  return { ...mocked, default: mocked };
});

/** Part of the repo, where a test names the files (cache.only): every step of the fault loop stays quick. */
const cache = vi.hoisted(() => ({ only: [] as string[] }));
vi.mock('./../src/render/repo-files', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/render/repo-files')>();
  const newRepoFiles: typeof real.newRepoFiles = (...args) => {
    const repo = real.newRepoFiles(...args);
    return cache.only.length ? { files: new Map([...repo.files].filter(([path]) => cache.only.includes(path))), root: repo.root } : repo;
  };
  return { ...real, newRepoFiles };
});

const { scaffold } = await import('../src/scaffold');
const { resolveConfig } = await import('../src/model/config');
const config = resolveConfig({ name: 'svc', target: 'ecs', strategy: 'blue-green' });

let fresh: Record<string, string>;

beforeAll(async () => {
  const dir = join(tempDir('cap-fresh-'), 'svc');
  await scaffold(config, dir);
  fresh = snapshot(dir);
});

/** A folder with the user's own files: some share a name with the repo's, with other modes, and a link. */
function userFolder(): string {
  const dir = join(tempDir('cap-target-'), 'svc');
  mkdirSync(join(dir, 'docs'), { recursive: true });
  mkdirSync(join(dir, 'scripts/deploy'), { recursive: true });
  mkdirSync(join(dir, 'private'), { mode: 0o700 });
  writeFileSync(join(dir, 'package.json'), '{"name":"mine"}\n', { mode: 0o600 });
  writeFileSync(join(dir, 'README.md'), '# mine\n');
  writeFileSync(join(dir, '.gitignore'), 'secrets/\n');
  writeFileSync(join(dir, 'docs/notes.md'), 'my notes\n');
  writeFileSync(join(dir, 'docs/pipeline.md'), 'my own pipeline notes\n');
  writeFileSync(join(dir, 'scripts/deploy/mine.sh'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
  writeFileSync(join(dir, 'scripts/deploy/ecs.sh'), '#!/bin/sh\necho my ecs\n', { mode: 0o700 });
  writeFileSync(join(dir, 'private/key'), 'k\n', { mode: 0o400 });
  symlinkSync('docs/notes.md', join(dir, 'notes-link'));
  return dir;
}

async function run(target: string, at = 0, code = 'EACCES'): Promise<unknown> {
  Object.assign(fault, { target, at, seen: 0, code });
  try {
    await scaffold(config, target);
    return undefined;
  } catch (err) {
    return err;
  } finally {
    fault.target = '';
  }
}

describe('--force into an existing folder', () => {
  afterEach(() => {
    cache.only = [];
  });

  it('replaces files of the same name and keeps the rest', async () => {
    const target = userFolder();
    expect(await run(target)).toBeUndefined();
    const after = snapshot(target);
    for (const [path, entry] of Object.entries(fresh)) expect(after[path], path).toBe(entry);
    expect(after['docs/notes.md']).toBe(`file 644 ${Buffer.from('my notes\n').toString('base64')}`);
    expect(after['scripts/deploy/mine.sh']).toMatch(/^file 755 /);
    expect(after['notes-link']).toBe('link docs/notes.md');
    expect(Object.keys(after).filter((p) => p.includes('.cap-') || p.includes('journal'))).toEqual([]);
  });

  it('on a fault at any write step in the target, leaves it byte-identical (contents, modes, links)', async () => {
    // Part of the repo (same folders and kinds of change: replaced, new, in new folders), so every step stays quick.
    cache.only = ['.gitignore', 'README.md', 'package.json', 'docs/pipeline.md', 'scripts/deploy/ecs.sh', 'scripts/deploy/push-image.sh', '.projen/aws-pipeline-rendered/scripts/deploy/ecs.sh', 'app/src/app.js', '.projenrc.ts', 'infra/main.ts'];
    const count = userFolder();
    expect(await run(count)).toBeUndefined();
    const steps = fault.seen;
    expect(steps).toBeGreaterThan(20);
    const codes = ['EACCES', 'EXDEV', 'ENOSPC', 'EIO'];
    let complete = 0;
    const broken: string[] = [];
    for (let at = 1; at <= steps; at++) {
      const target = userFolder();
      const before = snapshot(target);
      const err = await run(target, at, codes[at % codes.length]);
      if (err === undefined) {
        // The fault came after the change was complete (removing what it kept for an undo): fully written,
        // and the next run removes what is left.
        complete += 1;
        const after = snapshot(target);
        for (const path of cache.only) if (after[path] !== fresh[path]) broken.push(`step ${at}: ${path} not written`);
        const { recoverInterrupted } = await import('../src/fs-transaction');
        expect(recoverInterrupted(target)).toBe('finished');
        expect(Object.keys(snapshot(target)).filter((p) => p.includes('.cap-') || p.includes('journal'))).toEqual([]);
        continue;
      }
      const after = snapshot(target);
      const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((p) => before[p] !== after[p]);
      if (changed.length) broken.push(`step ${at} of ${steps}: changed ${changed.slice(0, 4).join(', ')}${changed.length > 4 ? ` and ${changed.length - 4} more` : ''}`);
      const message = (err as Error).message ?? String(err);
      if (!/^could not write \S+\/svc \(E[A-Z]+: injected fault, .*\): it is as it was before, nothing was written$/.test(message)) broken.push(`step ${at}: ${message}`);
      if (readdirSync(dirname(target)).some((e) => e.startsWith('.svc.create-aws-pipeline-'))) broken.push(`step ${at}: staging folder left`);
    }
    expect(broken).toEqual([]);
    // Only the last steps (removing the kept copies, then the journal) come after the change is complete.
    expect(complete).toBeLessThanOrEqual(7);
  });

  it('a new target on another file system (EXDEV on the final rename) is copied instead, complete', async () => {
    const target = join(tempDir('cap-new-'), 'svc');
    expect(await run(target, 1, 'EXDEV')).toBeUndefined();
    expect(snapshot(target)).toEqual(fresh);
  });

  it('refuses symlinks a written path would traverse or replace, in one line, and changes nothing', async () => {
    const cases: Array<[string, (target: string, outside: string) => void, RegExp]> = [
      ['a symlinked folder to outside', (t, o) => {
        mkdirSync(join(o, 'scripts'));
        writeFileSync(join(o, 'scripts/keep.sh'), 'outside\n');
        symlinkSync(join(o, 'scripts'), join(t, 'scripts'));
      }, /^refusing to write \S+\/svc\/scripts\/deploy\/\S+: scripts is a symlink \(to \S+\/scripts\)/],
      ['a managed file that is a symlink', (t, o) => {
        writeFileSync(join(o, 'buildspec.yml'), 'outside\n');
        symlinkSync(join(o, 'buildspec.yml'), join(t, 'buildspec.yml'));
      }, /^refusing to write \S+\/svc\/buildspec\.yml: buildspec\.yml is a symlink/],
      ['a folder linked inside the target', (t) => {
        mkdirSync(join(t, 'documentation'));
        symlinkSync('documentation', join(t, 'docs'));
      }, /^refusing to write \S+\/svc\/docs\/pipeline\.md: docs is a symlink \(to documentation\)/],
    ];
    for (const [what, link, message] of cases) {
      const target = join(tempDir('cap-target-'), 'svc');
      mkdirSync(target);
      writeFileSync(join(target, 'package.json'), '{"name":"mine"}\n');
      const outside = tempDir('cap-outside-');
      link(target, outside);
      const before = [snapshot(target), snapshot(outside)];
      const err = await run(target);
      expect([snapshot(target), snapshot(outside)], what).toEqual(before);
      expect((err as Error)?.message, what).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('a read-only folder in the target (EACCES for real) leaves it byte-identical', () => {
    const target = userFolder();
    chmodSync(join(target, 'scripts/deploy'), 0o555);
    const before = snapshot(target);
    // The CLI in a child process (no fs mock), meeting file permissions as a user would even when the suite runs as root.
    const loader = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const child = join(__dirname, 'fault', 'child.ts');
    const [command, args] = asUnprivileged(process.execPath, ['--import', loader, child, 'cli', target, '--yes', '--force', '--skip-install', '--target', 'ecs', '--strategy', 'blue-green', '--repository', 'acme/svc']);
    const r = spawnSync(command, args, { cwd: dirname(target), encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', npm_command: '' } });
    expect(r.stderr).toMatch(/^error could not write .*EACCES[^\n]*\n$/);
    expect(r.status).toBe(1);
    expect(snapshot(target)).toEqual(before);
    chmodSync(join(target, 'scripts/deploy'), 0o755);
  });
});
