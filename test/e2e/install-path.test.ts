/**
 * The path a user takes, for real, through an npm registry: `npm pack` of
 * this checkout is published to a local Verdaccio (test/support/registry.ts),
 * which proxies every other package (aws-cdk-lib, projen...) to the registry
 * npm is configured with here. With a fresh npm cache:
 *
 * - `npm create aws-pipeline@latest my-svc -- --yes` writes and installs the
 *   repo, whose `npm install`, `npx projen build` and `npx projen cdk:synth`
 *   each pass;
 * - a repo generated with this release (N) gets N+1 (N with a changed
 *   template, published after it) by `npm install create-aws-pipeline@N+1`
 *   then `npx projen`, or by `npx projen upgrade`: the template change
 *   arrives and the user's edits to managed files stay.
 *
 * Slow (the first install downloads aws-cdk-lib and the rest through the
 * proxy): each step's time is printed at the end, nothing asserts on it.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers';
import type { Packed } from '../support/package-build';
import { buildRelease, npmPack, PACKAGE_NAME } from '../support/package-build';
import type { LocalRegistry, Timed } from '../support/registry';
import { runNpmCreate, shown, startRegistry, verdaccioBin } from '../support/registry';

const MINUTE = 60_000;

/** The template line N+1 changes, in scripts/deploy/push-image.sh (rendered for the default ECS target). */
const ANCHOR = '# Usage: push-image.sh CONTEXT_DIR | push-image.sh --existing';
const PUSH_IMAGE = 'scripts/deploy/push-image.sh';
/** The user's edits: a line at the end of a managed file N+1 does not change, and of one it changes elsewhere. */
const OUR_BUILDSPEC_LINE = '# our note: kept across upgrades';
const OUR_SCRIPT_LINE = '# our note: pushed by the build';

const timings: Array<{ step: string; seconds: number }> = [];
let registry: LocalRegistry;
let n: Packed;
let tarballs: string;

/** Runs a command through the registry (or `npm create` when `cmd` is a function), records its time, and expects exit 0. */
async function step(name: string, cmd: string | (() => Promise<Timed>), args: readonly string[] = [], cwd = ''): Promise<Timed> {
  const r = typeof cmd === 'function' ? await cmd() : await registry.run(cmd, args, cwd);
  timings.push({ step: name, seconds: r.seconds });
  console.log(`[install-path] ${name}: ${r.seconds} s`);
  expect(r.status, `${name} exited ${r.status ?? r.signal}:${shown(r)}\nVerdaccio's log:${shown({ stdout: registry.log(), stderr: '' }, 30)}`).toBe(0);
  return r;
}

const since = (start: number) => Math.round((performance.now() - start) / 100) / 10;

function installedVersion(repo: string): string {
  return (JSON.parse(readFileSync(join(repo, 'node_modules', PACKAGE_NAME, 'package.json'), 'utf8')) as { version: string }).version;
}

function devDependency(repo: string): string | undefined {
  return (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> }).devDependencies?.[PACKAGE_NAME];
}

function appendLine(file: string, line: string): void {
  const before = readFileSync(file, 'utf8');
  writeFileSync(file, `${before}${before.endsWith('\n') ? '' : '\n'}${line}\n`);
}

beforeAll(async () => {
  const installStarted = performance.now();
  verdaccioBin();
  timings.push({ step: 'Verdaccio\'s npm ci (first use only: cached in .tmp/registry/)', seconds: since(installStarted) });
  const started = performance.now();
  registry = await startRegistry();
  timings.push({ step: 'start Verdaccio, until /-/ping answers', seconds: since(started) });
  // The commands run on this Node.js: no PATH entry of the registry's environment was one it needed.
  const node = await registry.run('node', ['--version'], ROOT);
  expect(node.stdout.trim(), shown(node)).toBe(process.version);
  tarballs = tempDir('cap-tarballs-');
  const packStarted = performance.now();
  n = npmPack(ROOT, tarballs);
  timings.push({ step: `npm pack (N = ${n.version})`, seconds: since(packStarted) });
  const published = await registry.publish(n.file);
  timings.push({ step: `npm publish N (${n.version})`, seconds: published.seconds });
  expect(published.status, `npm publish failed:${shown(published)}`).toBe(0);
}, 10 * MINUTE);

afterAll(async () => {
  await registry?.stop();
  const width = Math.max(...timings.map((t) => t.step.length));
  console.log(['[install-path] times (registry uplink: ' + (registry?.uplink ?? '?') + ')', ...timings.map((t) => `  ${t.step.padEnd(width)}  ${t.seconds.toFixed(1).padStart(6)} s`)].join('\n'));
});

describe('npm create aws-pipeline@latest, then the generated repo installs, builds and synthesizes', () => {
  let parent: string;
  let repo: string;

  it('writes and installs the repo from the registry, with a fresh npm cache', async () => {
    parent = tempDir('cap-create-');
    // A real repository: the placeholder's warning (on purpose, until it is replaced) is not what the synth check below looks for.
    await step('npm create aws-pipeline@latest my-svc -- --yes --repository acme/my-svc (cold: fresh npm cache and registry storage)', () =>
      runNpmCreate(['aws-pipeline@latest', 'my-svc', '--', '--yes', '--repository', 'acme/my-svc'], { registry, cwd: parent }),
    );
    repo = join(parent, 'my-svc');
    for (const f of ['.projenrc.ts', 'package.json', 'buildspec.yml', 'infra/main.ts', PUSH_IMAGE]) expect(existsSync(join(repo, f)), `${f} was not written`).toBe(true);
    expect(installedVersion(repo)).toBe(n.version);
    // Resolved through the local registry, not the uplink.
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
    expect(lock.packages[`node_modules/${PACKAGE_NAME}`]?.resolved).toBe(`${registry.url}${PACKAGE_NAME}/-/${PACKAGE_NAME}-${n.version}.tgz`);
  }, 20 * MINUTE);

  it('npm install', async () => {
    expect(repo, 'npm create failed').toBeDefined();
    await step('npm install (in the generated repo)', 'npm', ['install'], repo);
  }, 15 * MINUTE);

  it('npx projen build', async () => {
    expect(repo, 'npm create failed').toBeDefined();
    await step('npx projen build', 'npx', ['projen', 'build'], repo);
  }, 15 * MINUTE);

  it('npx projen cdk:synth', async () => {
    expect(repo, 'npm create failed').toBeDefined();
    const r = await step('npx projen cdk:synth', 'npx', ['projen', 'cdk:synth'], repo);
    // A clean synth: no template dumped on the terminal, no warning (aws-cdk-lib's annotations, cdk-nag, unset feature flags).
    const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => /warn|feature flags|circular/i.test(l)), shown(r)).toEqual([]);
    expect(lines.length, shown(r)).toBeLessThanOrEqual(10);
    const templates = readdirSync(join(repo, 'cdk.out')).filter((f) => f.endsWith('.template.json'));
    expect(templates.length, 'cdk.out has no template').toBeGreaterThan(0);
  }, 15 * MINUTE);

  it('npx projen reset FILE, and again right after', async () => {
    expect(repo, 'npm create failed').toBeDefined();
    const file = join(repo, 'buildspec.yml');
    const template = readFileSync(file, 'utf8');
    appendLine(file, '# a hand edit');
    await step('npx projen reset buildspec.yml', 'npx', ['projen', 'reset', 'buildspec.yml'], repo);
    expect(readFileSync(file, 'utf8')).toBe(template);
    await step('npx projen reset buildspec.yml (again, right after)', 'npx', ['projen', 'reset', 'buildspec.yml'], repo);
    await step('npx projen (after the resets)', 'npx', ['projen'], repo);
    expect(readFileSync(file, 'utf8')).toBe(template);
  }, 15 * MINUTE);
});

describe('flags without -- (npm create aws-pipeline my-svc --yes --skip-install): npm takes them', () => {
  it('the generator honours what npm passes on, writes the repo and says to put flags after --', async () => {
    const parent = tempDir('cap-create-flags-');
    const r = await runNpmCreate(['aws-pipeline@latest', 'flags-svc', '--yes', '--skip-install'], { registry, cwd: parent });
    timings.push({ step: 'npm create aws-pipeline@latest flags-svc --yes --skip-install (no --)', seconds: r.seconds });
    expect(r.status, shown(r)).toBe(0);
    expect(r.stderr).toContain('note: npm took --yes for itself; taking the defaults. Put create-aws-pipeline\'s flags after --');
    expect(r.stderr).not.toMatch(/missing --|^\s+at /m);
    expect(existsSync(join(parent, 'flags-svc', '.projenrc.ts'))).toBe(true);
    // --skip-install reached the generator through npm_config_skip_install: nothing was installed.
    expect(existsSync(join(parent, 'flags-svc', 'node_modules'))).toBe(false);
  }, 15 * MINUTE);
});

describe('upgrading a generated repo through the registry, with edits to managed files', () => {
  let next: Packed;
  /** Upgraded with `npm install create-aws-pipeline@N+1`, then `npx projen`. */
  let byInstall: string;
  /** The same repo (a copy, before the upgrade), upgraded with `npx projen upgrade`. */
  let byUpgrade: string;
  let scriptBefore: string;

  beforeAll(async () => {
    const parent = tempDir('cap-upgrade-registry-');
    // N is latest until N+1 is published below; named here so the order of the describes does not matter.
    await step(`npm create aws-pipeline@${n.version} svc -- --yes (warm: after the first describe)`, () => runNpmCreate([`aws-pipeline@${n.version}`, 'svc', '--', '--yes'], { registry, cwd: parent }));
    byInstall = join(parent, 'svc');
    expect(installedVersion(byInstall)).toBe(n.version);
    scriptBefore = readFileSync(join(byInstall, PUSH_IMAGE), 'utf8');
    expect(scriptBefore).toContain(`${ANCHOR}\n`);
    appendLine(join(byInstall, 'buildspec.yml'), OUR_BUILDSPEC_LINE);
    appendLine(join(byInstall, PUSH_IMAGE), OUR_SCRIPT_LINE);
    byUpgrade = join(parent, 'svc-upgrade');
    cpSync(byInstall, byUpgrade, { recursive: true, verbatimSymlinks: true });

    // N+1: N with one template line changed, wherever the package keeps that template (a file of its own or a bundle).
    const version = n.version.replace(/\d+$/, (patch) => String(Number(patch) + 1));
    next = buildRelease(n, version, tarballs, (dir) => {
      const found = filesContaining(dir, ANCHOR);
      expect(found.length, `no file in the package contains ${JSON.stringify(ANCHOR)}`).toBeGreaterThan(0);
      for (const f of found) writeFileSync(f, readFileSync(f, 'utf8').split(ANCHOR).join(`${ANCHOR} (release ${version})`));
    });
    const published = await registry.publish(next.file);
    timings.push({ step: `npm publish N+1 (${next.version})`, seconds: published.seconds });
    expect(published.status, `npm publish failed:${shown(published)}`).toBe(0);
  }, 20 * MINUTE);

  /** The template change arrived (line 6 of the script), and both edits are there. */
  function expectUpgraded(repo: string): void {
    expect(installedVersion(repo)).toBe(next.version);
    expect(devDependency(repo)).toBe(`^${next.version}`);
    const script = readFileSync(join(repo, PUSH_IMAGE), 'utf8');
    expect(script).toBe(`${scriptBefore.replace(ANCHOR, `${ANCHOR} (release ${next.version})`)}${OUR_SCRIPT_LINE}\n`);
    expect(readFileSync(join(repo, 'buildspec.yml'), 'utf8').endsWith(`\n${OUR_BUILDSPEC_LINE}\n`)).toBe(true);
  }

  it('npm install create-aws-pipeline@N+1, then npx projen: the template change arrives and the edits stay', async () => {
    await step('npm install create-aws-pipeline@N+1', 'npm', ['install', `${PACKAGE_NAME}@${next.version}`], byInstall);
    await step('npx projen (with N+1)', 'npx', ['projen'], byInstall);
    expectUpgraded(byInstall);
  }, 15 * MINUTE);

  it('npx projen upgrade (npm update through the registry): the same', async () => {
    await step('npx projen upgrade', 'npx', ['projen', 'upgrade'], byUpgrade);
    expectUpgraded(byUpgrade);
  }, 15 * MINUTE);
});

/** Every file under `dir` whose text contains `text`. */
function filesContaining(dir: string, text: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => readFileSync(f, 'utf8').includes(text));
}
