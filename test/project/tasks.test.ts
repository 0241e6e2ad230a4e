/**
 * A generated repo's own tasks, run by its real projen (node_modules linked to this checkout's, as in
 * resynth.test.ts): `npx projen test` runs the app's unit tests (the commands the buildspec runs), and a failing
 * test fails it; `npx projen build` type-checks the infra without writing lib/; cdk.json holds the feature flags
 * `cdk init` sets for the aws-cdk-lib in use.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, ECS_HOOK_DIR } from '../../src/model/layout';
import { TOOLCHAINS } from '../../src/model/toolchains';
import { cli, ROOT, tempDir } from '../helpers';

function linkNodeModules(repo: string) {
  const nm = join(repo, 'node_modules');
  mkdirSync(nm);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules', entry), join(nm, entry));
  symlinkSync(ROOT, join(nm, 'create-aws-pipeline'));
}

function projen(repo: string, ...args: string[]) {
  const started = performance.now();
  const r = spawnSync(join(repo, 'node_modules', '.bin', 'projen'), args, { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, seconds: (performance.now() - started) / 1000 };
}

function generate(runtime: string): string {
  const parent = tempDir();
  const r = cli(['svc', '--yes', '--skip-install', '--no-git', '--runtime', runtime, '--target', 'ecs', '--strategy', 'blue-green'], parent);
  expect(r.status, r.stderr).toBe(0);
  const repo = join(parent, 'svc');
  linkNodeModules(repo);
  return repo;
}

const tasks = (repo: string) => JSON.parse(readFileSync(join(repo, '.projen', 'tasks.json'), 'utf8')).tasks as Record<string, { steps?: Array<{ exec?: string; cwd?: string }> }>;

describe('the test task', () => {
  it.each(Object.keys(TOOLCHAINS).map((r) => [r]))('runs the %s app\'s unit tests, as the buildspec does, in app/', (runtime) => {
    const parent = tempDir();
    expect(cli(['svc', '--yes', '--skip-install', '--no-git', '--runtime', runtime, '--target', 'ecs', '--strategy', 'blue-green'], parent).status).toBe(0);
    const steps = tasks(join(parent, 'svc')).test.steps;
    // A new ECS blue/green service runs ECS's own engine: its validation hook's tests come after the app's.
    const toolchain = TOOLCHAINS[runtime as keyof typeof TOOLCHAINS];
    expect(steps).toEqual([...(toolchain.localTest ?? toolchain.test).map((exec) => ({ exec, cwd: APP_DIR })), { exec: `node --test ${ECS_HOOK_DIR}/index.test.mjs` }]);
    // Nothing only CI installs: every program a step runs is the runtime's own (or the shell's), not one `install` adds.
    const installed = toolchain.install.flatMap((i) => [...i.matchAll(/go install \S+\/(\w+)@/g)].map((m) => m[1]));
    for (const step of steps ?? []) for (const tool of installed) expect(step.exec, `${tool} is installed by CI only`).not.toMatch(new RegExp(`(^|[\\s;&|])${tool}\\b`));
  });

  describe('in a node repo, for real', () => {
    let repo: string;
    beforeAll(() => {
      repo = generate('node');
    });

    it('passes while the app\'s tests pass, and fails when one fails', () => {
      const ok = projen(repo, 'test');
      expect(ok.status, ok.out).toBe(0);
      expect(ok.out).toMatch(/ℹ pass [1-9]/);
      const file = join(repo, APP_DIR, 'test', 'app.test.js');
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, `${original}\ntest('a failing test', () => { throw new Error('boom'); });\n`);
      try {
        const failing = projen(repo, 'test');
        expect(failing.status, failing.out).not.toBe(0);
        expect(failing.out).toContain('a failing test');
      } finally {
        writeFileSync(file, original);
      }
    });

    it('build type-checks the infra, runs the tests and writes no lib/', () => {
      const r = projen(repo, 'build');
      expect(r.status, r.out).toBe(0);
      expect(r.out).toMatch(/ℹ pass [1-9]/);
      expect(existsSync(join(repo, 'lib'))).toBe(false);
      process.stdout.write(`npx projen build in a generated node repo: ${r.seconds.toFixed(1)} s\n`);
    });

    it('build fails on a type error in the infra', () => {
      const file = join(repo, 'infra', 'main.ts');
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, `${original}\nconst wrong: number = 'text';\nexport { wrong };\n`);
      try {
        const r = projen(repo, 'build');
        expect(r.status, r.out).not.toBe(0);
        expect(r.out).toContain('TS2322');
      } finally {
        writeFileSync(file, original);
      }
    });

    it('cdk.json holds the feature flags cdk init sets for the aws-cdk-lib in use (recommended-feature-flags.json)', () => {
      const cdkJson = JSON.parse(readFileSync(join(repo, 'cdk.json'), 'utf8'));
      const shipped = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json', { paths: [repo] }), 'utf8'));
      expect(Object.keys(shipped).length).toBeGreaterThan(50);
      expect(cdkJson.context).toEqual(shipped);
      expect(tasks(repo)['cdk:synth'].steps).toEqual([expect.objectContaining({ exec: 'cdk synth --quiet' })]);
    });
  });
});
