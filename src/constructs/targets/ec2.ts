/** EC2: an Auto Scaling group behind an ALB, deployed by CodeDeploy (in place, or blue/green by copying the group). */
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
import { TOOLCHAINS } from '../../model/toolchains';
import { loadBalancerAlarms } from '../alarms';
import { grantCodeDeploy } from '../grants';
import type { EnvironmentTarget, Shared } from '../shared';

export function ec2Target(shared: Shared, environment: string): EnvironmentTarget {
  const { config } = shared;
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
  userData.addCommands(
    'dnf install -y ruby wget',
    ...(tc.hostPackage ? [`dnf install -y ${tc.hostPackage}`] : []),
    `wget -q https://aws-codedeploy-${config.region}.s3.${config.region}.amazonaws.com/latest/install -O /tmp/codedeploy-install`,
    'chmod +x /tmp/codedeploy-install && /tmp/codedeploy-install auto',
  );
  const group = new autoscaling.AutoScalingGroup(scope, 'Fleet', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    minCapacity: 2,
    maxCapacity: 4,
    role,
    userData,
    requireImdsv2: true,
    blockDevices: [{ deviceName: '/dev/xvda', volume: autoscaling.BlockDeviceVolume.ebs(16, { encrypted: true }) }],
    notifications: [{ topic: shared.notifications() }],
  });
  const listener = lb.addListener('Http', { port: 80, open: true });
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
    deploymentGroupName: `${config.name}-${environment}`,
    autoScalingGroups: [group],
    loadBalancers: [codedeploy.LoadBalancer.application(targetGroup)],
    deploymentConfig: codedeploy.ServerDeploymentConfig.fromServerDeploymentConfigName(scope, 'Config', deployment.config),
    alarms,
    autoRollback: { failedDeployment: true, deploymentInAlarm: true, stoppedDeployment: true },
    installAgent: true,
  });
  if (deployment.blueGreen) {
    // The L2 group deploys in place; blue/green copies the Auto Scaling group and moves the ALB to it.
    const cfn = deploymentGroup.node.defaultChild as codedeploy.CfnDeploymentGroup;
    cfn.addPropertyOverride('DeploymentStyle', { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' });
    cfn.addPropertyOverride('BlueGreenDeploymentConfiguration', {
      GreenFleetProvisioningOption: { Action: 'COPY_AUTO_SCALING_GROUP' },
      DeploymentReadyOption: { ActionOnTimeout: 'CONTINUE_DEPLOYMENT' },
      TerminateBlueInstancesOnDeploymentSuccess: { Action: 'TERMINATE', TerminationWaitTimeInMinutes: 60 },
    });
  }
  shared.artifactReaders.push(role);

  return {
    alarms,
    grantDeploy: (grantee) => {
      shared.artifactBucket().grantPut(grantee, 'revisions/*');
      grantCodeDeploy(grantee, {
        application: shared.serverApplication().applicationArn,
        deploymentGroup: deploymentGroup.deploymentGroupArn,
        deploymentConfig: deploymentGroup.deploymentConfig.deploymentConfigArn,
      });
    },
    actions: (input, runOrder, role) => [
      new actions.CodeDeployServerDeployAction({ actionName: 'Deploy', input, deploymentGroup, runOrder, role }),
    ],
  };
}
