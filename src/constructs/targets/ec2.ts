/**
 * EC2: an Auto Scaling group (from a launch template: accounts created since
 * October 2024 cannot create launch configurations) behind an ALB, deployed
 * in place by CodeDeploy.
 */
import {
  Duration,
  aws_autoscaling as autoscaling,
  aws_codedeploy as codedeploy,
  aws_codepipeline_actions as actions,
  aws_ec2 as ec2,
  aws_elasticloadbalancingv2 as elbv2,
  aws_iam as iam,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvironmentPlan } from '../../model/plan';
import { EC2_MAX_HOSTS } from '../../model/release';
import { TOOLCHAINS } from '../../model/toolchains';
import { loadBalancerAlarms } from '../alarms';
import { grantCodeDeploy } from '../grants';
import { serviceUrlKey, servingListener } from '../listeners';
import type { EnvironmentTarget, Shared } from '../shared';

export function ec2Target(shared: Shared, plan: EnvironmentPlan): EnvironmentTarget {
  const { config } = shared;
  const { environment } = plan;
  if (config.deployment.kind !== 'codedeploy-server') throw new Error(`ec2 target with ${config.deployment.kind}`);
  const deployment = config.deployment;
  const scope = new Construct(shared.scope, `Ec2-${environment}`);
  const vpc = shared.vpc();

  const lb = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', { vpc, internetFacing: true, dropInvalidHeaderFields: true });
  lb.logAccessLogs(shared.accessLogs, `alb/${environment}`);
  const role = new iam.Role(scope, 'InstanceRole', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    description: `${config.name} ${environment} instances: the CodeDeploy agent reads revisions, SSM manages the host`,
  });
  role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'));
  const userData = ec2.UserData.forLinux();
  const tc = TOOLCHAINS[config.runtime];
  // The CodeDeploy agent, installed once here (the deployment group's installAgent is off), and the app's runtime.
  userData.addCommands(
    'dnf install -y ruby wget',
    ...(tc.hostPackage ? [`dnf install -y ${tc.hostPackage}`] : []),
    `wget -q https://aws-codedeploy-${config.region}.s3.${config.region}.${config.partition.dnsSuffix}/latest/install -O /tmp/codedeploy-install`,
    'chmod +x /tmp/codedeploy-install && /tmp/codedeploy-install auto',
  );
  const securityGroup = new ec2.SecurityGroup(scope, 'InstanceSecurityGroup', { vpc, description: `${config.name} ${environment} instances` });
  const launchTemplate = new ec2.LaunchTemplate(scope, 'LaunchTemplate', {
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    role,
    userData,
    securityGroup,
    requireImdsv2: true,
    httpPutResponseHopLimit: 1,
    blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(16, { encrypted: true }) }],
  });
  const group = new autoscaling.AutoScalingGroup(scope, 'Fleet', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    launchTemplate,
    minCapacity: 2,
    maxCapacity: EC2_MAX_HOSTS,
    // No scaling notifications: the topic is encrypted with the stack's key, and Auto Scaling publishes with its
    // service-linked role, which a key policy can name only once it exists (after the account's first group).
  });
  const { listener, url } = servingListener(lb, shared, 'Http');
  const targetGroup = listener.addTargets('App', {
    port: config.port,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targets: [group],
    healthCheck: { path: config.healthCheckPath, interval: Duration.seconds(15), healthyThresholdCount: 2 },
    deregistrationDelay: Duration.seconds(30),
  });
  group.connections.allowFrom(lb, ec2.Port.tcp(config.port), 'the load balancer reaches the app');
  const alarms = loadBalancerAlarms(scope, shared, lb);

  const deploymentGroup = new codedeploy.ServerDeploymentGroup(scope, 'DeploymentGroup', {
    application: shared.serverApplication(),
    deploymentGroupName: plan.names.deploymentGroup,
    autoScalingGroups: [group],
    loadBalancers: [codedeploy.LoadBalancer.application(targetGroup)],
    deploymentConfig: codedeploy.ServerDeploymentConfig.fromServerDeploymentConfigName(scope, 'Config', deployment.config),
    alarms,
    autoRollback: { failedDeployment: true, deploymentInAlarm: true, stoppedDeployment: true },
    installAgent: false,
  });
  shared.artifactReaders.push(role);

  return {
    alarms,
    outputs: { [serviceUrlKey(environment)]: url },
    grantDeploy: (grantee) => {
      shared.artifactBucket().grantPut(grantee, 'revisions/*');
      grantCodeDeploy(grantee, {
        application: shared.serverApplication().applicationArn,
        deploymentGroup: deploymentGroup.deploymentGroupArn,
        deploymentConfig: deploymentGroup.deploymentConfig.deploymentConfigArn,
      });
    },
    actions: (input, runOrder) => [new actions.CodeDeployServerDeployAction({ actionName: 'Deploy', input, deploymentGroup, runOrder })],
  };
}
