/**
 * Targets that already exist, named in `existing`: the stack deploys to
 * them and creates nothing for them. A CodeDeploy deployment group keeps its
 * own fleet, load balancer, alarms and rollback settings.
 */
import { Arn, ArnFormat, Stack, aws_codedeploy as codedeploy, aws_codepipeline_actions as actions, aws_ecs as ecs, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ExistingTarget } from '../../model/options';
import type { EnvironmentTarget, Shared } from '../shared';
import { outputKey } from '../../render/workflow';
import { grantCodeDeploy } from '../grants';
import { codeDeployEcsAction } from './ecs';
import { grantLambdaDeploy, lambdaDeployProject } from './lambda';

export function existingTarget(shared: Shared, environment: string, existing: ExistingTarget): EnvironmentTarget {
  const { config } = shared;
  const scope = new Construct(shared.scope, `Existing-${environment}`);
  const stack = Stack.of(scope);
  const account = shared.accountOf(environment);
  const arn = (service: string, resource: string, resourceName: string, arnFormat = ArnFormat.COLON_RESOURCE_NAME) =>
    Arn.format({ service, resource, resourceName, account, arnFormat }, stack);
  const groupArn = () => arn('codedeploy', 'deploymentgroup', `${existing.applicationName}/${existing.deploymentGroupName}`);
  const appArn = () => arn('codedeploy', 'application', existing.applicationName!);
  const configArn = () => arn('codedeploy', 'deploymentconfig', 'config' in config.deployment ? config.deployment.config : '');
  /** The workflow's ECS deploy: a task definition from the current one, passed roles, the service updated. */
  const grantEcs = (grantee: iam.IGrantable, serviceArn: string) => {
    shared.repository().grantPullPush(grantee);
    iam.Grant.addToPrincipal({ grantee, actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'], resourceArns: ['*'] });
    iam.Grant.addToPrincipal({ grantee, actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resourceArns: [serviceArn] });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [Arn.format({ service: 'iam', region: '', account, resource: 'role', resourceName: '*' }, stack)],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
  };

  switch (config.deployment.kind) {
    case 'codedeploy-server': {
      const deploymentGroup = codedeploy.ServerDeploymentGroup.fromServerDeploymentGroupAttributes(scope, 'Group', {
        application: codedeploy.ServerApplication.fromServerApplicationArn(scope, 'Application', appArn()),
        deploymentGroupName: existing.deploymentGroupName!,
      });
      return {
        alarms: [],
        grantDeploy: (grantee) => {
          shared.artifactBucket().grantPut(grantee, 'revisions/*');
          grantCodeDeploy(grantee, { application: appArn(), deploymentGroup: groupArn(), deploymentConfig: configArn() });
        },
        actions: (input, runOrder, role) => [new actions.CodeDeployServerDeployAction({ actionName: 'Deploy', input, deploymentGroup, runOrder, role })],
      };
    }
    case 'codedeploy-ecs': {
      const deploymentGroup = codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(scope, 'Group', {
        application: codedeploy.EcsApplication.fromEcsApplicationArn(scope, 'Application', appArn()),
        deploymentGroupName: existing.deploymentGroupName!,
      });
      return {
        alarms: [],
        grantDeploy: (grantee) => {
          grantEcs(grantee, arn('ecs', 'service', `${existing.clusterName}/${existing.serviceName}`, ArnFormat.SLASH_RESOURCE_NAME));
          grantCodeDeploy(grantee, { application: appArn(), deploymentGroup: groupArn(), deploymentConfig: configArn() });
        },
        actions: (input, runOrder, role) => [codeDeployEcsAction(deploymentGroup, input, runOrder, role)],
      };
    }
    case 'ecs-rolling': {
      const serviceArn = arn('ecs', 'service', `${existing.clusterName}/${existing.serviceName}`, ArnFormat.SLASH_RESOURCE_NAME);
      const service = ecs.BaseService.fromServiceArnWithCluster(scope, 'Service', serviceArn);
      return { alarms: [], grantDeploy: (grantee) => grantEcs(grantee, serviceArn), actions: (input, runOrder, role) => [new actions.EcsDeployAction({ actionName: 'Deploy', service, imageFile: input.atPath('imagedefinitions.json'), runOrder, role })] };
    }
    case 's3-deploy': {
      const bucket = s3.Bucket.fromBucketAttributes(scope, 'Bucket', { bucketName: existing.bucketName!, account });
      return {
        alarms: [],
        grantDeploy: (grantee) => {
          bucket.grantReadWrite(grantee);
          bucket.grantDelete(grantee);
        },
        outputs: { [outputKey('SiteBucket', environment)]: bucket.bucketName },
        actions: (input, runOrder, role) => [new actions.S3DeployAction({ actionName: 'Deploy', bucket, input, extract: true, runOrder, role })] };
    }
    case 'codedeploy-lambda': {
      const target = {
        functionName: existing.functionName!,
        functionArn: arn('lambda', 'function', existing.functionName!),
        applicationName: existing.applicationName!,
        applicationArn: appArn(),
        deploymentGroupName: existing.deploymentGroupName!,
        deploymentGroupArn: groupArn(),
        deploymentConfigArn: configArn(),
      };
      const project = lambdaDeployProject(scope, shared, environment, target);
      return { alarms: [], grantDeploy: (grantee) => grantLambdaDeploy(grantee, target), actions: (input, runOrder) => [new actions.CodeBuildAction({ actionName: 'Deploy', project, input, runOrder })] };
    }
  }
}
