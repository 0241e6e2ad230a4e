/** What a deployer (CodeBuild, GitHub Actions) needs to start and follow a CodeDeploy deployment. */
import { aws_iam as iam } from 'aws-cdk-lib';

export function grantCodeDeploy(grantee: iam.IGrantable, arns: { application: string; deploymentGroup: string; deploymentConfig: string }): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment', 'codedeploy:GetApplicationRevision', 'codedeploy:RegisterApplicationRevision'],
    resourceArns: [arns.deploymentGroup, arns.application],
  });
  iam.Grant.addToPrincipal({ grantee, actions: ['codedeploy:GetDeploymentConfig'], resourceArns: [arns.deploymentConfig] });
}

/**
 * scripts/deploy/ecs.sh: register a task definition (no resource-level permissions in IAM) passing exactly the
 * service's two roles to ECS tasks; a release that updates the service itself (rolling, ECS's own blue/green, canary,
 * linear) then updates and follows that service only (CodeDeploy blue/green hands it to CodeDeploy).
 */
export function grantEcsDeploy(grantee: iam.IGrantable, t: { serviceArn?: string; roleArns: readonly string[]; updatesService: boolean }): void {
  iam.Grant.addToPrincipal({ grantee, actions: ['ecs:RegisterTaskDefinition'], resourceArns: ['*'] });
  if (t.updatesService && t.serviceArn) iam.Grant.addToPrincipal({ grantee, actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resourceArns: [t.serviceArn] });
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [...t.roleArns],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }),
  );
}
