/**
 * Synth time of the generated pipeline stack per target (with the cdk-nag
 * checks a generated app runs), against a hand-written minimal stack that
 * deploys the same target the same way (pipeline, build, one deploy action,
 * the target; no alarms, approvals, notifications or checks), measured in
 * the same run, interleaved. Prints medians and the ratio.
 *
 *   npx projen bench:synth [runs]
 */
import { performance } from 'node:perf_hooks';
import {
  App,
  Stack,
  aws_autoscaling as autoscaling,
  aws_codebuild as codebuild,
  aws_codedeploy as codedeploy,
  aws_codepipeline as codepipeline,
  aws_codepipeline_actions as actions,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_lambda as lambda,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { report } from './util';
import { AwsPipelineStack, addPipelineChecks } from '../src/constructs';

type Target = 'ec2' | 'ecs' | 'lambda' | 's3-site';
const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

function ours(target: Target): void {
  const app = new App();
  new AwsPipelineStack(app, 'Ours', { name: 'svc', target, account: '123456789012', connectionArn: CONNECTION });
  addPipelineChecks(app);
  app.synth();
}

/** The least a hand-written stack needs to deploy the target from GitHub through CodeBuild. */
function minimal(target: Target): void {
  const app = new App();
  const stack = new Stack(app, 'Minimal', { env: { account: '123456789012', region: 'us-east-1' } });
  const source = new codepipeline.Artifact();
  const built = new codepipeline.Artifact();
  const pipeline = new codepipeline.Pipeline(stack, 'Pipeline', { pipelineType: codepipeline.PipelineType.V2 });
  pipeline.addStage({ stageName: 'Source', actions: [new actions.CodeStarConnectionsSourceAction({ actionName: 'Source', owner: 'o', repo: 'r', connectionArn: CONNECTION, output: source })] });
  const project = new codebuild.PipelineProject(stack, 'Build');
  pipeline.addStage({ stageName: 'Build', actions: [new actions.CodeBuildAction({ actionName: 'Build', project, input: source, outputs: [built] })] });
  let deploy: codepipeline.IAction;
  if (target === 'ec2') {
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const group = new autoscaling.AutoScalingGroup(stack, 'Fleet', { vpc, instanceType: new ec2.InstanceType('t3.small'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    const deploymentGroup = new codedeploy.ServerDeploymentGroup(stack, 'Group', { autoScalingGroups: [group] });
    deploy = new actions.CodeDeployServerDeployAction({ actionName: 'Deploy', input: built, deploymentGroup });
  } else if (target === 'ecs') {
    const cluster = new ecs.Cluster(stack, 'Cluster');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-alpine') });
    const service = new ecs.FargateService(stack, 'Service', { cluster, taskDefinition: task });
    deploy = new actions.EcsDeployAction({ actionName: 'Deploy', service, input: built });
  } else if (target === 'lambda') {
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>({})') });
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    new codedeploy.LambdaDeploymentGroup(stack, 'Group', { alias });
    deploy = new actions.CodeBuildAction({ actionName: 'Deploy', project: new codebuild.PipelineProject(stack, 'Deploy'), input: built });
  } else {
    deploy = new actions.S3DeployAction({ actionName: 'Deploy', bucket: new s3.Bucket(stack, 'Site'), input: built });
  }
  pipeline.addStage({ stageName: 'Deploy', actions: [deploy] });
  app.synth();
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const runs = Number(process.argv[2] ?? 5);
// Warm both paths once so module loading is not measured.
ours('s3-site');
minimal('s3-site');
const rows = ['| target | ours (ms) | hand-written minimal (ms) | ratio |', '| --- | --- | --- | --- |'];
for (const target of ['ec2', 'ecs', 'lambda', 's3-site'] as Target[]) {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(time(() => ours(target)));
    b.push(time(() => minimal(target)));
  }
  const [ma, mb] = [median(a), median(b)];
  rows.push(`| ${target} | ${ma.toFixed(0)} | ${mb.toFixed(0)} | ${(ma / mb).toFixed(2)}x |`);
}
report('Synth of the pipeline stack per target', [`median of ${runs}, interleaved; ours includes the cdk-nag checks a generated app runs`, '', ...rows]);
