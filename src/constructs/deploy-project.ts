/**
 * The CodeBuild project of a deploy that runs the release's own script
 * (scripts/deploy/lambda.sh, scripts/deploy/ecs.sh): the same script and
 * variables as GitHub Actions, from the model's release table.
 */
import { Duration, RemovalPolicy, aws_codebuild as codebuild, aws_logs as logs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BUILD_IMAGE } from './build-image';
import type { Shared } from './shared';
import type { EnvironmentPlan } from '../model/plan';
import { deployVariables, releaseOf } from '../model/release';

export function scriptDeployProject(
  scope: Construct,
  shared: Shared,
  plan: EnvironmentPlan,
  description: string,
  args: readonly string[] = [],
  variables: Record<string, string> = {},
): codebuild.PipelineProject {
  const { config } = shared;
  const release = releaseOf(config);
  if (!release.script) throw new Error(`${config.deployment.kind} has no deploy script`);
  return new codebuild.PipelineProject(scope, 'Deploy', {
    projectName: plan.names.deployProject,
    description,
    buildSpec: codebuild.BuildSpec.fromObject({
      version: 0.2,
      env: { shell: 'bash', variables: { ...deployVariables(config, plan), ...variables } },
      phases: { build: { 'on-failure': 'ABORT', 'commands': [['bash', release.script, ...args].join(' ')] } },
    }),
    environment: { buildImage: BUILD_IMAGE, computeType: codebuild.ComputeType.SMALL },
    encryptionKey: shared.key,
    logging: { cloudWatch: { logGroup: new logs.LogGroup(scope, 'DeployLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }) } },
    // The script follows the deployment for its whole window; the build must outlast it.
    timeout: Duration.minutes(release.waitMinutes + 10),
  });
}
