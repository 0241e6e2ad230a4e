/**
 * The fault suite's repos and processes: a generated repo with the user's
 * edits of every kind, its node_modules pointing at this checkout's src/ (so
 * the repo's own projen runs the code under test, unbuilt), child processes
 * killed by the fault hook or by a timer, and a seeded choice of points.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { basePath, LEGACY_RECORD } from '../../src/components/rendered-record';
import { BASE, generated, read } from '../components/repo';
import { ROOT, tempDir } from '../helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the preload is CommonJS, shared with child processes
const { wrapFs } = require('./kill-at.cjs') as { wrapFs: (root: string, onChange: (name: string, args: unknown[]) => void, skip?: (rel: string) => boolean) => () => void };

export const CHILD = join(__dirname, 'child.ts');
/** tsx's loader, by path: a child may run anywhere. */
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
export const NEXT = { ...BASE, port: 9090 };

/** The user's edits: each must survive every fault. */
export const EDITS = {
  'docs/pipeline.md': '\n## Our runbook\n\nPage the on-call team.\n',
  'buildspec.yml': '# our extra build note\n',
} as const;
export const KEPT_ORPHAN = 'scripts/deploy/old-edited.sh';
export const REMOVED_ORPHAN = 'scripts/deploy/old.sh';

/**
 * A repo the next synth (with NEXT) changes in every way: files re-rendered, edits merged, a file no longer
 * rendered removed (unedited) and one kept (edited).
 */
export function scenario(dir?: string): string {
  const repo = generated(BASE, dir);
  for (const [file, edit] of Object.entries(EDITS)) appendFileSync(join(repo, file), edit);
  const text = '#!/bin/sh\necho "a script an earlier release rendered"\n';
  for (const orphan of [REMOVED_ORPHAN, KEPT_ORPHAN]) {
    writeFileSync(join(repo, orphan), orphan === KEPT_ORPHAN ? `${text}echo "our edit"\n` : text, { mode: 0o755 });
    if (existsSync(join(repo, LEGACY_RECORD))) {
      // A record in the single-file format (to run this suite against a release that writes it).
      const record = JSON.parse(read(repo, LEGACY_RECORD)) as { files: Record<string, string> };
      record.files[orphan] = text;
      writeFileSync(join(repo, LEGACY_RECORD), JSON.stringify(record, null, 2));
    } else {
      writeFileSync(join(repo, basePath(orphan)), text);
    }
  }
  return repo;
}

/** Every edit of the scenario is in `repo`. */
export function editsPresent(repo: string): string[] {
  const missing = Object.entries(EDITS).filter(([file, edit]) => !read(repo, file).includes(edit)).map(([file]) => file);
  if (!read(repo, KEPT_ORPHAN).includes('our edit')) missing.push(KEPT_ORPHAN);
  return missing;
}

/** node_modules for a generated repo: this checkout's packages, and create-aws-pipeline as this checkout's src/ (through tsx). */
export function linkToSrc(repo: string): void {
  const nm = join(repo, 'node_modules');
  mkdirSync(join(nm, 'create-aws-pipeline'), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) if (entry !== 'create-aws-pipeline') symlinkSync(join(ROOT, 'node_modules', entry), join(nm, entry));
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  writeFileSync(join(nm, 'create-aws-pipeline', 'package.json'), JSON.stringify({ name: 'create-aws-pipeline', version, main: 'index.js' }));
  writeFileSync(join(nm, 'create-aws-pipeline', 'index.js'), `module.exports = require(${JSON.stringify(join(ROOT, 'src', 'index.ts'))});\n`);
}

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** With `countUnder`: the most write steps one process (the child, or the projen it ran) made there. */
  readonly steps: number;
}

/** What to stop a child at: its `at`-th write step under `root` (a path prefix; kill-at.cjs), killed or failing with `code`. */
export interface Fault {
  readonly root: string;
  readonly at: number;
  readonly code?: string;
}

const KILL_AT = join(__dirname, 'kill-at.cjs');

/**
 * Runs child.ts in its own process group, kill-at.cjs preloaded in it and in every node process it starts.
 * `fault` stops a process at a write step; `countUnder` counts the write steps under that folder;
 * `killAfterMs` SIGKILLs the whole group after that delay.
 */
export function runChild(args: readonly string[], options: { cwd?: string; fault?: Fault; countUnder?: string; killAfterMs?: number; env?: Record<string, string> } = {}): Promise<ChildResult> {
  return new Promise((done) => {
    const counts = options.countUnder ? join(tempDir('cap-count-'), 'steps') : undefined;
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1', ...options.env, NODE_OPTIONS: `--require ${KILL_AT}` };
    const root = options.fault?.root ?? options.countUnder;
    if (root) env.CAP_FAULT_ROOT = root;
    if (options.fault) Object.assign(env, { CAP_FAULT_AT: String(options.fault.at), CAP_FAULT_CODE: options.fault.code ?? 'kill' });
    if (counts) env.CAP_FAULT_COUNT = counts;
    const child = spawn(process.execPath, ['--import', TSX, CHILD, ...args], { cwd: options.cwd ?? ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.killAfterMs);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const steps = counts && existsSync(counts) ? Math.max(...readFileSync(counts, 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[1]))) : 0;
      done({ code, signal, stderr, steps });
    });
  });
}

/** A seeded pseudo-random generator (mulberry32): the same points on every run. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0; // eslint-disable-line no-bitwise
    let t = Math.imul(a ^ (a >>> 15), 1 | a); // eslint-disable-line no-bitwise
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; // eslint-disable-line no-bitwise
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296; // eslint-disable-line no-bitwise
  };
}

/** `count` points in 1..n, seeded: one in each of `count` equal parts, so they spread over the whole run. */
export function points(n: number, count: number, seed: number): number[] {
  const next = seeded(seed);
  const out = new Set<number>();
  for (let i = 0; i < Math.min(count, n); i++) {
    const lo = Math.floor((i * n) / count) + 1;
    const hi = Math.max(lo, Math.floor(((i + 1) * n) / count));
    out.add(lo + Math.floor(next() * (hi - lo + 1)));
  }
  return [...out];
}

/**
 * Makes the `at`-th call that changes something under `root` (kill-at.cjs: a write, an open for writing, a
 * rename, link, unlink, rm, mkdir of a missing folder, chmod, copy) fail with `code`, in this process, through
 * Node's own fs module: the code under test needs no hook. Calls on paths `skip` returns true for are not
 * counted. Returns how many such calls `fn` made.
 */
export function withFsFaults(root: string, at: number, code: string, fn: () => void, skip?: (rel: string) => boolean): number {
  let seen = 0;
  const undo = wrapFs(`${root}/`, (name: string, args: unknown[]) => {
    seen += 1;
    if (seen === at) throw Object.assign(new Error(`${code}: injected fault, ${name} '${String(args[0])}'`), { code, syscall: name, path: args[0] });
  }, skip);
  try {
    fn();
  } finally {
    undo();
  }
  return seen;
}
