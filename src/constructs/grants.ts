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
