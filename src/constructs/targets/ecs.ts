/**
 * ECS Fargate behind an ALB. CodeDeploy blue/green (all-at-once, canary,
 * linear) with production and test listeners and two target groups, or an
 * ECS rolling update (EcsDeployAction and imagedefinitions.json).
 */
import {
  Duration,
  RemovalPolicy,
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
import { loadBalancerAlarms } from '../alarms';
import { grantCodeDeploy } from '../grants';
import type { EnvironmentTarget, Shared } from '../shared';

/** The ALB port of the test listener CodeDeploy uses before it moves production traffic. */
export const TEST_LISTENER_PORT = 8443;

/**
 * Until the first release, the service runs a stand-in that answers the
 * health check (the repository is still empty), so the first deploy of the
 * stack ends with a healthy service.
 */
function standIn(port: number, healthPath: string): { image: ecs.ContainerImage; command: string[] } {
  const file = `/srv${healthPath}`;
  return {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-alpine'),
    command: ['sh', '-c', `mkdir -p "$(dirname '${file}')" && echo ok > '${file}' && cd /srv && exec python -m http.server ${port}`],
  };
}

export function ecsTarget(shared: Shared, environment: string): EnvironmentTarget {
  const { config } = shared;
  const d = config.deployment;
  if (d.kind !== 'codedeploy-ecs' && d.kind !== 'ecs-rolling') throw new Error(`ecs target with ${d.kind}`);
  const scope = new Construct(shared.scope, `Ecs-${environment}`);
  const vpc = shared.vpc();
  const roles = shared.taskRoles();

  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'Task', {
    family: `${config.name}-${environment}`,
    cpu: 256,
    memoryLimitMiB: 512,
    executionRole: roles.execution,
    taskRole: roles.task,
  });
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  const first = standIn(config.port, config.healthCheckPath);
  taskDefinition.addContainer('App', {
    containerName: config.name,
    image: first.image,
    command: first.command,
    // The app listens on the configured port by default: no environment needed.
    portMappings: [{ containerPort: config.port }],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: config.name, logGroup }),
  });

  const lb = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', { vpc, internetFacing: true, dropInvalidHeaderFields: true });
  lb.logAccessLogs(shared.accessLogs, `alb/${environment}`);
  const listener = lb.addListener('Production', { port: 80, open: true });
  const healthCheck = { path: config.healthCheckPath, interval: Duration.seconds(15), healthyThresholdCount: 2 };
  const service = new ecs.FargateService(scope, 'Service', {
    cluster: shared.cluster(),
    serviceName: `${config.name}-${environment}`,
    taskDefinition,
    desiredCount: 2,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    deploymentController: { type: d.kind === 'codedeploy-ecs' ? ecs.DeploymentControllerType.CODE_DEPLOY : ecs.DeploymentControllerType.ECS },
    ...(d.kind === 'ecs-rolling'
      ? { minHealthyPercent: d.minimumHealthyPercent, maxHealthyPercent: d.maximumPercent, circuitBreaker: { enable: true, rollback: true } }
      : {}),
  });
  service.connections.allowFrom(lb, ec2.Port.tcp(config.port), 'the load balancer reaches the app');
  const alarms = loadBalancerAlarms(scope, shared, lb);

  /** The workflow registers a task definition from the current one, with the new image, and updates the service. */
  const grantEcs = (grantee: iam.IGrantable) => {
    shared.repository().grantPullPush(grantee);
    iam.Grant.addToPrincipal({ grantee, actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'], resourceArns: ['*'] });
    iam.Grant.addToPrincipal({ grantee, actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resourceArns: [service.serviceArn] });
    roles.execution.grantPassRole(grantee.grantPrincipal);
    roles.task.grantPassRole(grantee.grantPrincipal);
  };

  if (d.kind === 'ecs-rolling') {
    listener.addTargets('App', { port: config.port, protocol: elbv2.ApplicationProtocol.HTTP, targets: [service], healthCheck, deregistrationDelay: Duration.seconds(30) });
    service.enableDeploymentAlarms(alarms.map((a) => a.alarmName), { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM });
    return {
      alarms,
      grantDeploy: grantEcs,
      actions: (input, runOrder, role) => [new actions.EcsDeployAction({ actionName: 'Deploy', service, imageFile: input.atPath('imagedefinitions.json'), runOrder, role })],
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
    deploymentGroupName: `${config.name}-${environment}`,
    service,
    blueGreenDeploymentConfig: { blueTargetGroup: blue, greenTargetGroup: green, listener, testListener, terminationWaitTime: Duration.minutes(10) },
    deploymentConfig: codedeploy.EcsDeploymentConfig.fromEcsDeploymentConfigName(scope, 'Config', d.config),
    alarms,
    autoRollback: { failedDeployment: true, deploymentInAlarm: true, stoppedDeployment: true },
  });
  return {
    alarms,
    grantDeploy: (grantee) => {
      grantEcs(grantee);
      grantCodeDeploy(grantee, {
        application: shared.ecsApplication().applicationArn,
        deploymentGroup: deploymentGroup.deploymentGroupArn,
        deploymentConfig: deploymentGroup.deploymentConfig.deploymentConfigArn,
      });
    },
    actions: (input, runOrder, role) => [codeDeployEcsAction(deploymentGroup, input, runOrder, role)],
  };
}

/** The CodeDeploy-to-ECS action reading the build's appspec.yml, taskdef.json and imageDetail.json. */
export function codeDeployEcsAction(
  deploymentGroup: codedeploy.IEcsDeploymentGroup,
  input: codepipeline.Artifact,
  runOrder: number,
  role: iam.IRole | undefined,
): actions.CodeDeployEcsDeployAction {
  return new actions.CodeDeployEcsDeployAction({
    actionName: 'Deploy',
    deploymentGroup,
    // We emit appspec.yml; the action's default is appspec.yaml.
    appSpecTemplateFile: input.atPath('appspec.yml'),
    taskDefinitionTemplateFile: input.atPath('taskdef.json'),
    containerImageInputs: [{ input, taskDefinitionPlaceholder: 'IMAGE1_NAME' }],
    runOrder,
    role,
  });
}
