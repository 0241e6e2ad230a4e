/**
 * Targets that already exist, named in `existing`: the stack deploys to
 * them and creates nothing for them. A CodeDeploy deployment group keeps its
 * own fleet, load balancer, alarms and rollback settings. In another account
 * (cross-account production), CodePipeline's actions take the role that
 * account provides (the plan's `crossAccountRole`).
 */
import { Arn, ArnFormat, Stack, aws_codedeploy as codedeploy, aws_codepipeline_actions as actions, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvironmentPlan } from '../../model/plan';
import { taskdefFile } from '../../model/release';
import { scriptDeployProject } from '../deploy-project';
import { grantCodeDeploy, grantEcsDeploy } from '../grants';
import type { EnvironmentTarget, Shared } from '../shared';
import { codeDeployEcsAction, grantImage } from './ecs';
import { grantLambdaDeploy, lambdaDeployProject } from './lambda';

export function existingTarget(shared: Shared, plan: EnvironmentPlan): EnvironmentTarget {
  const { config } = shared;
  const { environment, names } = plan;
  const scope = new Construct(shared.scope, `Existing-${environment}`);
  const stack = Stack.of(scope);
  const account = shared.accountOf(plan);
  const role = shared.crossAccountRole(plan);
  const arn = (service: string, resource: string, resourceName: string, arnFormat = ArnFormat.COLON_RESOURCE_NAME) =>
    Arn.format({ service, resource, resourceName, account, arnFormat }, stack);
  const groupArn = () => arn('codedeploy', 'deploymentgroup', `${names.application}/${names.deploymentGroup}`);
  const appArn = () => arn('codedeploy', 'application', names.application);
  const configArn = () => arn('codedeploy', 'deploymentconfig', 'config' in config.deployment ? config.deployment.config : '');
  const serviceArn = () => arn('ecs', 'service', `${names.cluster}/${names.service}`, ArnFormat.SLASH_RESOURCE_NAME);
  /** The task roles the environment's account provides under the plan's names (taskdef.json passes them). */
  const taskRoleArns = () => [names.executionRole, names.taskRole].map((n) => Arn.format({ service: 'iam', region: '', account, resource: 'role', resourceName: n }, stack));

  switch (config.deployment.kind) {
    case 'codedeploy-server': {
      const deploymentGroup = codedeploy.ServerDeploymentGroup.fromServerDeploymentGroupAttributes(scope, 'Group', {
        application: codedeploy.ServerApplication.fromServerApplicationArn(scope, 'Application', appArn()),
        deploymentGroupName: names.deploymentGroup,
      });
      return {
        alarms: [],
        grantDeploy: (grantee) => {
          shared.artifactBucket().grantPut(grantee, 'revisions/*');
          grantCodeDeploy(grantee, { application: appArn(), deploymentGroup: groupArn(), deploymentConfig: configArn() });
        },
        actions: (input, runOrder) => [new actions.CodeDeployServerDeployAction({ actionName: 'Deploy', input, deploymentGroup, runOrder, ...(role ? { role } : {}) })],
      };
    }
    case 'codedeploy-ecs': {
      const deploymentGroup = codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(scope, 'Group', {
        application: codedeploy.EcsApplication.fromEcsApplicationArn(scope, 'Application', appArn()),
        deploymentGroupName: names.deploymentGroup,
      });
      return {
        alarms: [],
        grantDeploy: (grantee) => {
          grantEcsDeploy(grantee, { serviceArn: serviceArn(), roleArns: taskRoleArns(), updatesService: false });
          grantImage(shared, plan, grantee);
          grantCodeDeploy(grantee, { application: appArn(), deploymentGroup: groupArn(), deploymentConfig: configArn() });
        },
        actions: (input, runOrder) => [codeDeployEcsAction(scope, shared, plan, deploymentGroup, input, runOrder, role)],
      };
    }
    case 'ecs-rolling':
    case 'ecs-native': {
      // An existing service deploys as its own deployment configuration says (rolling, or ECS's blue/green, canary, linear).
      const grant = (grantee: iam.IGrantable) => grantEcsDeploy(grantee, { serviceArn: serviceArn(), roleArns: taskRoleArns(), updatesService: true });
      const how = config.deployment.kind === 'ecs-rolling' ? 'rolls' : 'deploys';
      return {
        alarms: [],
        grantDeploy: (grantee) => {
          grant(grantee);
          grantImage(shared, plan, grantee);
        },
        // The CodeBuild project exists only for the pipeline that runs it (GitHub Actions runs the script itself).
        actions: (input, runOrder) => {
          const project = scriptDeployProject(scope, shared, plan, `Registers ${names.taskFamily} from taskdef.json and ${how} ${names.service} to it`, [taskdefFile(environment)], role ? { DEPLOY_ROLE_ARN: role.roleArn } : {});
          // In another account the script acts as that account's deploy role.
          if (role) iam.Grant.addToPrincipal({ grantee: project, actions: ['sts:AssumeRole'], resourceArns: [role.roleArn] });
          else grant(project);
          return [new actions.CodeBuildAction({ actionName: 'Deploy', project, input, runOrder })];
        },
      };
    }
    case 's3-deploy': {
      const bucket = s3.Bucket.fromBucketAttributes(scope, 'Bucket', { bucketName: names.siteBucket!, account });
      return {
        alarms: [],
        grantDeploy: (grantee) => {
          bucket.grantReadWrite(grantee);
          bucket.grantDelete(grantee);
        },
        outputs: { [plan.outputs.siteBucket]: bucket.bucketName },
        actions: (input, runOrder) => [new actions.S3DeployAction({ actionName: 'Deploy', bucket, input, extract: true, runOrder, ...(role ? { role } : {}) })],
      };
    }
    case 'codedeploy-lambda': {
      const target = { functionArn: arn('lambda', 'function', names.function), applicationArn: appArn(), deploymentGroupArn: groupArn(), deploymentConfigArn: configArn() };
      return { alarms: [], grantDeploy: (grantee) => grantLambdaDeploy(shared, grantee, target), actions: (input, runOrder) => [new actions.CodeBuildAction({ actionName: 'Deploy', project: lambdaDeployProject(scope, shared, plan, target), input, runOrder })] };
    }
  }
}
