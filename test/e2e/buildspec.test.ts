/**
 * The generated buildspec.yml, run for real by the phase runner in
 * test/support: the generated Node and Python apps install, lint, test and
 * build on this machine. `docker` is a stub (no Docker engine here) that
 * records its arguments; the container builds run the real AWS CLI against
 * the local fake endpoint (test/support/fake-aws.ts), elsewhere `aws` is a
 * stub too. The tests assert the commands and requests.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, TestContext } from 'vitest';
import { runBuildspec } from '../support/buildspec-runner';
import type { Buildspec } from '../support/buildspec-runner';
import { startFakeAwsThread } from '../support/fake-aws';
import { generate, readYaml, stubBin } from '../support/generated';
import { dockerStub, pathWith } from '../support/release-run';

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

describe('container builds (aws: the real CLI against the fake endpoint; docker a stub)', () => {
  const IMAGE = `${REPO_URI}:${COMMIT}`;
  const LOGIN = 'docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com stdin=fake-ecr-password';

  /**
   * buildspec.yml with AWS through the fake (in a worker thread: the runner blocks this one) and docker
   * stubbed. ECR's repository holds an earlier commit's image, and this commit's when `pushed` (a retried build).
   */
  async function containerBuild(ctx: TestContext, flags: string[], opts: { pushed?: boolean; account?: string; failDocker?: string } = {}) {
    const fake = await startFakeAwsThread({ accountId: opts.account });
    ctx.onTestFinished(() => fake.close());
    fake.addEcrImage('svc', 'an-earlier-commit');
    if (opts.pushed) fake.addEcrImage('svc', COMMIT);
    const docker = dockerStub(opts.failDocker);
    const repo = generate(flags);
    const result = runBuildspec(
      readYaml<Buildspec>(join(repo, 'buildspec.yml')),
      repo,
      fake.env({ PATH: pathWith(fake, docker.dir), CODEBUILD_RESOLVED_SOURCE_VERSION: COMMIT, IMAGE_REPO_URI: REPO_URI }),
    );
    return { ...result, repo, fake, docker: docker.calls() };
  }

  /** taskdef-<env>.json: the environment's family and log group, the account's roles, the image left to the deploy. */
  function expectTaskdefs(repo: string, account: string) {
    for (const env of ['staging', 'production']) {
      const text = readFileSync(join(repo, `taskdef-${env}.json`), 'utf8');
      expect(text.match(/<[A-Z0-9_]+>/g)).toEqual(['<IMAGE1_NAME>']);
      const taskdef = JSON.parse(text);
      expect(taskdef).toMatchObject({
        family: `svc-${env}`,
        executionRoleArn: `arn:aws:iam::${account}:role/svc-ecs-execution`,
        taskRoleArn: `arn:aws:iam::${account}:role/svc-ecs-task`,
      });
      expect(taskdef.containerDefinitions[0]).toMatchObject({ name: 'svc', image: '<IMAGE1_NAME>' });
      expect(taskdef.containerDefinitions[0].logConfiguration.options['awslogs-group']).toBe(`/ecs/svc-${env}`);
    }
  }

  it('ECS rolling: no image of this commit yet, so push-image.sh logs in, builds and pushes it tagged with the commit; imageDetail.json and a taskdef per environment', async (ctx) => {
    const r = await containerBuild(ctx, ['--runtime', 'node', '--target', 'ecs', '--strategy', 'all-at-once']);
    expect(r.succeeded, r.log).toBe(true);
    expect(r.ran).toEqual(['install', 'pre_build', 'build', 'post_build']);
    expect(r.exported.IMAGE_TAG).toBe(COMMIT);
    // Is the tag there? No (ImageNotFoundException): log in (the token piped to docker), build, push; then the account for the roles.
    expect(r.fake.calls()).toEqual(['ecr.DescribeImages', 'ecr.GetAuthorizationToken', 'sts.GetCallerIdentity']);
    const [lookup] = r.fake.find('DescribeImages');
    expect(lookup.params).toEqual({ registryId: '123456789012', repositoryName: 'svc', imageIds: [{ imageTag: COMMIT }] });
    expect(lookup.error?.code).toBe('ImageNotFoundException');
    expect(r.docker).toEqual([LOGIN, `docker build --tag ${IMAGE} app`, `docker push ${IMAGE}`]);
    expect(r.docker.join('\n')).not.toContain(':latest');
    expect(existsSync(join(r.repo, 'imagedefinitions.json'))).toBe(false);
    expect(JSON.parse(readFileSync(join(r.repo, 'imageDetail.json'), 'utf8'))).toEqual({ ImageURI: IMAGE });
    expectTaskdefs(r.repo, '123456789012');
    expectArtifacts(r.repo);
  });

  it('ECS blue/green: a retried build of a commit whose image is pushed reuses it (no login, build or push); the taskdefs take the build account from STS', async (ctx) => {
    const r = await containerBuild(ctx, ['--runtime', 'python', '--target', 'ecs', '--strategy', 'canary'], { pushed: true, account: '210987654321' });
    expect(r.succeeded, r.log).toBe(true);
    expect(r.log).toContain(`${IMAGE} exists: reusing it`);
    expect(r.fake.calls()).toEqual(['ecr.DescribeImages', 'sts.GetCallerIdentity']);
    expect(r.fake.find('DescribeImages')[0].status).toBe(200);
    expect(r.docker).toEqual([]);
    expect(JSON.parse(readFileSync(join(r.repo, 'imageDetail.json'), 'utf8'))).toEqual({ ImageURI: IMAGE });
    expectTaskdefs(r.repo, '210987654321');
    expectArtifacts(r.repo);
  });

  it('the Dockerfile runtime tests inside docker build --target test before anything is pushed; a failing test stage stops the build there', async (ctx) => {
    const r = await containerBuild(ctx, ['--runtime', 'container', '--target', 'ecs']);
    expect(r.succeeded, r.log).toBe(true);
    expect(r.docker).toEqual(['docker build --target test .', LOGIN, `docker build --tag ${IMAGE} app`, `docker push ${IMAGE}`]);
    expect(r.fake.calls()).toEqual(['ecr.DescribeImages', 'ecr.GetAuthorizationToken', 'sts.GetCallerIdentity']);

    const failed = await containerBuild(ctx, ['--runtime', 'container', '--target', 'ecs'], { failDocker: 'build --target test' });
    expect(failed.succeeded).toBe(false);
    expect(failed.failedPhase).toBe('pre_build');
    expect(failed.ran).toEqual(['install', 'pre_build']);
    expect(failed.docker).toEqual(['docker build --target test .']);
    expect(failed.fake.calls()).toEqual([]);
    expect(existsSync(join(failed.repo, 'imageDetail.json'))).toBe(false);
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
