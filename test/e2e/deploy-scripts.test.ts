/**
 * The release path of generated repos, run for real: the repo's own build
 * (buildspec.yml, or the workflow's build job), then its deploy scripts
 * (scripts/deploy/*.sh) with the real AWS CLI v2 against the fake AWS
 * endpoint, both as CodePipeline runs them (the deploy project's buildspec
 * from the synthesized stack, in a folder laid out as the build artifact)
 * and as GitHub Actions runs them (the jobs of .github/workflows/pipeline.yml,
 * step by step, the release handed on as the build job's tar). Each case
 * asserts the requests AWS would have received, in order, and their content.
 * `docker` is a stub (no Docker engine here).
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, TestContext } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { NODE, resolveConfig } from '../../src/model';
import { deployVariables, releaseOf, taskdefArguments } from '../../src/model/release';
import { renderWorkflow } from '../../src/render/workflow';
import { tempDir } from '../helpers';
import { runBuildspec } from '../support/buildspec-runner';
import type { Buildspec } from '../support/buildspec-runner';
import { FakeAws, FakeAwsOptions, startFakeAwsThread } from '../support/fake-aws';
import { generate, readYaml } from '../support/generated';
import {
  ACCOUNT,
  clockStub,
  copyArtifacts,
  deployProjectBuildspecs,
  dockerStub,
  listFiles,
  pathWith,
  run,
  runJob,
  zipEntries,
} from '../support/release-run';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const REPO_URI = `${REGISTRY}/svc`;
const IMAGE = `${REPO_URI}:${COMMIT}`;
const SECRETS = { AWS_ACCOUNT_ID: ACCOUNT };
const WORKFLOW = '.github/workflows/pipeline.yml';

const LAMBDA_ZIP = ['--runtime', 'node', '--target', 'lambda', '--strategy', 'canary', '--ci', 'both', '--repository', 'acme/svc'];
const LAMBDA_IMAGE = ['--runtime', 'container', '--target', 'lambda', '--strategy', 'canary', '--ci', 'both', '--repository', 'acme/svc'];
const ECS_BLUE_GREEN = ['--runtime', 'node', '--target', 'ecs', '--strategy', 'canary', '--ecs-engine', 'codedeploy', '--ci', 'both', '--repository', 'acme/svc'];
const ECS_NATIVE = ['--runtime', 'node', '--target', 'ecs', '--strategy', 'canary', '--ecs-engine', 'ecs', '--ci', 'both', '--repository', 'acme/svc'];
const ECS_ROLLING = ['--runtime', 'python', '--target', 'ecs', '--strategy', 'half-at-a-time', '--ci', 'both', '--repository', 'acme/svc'];
const EC2 = ['--runtime', 'node', '--target', 'ec2', '--ci', 'github-actions', '--repository', 'acme/svc'];
const S3_SITE = ['--target', 's3-site', '--ci', 'github-actions', '--repository', 'acme/svc'];

// ---------------------------------------------------------------- repos, fakes, builds

const generated = new Map<string, string>();

/** A fresh copy of the repo these flags generate (generated once per file): a checkout of it. */
function checkout(flags: string[]): string {
  const key = flags.join(' ');
  if (!generated.has(key)) generated.set(key, generate(flags));
  const dir = join(tempDir('checkout-'), 'svc');
  cpSync(generated.get(key)!, dir, { recursive: true });
  return dir;
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

/**
 * A fake of the test's own, in a worker thread: runBuildspec blocks this thread in spawnSync, and while it does
 * the other cases' scripts (started with the async run / runJob) still get their answers.
 */
async function fakeFor(ctx: TestContext, options?: FakeAwsOptions): Promise<FakeAws> {
  const fake = await startFakeAwsThread(options);
  ctx.onTestFinished(() => fake.close());
  return fake;
}

/** The environment CodeBuild gives the build project: the commit, the image repository, AWS through the fake, docker stubbed. */
function codeBuildEnv(fake: FakeAws, dockerDir?: string): Record<string, string> {
  return fake.env({
    PATH: pathWith(fake, ...(dockerDir ? [dockerDir] : [])),
    CODEBUILD_RESOLVED_SOURCE_VERSION: COMMIT,
    IMAGE_REPO_URI: REPO_URI,
  });
}

function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The AppSpec a CreateDeployment request carried (AppSpecContent). */
function appSpecOf(fake: FakeAws): { content: string; spec: any } {
  const [create] = fake.find('codedeploy.CreateDeployment');
  expect(create.params.revision.revisionType).toBe('AppSpecContent');
  const content: string = create.params.revision.appSpecContent.content;
  return { content, spec: parseYaml(content) };
}

/** The only deployment's id. */
function deploymentId(fake: FakeAws): string {
  const ids = Object.keys(fake.state.codedeploy.deployments);
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The GitHub build job of a generated repo, run for real: the release.tar it uploads. */
async function githubBuild(flags: string[]): Promise<{ release: string; workflow: Record<string, any> }> {
  const fake = await startFakeAwsThread();
  try {
    const workspace = checkout(flags);
    const workflow = readYaml(join(workspace, WORKFLOW));
    const build = await runJob(fake, workflow, 'build', { workspace, sha: COMMIT, secrets: SECRETS });
    expect(build.ok, build.log).toBe(true);
    expect(build.steps.map((s) => s.name)).toContain('Release archive');
    // Building and archiving asks AWS nothing.
    expect(fake.calls()).toEqual([]);
    return { release: build.uploaded.release, workflow };
  } finally {
    await fake.close();
  }
}

const lambdaZipGithubBuild = once(() => githubBuild(LAMBDA_ZIP));

// ---------------------------------------------------------------- Lambda

/** Lambda zip: what lambda.sh asks of AWS for `fn`, its alias moved from version 1 to 2 by CodeDeploy. */
function expectZipRelease(fake: FakeAws, fn: string, group: string, zip: Buffer, hooks: [string, string] | undefined): void {
  expect(fake.calls()).toEqual([
    'lambda.UpdateFunctionConfiguration',
    'lambda.GetFunction',
    'lambda.UpdateFunctionCode',
    'lambda.GetFunction',
    'lambda.PublishVersion',
    'lambda.GetAlias',
    'codedeploy.CreateDeployment',
    'codedeploy.GetDeployment',
  ]);
  expect(fake.find('UpdateFunctionConfiguration')[0].params).toEqual({ FunctionName: fn, Runtime: NODE.lambdaRuntime, Handler: 'src/handler.handler' });
  expect(fake.find('GetFunction').map((r) => r.params)).toEqual([{ FunctionName: fn }, { FunctionName: fn }]);
  const [code] = fake.find('UpdateFunctionCode');
  expect(code.params.FunctionName).toBe(fn);
  const sent = Buffer.from(code.params.ZipFile, 'base64');
  expect(sent.equals(zip)).toBe(true);
  const entries = zipEntries(sent);
  expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(['src/handler.js', 'package.json']));
  expect(entries.find((e) => e.name === 'src/handler.js')!.data.toString()).toContain('module.exports = { handler');
  expect(fake.find('PublishVersion')[0].params).toEqual({ FunctionName: fn });
  expect(fake.find('GetAlias')[0].params).toEqual({ FunctionName: fn, Name: 'live' });
  expectLambdaDeployment(fake, fn, group, hooks);
}

/** The CodeDeploy deployment lambda.sh made: this function, versions 1 -> 2, the hooks (or none), followed to Succeeded. */
function expectLambdaDeployment(fake: FakeAws, fn: string, group: string, hooks: [string, string] | undefined): void {
  const [create] = fake.find('codedeploy.CreateDeployment');
  expect(create.params).toMatchObject({ applicationName: group.split('/')[0], deploymentGroupName: group.split('/')[1] });
  // The group's own deployment configuration (canary) applies: the script names none.
  expect(create.params.deploymentConfigName).toBeUndefined();
  const { content, spec } = appSpecOf(fake);
  expect(content).not.toMatch(/<[A-Z_]+>/);
  expect(spec.Resources).toEqual([{ Function: { Type: 'AWS::Lambda::Function', Properties: { Name: fn, Alias: 'live', CurrentVersion: 1, TargetVersion: 2 } } }]);
  if (hooks) expect(spec.Hooks).toEqual([{ BeforeAllowTraffic: hooks[0] }, { AfterAllowTraffic: hooks[1] }]);
  else expect(Object.keys(spec)).toEqual(['version', 'Resources']);
  const id = deploymentId(fake);
  expect(fake.find('GetDeployment').map((r) => r.params)).toEqual([{ deploymentId: id }]);
  expect(fake.state.codedeploy.deployments[id].status).toBe('Succeeded');
  expect(fake.state.lambda.functions[fn].aliases.live.FunctionVersion).toBe('2');
}

function seedLambda(fake: FakeAws, fn: string, application: string, group: string, image = false): void {
  fake.addFunction(fn, image ? { PackageType: 'Image', ImageUri: `${REPO_URI}:bootstrap` } : {}, { versions: 1, aliases: { live: '1' } });
  fake.addDeploymentGroup(application, group, { computePlatform: 'Lambda' });
}

describe.concurrent('the release of every deployment kind, with the real AWS CLI against the fake', () => {
  // ---------------------------------------------------------------- 1. Lambda zip

  it('Lambda zip, CodePipeline: buildspec.yml builds the artifact, the svc-deploy-staging project runs lambda.sh in it', async (ctx) => {
    const fake = await fakeFor(ctx);
    const repo = checkout(LAMBDA_ZIP);
    const spec = readYaml(join(repo, 'buildspec.yml'));
    const build = runBuildspec(spec as Buildspec, repo, codeBuildEnv(fake));
    expect(build.succeeded, build.log).toBe(true);
    expect(fake.calls()).toEqual([]);

    // The artifact holds exactly what the release table says the deploy reads.
    const config = resolveConfig({ name: 'svc', runtime: 'node', target: 'lambda', strategy: 'canary' });
    const artifact = copyArtifacts(repo, spec as any);
    expect(listFiles(artifact)).toEqual([...releaseOf(config).files].sort());

    const deploy = (await deployProjectBuildspecs({ runtime: 'node', target: 'lambda', strategy: 'canary' }))['svc-deploy-staging'];
    expect(deploy.env?.variables).toEqual(deployVariables(config, config.plans[0]));
    expect(deploy.phases.build?.commands).toEqual(['bash scripts/deploy/lambda.sh']);
    seedLambda(fake, 'svc-staging', 'svc', 'svc-staging');
    const r = runBuildspec(deploy, artifact, fake.env());
    expect(r.succeeded, r.log).toBe(true);
    expect(r.log).toContain('svc-staging 1 -> 2');
    expectZipRelease(fake, 'svc-staging', 'svc/svc-staging', readFileSync(join(artifact, 'app/function.zip')), ['svc-staging-pre-hook', 'svc-staging-post-hook']);
  });

  it('Lambda zip, GitHub Actions: the build job archives the release, deploy-staging runs lambda.sh in the unpacked release', async (ctx) => {
    const { release, workflow } = await lambdaZipGithubBuild();
    const fake = await fakeFor(ctx);
    seedLambda(fake, 'svc-staging', 'svc', 'svc-staging');
    const workspace = checkout(LAMBDA_ZIP);
    const r = await runJob(fake, workflow, 'deploy-staging', { workspace, sha: COMMIT, secrets: SECRETS, artifacts: { release } });
    expect(r.ok, r.log).toBe(true);
    const config = resolveConfig({ name: 'svc', runtime: 'node', target: 'lambda', strategy: 'canary' });
    expect(listFiles(join(workspace, 'release'))).toEqual([...releaseOf(config).files].sort());
    const step = workflow.jobs['deploy-staging'].steps.at(-1);
    expect(step['working-directory']).toBe('release');
    expect(step.env).toEqual(deployVariables(config, config.plans[0]));
    expectZipRelease(fake, 'svc-staging', 'svc/svc-staging', readFileSync(join(workspace, 'release/app/function.zip')), ['svc-staging-pre-hook', 'svc-staging-post-hook']);
  });

  it('Lambda zip, an existing function: no hook variables, and the AppSpec sent has no Hooks section', async (ctx) => {
    const { release } = await lambdaZipGithubBuild();
    const config = resolveConfig({
      name: 'svc',
      runtime: 'node',
      target: 'lambda',
      strategy: 'canary',
      ci: 'github-actions',
      repository: 'acme/svc',
      existing: { staging: { functionName: 'legacy-fn', applicationName: 'legacy-app', deploymentGroupName: 'legacy-group' } },
    });
    const variables = deployVariables(config, config.plans[0]);
    expect(variables).not.toHaveProperty('BEFORE_ALLOW_TRAFFIC_HOOK');
    expect(variables).toMatchObject({ FUNCTION_NAME: 'legacy-fn', APPLICATION_NAME: 'legacy-app', DEPLOYMENT_GROUP_NAME: 'legacy-group' });
    const workflow = renderWorkflow(config)!;
    const fake = await fakeFor(ctx);
    seedLambda(fake, 'legacy-fn', 'legacy-app', 'legacy-group');
    const r = await runJob(fake, workflow, 'deploy-staging', { workspace: checkout(LAMBDA_ZIP), sha: COMMIT, secrets: SECRETS, artifacts: { release } });
    expect(r.ok, r.log).toBe(true);
    expectLambdaDeployment(fake, 'legacy-fn', 'legacy-app/legacy-group', undefined);
    expect(fake.calls()).toContain('lambda.UpdateFunctionCode');
  });

  // ---------------------------------------------------------------- 2. Lambda container image

  it('Lambda image, CodeBuild: push-image.sh pushes a new tag, reuses it on a retry of the commit; the deploy project updates the function to it', async (ctx) => {
    const fake = await fakeFor(ctx);
    fake.addEcrImage('svc', 'an-earlier-commit');
    const docker = dockerStub();
    const repo = checkout(LAMBDA_IMAGE);
    const spec = readYaml(join(repo, 'buildspec.yml')) as Buildspec;

    const first = runBuildspec(spec, repo, codeBuildEnv(fake, docker.dir));
    expect(first.succeeded, first.log).toBe(true);
    expect(fake.calls()).toEqual(['ecr.DescribeImages', 'ecr.GetAuthorizationToken']);
    const [lookup] = fake.find('DescribeImages');
    expect(lookup.params).toEqual({ registryId: ACCOUNT, repositoryName: 'svc', imageIds: [{ imageTag: COMMIT }] });
    expect(lookup.error?.code).toBe('ImageNotFoundException');
    expect(docker.calls()).toEqual([
      'docker build --target test .',
      `docker login --username AWS --password-stdin ${REGISTRY} stdin=fake-ecr-password`,
      `docker build --tag ${IMAGE} app`,
      `docker push ${IMAGE}`,
    ]);
    expect(readJson(join(repo, 'imageDetail.json'))).toEqual({ ImageURI: IMAGE });

    // The retry of the same commit: the tag is there (pushed by the first run), so nothing is logged in, built or pushed.
    fake.addEcrImage('svc', COMMIT);
    fake.clearRequests();
    rmSync(join(repo, 'imageDetail.json'));
    const before = docker.calls().length;
    const retry = runBuildspec(spec, repo, codeBuildEnv(fake, docker.dir));
    expect(retry.succeeded, retry.log).toBe(true);
    expect(retry.log).toContain(`${IMAGE} exists: reusing it`);
    expect(fake.calls()).toEqual(['ecr.DescribeImages']);
    expect(fake.find('DescribeImages')[0].status).toBe(200);
    expect(docker.calls().slice(before)).toEqual(['docker build --target test .']);
    expect(readJson(join(repo, 'imageDetail.json'))).toEqual({ ImageURI: IMAGE });

    // CodePipeline's deploy: the artifact, the staging deploy project.
    const config = resolveConfig({ name: 'svc', runtime: 'container', target: 'lambda', strategy: 'canary' });
    const artifact = copyArtifacts(repo, spec as any);
    expect(listFiles(artifact)).toEqual([...releaseOf(config).files].sort());
    const deploy = (await deployProjectBuildspecs({ runtime: 'container', target: 'lambda', strategy: 'canary' }))['svc-deploy-staging'];
    expect(deploy.env?.variables).toEqual(deployVariables(config, config.plans[0]));
    seedLambda(fake, 'svc-staging', 'svc', 'svc-staging', true);
    fake.clearRequests();
    const r = runBuildspec(deploy, artifact, fake.env());
    expect(r.succeeded, r.log).toBe(true);
    expect(fake.calls()).toEqual(['lambda.UpdateFunctionCode', 'lambda.GetFunction', 'lambda.PublishVersion', 'lambda.GetAlias', 'codedeploy.CreateDeployment', 'codedeploy.GetDeployment']);
    expect(fake.find('UpdateFunctionCode')[0].params).toEqual({ FunctionName: 'svc-staging', ImageUri: IMAGE });
    expectLambdaDeployment(fake, 'svc-staging', 'svc/svc-staging', ['svc-staging-pre-hook', 'svc-staging-post-hook']);
  });

  it('Lambda image: a lookup ECR refuses (here: no such repository) stops the image step with ECR\'s own message, and nothing is built', async (ctx) => {
    const fake = await fakeFor(ctx);
    const docker = dockerStub();
    const workspace = checkout(LAMBDA_IMAGE);
    const workflow = readYaml(join(workspace, WORKFLOW));
    const first = await runJob(fake, workflow, 'deploy-staging', { workspace, sha: COMMIT, secrets: SECRETS, path: [docker.dir] });
    expect(first.ok).toBe(false);
    const failed = first.steps.at(-1)!;
    expect(failed.name).toBe('Build and push the image (unless this commit has one)');
    expect(failed.stderr).toContain(`cannot look up ${IMAGE}:`);
    expect(failed.stderr).toContain('RepositoryNotFoundException');
    expect(fake.calls()).toEqual(['ecr.DescribeImages']);
    expect(docker.calls()).toEqual([]);
  });

  it('Lambda image, GitHub Actions: production checks the image with push-image.sh --existing (a clear failure when absent), then lambda.sh deploys it', async (ctx) => {
    const fake = await fakeFor(ctx);
    fake.addEcrImage('svc', 'an-earlier-commit');
    seedLambda(fake, 'svc-production', 'svc', 'svc-production', true);
    const docker = dockerStub();
    const workspace = checkout(LAMBDA_IMAGE);
    const workflow = readYaml(join(workspace, WORKFLOW));

    const absent = await runJob(fake, workflow, 'deploy-production', { workspace, sha: COMMIT, secrets: SECRETS, path: [docker.dir] });
    expect(absent.ok).toBe(false);
    const failed = absent.steps.at(-1)!;
    expect(failed.name).toBe('The image the first environment pushed');
    expect(failed.stderr).toContain(`${IMAGE} was not pushed: the first environment's deploy builds it`);
    expect(fake.calls()).toEqual(['ecr.DescribeImages']);
    expect(fake.find('DescribeImages')[0].params).toEqual({ registryId: ACCOUNT, repositoryName: 'svc', imageIds: [{ imageTag: COMMIT }] });

    fake.addEcrImage('svc', COMMIT);
    fake.clearRequests();
    const present = await runJob(fake, workflow, 'deploy-production', { workspace: checkout(LAMBDA_IMAGE), sha: COMMIT, secrets: SECRETS, path: [docker.dir] });
    expect(present.ok, present.log).toBe(true);
    expect(fake.calls()).toEqual([
      'ecr.DescribeImages',
      'lambda.UpdateFunctionCode',
      'lambda.GetFunction',
      'lambda.PublishVersion',
      'lambda.GetAlias',
      'codedeploy.CreateDeployment',
      'codedeploy.GetDeployment',
    ]);
    expect(fake.find('UpdateFunctionCode')[0].params).toEqual({ FunctionName: 'svc-production', ImageUri: IMAGE });
    expectLambdaDeployment(fake, 'svc-production', 'svc/svc-production', ['svc-production-pre-hook', 'svc-production-post-hook']);
    expect(docker.calls()).toEqual([]);
  });

  // ---------------------------------------------------------------- 3. ECS blue/green

  it('ECS blue/green, CodeBuild: post_build pushes the image and renders taskdef-<env>.json per environment from the caller account', async (ctx) => {
    const fake = await fakeFor(ctx);
    fake.addEcrImage('svc', 'an-earlier-commit');
    const docker = dockerStub();
    const repo = checkout(ECS_BLUE_GREEN);
    const spec = readYaml(join(repo, 'buildspec.yml'));
    const build = runBuildspec(spec as Buildspec, repo, codeBuildEnv(fake, docker.dir));
    expect(build.succeeded, build.log).toBe(true);
    expect(fake.calls()).toEqual(['ecr.DescribeImages', 'ecr.GetAuthorizationToken', 'sts.GetCallerIdentity']);
    expect(docker.calls()).toEqual([
      `docker login --username AWS --password-stdin ${REGISTRY} stdin=fake-ecr-password`,
      `docker build --tag ${IMAGE} app`,
      `docker push ${IMAGE}`,
    ]);
    expect(readJson(join(repo, 'imageDetail.json'))).toEqual({ ImageURI: IMAGE });
    const config = resolveConfig({ name: 'svc', runtime: 'node', target: 'ecs', strategy: 'canary' });
    for (const environment of ['staging', 'production']) {
      const text = readFileSync(join(repo, `taskdef-${environment}.json`), 'utf8');
      // Only the image is left to fill (by CodeDeploy's ECS action, or ecs.sh).
      expect(text.match(/<[A-Z0-9_]+>/g)).toEqual(['<IMAGE1_NAME>']);
      const taskdef = JSON.parse(text);
      expect(taskdef.family).toBe(`svc-${environment}`);
      expect(taskdef.executionRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/svc-ecs-execution`);
      expect(taskdef.taskRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/svc-ecs-task`);
      const [container] = taskdef.containerDefinitions;
      expect(container).toMatchObject({ name: 'svc', image: '<IMAGE1_NAME>' });
      expect(container.logConfiguration.options['awslogs-group']).toBe(`/ecs/svc-${environment}`);
      expect(container).not.toHaveProperty('command');
      const plan = config.plans.find((p) => p.environment === environment)!;
      expect([taskdef.family, container.logConfiguration.options['awslogs-group'], taskdef.executionRoleArn, taskdef.taskRoleArn]).toEqual(taskdefArguments(config, plan, ACCOUNT));
    }
    expect(listFiles(copyArtifacts(repo, spec as any))).toEqual([...releaseOf(config).files].sort());
  });

  it('ECS blue/green, GitHub Actions: deploy-staging pushes the image, registers taskdef-staging.json with it and deploys that revision with CodeDeploy', async (ctx) => {
    const fake = await fakeFor(ctx);
    fake.addEcrImage('svc', 'an-earlier-commit');
    fake.addEcsService('svc', 'svc-staging', { deploymentController: 'CODE_DEPLOY' });
    fake.addDeploymentGroup('svc', 'svc-staging', { computePlatform: 'ECS', ecsServices: [{ serviceName: 'svc-staging', clusterName: 'svc' }] });
    const docker = dockerStub();
    const workspace = checkout(ECS_BLUE_GREEN);
    const workflow = readYaml(join(workspace, WORKFLOW));
    const r = await runJob(fake, workflow, 'deploy-staging', { workspace, sha: COMMIT, secrets: SECRETS, path: [docker.dir] });
    expect(r.ok, r.log).toBe(true);
    expect(fake.calls()).toEqual([
      'ecr.DescribeImages',
      'ecr.GetAuthorizationToken',
      'sts.GetCallerIdentity',
      'ecs.RegisterTaskDefinition',
      'codedeploy.CreateDeployment',
      'codedeploy.GetDeployment',
    ]);
    expect(docker.calls()).toEqual([`docker login --username AWS --password-stdin ${REGISTRY} stdin=fake-ecr-password`, `docker build --tag ${IMAGE} app`, `docker push ${IMAGE}`]);

    // The task definition registered: the repo's taskdef.json with staging's names, the account's roles and this commit's image.
    const config = resolveConfig({ name: 'svc', runtime: 'node', target: 'ecs', strategy: 'canary' });
    const [family, logGroup, executionRole, taskRole] = taskdefArguments(config, config.plans[0], ACCOUNT);
    const expected = JSON.parse(
      readFileSync(join(workspace, 'taskdef.json'), 'utf8')
        .replace('<TASK_FAMILY>', family)
        .replace('<LOG_GROUP>', logGroup)
        .replace('<EXECUTION_ROLE_ARN>', executionRole)
        .replace('<TASK_ROLE_ARN>', taskRole)
        .replace('<IMAGE1_NAME>', IMAGE),
    );
    const [register] = fake.find('RegisterTaskDefinition');
    expect(register.params).toEqual(expected);
    expect(register.params).toMatchObject({ family: 'svc-staging', executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/svc-ecs-execution`, taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/svc-ecs-task` });
    expect(register.params.containerDefinitions[0].image).toBe(IMAGE);
    expect(register.params.containerDefinitions[0]).not.toHaveProperty('command');

    // The service runs revision 1 (seeded): the new one is 2.
    const arn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/svc-staging:2`;
    const [create] = fake.find('CreateDeployment');
    expect(create.params).toMatchObject({ applicationName: 'svc', deploymentGroupName: 'svc-staging' });
    const { content, spec } = appSpecOf(fake);
    expect(content).not.toMatch(/<[A-Z_]+>/);
    expect(spec.Resources).toEqual([{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: arn, LoadBalancerInfo: { ContainerName: 'svc', ContainerPort: 8080 } } } }]);
    expect(fake.find('GetDeployment').map((x) => x.params)).toEqual([{ deploymentId: deploymentId(fake) }]);
    expect(r.log).toContain(`svc-staging -> ${arn}`);
    expect(fake.state.ecs.clusters.svc['svc-staging'].service.taskDefinition).toBe(arn);
  });

  // ---------------------------------------------------------------- 4. ECS rolling

  it('ECS rolling, CodePipeline: the svc-deploy-staging project registers taskdef-staging.json with the built image and follows the rollout to COMPLETED', async (ctx) => {
    const artifact = await ecsRollingArtifact();
    const fake = await fakeFor(ctx, { ecsSettlePolls: 2 });
    fake.addEcsService('svc', 'svc-staging', { desiredCount: 2 });
    const config = resolveConfig({ name: 'svc', runtime: 'python', target: 'ecs', strategy: 'half-at-a-time' });
    const deploy = (await deployProjectBuildspecs({ runtime: 'python', target: 'ecs', strategy: 'half-at-a-time' }))['svc-deploy-staging'];
    expect(deploy.env?.variables).toEqual(deployVariables(config, config.plans[0]));
    expect(deploy.phases.build?.commands).toEqual(['bash scripts/deploy/ecs.sh taskdef-staging.json']);
    // POLL_SECONDS=0: the two polls that still see the rollout IN_PROGRESS do not sleep.
    const r = runBuildspec(deploy, copyOf(artifact), fake.env({ POLL_SECONDS: '0' }));
    expect(r.succeeded, r.log).toBe(true);
    const arn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/svc-staging:2`;
    expect(fake.calls()).toEqual(['ecs.RegisterTaskDefinition', 'ecs.UpdateService', 'ecs.DescribeServices', 'ecs.DescribeServices', 'ecs.DescribeServices']);
    const [register] = fake.find('RegisterTaskDefinition');
    expect(register.params).toMatchObject({ family: 'svc-staging', executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/svc-ecs-execution`, taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/svc-ecs-task` });
    expect(register.params.containerDefinitions[0]).toMatchObject({ name: 'svc', image: IMAGE });
    expect(register.params.containerDefinitions[0].logConfiguration.options['awslogs-group']).toBe('/ecs/svc-staging');
    expect(register.params.containerDefinitions[0]).not.toHaveProperty('command');
    expect(fake.find('UpdateService')[0].params).toEqual({ cluster: 'svc', service: 'svc-staging', taskDefinition: arn });
    expect(fake.find('DescribeServices').map((x) => x.params)).toEqual(Array(3).fill({ cluster: 'svc', services: ['svc-staging'] }));
    expect(r.log).toContain(`svc-staging runs ${arn}`);
    expect(fake.state.ecs.clusters.svc['svc-staging'].service.deployments).toMatchObject([{ taskDefinition: arn, rolloutState: 'COMPLETED' }]);
  });

  it('ECS rolling, CodePipeline: a rollout the circuit breaker rolls back fails the deploy action, saying so', async (ctx) => {
    const artifact = await ecsRollingArtifact();
    const fake = await fakeFor(ctx);
    fake.addEcsService('svc', 'svc-staging', { desiredCount: 2 });
    // The circuit breaker stopped the new deployment: FAILED, and the previous one is PRIMARY again.
    fake.handle('ecs', 'DescribeServices', (p: any, { state }: any) => {
      const svc = state.ecs.clusters[p.cluster][p.services[0]].service;
      const deployments = svc.deployments.map((d: any) =>
        d.taskDefinition === svc.taskDefinition
          ? { ...d, status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }
          : { ...d, status: 'PRIMARY' },
      );
      return { services: [{ ...svc, deployments }], failures: [] };
    });
    const deploy = (await deployProjectBuildspecs({ runtime: 'python', target: 'ecs', strategy: 'half-at-a-time' }))['svc-deploy-staging'];
    const r = runBuildspec(deploy, copyOf(artifact), fake.env({ POLL_SECONDS: '0' }));
    expect(r.succeeded).toBe(false);
    expect(r.failedPhase).toBe('build');
    const arn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/svc-staging:2`;
    expect(r.log).toContain(`svc-staging did not take ${arn} (rollout FAILED): ECS rolled it back (circuit breaker, alarm or lifecycle hook); see the service's events`);
    expect(fake.calls()).toEqual(['ecs.RegisterTaskDefinition', 'ecs.UpdateService', 'ecs.DescribeServices']);
  });

  // ---------------------------------------------------------------- 4b. ECS's own canary (--ecs-engine ecs)

  it('ECS native canary, CodePipeline: the build hands on no appspec; svc-deploy-staging registers taskdef-staging.json, updates the service and waits through the bake to COMPLETED', async (ctx) => {
    const artifact = await ecsNativeArtifact();
    expect(listFiles(artifact)).not.toContain('appspec.yml');
    const fake = await fakeFor(ctx, { ecsSettlePolls: 3 });
    fake.addEcsService('svc', 'svc-staging', { desiredCount: 2 });
    const config = resolveConfig({ name: 'svc', runtime: 'node', target: 'ecs', strategy: 'canary', ecsEngine: 'ecs' });
    const deploy = (await deployProjectBuildspecs({ runtime: 'node', target: 'ecs', strategy: 'canary', ecsEngine: 'ecs' }))['svc-deploy-staging'];
    // Canary 10 percent, the rest after 5 minutes, a 10-minute bake, 15 of margin.
    expect(deploy.env?.variables).toEqual({ CLUSTER: 'svc', SERVICE: 'svc-staging', WAIT_MINUTES: '30' });
    expect(deploy.env?.variables).toEqual(deployVariables(config, config.plans[0]));
    expect(deploy.phases.build?.commands).toEqual(['bash scripts/deploy/ecs.sh taskdef-staging.json']);
    const r = runBuildspec(deploy, copyOf(artifact), fake.env({ POLL_SECONDS: '0' }));
    expect(r.succeeded, r.log).toBe(true);
    const arn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/svc-staging:2`;
    // No CodeDeploy call: ECS runs the deployment; the script follows the rollout while it stays IN_PROGRESS (the bake).
    expect(fake.calls()).toEqual(['ecs.RegisterTaskDefinition', 'ecs.UpdateService', 'ecs.DescribeServices', 'ecs.DescribeServices', 'ecs.DescribeServices', 'ecs.DescribeServices']);
    expect(fake.find('RegisterTaskDefinition')[0].params.containerDefinitions[0]).toMatchObject({ name: 'svc', image: IMAGE });
    expect(fake.find('RegisterTaskDefinition')[0].params.containerDefinitions[0]).not.toHaveProperty('command');
    expect(fake.find('UpdateService')[0].params).toEqual({ cluster: 'svc', service: 'svc-staging', taskDefinition: arn });
    expect(r.log).toContain(`svc-staging runs ${arn}`);
  });

  it('ECS native canary, CodePipeline: a deployment ECS rolls back (the validation hook answered FAILED) fails the deploy action, saying so', async (ctx) => {
    const artifact = await ecsNativeArtifact();
    const fake = await fakeFor(ctx);
    fake.addEcsService('svc', 'svc-staging', { desiredCount: 2 });
    fake.handle('ecs', 'DescribeServices', (p: any, { state }: any) => {
      const svc = state.ecs.clusters[p.cluster][p.services[0]].service;
      const deployments = svc.deployments.map((d: any) =>
        d.taskDefinition === svc.taskDefinition
          ? { ...d, status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'Service deployment rolled back because the lifecycle hook failed.' }
          : { ...d, status: 'PRIMARY' },
      );
      return { services: [{ ...svc, deployments }], failures: [] };
    });
    const deploy = (await deployProjectBuildspecs({ runtime: 'node', target: 'ecs', strategy: 'canary', ecsEngine: 'ecs' }))['svc-deploy-staging'];
    const r = runBuildspec(deploy, copyOf(artifact), fake.env({ POLL_SECONDS: '0' }));
    expect(r.succeeded).toBe(false);
    const arn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/svc-staging:2`;
    expect(r.log).toContain(`svc-staging did not take ${arn} (rollout FAILED): ECS rolled it back (circuit breaker, alarm or lifecycle hook); see the service's events`);
    expect(fake.calls()).toEqual(['ecs.RegisterTaskDefinition', 'ecs.UpdateService', 'ecs.DescribeServices']);
  });

  it('ECS rolling, GitHub Actions: deploy-production checks the image staging pushed, registers taskdef-production.json with it and rolls the service', async (ctx) => {
    const fake = await fakeFor(ctx);
    fake.addEcrImage('svc', COMMIT);
    fake.addEcsService('svc', 'svc-production', { desiredCount: 2 });
    const docker = dockerStub();
    const workspace = checkout(ECS_ROLLING);
    const r = await runJob(fake, readYaml(join(workspace, WORKFLOW)), 'deploy-production', { workspace, sha: COMMIT, secrets: SECRETS, path: [docker.dir] });
    expect(r.ok, r.log).toBe(true);
    expect(fake.calls()).toEqual(['ecr.DescribeImages', 'sts.GetCallerIdentity', 'ecs.RegisterTaskDefinition', 'ecs.UpdateService', 'ecs.DescribeServices']);
    expect(docker.calls()).toEqual([]);
    const [register] = fake.find('RegisterTaskDefinition');
    expect(register.params).toMatchObject({ family: 'svc-production', executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/svc-ecs-execution`, taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/svc-ecs-task` });
    expect(register.params.containerDefinitions[0]).toMatchObject({ name: 'svc', image: IMAGE });
    expect(register.params.containerDefinitions[0].logConfiguration.options['awslogs-group']).toBe('/ecs/svc-production');
    expect(register.params.containerDefinitions[0]).not.toHaveProperty('command');
    const arn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/svc-production:2`;
    expect(fake.find('UpdateService')[0].params).toEqual({ cluster: 'svc', service: 'svc-production', taskDefinition: arn });
    expect(r.log).toContain(`svc-production runs ${arn}`);
  });

  // ---------------------------------------------------------------- 5. EC2

  it('EC2, GitHub Actions: ec2.sh pushes the unpacked release as revisions/<sha>.zip, hooks executable, and deploys it with the group configuration', async (ctx) => {
    const fake = await fakeFor(ctx);
    const buildWorkspace = checkout(EC2);
    const workflow = readYaml(join(buildWorkspace, WORKFLOW));
    const built = await runJob(fake, workflow, 'build', { workspace: buildWorkspace, sha: COMMIT, secrets: SECRETS });
    expect(built.ok, built.log).toBe(true);
    expect(fake.calls()).toEqual([]);

    fake.addStack('SvcPipeline', { RevisionBucket: 'svc-artifacts-bucket' });
    fake.addBucket('svc-artifacts-bucket');
    fake.addDeploymentGroup('svc', 'svc-staging');
    const workspace = checkout(EC2);
    const r = await runJob(fake, workflow, 'deploy-staging', { workspace, sha: COMMIT, secrets: SECRETS, artifacts: built.uploaded });
    expect(r.ok, r.log).toBe(true);
    expect(fake.calls()).toEqual([
      'cloudformation.DescribeStacks',
      's3.PutObject',
      'codedeploy.RegisterApplicationRevision',
      'codedeploy.CreateDeployment',
      'codedeploy.GetDeployment',
    ]);
    const key = `revisions/${COMMIT}.zip`;
    expect(fake.find('PutObject')[0].params).toMatchObject({ Bucket: 'svc-artifacts-bucket', Key: key });
    const bundle = fake.state.s3.buckets['svc-artifacts-bucket'].objects[key];
    expect(fake.find('RegisterApplicationRevision')[0].params).toMatchObject({
      applicationName: 'svc',
      revision: { revisionType: 'S3', s3Location: { bucket: 'svc-artifacts-bucket', key, bundleType: 'zip', eTag: bundle.etag.replace(/"/g, '') } },
    });
    expect(fake.find('CreateDeployment')[0].params).toEqual({
      applicationName: 'svc',
      deploymentGroupName: 'svc-staging',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      revision: { revisionType: 'S3', s3Location: { bucket: 'svc-artifacts-bucket', key, bundleType: 'zip' } },
    });
    expect(fake.find('GetDeployment').map((x) => x.params)).toEqual([{ deploymentId: deploymentId(fake) }]);

    // The revision is the release folder (hidden files left out), the appspec at its root, the hooks still executable.
    const entries = zipEntries(bundle.body).filter((e) => !e.name.endsWith('/'));
    const release = join(workspace, 'release');
    expect(entries.map((e) => e.name).sort()).toEqual(listFiles(release).filter((f) => !f.split('/').some((part) => part.startsWith('.'))));
    expect(entries.map((e) => e.name)).toContain('appspec.yml');
    const appspec = parseYaml(readFileSync(join(release, 'appspec.yml'), 'utf8'));
    const hooks: string[] = Object.values<any>(appspec.hooks).flatMap((h: any[]) => h.map((x) => x.location));
    expect(hooks).toHaveLength(5);
    for (const hook of hooks) {
      const entry = entries.find((e) => e.name === hook);
      expect(entry, hook).toBeDefined();
      expect((entry!.mode % 0o1000).toString(8), hook).toBe('755');
    }
  });

  // ---------------------------------------------------------------- 6. S3 site

  it('S3 site, GitHub Actions: s3-site.sh syncs the built site to the stack bucket and invalidates /*; an existing bucket gets no invalidation', async (ctx) => {
    const fake = await fakeFor(ctx);
    const buildWorkspace = checkout(S3_SITE);
    const workflow = readYaml(join(buildWorkspace, WORKFLOW));
    const built = await runJob(fake, workflow, 'build', { workspace: buildWorkspace, sha: COMMIT, secrets: SECRETS });
    expect(built.ok, built.log).toBe(true);
    expect(fake.calls()).toEqual([]);

    fake.addStack('SvcPipeline', { SiteBucketStaging: 'svc-site-staging', DistributionIdStaging: 'E2SITESTAGING', SiteBucketProduction: 'svc-site-production' });
    fake.putObject('svc-site-staging', 'stale.js', 'old');
    fake.addDistribution('E2SITESTAGING');
    const workspace = checkout(S3_SITE);
    const r = await runJob(fake, workflow, 'deploy-staging', { workspace, sha: COMMIT, secrets: SECRETS, artifacts: built.uploaded });
    expect(r.ok, r.log).toBe(true);
    const site = listFiles(join(workspace, 'release'));
    expect(site).toEqual(expect.arrayContaining(['index.html', 'health']));
    const calls = fake.calls();
    expect(calls.slice(0, 2)).toEqual(['cloudformation.DescribeStacks', 's3.ListObjectsV2']);
    expect(calls.at(-1)).toBe('cloudfront.CreateInvalidation');
    expect(calls.slice(2, -1).sort()).toEqual([...site.map(() => 's3.PutObject'), 's3.DeleteObject'].sort());
    const puts = fake.find('PutObject');
    expect(puts.map((p) => p.params.Key).sort()).toEqual(site);
    for (const put of puts) expect(put.params).toMatchObject({ Bucket: 'svc-site-staging', CacheControl: 'public, max-age=300' });
    expect(puts.find((p) => p.params.Key === 'index.html')!.params.ContentType).toBe('text/html');
    expect(fake.find('DeleteObject')[0].params).toEqual({ Bucket: 'svc-site-staging', Key: 'stale.js' });
    const objects = fake.state.s3.buckets['svc-site-staging'].objects;
    expect(Object.keys(objects).sort()).toEqual(site);
    expect(objects['index.html'].body.equals(readFileSync(join(workspace, 'release', 'index.html')))).toBe(true);
    expect(fake.find('CreateInvalidation')[0].params).toMatchObject({ DistributionId: 'E2SITESTAGING', InvalidationBatch: { Paths: { Quantity: 1, Items: ['/*'] } } });

    // An existing bucket: the stack made no distribution, the workflow sets no DISTRIBUTION_ID, nothing is invalidated.
    const config = resolveConfig({ name: 'svc', target: 's3-site', ci: 'github-actions', repository: 'acme/svc', existing: { staging: { bucketName: 'legacy-site' } } });
    const existing = renderWorkflow(config)!;
    const sync = (existing as any).jobs['deploy-staging'].steps.at(-1);
    expect(Object.keys(sync.env)).toEqual(['SITE_BUCKET']);
    fake.update((state) => {
      state.cloudformation.stacks.SvcPipeline.Outputs = [{ OutputKey: 'SiteBucketStaging', OutputValue: 'legacy-site' }];
    });
    fake.addBucket('legacy-site');
    fake.clearRequests();
    const again = await runJob(fake, existing, 'deploy-staging', { workspace: checkout(S3_SITE), sha: COMMIT, secrets: SECRETS, artifacts: built.uploaded });
    expect(again.ok, again.log).toBe(true);
    expect(fake.calls().filter((c) => !c.startsWith('s3.PutObject'))).toEqual(['cloudformation.DescribeStacks', 's3.ListObjectsV2']);
    expect(fake.find('PutObject').map((p) => p.params.Bucket)).toEqual(site.map(() => 'legacy-site'));
    expect(fake.state.cloudfront.distributions.E2SITESTAGING.invalidations).toHaveLength(1);
  });

  // ---------------------------------------------------------------- 7. wait-deployment.sh

  describe('wait-deployment.sh follows a CodeDeploy deployment for WAIT_MINUTES, not the 30 minutes `aws deploy wait` gives it', () => {
    const script = () => join(checkout(LAMBDA_ZIP), 'scripts/deploy/wait-deployment.sh');

    /** A deployment of a fresh group, created through the CLI; requests forgotten. */
    async function startDeployment(fake: FakeAws): Promise<string> {
      fake.addDeploymentGroup('svc', 'svc-staging', { computePlatform: 'Lambda' });
      const revision = JSON.stringify({ revisionType: 'AppSpecContent', appSpecContent: { content: 'version: 0.0' } });
      const r = await run(fake, 'aws', ['deploy', 'create-deployment', '--application-name', 'svc', '--deployment-group-name', 'svc-staging', '--revision', revision, '--query', 'deploymentId', '--output', 'text']);
      expect(r.status, r.stderr).toBe(0);
      fake.clearRequests();
      return r.stdout.trim();
    }

    it('keeps polling past 30 minutes until the deployment succeeds (each `date +%s` 15 minutes later, WAIT_MINUTES 71)', async (ctx) => {
      const fake = await fakeFor(ctx, { deploymentStatuses: ['InProgress', 'InProgress', 'InProgress', 'Succeeded'] });
      const id = await startDeployment(fake);
      const r = await run(fake, 'bash', [script(), id], { env: { WAIT_MINUTES: '71', POLL_SECONDS: '0', PATH: pathWith(fake, clockStub(900)) } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(`deployment ${id} succeeded\n`);
      // Polled at 0, 15, 30 and 45 minutes: `aws deploy wait` (120 polls 15 s apart) would have given up before the last.
      expect(fake.find('GetDeployment').map((x) => x.params)).toEqual(Array(4).fill({ deploymentId: id }));
      expect(fake.calls()).toEqual(Array(4).fill('codedeploy.GetDeployment'));
      expect(fake.state.codedeploy.deployments[id].status).toBe('Succeeded');
    });

    it('gives up once WAIT_MINUTES have passed with the deployment still in progress', async (ctx) => {
      const fake = await fakeFor(ctx, { deploymentStatuses: ['InProgress'] });
      const id = await startDeployment(fake);
      const r = await run(fake, 'bash', [script(), id], { env: { WAIT_MINUTES: '20', POLL_SECONDS: '0', PATH: pathWith(fake, clockStub(600)) } });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`deployment ${id} still InProgress after 20 minutes: see the CodeDeploy console\n`);
      // Polled at 0 and 10 minutes; after the second the clock says 20: the deadline.
      expect(fake.calls()).toEqual(['codedeploy.GetDeployment', 'codedeploy.GetDeployment']);
    });

    it('gives up at once with WAIT_MINUTES=0 and real time', async (ctx) => {
      const fake = await fakeFor(ctx, { deploymentStatuses: ['InProgress'] });
      const id = await startDeployment(fake);
      const r = await run(fake, 'bash', [script(), id], { env: { WAIT_MINUTES: '0', POLL_SECONDS: '0' } });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`deployment ${id} still InProgress after 0 minutes: see the CodeDeploy console\n`);
      expect(fake.calls()).toEqual(['codedeploy.GetDeployment']);
    });

    it('a failed deployment: prints its error message and exits 1', async (ctx) => {
      const fake = await fakeFor(ctx);
      fake.failNextDeployment({ statuses: ['InProgress', 'Failed'], message: 'The deployment failed because the BeforeAllowTraffic hook svc-staging-pre-hook failed.' });
      const id = await startDeployment(fake);
      const r = await run(fake, 'bash', [script(), id], { env: { WAIT_MINUTES: '20', POLL_SECONDS: '0' } });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`deployment ${id}: Failed: The deployment failed because the BeforeAllowTraffic hook svc-staging-pre-hook failed.\n`);
      expect(fake.calls()).toEqual(['codedeploy.GetDeployment', 'codedeploy.GetDeployment', 'codedeploy.GetDeployment']);
    });
  });
});

/** A copy of a folder (each deploy gets its own). */
function copyOf(dir: string): string {
  const out = join(tempDir('copy-'), 'artifact');
  cpSync(dir, out, { recursive: true });
  return out;
}

/** The ECS native canary (node) build, run once: buildspec.yml with the image pushed, its artifact folder. */
const ecsNativeArtifact = once(async () => {
  const fake = await startFakeAwsThread();
  try {
    fake.addEcrImage('svc', 'an-earlier-commit');
    const docker = dockerStub();
    const repo = checkout(ECS_NATIVE);
    const spec = readYaml(join(repo, 'buildspec.yml'));
    const build = runBuildspec(spec as Buildspec, repo, codeBuildEnv(fake, docker.dir));
    expect(build.succeeded, build.log).toBe(true);
    const artifact = copyArtifacts(repo, spec as any);
    const config = resolveConfig({ name: 'svc', runtime: 'node', target: 'ecs', strategy: 'canary', ecsEngine: 'ecs' });
    expect(listFiles(artifact)).toEqual([...releaseOf(config).files].sort());
    return artifact;
  } finally {
    await fake.close();
  }
});

/** The ECS rolling (python) build, run once: buildspec.yml with the image pushed, its artifact folder. */
const ecsRollingArtifact = once(async () => {
  const fake = await startFakeAwsThread();
  try {
    fake.addEcrImage('svc', 'an-earlier-commit');
    const docker = dockerStub();
    const repo = checkout(ECS_ROLLING);
    const spec = readYaml(join(repo, 'buildspec.yml'));
    const build = runBuildspec(spec as Buildspec, repo, codeBuildEnv(fake, docker.dir));
    expect(build.succeeded, build.log).toBe(true);
    expect(fake.calls()).toEqual(['ecr.DescribeImages', 'ecr.GetAuthorizationToken', 'sts.GetCallerIdentity']);
    expect(docker.calls().at(-1)).toBe(`docker push ${IMAGE}`);
    const artifact = copyArtifacts(repo, spec as any);
    const config = resolveConfig({ name: 'svc', runtime: 'python', target: 'ecs', strategy: 'half-at-a-time' });
    expect(listFiles(artifact)).toEqual([...releaseOf(config).files].sort());
    expect(readJson(join(artifact, 'imageDetail.json'))).toEqual({ ImageURI: IMAGE });
    return artifact;
  } finally {
    await fake.close();
  }
});
