/**
 * Lambda: a function with alias `live`, a CodeDeploy deployment group that
 * shifts the alias (all at once, canary or linear) with before/after traffic
 * hooks, and a deploy action running scripts/deploy/lambda.sh, which
 * publishes the new version and starts the deployment.
 */
import { join } from 'node:path';
import {
  Duration,
  RemovalPolicy,
  aws_cloudwatch as cloudwatch,
  aws_codedeploy as codedeploy,
  aws_codepipeline_actions as actions,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { needsImage } from '../../model/layout';
import { NODE } from '../../model/node-version';
import type { EnvironmentPlan } from '../../model/plan';
import { packageRoot } from '../../package-info';
import { scriptDeployProject } from '../deploy-project';
import { grantCodeDeploy } from '../grants';
import type { EnvironmentTarget, Shared } from '../shared';

/** Until the first release the function answers the health check from placeholder code; the deploy replaces code, runtime and handler. */
function placeholder(healthPath: string): lambda.Code {
  return lambda.Code.fromInline(
    `exports.handler = async (event) => ({ statusCode: event && event.rawPath === ${JSON.stringify(healthPath)} ? 200 : 404, body: '{"status":"placeholder"}' });`,
  );
}

/**
 * A container function needs an image before the pipeline has pushed one: a small bootstrap image from this package
 * (assets/lambda-bootstrap), built and published by `cdk deploy` as a CDK asset, answers the health check until the
 * first release points the function at the app's image in the service's repository.
 */
function bootstrapImage(healthPath: string): lambda.DockerImageCode {
  return lambda.DockerImageCode.fromImageAsset(join(packageRoot(), 'assets', 'lambda-bootstrap'), { buildArgs: { HEALTH_PATH: healthPath, BASE_IMAGE: NODE.lambdaImage } });
}

/** The model's Node.js Lambda runtime, as the installed aws-cdk-lib knows it (the placeholder's and the hooks'). */
export function nodeRuntime(): lambda.Runtime {
  const runtime = lambda.Runtime.ALL.find((r) => r.name === NODE.lambdaRuntime && !r.isVariable);
  if (!runtime) throw new Error(`aws-cdk-lib does not know the Lambda runtime ${NODE.lambdaRuntime}: upgrade aws-cdk-lib`);
  return runtime;
}

/** A traffic hook: invokes the function's health route and reports the result to CodeDeploy. */
function hookCode(healthPath: string, qualifier: string): lambda.Code {
  return lambda.Code.fromInline(`
const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
exports.handler = async (event) => {
  let status = 'Succeeded';
  try {
    const res = await new LambdaClient({}).send(new InvokeCommand({
      FunctionName: process.env.FUNCTION_NAME, Qualifier: ${JSON.stringify(qualifier)},
      Payload: JSON.stringify({ rawPath: ${JSON.stringify(healthPath)}, requestContext: { http: { method: 'GET' } } }),
    }));
    const body = JSON.parse(Buffer.from(res.Payload).toString());
    if (res.FunctionError || body.statusCode !== 200) status = 'Failed';
  } catch (err) {
    console.error(err);
    status = 'Failed';
  }
  await new CodeDeployClient({}).send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, status,
  }));
};`);
}

export function lambdaTarget(shared: Shared, plan: EnvironmentPlan): EnvironmentTarget {
  const { config } = shared;
  const { environment, names } = plan;
  const d = config.deployment;
  if (d.kind !== 'codedeploy-lambda') throw new Error(`lambda target with ${d.kind}`);
  const scope = new Construct(shared.scope, `Lambda-${environment}`);
  const logGroup = (id: string) => new logs.LogGroup(scope, id, { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });

  const fn = needsImage(config)
    ? new lambda.DockerImageFunction(scope, 'Function', {
      functionName: names.function,
      code: bootstrapImage(config.healthCheckPath),
      timeout: Duration.seconds(10),
      logGroup: logGroup('Logs'),
    })
    : new lambda.Function(scope, 'Function', {
      functionName: names.function,
      // The placeholder's runtime; the first deploy sets the app's own (the toolchain's lambda runtime).
      runtime: nodeRuntime(),
      handler: 'index.handler',
      code: placeholder(config.healthCheckPath),
      timeout: Duration.seconds(10),
      logGroup: logGroup('Logs'),
    });
  const alias = new lambda.Alias(scope, 'Live', { aliasName: names.alias, version: fn.currentVersion });
  if (needsImage(config)) {
    // Lambda pulls the release's image from the service's repository (the function is in this account and Region).
    shared.repository().addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('lambda.amazonaws.com')],
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        conditions: { StringLike: { 'aws:sourceArn': fn.functionArn } },
      }),
    );
  }

  const alarms = [
    new cloudwatch.Alarm(scope, 'Errors', {
      alarmDescription: 'The live alias throws: the deployment rolls back',
      metric: alias.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: shared.errorThreshold,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, 'Latency', {
      alarmDescription: 'p99 duration too high: the deployment rolls back',
      metric: alias.metricDuration({ period: Duration.minutes(1), statistic: 'p99' }),
      threshold: shared.latencyThresholdMs,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  ];

  // The hooks appspec.yml names (scripts/deploy/lambda.sh fills in this environment's).
  const hook = (id: string, name: string, qualifier: string) =>
    new lambda.Function(scope, id, {
      functionName: name,
      runtime: nodeRuntime(),
      handler: 'index.handler',
      code: hookCode(config.healthCheckPath, qualifier),
      timeout: Duration.seconds(30),
      environment: { FUNCTION_NAME: names.function },
      logGroup: logGroup(`${id}Logs`),
    });
  const preHook = hook('BeforeAllowTraffic', names.beforeAllowTrafficHook!, '$LATEST');
  const postHook = hook('AfterAllowTraffic', names.afterAllowTrafficHook!, names.alias);
  fn.grantInvoke(preHook);
  fn.grantInvoke(postHook);

  const deploymentGroup = new codedeploy.LambdaDeploymentGroup(scope, 'DeploymentGroup', {
    application: shared.lambdaApplication(),
    deploymentGroupName: names.deploymentGroup,
    alias,
    deploymentConfig: codedeploy.LambdaDeploymentConfig.fromLambdaDeploymentConfigName(scope, 'Config', d.config),
    alarms,
    preHook,
    postHook,
    autoRollback: { failedDeployment: true, deploymentInAlarm: true, stoppedDeployment: true },
  });

  const deployTarget: LambdaDeployTarget = {
    functionArn: fn.functionArn,
    applicationArn: shared.lambdaApplication().applicationArn,
    deploymentGroupArn: deploymentGroup.deploymentGroupArn,
    deploymentConfigArn: deploymentGroup.deploymentConfig.deploymentConfigArn,
  };
  return {
    alarms,
    grantDeploy: (grantee) => {
      grantLambdaDeploy(shared, grantee, deployTarget);
      if (needsImage(config)) {
        iam.Grant.addToPrincipal({ grantee, actions: ['ecr:DescribeImages'], resourceArns: [shared.repository().repositoryArn] });
        if (plan.first) shared.repository().grantPullPush(grantee);
      }
    },
    // The CodeBuild project exists only for the pipeline that runs it (GitHub Actions runs the script itself).
    actions: (input, runOrder) => [new actions.CodeBuildAction({ actionName: 'Deploy', project: lambdaDeployProject(scope, shared, plan, deployTarget), input, runOrder })],
  };
}

export interface LambdaDeployTarget {
  readonly functionArn: string;
  readonly applicationArn: string;
  readonly deploymentGroupArn: string;
  readonly deploymentConfigArn: string;
}

/** The CodeBuild project that runs scripts/deploy/lambda.sh for one environment, allowed exactly that. */
export function lambdaDeployProject(scope: Construct, shared: Shared, plan: EnvironmentPlan, t: LambdaDeployTarget) {
  const project = scriptDeployProject(scope, shared, plan, `Publishes ${plan.names.function} and shifts alias ${plan.names.alias} with CodeDeploy`);
  grantLambdaDeploy(shared, project, t);
  return project;
}

/** scripts/deploy/lambda.sh: new code (and runtime), wait for it, publish a version, read the alias, start and follow the deployment. */
export function grantLambdaDeploy(shared: Shared, grantee: iam.IGrantable, t: LambdaDeployTarget): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:GetFunction', 'lambda:PublishVersion', 'lambda:GetAlias'],
    resourceArns: [t.functionArn, `${t.functionArn}:*`],
  });
  // Lambda checks that whoever points a function at an image may read it.
  if (needsImage(shared.config)) iam.Grant.addToPrincipal({ grantee, actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], resourceArns: [shared.repository().repositoryArn] });
  grantCodeDeploy(grantee, { application: t.applicationArn, deploymentGroup: t.deploymentGroupArn, deploymentConfig: t.deploymentConfigArn });
}
