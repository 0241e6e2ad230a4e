/**
 * Pull-request builds: what builds a pull request into the release branch, and what its author sees.
 * They build and test, and never deploy, push an image or read a secret.
 *
 * With CodePipeline the runner is a CodeBuild project of its own, started by the repository's webhook, not a
 * pull-request trigger on a pipeline:
 * - a V2 pull-request trigger starts an execution of the pipeline it is on, every stage of it
 *   (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-filter.html), so on the release pipeline it
 *   would deploy; a separate pipeline with the trigger would build without deploying, but CodePipeline documents no
 *   status sent back to the pull request;
 * - a CodeBuild webhook reports the build's start and finish to the source provider ("The status of a build
 *   triggered by a webhook is always reported to your source provider"; reportBuildStatus is valid for GitHub,
 *   GitHub Enterprise, GitLab, GitLab Self Managed and Bitbucket:
 *   https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectSource.html), and reads the repository
 *   through the pipeline's own CodeConnections connection (SourceAuth type CODECONNECTIONS:
 *   https://docs.aws.amazon.com/codebuild/latest/APIReference/API_SourceAuth.html).
 * With GitHub Actions (or both), the workflow's pull_request jobs build and test, without AWS credentials.
 */
import type { PipelineConfig } from './config';
import { prBuildsRefusal } from './matrix';

export type PrBuildRunner = 'codebuild' | 'github-actions';

/** The file the pull-request CodeBuild project runs. */
export const PR_BUILDSPEC = 'buildspec-pr.yml';

/**
 * The webhook events that start a pull-request build: opened, new commits, and reopened where the provider sends
 * it (CodeBuild User Guide, "GitHub webhook events", "GitLab webhook events": PULL_REQUEST_REOPENED; "Bitbucket
 * webhook events" has no such event).
 */
export function prWebhookEvents(source: PipelineConfig['source']): ReadonlyArray<'PULL_REQUEST_CREATED' | 'PULL_REQUEST_UPDATED' | 'PULL_REQUEST_REOPENED'> {
  return source === 'bitbucket' ? ['PULL_REQUEST_CREATED', 'PULL_REQUEST_UPDATED'] : ['PULL_REQUEST_CREATED', 'PULL_REQUEST_UPDATED', 'PULL_REQUEST_REOPENED'];
}

/** What builds pull requests, or undefined when nothing does. */
export function prBuildRunner(c: Pick<PipelineConfig, 'prBuilds' | 'ci'>): PrBuildRunner | undefined {
  if (!c.prBuilds) return undefined;
  // GitHub Actions builds them without AWS credentials; with `both` a second build in CodeBuild would add nothing.
  return c.ci === 'codepipeline' ? 'codebuild' : 'github-actions';
}

/** The CodeBuild webhook's BASE_REF pattern: pull requests into the release branch, exactly. */
export function prBaseRefPattern(branch: string): string {
  return `^refs/heads/${branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/**
 * The name of the commit status CodeBuild posts on the pull request's head commit (BuildStatusConfig.context: GitHub's
 * status context, Bitbucket's build name); its link opens the build's logs in the CodeBuild console.
 */
export function prStatusContext(c: Pick<PipelineConfig, 'name'>): string {
  return `${c.name}/pr-build`;
}

/** What the generated README and docs/pipeline.md say about pull requests. */
export interface PrBuildsView {
  readonly runner?: PrBuildRunner;
  /** The CodeBuild project (runner codebuild). */
  readonly project: string;
  /** The commit status on the pull request (runner codebuild). */
  readonly context: string;
  readonly buildspec: string;
  /** What starts a build, in words. */
  readonly events: string;
  /** Why there are none with this source (CodeCommit, S3); undefined when they are on, or turned off. */
  readonly unavailable?: string;
}

export function prBuildsView(c: PipelineConfig): PrBuildsView {
  const runner = prBuildRunner(c);
  const unavailable = prBuildsRefusal(c.source)?.replace(/: remove --pr-builds, or use .*$/, '');
  return {
    ...(runner ? { runner } : {}),
    project: c.names.prBuildProject,
    context: prStatusContext(c),
    buildspec: PR_BUILDSPEC,
    events: prWebhookEvents(c.source).length === 3 ? 'opened, given new commits, or reopened' : 'opened or given new commits',
    ...(unavailable ? { unavailable } : {}),
  };
}
