/**
 * The generated buildspec.yml, run for real by the phase runner in
 * test/support: the generated Node and Python apps install, lint, test and
 * build on this machine. `aws` and `docker` are stubs (no AWS account, no
 * Docker engine here): the test asserts the commands they received.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuildspec } from '../support/buildspec-runner';
import type { Buildspec } from '../support/buildspec-runner';
import { generate, readYaml, stubBin } from '../support/generated';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const REPO_URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/svc';

function build(repo: string) {
  const stubs = stubBin();
  const result = runBuildspec(readYaml<Buildspec>(join(repo, 'buildspec.yml')), repo, {
    CODEBUILD_RESOLVED_SOURCE_VERSION: COMMIT,
    AWS_REGION: 'us-east-1',
    IMAGE_REPO_URI: REPO_URI,
    EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/exec',
    TASK_ROLE_ARN: 'arn:aws:iam::123456789012:role/task',
    PATH: `${stubs.dir}:${process.env.PATH}`,
  });
  return { ...result, calls: stubs.calls() };
}

/** Every artifact the buildspec lists exists (globs: their folder exists). */
function expectArtifacts(repo: string) {
  const spec = readYaml(join(repo, 'buildspec.yml'));
  const base = join(repo, spec.artifacts['base-directory'] ?? '');
  for (const f of spec.artifacts.files as string[]) {
    expect(existsSync(join(base, f.replace(/\/?\*\*\/\*$/, ''))), f).toBe(true);
  }
}

describe.each([
  ['node', 'app/test/app.test.js', (s: string) => s.replace("route('GET', '/nope').status, 404", "route('GET', '/nope').status, 200")],
  ['python', 'app/tests/test_app.py', (s: string) => s.replace('route("GET", "/nope")[0], 404', 'route("GET", "/nope")[0], 200')],
])('the %s buildspec (EC2)', (runtime, testFile, breakTest) => {
  it('installs, lints, tests and builds; exports the commit as IMAGE_TAG; writes a JUnit report', () => {
    const repo = generate(['--runtime', runtime, '--target', 'ec2']);
    const r = build(repo);
    expect(r.log).toMatch(/./);
    expect(r.succeeded, r.log).toBe(true);
    expect(r.ran).toEqual(['install', 'pre_build', 'build', 'post_build']);
    expect(r.exported.IMAGE_TAG).toBe('0123456789abcdef0123456789abcdef01234567');
    const report = readFileSync(join(repo, 'app', 'reports', 'junit.xml'), 'utf8');
    expect(report).toContain('testcase');
    expect(report).not.toMatch(/<failure/);
    expect(r.calls).toEqual([]);
    expectArtifacts(repo);
  });

  it('runs the integration tests (buildspec-integration.yml): the server starts and answers its health check', () => {
    const repo = generate(['--runtime', runtime, '--target', 'ec2']);
    const r = runBuildspec(readYaml<Buildspec>(join(repo, 'buildspec-integration.yml')), repo);
    expect(r.succeeded, r.log).toBe(true);
    expect(r.ran).toEqual(['install', 'build']);
    const report = readFileSync(join(repo, 'app', 'reports', 'integration.xml'), 'utf8');
    expect(report).toMatch(/<testcase[^>]*health/);
    expect(report).not.toMatch(/<failure/);
  });

  it('stops in pre_build when a unit test fails: nothing is built', () => {
    const repo = generate(['--runtime', runtime, '--target', 'ec2']);
    const file = join(repo, testFile);
    writeFileSync(file, breakTest(readFileSync(file, 'utf8')));
    const r = build(repo);
    expect(r.succeeded).toBe(false);
    expect(r.failedPhase).toBe('pre_build');
    expect(r.ran).toEqual(['install', 'pre_build']);
    expect(r.log).not.toContain('built svc at');
    expect(readFileSync(join(repo, 'app', 'reports', 'junit.xml'), 'utf8')).toMatch(/<failure/);
  });
});

describe('container builds (docker and aws are stubs)', () => {
  it('ECS rolling: tags the image with the short commit, pushes it, writes imagedefinitions.json', () => {
    const repo = generate(['--runtime', 'node', '--target', 'ecs', '--strategy', 'all-at-once']);
    const r = build(repo);
    expect(r.succeeded, r.log).toBe(true);
    // The login is a pipe: its two sides may log in either order.
    expect(r.calls.slice(0, 2).sort()).toEqual([
      'aws ecr get-login-password --region us-east-1',
      'docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com',
    ]);
    expect(r.calls.slice(2)).toEqual([`docker build --tag ${REPO_URI}:0123456 .`, `docker push ${REPO_URI}:0123456`]);
    expect(r.calls.join('\n')).not.toContain(':latest');
    expect(JSON.parse(readFileSync(join(repo, 'imagedefinitions.json'), 'utf8'))).toEqual([{ name: 'svc', imageUri: `${REPO_URI}:0123456` }]);
    expectArtifacts(repo);
  });

  it('ECS blue/green: writes imageDetail.json and fills the roles into taskdef.json, keeping <IMAGE1_NAME>', () => {
    const repo = generate(['--runtime', 'python', '--target', 'ecs', '--strategy', 'canary']);
    const r = build(repo);
    expect(r.succeeded, r.log).toBe(true);
    expect(JSON.parse(readFileSync(join(repo, 'imageDetail.json'), 'utf8'))).toEqual({ ImageURI: `${REPO_URI}:0123456` });
    const taskdef = JSON.parse(readFileSync(join(repo, 'taskdef.json'), 'utf8'));
    expect(taskdef.executionRoleArn).toBe('arn:aws:iam::123456789012:role/exec');
    expect(taskdef.containerDefinitions[0].image).toBe('<IMAGE1_NAME>');
    expectArtifacts(repo);
  });

  it('the Dockerfile runtime tests inside docker build --target test', () => {
    const repo = generate(['--runtime', 'container', '--target', 'ecs']);
    const r = build(repo);
    expect(r.succeeded, r.log).toBe(true);
    expect(r.calls).toContain('docker build --target test .');
  });
});

describe('the S3 site buildspec', () => {
  it('tests and builds the site into app/dist, the artifact', () => {
    const repo = generate(['--target', 's3-site']);
    const r = build(repo);
    expect(r.succeeded, r.log).toBe(true);
    expect(readFileSync(join(repo, 'app', 'dist', 'index.html'), 'utf8')).toContain('<title>svc</title>');
    expect(readFileSync(join(repo, 'app', 'dist', 'health'), 'utf8')).toBe('ok\n');
    expectArtifacts(repo);
  });
});
