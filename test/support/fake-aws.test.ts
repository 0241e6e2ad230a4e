/**
 * The fake AWS endpoint, proven with the real AWS CLI v2 (/usr/bin/aws):
 * each case runs a small deploy script against a fresh fake and asserts
 * the operations it recorded, their key parameters and the state after.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, TestContext } from 'vitest';
import { tempDir } from '../helpers';
import { runBuildspec } from './buildspec-runner';
import { FakeAws, FakeAwsOptions, runScript, startFakeAws, startFakeAwsThread } from './fake-aws';

const PYTHON = '/usr/bin/python3';

/** A fake of the test's own, closed when the test ends (the cases run concurrently). */
async function fresh(ctx: TestContext, options?: FakeAwsOptions): Promise<FakeAws> {
  const fake = await startFakeAws(options);
  ctx.onTestFinished(() => fake.close());
  return fake;
}

/** Writes `files` under a new directory and returns it. */
function workdir(files: Record<string, string>): string {
  const dir = tempDir('fake-aws-test-');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Runs `script` (bash, `set -euo pipefail`) in a new directory holding `files`. */
async function run(fake: FakeAws, script: string, files: Record<string, string> = {}) {
  const dir = workdir({ ...files, 'script.sh': `set -euo pipefail\n${script}\n` });
  const r = await runScript(fake, join(dir, 'script.sh'), { cwd: dir });
  return { ...r, dir };
}

describe.concurrent('fake AWS endpoint with the real AWS CLI v2', () => {
  it('lambda: update code, wait, update configuration, wait, publish, read the alias', async (ctx) => {
    // One InProgress answer after each update proves the waiter waits (its delay is 1 s).
    const fake = await fresh(ctx, { lambdaUpdatePolls: 1 });
    fake.addFunction('f', {}, { versions: 1, aliases: { live: '1' } });
    const r = await run(
      fake,
      `
      mkdir -p src && echo 'exports.handler = async () => 42;' > src/index.js
      (cd src && ${PYTHON} -m zipfile -c ../f.zip index.js)
      aws lambda update-function-code --function-name f --zip-file fileb://f.zip --query LastUpdateStatus --output text
      aws lambda wait function-updated-v2 --function-name f
      aws lambda update-function-configuration --function-name f --environment 'Variables={STAGE=prod}' > /dev/null
      aws lambda wait function-updated-v2 --function-name f
      echo "version=$(aws lambda publish-version --function-name f --query Version --output text)"
      echo "again=$(aws lambda publish-version --function-name f --query Version --output text)"
      echo "alias=$(aws lambda get-alias --function-name f --name live --query FunctionVersion --output text)"
      `,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('InProgress');
    expect(r.stdout).toContain('version=2');
    // Nothing changed since version 2: AWS publishes nothing new.
    expect(r.stdout).toContain('again=2');
    expect(r.stdout).toContain('alias=1');
    expect(fake.calls()).toEqual([
      'lambda.UpdateFunctionCode',
      'lambda.GetFunction',
      'lambda.GetFunction',
      'lambda.UpdateFunctionConfiguration',
      'lambda.GetFunction',
      'lambda.GetFunction',
      'lambda.PublishVersion',
      'lambda.PublishVersion',
      'lambda.GetAlias',
    ]);
    const [update] = fake.find('UpdateFunctionCode');
    expect(update.params.FunctionName).toBe('f');
    const zip = Buffer.from(update.params.ZipFile, 'base64');
    const fn = fake.state.lambda.functions.f;
    expect(fn.code).toEqual(zip);
    expect(fn.config.CodeSize).toBe(zip.length);
    expect(fn.config.Environment).toEqual({ Variables: { STAGE: 'prod' } });
    // The uploaded zip can be opened.
    writeFileSync(join(r.dir, 'got.zip'), fn.code!);
    expect(execFileSync(PYTHON, ['-c', 'import sys,zipfile; print(zipfile.ZipFile(sys.argv[1]).read("index.js").decode())', join(r.dir, 'got.zip')], { encoding: 'utf8' })).toContain('42');
    expect(fake.find('GetFunction').map((x) => x.status)).toEqual([200, 200, 200, 200]);
  });

  it('lambda: an update while one is in progress is refused (ResourceConflictException), an unknown function is a 404', async (ctx) => {
    const fake = await fresh(ctx, { lambdaUpdatePolls: 3 });
    fake.addFunction('f');
    const r = await run(
      fake,
      `
      (cd . && echo x > a.txt && ${PYTHON} -m zipfile -c f.zip a.txt)
      aws lambda update-function-code --function-name f --zip-file fileb://f.zip > /dev/null
      aws lambda update-function-configuration --function-name f --timeout 10 || echo "conflict rc=$?"
      aws lambda get-function --function-name nope || echo "missing rc=$?"
      aws lambda update-function-code --function-name f --zip-file fileb://f.zip > /dev/null || echo "again rc=$?"
      # The CLI itself refuses a file that is not a zip (no request).
      aws lambda update-function-code --function-name f --zip-file fileb://a.txt 2> /dev/null || echo "badzip rc=$?"
      `,
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('ResourceConflictException');
    expect(r.stdout).toContain('conflict rc=254');
    expect(r.stderr).toContain('Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope');
    expect(r.stdout).toContain('missing rc=254');
    expect(r.stdout).toContain('again rc=254');
    expect(r.stdout).toContain('badzip rc=252');
    expect(fake.calls()).toEqual(['lambda.UpdateFunctionCode', 'lambda.UpdateFunctionConfiguration', 'lambda.GetFunction', 'lambda.UpdateFunctionCode']);
    expect(fake.find('UpdateFunctionConfiguration')[0].status).toBe(409);
    expect(fake.find('GetFunction')[0]).toMatchObject({ status: 404, error: { code: 'ResourceNotFoundException' } });
    expect(fake.find('UpdateFunctionCode')[1].status).toBe(409);
  });

  it('codedeploy: a Lambda deployment from AppSpecContent succeeds at the first poll and moves the alias', async (ctx) => {
    const fake = await fresh(ctx);
    fake.addFunction('f', {}, { versions: 2, aliases: { live: '1' } });
    fake.addDeploymentGroup('app', 'dg', { computePlatform: 'Lambda' });
    const appspec = JSON.stringify({
      version: 0.0,
      Resources: [{ fn: { Type: 'AWS::Lambda::Function', Properties: { Name: 'f', Alias: 'live', CurrentVersion: '1', TargetVersion: '2' } } }],
    });
    const revision = JSON.stringify({ revisionType: 'AppSpecContent', appSpecContent: { content: appspec } });
    const r = await run(
      fake,
      `
      id=$(aws deploy create-deployment --application-name app --deployment-group-name dg \\
        --deployment-config-name CodeDeployDefault.LambdaAllAtOnce --description "release 7" \\
        --revision '${revision}' --query deploymentId --output text)
      echo "id=$id"
      aws deploy wait deployment-successful --deployment-id "$id"
      aws deploy get-deployment --deployment-id "$id" --query deploymentInfo.status --output text
      aws lambda get-alias --function-name f --name live --query FunctionVersion --output text
      `,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/id=d-[A-Z0-9]{9}\n/);
    expect(r.stdout).toContain('Succeeded\n2\n');
    // The waiter (delay 15 s) made one GetDeployment: the first answer was final, so it never slept.
    expect(fake.calls()).toEqual(['codedeploy.CreateDeployment', 'codedeploy.GetDeployment', 'codedeploy.GetDeployment', 'lambda.GetAlias']);
    const [create] = fake.find('CreateDeployment');
    expect(create.params).toMatchObject({ applicationName: 'app', deploymentGroupName: 'dg', description: 'release 7' });
    expect(JSON.parse(create.params.revision.appSpecContent.content).Resources[0].fn.Properties.TargetVersion).toBe('2');
  });

  it('codedeploy: a failed deployment makes the waiter exit non-zero', async (ctx) => {
    const fake = await fresh(ctx);
    fake.addDeploymentGroup('app', 'dg', { computePlatform: 'ECS' });
    fake.failNextDeployment({ message: 'ECS task failed health checks' });
    const r = await run(
      fake,
      `
      id=$(aws deploy create-deployment --application-name app --deployment-group-name dg \\
        --revision '{"revisionType":"AppSpecContent","appSpecContent":{"content":"version: 0.0"}}' --query deploymentId --output text)
      if aws deploy wait deployment-successful --deployment-id "$id"; then echo waited-ok; else echo "wait rc=$?"; fi
      aws deploy get-deployment --deployment-id "$id" --query deploymentInfo.errorInformation.message --output text
      aws deploy create-deployment --application-name app --deployment-group-name nope --revision '{"revisionType":"AppSpecContent","appSpecContent":{"content":"x"}}' || echo "nogroup rc=$?"
      `,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('wait rc=255');
    expect(r.stderr).toContain('Waiter DeploymentSuccessful failed');
    expect(r.stdout).toContain('ECS task failed health checks');
    expect(r.stderr).toContain('DeploymentGroupDoesNotExistException');
    expect(fake.calls()).toEqual(['codedeploy.CreateDeployment', 'codedeploy.GetDeployment', 'codedeploy.GetDeployment', 'codedeploy.CreateDeployment']);
  });

  it('ecs: register a task definition from a file, update the service, wait for it to be stable', async (ctx) => {
    const fake = await fresh(ctx);
    fake.addEcsService('prod', 'web', { desiredCount: 2 });
    fake.addEcsService('prod', 'bg', { deploymentController: 'CODE_DEPLOY' });
    const taskdef = {
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      containerDefinitions: [{ name: 'app', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:abc123', essential: true, portMappings: [{ containerPort: 8080 }] }],
    };
    const r = await run(
      fake,
      `
      arn=$(aws ecs register-task-definition --cli-input-json file://taskdef.json --query taskDefinition.taskDefinitionArn --output text)
      echo "arn=$arn"
      aws ecs update-service --cluster prod --service web --task-definition "$arn" --query 'service.deployments[0].rolloutState' --output text
      aws ecs wait services-stable --cluster prod --services web
      aws ecs describe-task-definition --task-definition web --query 'taskDefinition.containerDefinitions[0].image' --output text
      aws ecs update-service --cluster prod --service bg --task-definition web:2 > /dev/null || echo "codedeploy rc=$?"
      `,
      { 'taskdef.json': JSON.stringify(taskdef) },
    );
    expect(r.stderr).toContain('Unable to update task definition on services with a CODE_DEPLOY deployment controller');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('arn=arn:aws:ecs:us-east-1:123456789012:task-definition/web:2\nIN_PROGRESS\n');
    expect(r.stdout).toContain('web:abc123');
    expect(r.stdout).toContain('codedeploy rc=254');
    expect(fake.calls()).toEqual([
      'ecs.RegisterTaskDefinition',
      'ecs.UpdateService',
      'ecs.DescribeServices',
      'ecs.DescribeTaskDefinition',
      'ecs.UpdateService',
    ]);
    expect(fake.find('RegisterTaskDefinition')[0].params).toEqual(taskdef);
    expect(fake.find('UpdateService')[0].params).toMatchObject({ cluster: 'prod', service: 'web' });
    const web = fake.state.ecs.clusters.prod.web.service;
    expect(web.taskDefinition).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
    expect(web.deployments).toHaveLength(1);
    expect(web.runningCount).toBe(2);
  });

  it('ecs: a rollout stays unstable for ecsSettlePolls DescribeServices calls; a missing service is a MISSING failure', async (ctx) => {
    // services-stable polls every 15 s, so tests keep ecsSettlePolls 0 when they wait; here describe-services shows the rollout.
    const fake = await fresh(ctx, { ecsSettlePolls: 1 });
    fake.addEcsService('prod', 'web');
    const r = await run(
      fake,
      `
      aws ecs register-task-definition --family web --container-definitions '[{"name":"app","image":"nginx"}]' > /dev/null
      aws ecs update-service --cluster prod --service web --task-definition web --desired-count 3 > /dev/null
      for i in 1 2; do
        aws ecs describe-services --cluster prod --services web --query 'services[0].[runningCount,length(deployments),deployments[0].rolloutState]' --output text
      done
      aws ecs describe-services --cluster prod --services nope --query 'failures[0].reason' --output text
      `,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1\t2\tIN_PROGRESS\n3\t1\tCOMPLETED\nMISSING\n');
  });

  it('s3: sync a directory with --delete, then nothing to do', async (ctx) => {
    const fake = await fresh(ctx);
    fake.putObject('site', 'old.txt', 'stale');
    fake.putObject('site', 'keep/same.txt', 'same');
    const r = await run(
      fake,
      `
      aws s3 sync dist s3://site --delete
      echo ---
      aws s3 sync dist s3://site --delete
      echo ---
      aws s3 ls s3://site --recursive
      `,
      { 'dist/index.html': '<h1>hi</h1>', 'dist/assets/app 1.js': 'console.log(1)', 'dist/keep/same.txt': 'new' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [first, second] = r.stdout.split('---\n');
    expect(first).toContain('upload: dist/index.html to s3://site/index.html');
    expect(first).toContain('delete: s3://site/old.txt');
    expect(second).toBe('');
    const objects = fake.state.s3.buckets.site.objects;
    expect(Object.keys(objects).sort()).toEqual(['assets/app 1.js', 'index.html', 'keep/same.txt']);
    expect(objects['index.html'].body.toString()).toBe('<h1>hi</h1>');
    expect(objects['index.html'].contentType).toBe('text/html');
    expect(objects['keep/same.txt'].body.toString()).toBe('new');
    const puts = fake.find('PutObject').map((x) => x.params.Key).sort();
    expect(puts).toEqual(['assets/app 1.js', 'index.html', 'keep/same.txt']);
    expect(fake.find('DeleteObject').map((x) => x.params)).toEqual([{ Bucket: 'site', Key: 'old.txt' }]);
    expect(fake.calls().filter((c) => c === 's3.ListObjectsV2').length).toBe(3);
    expect(r.stdout).toContain('assets/app 1.js');
    expect(fake.requests.every((x) => !x.error)).toBe(true);
  });

  it('cloudfront, cloudformation, ecr, sts: invalidation, stack outputs, image lookup, login', async (ctx) => {
    const fake = await fresh(ctx);
    fake.addDistribution('E2ABCDEF');
    fake.addStack('app-prod', { Url: 'https://example.com', BucketName: 'site' });
    fake.addEcrImage('web', ['abc123', 'latest']);
    const r = await run(
      fake,
      `
      aws cloudfront create-invalidation --distribution-id E2ABCDEF --paths '/*' /index.html --query Invalidation.Status --output text
      aws cloudformation describe-stacks --stack-name app-prod --query "Stacks[0].Outputs[?OutputKey=='Url'].OutputValue" --output text
      aws ecr describe-images --repository-name web --image-ids imageTag=abc123 --query 'imageDetails[0].imageTags' --output text
      if aws ecr describe-images --repository-name web --image-ids imageTag=missing > /dev/null 2>&1; then echo present; else echo absent; fi
      aws ecr batch-get-image --repository-name web --image-ids imageTag=latest --query 'images[0].imageId.imageTag' --output text
      aws ecr get-login-password
      aws sts get-caller-identity --query Account --output text
      aws cloudformation describe-stacks --stack-name nope 2>&1 || true
      `,
    );
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, 7)).toEqual(['InProgress', 'https://example.com', 'abc123\tlatest', 'absent', 'latest', 'fake-ecr-password', '123456789012']);
    expect(r.stdout).toContain('(ValidationError) when calling the DescribeStacks operation: Stack with id nope does not exist');
    expect(fake.calls()).toEqual([
      'cloudfront.CreateInvalidation',
      'cloudformation.DescribeStacks',
      'ecr.DescribeImages',
      'ecr.DescribeImages',
      'ecr.BatchGetImage',
      'ecr.GetAuthorizationToken',
      'sts.GetCallerIdentity',
      'cloudformation.DescribeStacks',
    ]);
    const [inv] = fake.find('CreateInvalidation');
    expect(inv.params.DistributionId).toBe('E2ABCDEF');
    expect(inv.params.InvalidationBatch.Paths).toEqual({ Quantity: 2, Items: ['/*', '/index.html'] });
    expect(fake.find('DescribeStacks')[0].params).toEqual({ StackName: 'app-prod' });
    expect(fake.find('DescribeImages')[1].error?.code).toBe('ImageNotFoundException');
  });

  it('deploy push: the bundle goes to the fake S3 (CLI gives that client no endpoint) and the revision is registered', async (ctx) => {
    const fake = await fresh(ctx);
    fake.addDeploymentGroup('a', 'dg');
    fake.addBucket('b');
    const r = await run(
      fake,
      `
      aws deploy push --application-name a --s3-location s3://b/k.zip --source app --description "build 5"
      aws deploy get-application-revision --application-name a --s3-location bucket=b,key=k.zip,bundleType=zip --query revisionInfo.description --output text
      `,
      { 'app/appspec.yml': 'version: 0.0\nos: linux\n', 'app/scripts/start.sh': 'echo start\n' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('To deploy with this revision, run:');
    expect(r.stdout).toContain('build 5');
    expect(fake.calls()).toEqual(['s3.PutObject', 'codedeploy.RegisterApplicationRevision', 'codedeploy.GetApplicationRevision']);
    const [put] = fake.find('PutObject');
    expect(put.params).toMatchObject({ Bucket: 'b', Key: 'k.zip' });
    expect(put.raw.headers['x-fake-aws-redirected-from']).toMatch(/amazonaws\.com$/);
    const bundle = fake.state.s3.buckets.b.objects['k.zip'];
    const [reg] = fake.find('RegisterApplicationRevision');
    expect(reg.params.revision).toEqual({
      revisionType: 'S3',
      s3Location: { bucket: 'b', key: 'k.zip', bundleType: 'zip', eTag: bundle.etag.replace(/"/g, '') },
    });
    writeFileSync(join(r.dir, 'bundle.zip'), bundle.body);
    const names = execFileSync(PYTHON, ['-c', 'import sys,zipfile; print(sorted(zipfile.ZipFile(sys.argv[1]).namelist()))', join(r.dir, 'bundle.zip')], { encoding: 'utf8' });
    expect(names.trim()).toBe("['appspec.yml', 'scripts/start.sh']");
  });

  it('unknown operations are answered 400 and recorded', async (ctx) => {
    const fake = await fresh(ctx);
    const r = await run(fake, 'aws ecs list-clusters || echo "rc=$?"\naws lambda list-functions || echo "rc=$?"');
    expect(r.stdout).toBe('rc=254\nrc=254\n');
    expect(r.stderr).toContain('(FakeAwsUnsupportedOperation) when calling the ListClusters operation: fake-aws does not implement ecs:ListClusters');
    expect(fake.requests.map((x) => [x.service, x.operation, x.status, x.error?.code])).toEqual([
      ['ecs', 'ListClusters', 400, 'FakeAwsUnsupportedOperation'],
      ['lambda', 'ListFunctions', 400, 'FakeAwsUnsupportedOperation'],
    ]);
  });
});

describe('fake AWS endpoint in a worker thread', () => {
  it('answers while this thread waits in spawnSync (runBuildspec); state, seeding and handlers go through the thread', async (ctx) => {
    const fake = await startFakeAwsThread({
      handlers: { sts: { GetCallerIdentity: () => ({ Account: '999999999999', Arn: 'arn:aws:iam::999999999999:user/ci', UserId: 'AIDACI' }) } },
    });
    ctx.onTestFinished(() => fake.close());
    fake.addBucket('b');
    fake.addFunction('f', { MemorySize: 256 });
    fake.update((state, polls) => {
      state.lambda.updatePolls = polls;
    }, 2);
    expect(fake.state.lambda.updatePolls).toBe(2);
    const dir = workdir({ 'a.txt': 'hello' });
    const r = runBuildspec(
      {
        version: 0.2,
        phases: {
          build: {
            commands: [
              'aws s3 cp a.txt s3://b/a.txt',
              'aws sts get-caller-identity --query Account --output text',
              'aws lambda get-function-configuration --function-name f --query MemorySize',
            ],
          },
        },
      },
      dir,
      fake.env(),
    );
    expect(r.log).toContain('999999999999');
    expect(r.succeeded).toBe(true);
    expect(fake.calls()).toEqual(['s3.PutObject', 'sts.GetCallerIdentity', 'lambda.GetFunctionConfiguration']);
    expect(fake.requests[0].raw.body.toString()).toBe('hello');
    expect(fake.state.s3.buckets.b.objects['a.txt'].body.toString()).toBe('hello');
    expect(r.log).toContain('256');
  });
});
