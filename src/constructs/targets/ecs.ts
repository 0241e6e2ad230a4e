/**
 * ECS Fargate behind an ALB. CodeDeploy blue/green (all-at-once, canary,
 * linear) with production and test listeners and two target groups, or an
 * ECS rolling update. Either way a release registers the environment's task
 * definition from the repo's taskdef.json (family, roles, log group from the
 * plan), so the image runs its own entrypoint.
 */
import {
  Annotations,
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
  aws_lambda as lambda,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Deployment } from '../../model/matrix';
import { TEST_LISTENER_PORT } from '../../model/plan';
import type { EnvironmentPlan } from '../../model/plan';
import { ECS_TERMINATION_WAIT_MINUTES, taskdefFile } from '../../model/release';
import { TOKENS } from '../../model/tokens';
import { loadBalancerAlarmNames, loadBalancerAlarms } from '../alarms';
import { scriptDeployProject } from '../deploy-project';
import { grantCodeDeploy, grantEcsDeploy } from '../grants';
import { serviceUrlKey, servingListener } from '../listeners';
import type { EnvironmentTarget, Shared } from '../shared';
import { nodeRuntime } from './lambda';

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
  if (d.kind !== 'codedeploy-ecs' && d.kind !== 'ecs-rolling' && d.kind !== 'ecs-native') throw new Error(`ecs target with ${d.kind}`);
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
      : // CodeDeploy and ECS's own blue/green replace the tasks whole (green beside blue): the service never runs
      // fewer tasks than desired. ECS uses the percentages for rolling updates only; set, CDK has nothing to warn of.
      { minHealthyPercent: 100 }),
    ...(d.kind === 'ecs-native' ? nativeStrategy(d) : {}),
  });
  service.connections.allowFrom(lb, ec2.Port.tcp(config.port), 'the load balancer reaches the app');
  const alarmNames = loadBalancerAlarmNames(names.service);
  const alarms = loadBalancerAlarms(scope, shared, lb, alarmNames);

  /** scripts/deploy/ecs.sh: registers the environment's task definition (passing its two roles) and updates this service. */
  const grantEcs = (grantee: iam.IGrantable) =>
    grantEcsDeploy(grantee, { serviceArn: service.serviceArn, roleArns: [roles.execution.roleArn, roles.task.roleArn], updatesService: d.kind !== 'codedeploy-ecs' });

  /**
   * ECS runs the deployment (rolling, or its own blue/green): it rolls back when an alarm fires during it (bake time
   * included); a CodeBuild action runs scripts/deploy/ecs.sh. The alarms by name, created first (as a Ref would
   * order them, without the circular dependency CDK warns of).
   */
  const ecsDeploys = (what: string): EnvironmentTarget => {
    service.enableDeploymentAlarms([alarmNames.errors, alarmNames.latency], { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM });
    service.node.addDependency(...alarms);
    return {
      alarms,
      outputs,
      grantDeploy: (grantee) => {
        grantEcs(grantee);
        grantImage(shared, plan, grantee);
      },
      // The CodeBuild project exists only for the pipeline that runs it (GitHub Actions runs the script itself).
      actions: (input, runOrder) => {
        const project = scriptDeployProject(scope, shared, plan, `Registers ${names.taskFamily} from taskdef.json and ${what}`, [taskdefFile(environment)]);
        grantEcs(project);
        return [new actions.CodeBuildAction({ actionName: 'Deploy', project, input, runOrder })];
      },
    };
  };

  if (d.kind === 'ecs-rolling') {
    listener.addTargets('App', { port: config.port, protocol: elbv2.ApplicationProtocol.HTTP, targets: [service], healthCheck, deregistrationDelay: Duration.seconds(30) });
    return ecsDeploys(`rolls ${names.service} to it`);
  }

  const targetGroup = (id: string) =>
    new elbv2.ApplicationTargetGroup(scope, id, { vpc, port: config.port, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP, healthCheck, deregistrationDelay: Duration.seconds(30) });
  const blue = targetGroup('Blue');
  const green = targetGroup('Green');

  if (d.kind === 'ecs-native') {
    const { productionRule, testRule, testListener } = nativeListenerRules(scope, lb, listener, blue, green);
    service.loadBalancerTarget({
      containerName: names.container,
      containerPort: config.port,
      alternateTarget: new ecs.AlternateTarget('AlternateTarget', {
        alternateTargetGroup: green,
        productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(productionRule),
        testListener: ecs.ListenerRuleConfiguration.applicationListenerRule(testRule),
      }),
    }).attachToApplicationTargetGroup(blue);
    service.addLifecycleHook(validationHook(scope, shared, plan, lb, testListener));
    // The circuit breaker is for rolling updates only (ECS API reference, DeploymentConfiguration): a blue/green
    // deployment fails through the alarms, the lifecycle hook and the target groups' health checks.
    Annotations.of(service).acknowledgeWarning('@aws-cdk/aws-ecs:shouldUseCircuitBreaker', 'ECS blue/green, canary and linear deployments take no circuit breaker: alarms and the lifecycle hook roll them back');
    return ecsDeploys(`deploys ${names.service} to it (ECS ${d.strategy})`);
  }
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

/** The service's ECS deployment configuration: the strategy, its step and the bake time. */
function nativeStrategy(d: Extract<Deployment, { kind: 'ecs-native' }>): Partial<ecs.FargateServiceProps> {
  const step = d.stepPercent === undefined ? undefined : { stepPercent: d.stepPercent, stepBakeTime: Duration.minutes(d.stepBakeMinutes ?? 0) };
  return {
    deploymentController: { type: ecs.DeploymentControllerType.ECS },
    deploymentStrategy: ecs.DeploymentStrategy[d.strategy],
    bakeTime: Duration.minutes(d.bakeMinutes),
    ...(d.strategy === 'LINEAR' ? { linearConfiguration: step } : {}),
    ...(d.strategy === 'CANARY' ? { canaryConfiguration: step } : {}),
  };
}

/**
 * The production and test listener rules ECS moves traffic with. Their definition must not change between releases
 * of this package: ECS rewrites the weights on every deployment, and a stack update that changes a rule resets them
 * (aws/aws-cdk#36649), which can send production to the idle target group. Forward actions only (ECS refuses
 * blue/green on a listener whose rules mix forward with redirect or fixed-response).
 */
export function nativeListenerRules(
  scope: Construct,
  lb: elbv2.ApplicationLoadBalancer,
  listener: elbv2.ApplicationListener,
  blue: elbv2.ApplicationTargetGroup,
  green: elbv2.ApplicationTargetGroup,
): { productionRule: elbv2.ApplicationListenerRule; testRule: elbv2.ApplicationListenerRule; testListener: elbv2.ApplicationListener } {
  const weights = elbv2.ListenerAction.weightedForward([
    { targetGroup: blue, weight: 100 },
    { targetGroup: green, weight: 0 },
  ]);
  listener.addAction('Default', { action: elbv2.ListenerAction.forward([blue]) });
  const productionRule = new elbv2.ApplicationListenerRule(scope, 'ProductionRule', { listener, priority: 1, conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])], action: weights });
  const testListener = lb.addListener('Test', { port: TEST_LISTENER_PORT, protocol: elbv2.ApplicationProtocol.HTTP, open: false, defaultAction: elbv2.ListenerAction.forward([green]) });
  const testRule = new elbv2.ApplicationListenerRule(scope, 'TestRule', { listener: testListener, priority: 1, conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])], action: weights });
  // No tags either: a new tag value (the Owner, a tag of .projenrc.ts) would otherwise update the rules, and with them their actions.
  for (const rule of [productionRule, testRule]) (rule.node.defaultChild as elbv2.CfnListenerRule).addPropertyDeletionOverride('Tags');
  return { productionRule, testRule, testListener };
}

/**
 * The lifecycle hook at POST_TEST_TRAFFIC_SHIFT: a Lambda function (the repo's hooks/ecs-validate) in the VPC asks
 * the new tasks for the health path through the test listener; FAILED rolls the deployment back. The load balancer
 * is internet-facing, so the function reaches it through the NAT gateway: the test port admits the NAT's addresses only.
 */
function validationHook(scope: Construct, shared: Shared, plan: EnvironmentPlan, lb: elbv2.ApplicationLoadBalancer, testListener: elbv2.ApplicationListener): ecs.IDeploymentLifecycleHookTarget {
  const vpc = shared.vpc();
  const fn = new lambda.Function(scope, 'ValidateHook', {
    runtime: nodeRuntime(),
    handler: 'index.handler',
    code: lambda.Code.fromAsset(shared.ecsHookDir, { exclude: ['*.test.mjs'] }),
    timeout: Duration.minutes(5),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    environment: { TEST_URL: `http://${lb.loadBalancerDnsName}:${TEST_LISTENER_PORT}${shared.config.healthCheckPath}` },
    description: `Validates ${plan.names.service}'s new tasks through the test listener before production traffic moves`,
    logGroup: new logs.LogGroup(scope, 'ValidateHookLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
  });
  for (const subnet of vpc.publicSubnets) {
    const eip = subnet.node.tryFindChild('EIP') as ec2.CfnEIP | undefined;
    if (eip) testListener.connections.allowFrom(ec2.Peer.ipv4(`${eip.attrPublicIp}/32`), ec2.Port.tcp(TEST_LISTENER_PORT), 'the validation hook, through the NAT gateway');
  }
  return new ecs.DeploymentLifecycleLambdaTarget(fn, 'ValidateHook', { lifecycleStages: [ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT] });
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
    grantEcsDeploy(own, { roleArns, updatesService: false });
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
