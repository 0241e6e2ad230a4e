/**
 * The Lambda zip the build makes (the release CodeDeploy ships): built for
 * real by the repo's own buildspec.yml, then opened as Lambda would. The
 * handler sits where the runtime's handler setting looks for it, and a
 * Python function's dependencies are installed into the zip beside it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_PACKAGE, releaseOf, resolveConfig, TOOLCHAINS } from '../../src/model';
import { tempDir } from '../helpers';
import { runBuildspec } from '../support/buildspec-runner';
import type { Buildspec } from '../support/buildspec-runner';
import { generate, readYaml } from '../support/generated';

/** A minimal pure-Python wheel: one module and its dist-info. */
const WHEEL = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('greeting.py', 'WORD = "hello"\\n')
    z.writestr('greeting-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: greeting\\nVersion: 1.0\\n')
    z.writestr('greeting-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
    z.writestr('greeting-1.0.dist-info/RECORD', '')
`;

function zipEntries(zip: string): string[] {
  const r = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

describe.each([
  ['node', 'src/handler.js'],
  ['python', 'handler.py'],
])('the %s Lambda function', (runtime, handlerFile) => {
  it('is built into the zip the deploy uploads, with the handler where the runtime looks for it', () => {
    const repo = generate(['--runtime', runtime, '--target', 'lambda']);
    if (runtime === 'python') {
      // A dependency as a local wheel (this machine reaches no package index): it must land in the zip too.
      const wheel = join(tempDir('cap-dep-'), 'greeting-1.0-py3-none-any.whl');
      const made = spawnSync('python3', ['-c', WHEEL, wheel], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      writeFileSync(join(repo, 'app', 'requirements.txt'), `greeting @ file://${wheel}\n`);
    }
    const r = runBuildspec(readYaml<Buildspec>(join(repo, 'buildspec.yml')), repo, { CODEBUILD_RESOLVED_SOURCE_VERSION: 'abc', PIP_NO_INDEX: '1' });
    expect(r.succeeded, r.log).toBe(true);

    const config = resolveConfig({ name: 'svc', runtime, target: 'lambda' });
    expect(releaseOf(config).files).toContain(LAMBDA_PACKAGE);
    const zip = join(repo, LAMBDA_PACKAGE);
    expect(existsSync(zip)).toBe(true);
    const entries = zipEntries(zip);
    expect(entries).toContain(handlerFile);
    // The handler setting names the file: src/handler.handler -> src/handler.js, handler.lambda_handler -> handler.py.
    expect(TOOLCHAINS[runtime as 'node'].lambda!.handler.split('.')[0]).toBe(handlerFile.replace(/\.(js|py)$/, ''));
    expect(entries.some((e) => e.startsWith('tests/') || e.startsWith('test/') || e.startsWith('reports/'))).toBe(false);
    if (runtime === 'python') expect(entries).toContain('greeting.py');
    if (runtime === 'node') expect(entries).toContain('package.json');
  }, 120_000);
});
