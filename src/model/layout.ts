/** Where things live in a generated repo, and which files a configuration needs: read by renderers and constructs alike. */
import type { PipelineConfig } from './config';
import { TOOLCHAINS } from './toolchains';

/** The sample app's folder. */
export const APP_DIR = 'app';

/** The CodeDeploy hook scripts for EC2. */
export const HOOKS_DIR = 'scripts/codedeploy';

/** The deploy scripts both CI backends run (from templates/scripts/deploy/). */
export const DEPLOY_DIR = 'scripts/deploy';

/** The ECS lifecycle hook that validates the test listener (`--ecs-engine ecs`): the user's, with its test. */
export const ECS_HOOK_DIR = 'hooks/ecs-validate';

/** The object the S3 source action watches in the stack's source bucket (`--source s3`): the repo, zipped. */
export const S3_SOURCE_KEY = 'source.zip';

/** Paths whose changes start no release: the V2 trigger's file-path excludes and the workflow's paths-ignore. */
export const DOCS_PATHS: readonly string[] = ['docs/**', '**/*.md'];

/**
 * A path of the service (`buildspec.yml`, `app`) as seen from the repository's root, where CodeBuild's source and
 * GitHub's checkout start: under the service's folder when it has one (`services/api/buildspec.yml`).
 */
export function fromRepoRoot(c: Pick<PipelineConfig, 'path'>, rel: string): string {
  return c.path === '.' ? rel : `${c.path}/${rel}`;
}

/** The GitHub Actions workflow, from the repository's root: `pipeline.yml`, or, for a service in a folder, one named after it. */
export function workflowPath(c: Pick<PipelineConfig, 'path' | 'name'>): string {
  return c.path === '.' ? '.github/workflows/pipeline.yml' : `.github/workflows/${c.name}.yml`;
}

/** The CodeDeploy hook scripts for EC2, in lifecycle order. */
export const EC2_HOOKS = [
  { event: 'ApplicationStop', script: 'application_stop.sh', timeout: 60 },
  { event: 'BeforeInstall', script: 'before_install.sh', timeout: 300 },
  { event: 'AfterInstall', script: 'after_install.sh', timeout: 300 },
  { event: 'ApplicationStart', script: 'application_start.sh', timeout: 60 },
  { event: 'ValidateService', script: 'validate_service.sh', timeout: 120 },
] as const;

/** The deploy target ships a container image (built by CodeBuild, pushed to ECR). */
export function needsImage(c: Pick<PipelineConfig, 'target' | 'runtime'>): boolean {
  return c.target === 'ecs' || (c.target === 'lambda' && c.runtime === 'container');
}

/** The sample app folder under templates/app/. */
export function appTemplate(c: Pick<PipelineConfig, 'target' | 'runtime'>): string {
  if (c.target === 's3-site') return 'site';
  const runtime = c.runtime === 'container' ? 'node' : c.runtime;
  return `${runtime}/${c.target === 'lambda' ? 'lambda' : 'server'}`;
}

/** The sample app has integration tests (a server on EC2 or ECS, in a runtime that has them). */
export function hasIntegrationTests(c: Pick<PipelineConfig, 'target' | 'runtime'>): boolean {
  return (c.target === 'ec2' || c.target === 'ecs') && TOOLCHAINS[c.runtime].integrationTest !== undefined;
}

/** CodePipeline runs the build (CodeBuild reads buildspec.yml). */
export function usesCodePipeline(c: Pick<PipelineConfig, 'ci'>): boolean {
  return c.ci !== 'github-actions';
}
