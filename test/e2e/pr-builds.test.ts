/**
 * Pull-request builds through the built CLI and for real: `--pr-builds` with an S3 source fails in one line and
 * writes nothing; a generated repo's buildspec-pr.yml runs through the phase runner (CodeBuild's phase rules) on
 * this machine: it installs, lints, tests and builds the sample app, writes the JUnit report, and calls neither
 * `aws` nor `docker` (stubs record any call); a failing unit test stops it in pre_build.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers';
import { runBuildspec } from '../support/buildspec-runner';
import type { Buildspec } from '../support/buildspec-runner';
import { generate, readYaml, stubBin } from '../support/generated';

describe('the CLI', () => {
  it.each([
    ['s3', /^error .*--pr-builds: an S3 source has no pull requests .*: remove --pr-builds, or use --source github, gitlab or bitbucket$/],
    ['codecommit', /^error .*--pr-builds: CodePipeline pull-request triggers and CodeBuild webhooks work with GitHub, GitLab and Bitbucket .*not CodeCommit: remove --pr-builds/],
  ])('--pr-builds with --source %s: one line, a non-zero exit, nothing written', (source, message) => {
    const parent = tempDir('cap-pr-');
    const r = cli(['svc', '--yes', '--skip-install', '--source', source, '--pr-builds'], parent);
    expect(r.status).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('--source s3 without the flag: pull-request builds are off, and the docs say so', () => {
    const repo = generate(['--source', 's3']);
    expect(readdirSync(repo)).not.toContain('buildspec-pr.yml');
    expect(readFileSync(join(repo, 'docs', 'pipeline.md'), 'utf8')).toContain('Pull requests are not built: an S3 source has no pull requests');
  });

  it('--no-pr-builds: no buildspec-pr.yml, and .projenrc.ts keeps the answer', () => {
    const repo = generate(['--repository', 'acme/svc', '--no-pr-builds']);
    expect(readdirSync(repo)).not.toContain('buildspec-pr.yml');
    expect(readFileSync(join(repo, '.projenrc.ts'), 'utf8')).toContain('  prBuilds: false,');
  });
});

describe.each([
  ['node', 'ecs', 'app/test/app.test.js', (s: string) => s.replace("route('GET', '/nope').status, 404", "route('GET', '/nope').status, 200")],
  ['python', 'lambda', 'app/tests/test_handler.py', (s: string) => s.replace('["statusCode"], 404)', '["statusCode"], 200)')],
])('buildspec-pr.yml, %s on %s, run for real', (runtime, target, testFile, breakTest) => {
  function prBuild(repo: string) {
    const stubs = stubBin();
    const r = runBuildspec(readYaml<Buildspec>(join(repo, 'buildspec-pr.yml')), repo, { CODEBUILD_WEBHOOK_TRIGGER: 'pr/7', PATH: `${stubs.dir}:${process.env.PATH}` });
    return { ...r, calls: stubs.calls() };
  }

  it('installs, lints, tests and builds; no AWS or Docker call, no deploy', () => {
    const repo = generate(['--runtime', runtime, '--target', target, '--repository', 'acme/svc']);
    const r = prBuild(repo);
    expect(r.succeeded, r.log).toBe(true);
    expect(r.ran).toEqual(['install', 'pre_build', 'build']);
    expect(r.calls).toEqual([]);
    expect(r.log).toContain('pull request pr/7 built and tested; nothing deployed');
    const report = readFileSync(join(repo, 'app', 'reports', 'junit.xml'), 'utf8');
    expect(report).toContain('testcase');
    expect(report).not.toMatch(/<failure/);
  });

  it('a failing unit test stops it in pre_build', () => {
    const repo = generate(['--runtime', runtime, '--target', target, '--repository', 'acme/svc']);
    const file = join(repo, testFile);
    const broken = breakTest(readFileSync(file, 'utf8'));
    expect(broken).not.toBe(readFileSync(file, 'utf8'));
    writeFileSync(file, broken);
    const r = prBuild(repo);
    expect(r.succeeded).toBe(false);
    expect(r.failedPhase).toBe('pre_build');
    expect(r.ran).toEqual(['install', 'pre_build']);
  });
});
