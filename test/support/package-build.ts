/**
 * This package as npm publishes it: `npm pack` tarballs of the checkout, a
 * changed release built from one, and a generated repo that has a tarball
 * installed in its node_modules, for the upgrade test.
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT, tempDir } from '../helpers';

export const PACKAGE_NAME = 'create-aws-pipeline';

export interface Packed {
  /** The tarball's path. */
  readonly file: string;
  /** The version in its package.json. */
  readonly version: string;
  /** Every file in it, relative to the package (without tar's leading `package/`). */
  readonly files: readonly string[];
}

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env, timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}

/**
 * A child's output for a failure message, each line quoted: vitest reads
 * "at file:line" lines in a message as stack frames (a child's Node stack
 * trace), and fails on their source maps, hiding the message.
 */
function shown(r: SpawnSyncReturns<string>): string {
  return `\n${`${r.stdout}\n${r.stderr}`.trim().replace(/^/gm, '│ ')}`;
}

/**
 * `npm pack` of the package folder `dir` into `dest` (running its `prepack`
 * script, if any, unless `ignoreScripts`: an unpacked package has no sources
 * to build). It must exit 0 and print no error (npm's own warnings about this
 * machine's npmrc are allowed).
 */
export function npmPack(dir: string, dest: string, options: { readonly ignoreScripts?: boolean } = {}): Packed {
  const r = run('npm', ['pack', '--json', '--pack-destination', dest, ...(options.ignoreScripts ? ['--ignore-scripts'] : [])], dir);
  expect(r.status, shown(r)).toBe(0);
  expect(r.stderr, 'npm pack reported an error').not.toMatch(/npm error|npm ERR!|\berror\b/i);
  // The report is the JSON array at the end: a prepack script's output may come before it.
  const [report] = JSON.parse(r.stdout.slice(r.stdout.search(/^\[$/m))) as Array<{ filename: string; version: string }>;
  const file = join(dest, report.filename);
  expect(existsSync(file), `npm pack wrote no ${file}`).toBe(true);
  return { file, version: report.version, files: listTarball(file) };
}

/** The files in a package tarball, from tar itself. */
export function listTarball(file: string): string[] {
  const r = run('tar', ['-tzf', file], ROOT);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .filter((line) => line && !line.endsWith('/'))
    .map((line) => {
      expect(line.startsWith('package/'), `unexpected tarball entry ${line}`).toBe(true);
      return line.slice('package/'.length);
    })
    .sort();
}

/** Unpacks a package tarball into `into`; returns the package folder (`into/package`). */
export function extractTarball(file: string, into: string): string {
  const r = run('tar', ['-xzf', file, '-C', into], into);
  expect(r.status, r.stderr).toBe(0);
  const dir = join(into, 'package');
  expect(existsSync(join(dir, 'package.json')), `${file} has no package/package.json`).toBe(true);
  return dir;
}

/** Replaces the one occurrence of `from` in `file` with `to`, failing unless the file changed. */
export function patchFile(file: string, from: string, to: string): void {
  const before = readFileSync(file, 'utf8');
  expect(before.split(from).length - 1, `${file} should contain ${JSON.stringify(from)} exactly once`).toBe(1);
  const after = before.replace(from, () => to);
  expect(after, `patching ${file} changed nothing`).not.toBe(before);
  writeFileSync(file, after);
  expect(readFileSync(file, 'utf8')).toBe(after);
}

/**
 * A new release made from a packed one, as a release with changed templates
 * would be: unpack `base`, let `change` edit the package folder, set the
 * version, and `npm pack` the folder into `dest`.
 */
export function buildRelease(base: Packed, version: string, dest: string, change: (dir: string) => void): Packed {
  const dir = extractTarball(base.file, tempDir('cap-release-'));
  change(dir);
  const manifest = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; version: string };
  expect(pkg.name).toBe(PACKAGE_NAME);
  expect(pkg.version, 'the new release needs a new version').not.toBe(version);
  pkg.version = version;
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
  const packed = npmPack(dir, dest, { ignoreScripts: true });
  expect(packed.version).toBe(version);
  return packed;
}

/**
 * Installs a package tarball into a generated repo as `npm install <tarball>`
 * lays it out: the tarball's `package/` becomes node_modules/create-aws-pipeline
 * (replacing an earlier install), and its dependencies sit beside it, found by
 * Node's lookup through repo/node_modules. npm itself cannot do it here: it
 * would resolve the repo's devDependency create-aws-pipeline@^0.1.x and every
 * other dependency from the registry, which has no create-aws-pipeline. So
 * every other entry of repo/node_modules (.bin included) links to this
 * checkout's node_modules/<entry>; the package's own bin is not linked into
 * .bin, which nothing here runs.
 */
export function installTarball(repo: string, tarball: string): string {
  const nm = join(repo, 'node_modules');
  if (!existsSync(nm)) {
    mkdirSync(nm);
    for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
      if (entry !== PACKAGE_NAME) symlinkSync(join(ROOT, 'node_modules', entry), join(nm, entry));
    }
  }
  const target = join(nm, PACKAGE_NAME);
  rmSync(target, { recursive: true, force: true });
  // Unpacked beside the target, then moved in whole.
  const staging = mkdtempSync(join(nm, '.staging-'));
  renameSync(extractTarball(tarball, staging), target);
  rmSync(staging, { recursive: true, force: true });
  expect(existsSync(join(target, 'node_modules')), 'the tarball should bundle no node_modules').toBe(false);
  return target;
}

export interface Resolution {
  /** What `require('create-aws-pipeline')` loads in the repo. */
  readonly main: string;
  /** The version in that package's package.json. */
  readonly version: string;
  /** The package's dependencies and peer dependencies, each resolved from the package's folder. */
  readonly deps: Record<string, string>;
}

/**
 * How Node resolves the installed package from the repo, and its
 * dependencies from the package, in a fresh node. With --preserve-symlinks
 * a path says which node_modules link it went through.
 */
export function resolveInstalled(repo: string): Resolution {
  const script = `
    const { dirname, join } = require('node:path');
    const { readFileSync } = require('node:fs');
    const main = require.resolve(${JSON.stringify(PACKAGE_NAME)});
    const dir = dirname(require.resolve(${JSON.stringify(`${PACKAGE_NAME}/package.json`)}));
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const names = [...Object.keys(pkg.dependencies || {}), ...Object.keys(pkg.peerDependencies || {})];
    const deps = Object.fromEntries(names.map((n) => [n, require.resolve(n, { paths: [dir] })]));
    process.stdout.write(JSON.stringify({ main, version: pkg.version, deps }));
  `;
  const r = run(process.execPath, ['--preserve-symlinks', '-e', script], repo);
  expect(r.status, shown(r)).toBe(0);
  return JSON.parse(r.stdout) as Resolution;
}

/**
 * The repo's own projen (node_modules/.bin/projen), in CI, with no
 * post-synth `npm ci`/`npm install` (which would go to the registry). The
 * projen CLI sets PROJEN_DISABLE_POST from its --post flag, overriding the
 * environment, so --no-post is what turns it off.
 */
export function projenRun(repo: string): { status: number | null; output: string } {
  const r = run(join(repo, 'node_modules', '.bin', 'projen'), ['--no-post'], repo, { ...process.env, CI: 'true', PROJEN_DISABLE_POST: 'true' });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

export function projenSynth(repo: string): string {
  const r = projenRun(repo);
  expect(r.status, `\n${r.output.trim().replace(/^/gm, '│ ')}`).toBe(0);
  return r.output;
}

export type Change = 'added' | 'removed' | 'changed';

/** Every path that differs between two readTree() results, with how. */
export function treeChanges(before: Record<string, string>, after: Record<string, string>): Record<string, Change> {
  const out: Record<string, Change> = {};
  for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!(path in after)) out[path] = 'removed';
    else if (!(path in before)) out[path] = 'added';
    else if (before[path] !== after[path]) out[path] = 'changed';
  }
  return out;
}
