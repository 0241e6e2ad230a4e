/**
 * Lambda: a function with alias `live`, a CodeDeploy deployment group that
 * shifts the alias (all at once, canary or linear) with before/after traffic
 * hooks, and a deploy action that publishes the new version and starts the
 * deployment.
 */
import {
  Duration,
  RemovalPolicy,
  aws_cloudwatch as cloudwatch,
  aws_codebuild as codebuild,
  aws_codedeploy as codedeploy,
  aws_codepipeline_actions as actions,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LAMBDA_ALIAS } from '../../render/appspec';
import { lambdaHookNames, needsImage } from '../../render/kinds';
import { renderLambdaDeploySpec } from '../../render/lambda-deploy';
import { grantCodeDeploy } from '../grants';
import type { EnvironmentTarget, Shared } from '../shared';

/** Until the first release the function answers the health check from placeholder code; the deploy replaces code, runtime and handler. */
function placeholder(healthPath: string): lambda.Code {
  return lambda.Code.fromInline(
    `exports.handler = async (event) => ({ statusCode: event && event.rawPath === ${JSON.stringify(healthPath)} ? 200 : 404, body: '{"status":"placeholder"}' });`,
  );
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

export function lambdaTarget(shared: Shared, environment: string): EnvironmentTarget {
  const { config } = shared;
  const d = config.deployment;
  if (d.kind !== 'codedeploy-lambda') throw new Error(`lambda target with ${d.kind}`);
  const scope = new Construct(shared.scope, `Lambda-${environment}`);
  const functionName = `${config.names.lambdaFunction}-${environment}`;
  const logGroup = (id: string) => new logs.LogGroup(scope, id, { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });

  const fn = needsImage(config)
    ? new lambda.DockerImageFunction(scope, 'Function', {
        functionName,
        // The first image comes from the pipeline's first build (tag `bootstrap`: see docs/pipeline.md).
        code: lambda.DockerImageCode.fromEcr(shared.repository(), { tagOrDigest: 'bootstrap' }),
        timeout: Duration.seconds(10),
        logGroup: logGroup('Logs'),
      })
    : new lambda.Function(scope, 'Function', {
        functionName,
        // The placeholder's runtime; the first deploy sets the app's own (LAMBDA_PACKAGES).
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: placeholder(config.healthCheckPath),
        timeout: Duration.seconds(10),
        logGroup: logGroup('Logs'),
      });
  const alias = new lambda.Alias(scope, 'Live', { aliasName: LAMBDA_ALIAS, version: fn.currentVersion });

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

  const hookNames = lambdaHookNames({ name: `${config.name}-${environment}` });
  const hook = (id: string, name: string, qualifier: string) =>
    new lambda.Function(scope, id, {
      functionName: name,
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: hookCode(config.healthCheckPath, qualifier),
      timeout: Duration.seconds(30),
      environment: { FUNCTION_NAME: functionName },
      logGroup: logGroup(`${id}Logs`),
    });
  const preHook = hook('BeforeAllowTraffic', hookNames.beforeAllowTraffic, '$LATEST');
  const postHook = hook('AfterAllowTraffic', hookNames.afterAllowTraffic, LAMBDA_ALIAS);
  fn.grantInvoke(preHook);
  fn.grantInvoke(postHook);

  const deploymentGroupName = `${config.name}-${environment}`;
  const deploymentGroup = new codedeploy.LambdaDeploymentGroup(scope, 'DeploymentGroup', {
    application: shared.lambdaApplication(),
    deploymentGroupName,
    alias,
    deploymentConfig: codedeploy.LambdaDeploymentConfig.fromLambdaDeploymentConfigName(scope, 'Config', d.config),
    alarms,
    preHook,
    postHook,
    autoRollback: { failedDeployment: true, deploymentInAlarm: true, stoppedDeployment: true },
  });

  const deployTarget: LambdaDeployTarget = {
    functionName,
    functionArn: fn.functionArn,
    applicationName: shared.lambdaApplication().applicationName,
    applicationArn: shared.lambdaApplication().applicationArn,
    deploymentGroupName,
    deploymentGroupArn: deploymentGroup.deploymentGroupArn,
    deploymentConfigArn: deploymentGroup.deploymentConfig.deploymentConfigArn,
  };
  const project = lambdaDeployProject(scope, shared, environment, deployTarget);
  if (needsImage(config)) shared.repository().grantPull(fn);

  return {
    alarms,
    grantDeploy: (grantee) => {
      grantLambdaDeploy(grantee, deployTarget);
      if (needsImage(config)) shared.repository().grantPullPush(grantee);
    },
    actions: (input, runOrder) => [new actions.CodeBuildAction({ actionName: 'Deploy', project, input, runOrder })],
  };
}

export interface LambdaDeployTarget {
  readonly functionName: string;
  readonly functionArn: string;
  readonly applicationName: string;
  readonly applicationArn: string;
  readonly deploymentGroupName: string;
  readonly deploymentGroupArn: string;
  readonly deploymentConfigArn: string;
}

/** The CodeBuild project that publishes a version and starts the CodeDeploy deployment, allowed exactly that. */
export function lambdaDeployProject(scope: Construct, shared: Shared, environment: string, t: LambdaDeployTarget): codebuild.PipelineProject {
  const { config } = shared;
  const project = new codebuild.PipelineProject(scope, 'Deploy', {
    projectName: `${config.name}-deploy-${environment}`,
    description: `Publishes ${t.functionName} and shifts alias ${LAMBDA_ALIAS} with CodeDeploy`,
    buildSpec: codebuild.BuildSpec.fromObject(renderLambdaDeploySpec(config)),
    environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.SMALL },
    encryptionKey: shared.key,
    environmentVariables: {
      FUNCTION_NAME: { value: t.functionName },
      APPLICATION_NAME: { value: t.applicationName },
      DEPLOYMENT_GROUP_NAME: { value: t.deploymentGroupName },
    },
    logging: { cloudWatch: { logGroup: new logs.LogGroup(scope, 'DeployLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }) } },
    timeout: Duration.minutes(90),
  });
  grantLambdaDeploy(project, t);
  return project;
}

/** Publish a version of the function and shift its alias with CodeDeploy. */
export function grantLambdaDeploy(grantee: iam.IGrantable, t: LambdaDeployTarget): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:GetFunctionConfiguration', 'lambda:PublishVersion', 'lambda:GetAlias'],
    resourceArns: [t.functionArn, `${t.functionArn}:*`],
  });
  grantCodeDeploy(grantee, { application: t.applicationArn, deploymentGroup: t.deploymentGroupArn, deploymentConfig: t.deploymentConfigArn });
}
