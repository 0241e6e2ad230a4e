/**
 * ECS Fargate behind an ALB. CodeDeploy blue/green (all-at-once, canary,
 * linear) with production and test listeners and two target groups, or an
 * ECS rolling update. Either way a release registers the environment's task
 * definition from the repo's taskdef.json (family, roles, log group from the
 * plan), so the image runs its own entrypoint.
 */
import {
  Arn,
  Duration,
  RemovalPolicy,
  Stack,
  aws_codedeploy as codedeploy,
  aws_codepipeline as codepipeline,
  aws_codepipeline_actions as actions,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_elasticloadbalancingv2 as elbv2,
  aws_iam as iam,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TEST_LISTENER_PORT } from '../../model/plan';
import type { EnvironmentPlan } from '../../model/plan';
import { ECS_TERMINATION_WAIT_MINUTES, taskdefFile } from '../../model/release';
import { TOKENS } from '../../model/tokens';
import { loadBalancerAlarmNames, loadBalancerAlarms } from '../alarms';
import { scriptDeployProject } from '../deploy-project';
import { grantCodeDeploy, grantEcsDeploy } from '../grants';
import { serviceUrlKey, servingListener } from '../listeners';
import type { EnvironmentTarget, Shared } from '../shared';

/**
 * Until the first release, the service runs a stand-in that answers the
 * health check (the repository is still empty), so the first deploy of the
 * stack ends with a healthy service. Its command stays in the stack's own
 * revision: releases register taskdef.json, which overrides nothing.
 */
function standIn(port: number, healthPath: string): { image: ecs.ContainerImage; command: string[] } {
  const file = `/srv${healthPath}`;
  return {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-alpine'),
    command: ['sh', '-c', `mkdir -p "$(dirname '${file}')" && echo ok > '${file}' && cd /srv && exec python -m http.server ${port}`],
  };
}

export function ecsTarget(shared: Shared, plan: EnvironmentPlan): EnvironmentTarget {
  const { config } = shared;
  const { environment, names } = plan;
  const d = config.deployment;
  if (d.kind !== 'codedeploy-ecs' && d.kind !== 'ecs-rolling') throw new Error(`ecs target with ${d.kind}`);
  const scope = new Construct(shared.scope, `Ecs-${environment}`);
  const vpc = shared.vpc();
  const roles = shared.taskRoles();

  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'Task', {
    family: names.taskFamily,
    cpu: 256,
    memoryLimitMiB: 512,
    executionRole: roles.execution,
    taskRole: roles.task,
  });
  // The group taskdef.json's awslogs driver writes to.
  const logGroup = new logs.LogGroup(scope, 'Logs', { logGroupName: names.logGroup, retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  const first = standIn(config.port, config.healthCheckPath);
  taskDefinition.addContainer('App', {
    containerName: names.container,
    image: first.image,
    command: first.command,
    portMappings: [{ containerPort: config.port }],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: names.container, logGroup }),
  });

  const lb = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', { vpc, internetFacing: true, dropInvalidHeaderFields: true });
  lb.logAccessLogs(shared.accessLogs, `alb/${environment}`);
  const { listener, url } = servingListener(lb, shared, 'Production');
  const outputs = { [serviceUrlKey(environment)]: url };
  const healthCheck = { path: config.healthCheckPath, interval: Duration.seconds(15), healthyThresholdCount: 2 };
  const service = new ecs.FargateService(scope, 'Service', {
    cluster: shared.cluster(),
    serviceName: names.service,
    taskDefinition,
    desiredCount: 2,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    deploymentController: { type: d.kind === 'codedeploy-ecs' ? ecs.DeploymentControllerType.CODE_DEPLOY : ecs.DeploymentControllerType.ECS },
    ...(d.kind === 'ecs-rolling'
      ? { minHealthyPercent: d.minimumHealthyPercent, maxHealthyPercent: d.maximumPercent, circuitBreaker: { enable: true, rollback: true } }
      : // CodeDeploy replaces the task set whole; the service itself never runs fewer tasks than desired.
      { minHealthyPercent: 100 }),
  });
  service.connections.allowFrom(lb, ec2.Port.tcp(config.port), 'the load balancer reaches the app');
  const alarmNames = loadBalancerAlarmNames(names.service);
  const alarms = loadBalancerAlarms(scope, shared, lb, alarmNames);

  /** scripts/deploy/ecs.sh: registers the environment's task definition (passing its two roles) and updates this service. */
  const grantEcs = (grantee: iam.IGrantable) =>
    grantEcsDeploy(grantee, { serviceArn: service.serviceArn, roleArns: [roles.execution.roleArn, roles.task.roleArn], rolling: d.kind === 'ecs-rolling' });

  if (d.kind === 'ecs-rolling') {
    listener.addTargets('App', { port: config.port, protocol: elbv2.ApplicationProtocol.HTTP, targets: [service], healthCheck, deregistrationDelay: Duration.seconds(30) });
    // By name, the alarms created first (as a Ref would order them).
    service.enableDeploymentAlarms([alarmNames.errors, alarmNames.latency], { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM });
    service.node.addDependency(...alarms);
    const project = scriptDeployProject(scope, shared, plan, `Registers ${names.taskFamily} from taskdef.json and rolls ${names.service} to it`, [taskdefFile(environment)]);
    grantEcs(project);
    return {
      alarms,
      outputs,
      grantDeploy: (grantee) => {
        grantEcs(grantee);
        grantImage(shared, plan, grantee);
      },
      actions: (input, runOrder) => [new actions.CodeBuildAction({ actionName: 'Deploy', project, input, runOrder })],
    };
  }

  const targetGroup = (id: string) =>
    new elbv2.ApplicationTargetGroup(scope, id, { vpc, port: config.port, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP, healthCheck, deregistrationDelay: Duration.seconds(30) });
  const blue = targetGroup('Blue');
  const green = targetGroup('Green');
  listener.addTargetGroups('Blue', { targetGroups: [blue] });
  const testListener = lb.addListener('Test', { port: TEST_LISTENER_PORT, protocol: elbv2.ApplicationProtocol.HTTP, open: false, defaultTargetGroups: [green] });
  service.attachToApplicationTargetGroup(blue);

  const deploymentGroup = new codedeploy.EcsDeploymentGroup(scope, 'DeploymentGroup', {
    application: shared.ecsApplication(),
    deploymentGroupName: names.deploymentGroup,
    service,
    blueGreenDeploymentConfig: { blueTargetGroup: blue, greenTargetGroup: green, listener, testListener, terminationWaitTime: Duration.minutes(ECS_TERMINATION_WAIT_MINUTES) },
    deploymentConfig: codedeploy.EcsDeploymentConfig.fromEcsDeploymentConfigName(scope, 'Config', d.config),
    alarms,
    autoRollback: { failedDeployment: true, deploymentInAlarm: true, stoppedDeployment: true },
  });
  return {
    alarms,
    outputs,
    grantDeploy: (grantee) => {
      grantEcs(grantee);
      grantImage(shared, plan, grantee);
      grantCodeDeploy(grantee, {
        application: shared.ecsApplication().applicationArn,
        deploymentGroup: deploymentGroup.deploymentGroupArn,
        deploymentConfig: deploymentGroup.deploymentConfig.deploymentConfigArn,
      });
    },
    actions: (input, runOrder) => [codeDeployEcsAction(scope, shared, plan, deploymentGroup, input, runOrder)],
  };
}

/**
 * GitHub Actions' image step (scripts/deploy/push-image.sh): the first environment logs in and pushes this commit's
 * image unless it is there; later ones only check that it is (ecr:DescribeImages).
 */
export function grantImage(shared: Shared, plan: EnvironmentPlan, grantee: iam.IGrantable): void {
  const repository = shared.repository();
  iam.Grant.addToPrincipal({ grantee, actions: ['ecr:DescribeImages'], resourceArns: [repository.repositoryArn] });
  if (plan.first) repository.grantPullPush(grantee);
}

/**
 * The CodeDeploy-to-ECS action reading the build's appspec.yml, the environment's taskdef and imageDetail.json.
 * Its role is ours, not the one CodePipeline would make: that one may pass any role to ECS tasks. This one passes
 * exactly the environment's two task roles (`role`: another account's deploy role, cross-account production).
 */
export function codeDeployEcsAction(
  scope: Construct,
  shared: Shared,
  plan: EnvironmentPlan,
  deploymentGroup: codedeploy.IEcsDeploymentGroup,
  input: codepipeline.Artifact,
  runOrder: number,
  role?: iam.IRole,
): actions.CodeDeployEcsDeployAction {
  let actionRole = role;
  if (!actionRole) {
    const stack = Stack.of(scope);
    const own = new iam.Role(scope, 'DeployActionRole', {
      assumedBy: new iam.AccountPrincipal(stack.account),
      description: `CodePipeline's CodeDeploy-to-ECS action for ${plan.names.service}`,
    });
    const account = shared.accountOf(plan);
    const roleArns = [plan.names.executionRole, plan.names.taskRole].map((name) => Arn.format({ service: 'iam', region: '', account, resource: 'role', resourceName: name }, stack));
    own.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['codedeploy:GetApplication', 'codedeploy:GetApplicationRevision', 'codedeploy:RegisterApplicationRevision'], resources: [deploymentGroup.application.applicationArn] }));
    own.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'], resources: [deploymentGroup.deploymentGroupArn] }));
    own.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['codedeploy:GetDeploymentConfig'], resources: [deploymentGroup.deploymentConfig.deploymentConfigArn] }));
    grantEcsDeploy(own, { roleArns, rolling: false });
    shared.artifactBucket().grantRead(own);
    shared.key.grantDecrypt(own);
    // The action's own grants (among them iam:PassRole on every role) go nowhere: it takes this role as it is.
    actionRole = own.withoutPolicyUpdates();
  }
  return new actions.CodeDeployEcsDeployAction({
    actionName: 'Deploy',
    deploymentGroup,
    // We emit appspec.yml; the action's default is appspec.yaml.
    appSpecTemplateFile: input.atPath('appspec.yml'),
    taskDefinitionTemplateFile: input.atPath(taskdefFile(plan.environment)),
    containerImageInputs: [{ input, taskDefinitionPlaceholder: TOKENS.imagePlaceholder }],
    runOrder,
    role: actionRole,
  });
}
