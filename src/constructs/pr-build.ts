/**
 * Pull-request builds with CodePipeline: a CodeBuild project of its own, started by the repository's webhook for
 * pull requests into the release branch, reading the repository through the pipeline's CodeConnections connection
 * and reporting its status on the pull request. It runs buildspec-pr.yml (lint, unit tests, build) and nothing else:
 * its role writes its logs and test reports and uses the connection, and may not push, deploy or read a secret.
 * Why a webhook project and not a pull-request trigger on a pipeline: src/model/pr-builds.ts.
 */
import { Duration, RemovalPolicy, Validations, aws_codebuild as codebuild, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BUILD_IMAGE } from './build-image';
import type { PipelineConfig } from '../model/config';
import { fromRepoRoot } from '../model/layout';
import { PR_BUILDSPEC, prBaseRefPattern, prStatusContext, prWebhookEvents } from '../model/pr-builds';

/** CodeBuild's source type and the repository's clone URL, per CodeConnections provider. */
const PROVIDERS: Readonly<Record<'github' | 'gitlab' | 'bitbucket', { readonly type: string; readonly host: string }>> = {
  github: { type: 'GITHUB', host: 'github.com' },
  gitlab: { type: 'GITLAB', host: 'gitlab.com' },
  bitbucket: { type: 'BITBUCKET', host: 'bitbucket.org' },
};

/** Pull requests into the release branch; for a service in a folder, only those that change a file in it. */
function prFilter(config: PipelineConfig): codebuild.FilterGroup {
  const group = codebuild.FilterGroup.inEventOf(...prWebhookEvents(config.source).map((e) => codebuild.EventAction[e])).andBaseRefIs(prBaseRefPattern(config.branch));
  return config.path === '.' ? group : group.andFilePathIs(folderPattern(config.path));
}

/** The FILE_PATH filter (a regular expression) of files under a folder: its name with regex characters escaped. */
export function folderPattern(path: string): string {
  return `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`;
}

export function prBuildProject(scope: Construct, config: PipelineConfig, connectionArn: string): codebuild.Project {
  const provider = PROVIDERS[config.source as keyof typeof PROVIDERS];
  if (!provider) throw new Error(`pull-request builds need a GitHub, GitLab or Bitbucket source, not ${config.source}`);
  const [owner, ...rest] = config.repository.split('/');
  const project = new codebuild.Project(scope, 'PullRequestBuild', {
    projectName: config.names.prBuildProject,
    description: `${config.name}: pull requests into ${config.branch}: lint, unit tests, build (${PR_BUILDSPEC}); deploys nothing`,
    // Replaced below by the provider's type, URL and connection; the L2 source gives the webhook and its filters.
    source: codebuild.Source.gitHub({
      owner,
      repo: rest.join('/'),
      reportBuildStatus: true,
      webhookFilters: [prFilter(config)],
    }),
    buildSpec: codebuild.BuildSpec.fromSourceFilename(fromRepoRoot(config, PR_BUILDSPEC)),
    environment: {
      buildImage: BUILD_IMAGE,
      computeType: config.runtime === 'java' ? codebuild.ComputeType.MEDIUM : codebuild.ComputeType.SMALL,
      // The container runtime's unit tests are a Docker build stage (docker build --target test); nothing else gets Docker.
      privileged: config.runtime === 'container',
    },
    // Not the pipeline's key: a pull request's code would decrypt the release artifacts with it. It writes no artifact.
    logging: { cloudWatch: { logGroup: new logs.LogGroup(scope, 'PullRequestBuildLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }) } },
    timeout: Duration.minutes(30),
  });
  const cfn = project.node.defaultChild as codebuild.CfnProject;
  cfn.addPropertyOverride('Source.Type', provider.type);
  cfn.addPropertyOverride('Source.Location', `https://${provider.host}/${config.repository}.git`);
  cfn.addPropertyOverride('Source.Auth', { Type: 'CODECONNECTIONS', Resource: connectionArn });
  cfn.addPropertyOverride('Source.BuildStatusConfig', { Context: prStatusContext(config) });
  // A pull request from a fork builds only after a maintainer approves it in a comment.
  cfn.addPropertyOverride('Triggers.PullRequestBuildPolicy', { RequiresCommentApproval: 'FORK_PULL_REQUESTS' });
  // CodeBuild clones and reports status through the connection (both ARN prefixes name the same service).
  project.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['codeconnections:GetConnectionToken', 'codeconnections:GetConnection', 'codestar-connections:GetConnectionToken', 'codestar-connections:GetConnection'],
      resources: [connectionArn],
    }),
  );
  Validations.of(project).acknowledge({
    id: 'AwsSolutions-CB4',
    reason: "the pull-request project writes no artifact; the pipeline's key would let a pull request's code decrypt the release artifacts, so it has none (CodeBuild's AWS managed key)",
  });
  return project;
}
