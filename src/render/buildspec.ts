/** buildspec.yml (version 0.2) for CodeBuild: install, lint + tests, build, image and deploy files. */
import type { PipelineConfig } from '../model/config';
import { APP_DIR, DEPLOY_DIR, fromRepoRoot, HOOKS_DIR, hasIntegrationTests, needsImage } from '../model/layout';
import { prBuildRunner } from '../model/pr-builds';
import { releaseOf, taskdefArguments, taskdefFile } from '../model/release';
import type { Release } from '../model/release';
import { TOOLCHAINS } from '../model/toolchains';

export { APP_DIR } from '../model/layout';

/**
 * The service's folder in the build: CodeBuild's source ($CODEBUILD_SRC_DIR) is the repository's root, and a service
 * in a folder (`path`) lives under it. Every phase starts with a `cd` here (or into its app folder): with buildspec
 * version 0.2 the commands of a build run in one shell instance, so a `cd` holds for the commands after it ("In
 * buildspec version 0.1, CodeBuild runs each shell command in a separate instance ... we recommend that you use
 * version 0.2", https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-cmd.html).
 */
function serviceRoot(c: PipelineConfig): string {
  return c.path === '.' ? '$CODEBUILD_SRC_DIR' : '$CODEBUILD_SRC_DIR/$SERVICE_DIR';
}

/** The variables every buildspec sets: the app's folder, and the service's folder when it has one. */
function folders(c: PipelineConfig): Record<string, string> {
  return { APP_DIR, ...(c.path === '.' ? {} : { SERVICE_DIR: c.path }) };
}

export function renderBuildspec(c: PipelineConfig): Record<string, unknown> {
  const tc = TOOLCHAINS[c.runtime];
  const release = releaseOf(c);
  const image = needsImage(c);
  const inApp = `cd "${serviceRoot(c)}/$APP_DIR"`;

  const install = {
    ...(Object.keys(tc.codebuildRuntime).length ? { 'runtime-versions': tc.codebuildRuntime } : {}),
    commands: [inApp, ...(tc.install.length ? tc.install : ['echo "no dependencies to install"'])],
  };

  const preBuild = [
    // The commit tags the image and names the release (an S3 source gives its object version instead).
    // Exported: scripts/deploy/push-image.sh, a child process, reads it.
    'export IMAGE_TAG="$(printf \'%s\' "${CODEBUILD_RESOLVED_SOURCE_VERSION:-local}" | tr -c \'A-Za-z0-9_.-\' \'-\' | cut -c1-128)"',
    inApp,
    ...tc.lint,
    ...tc.test,
  ];
  const build = [inApp, ...release.build];
  const postBuild: string[] = [`cd "${serviceRoot(c)}"`];
  // CodeDeploy runs the hooks from the revision archive: they must be executable in it.
  if (c.target === 'ec2') postBuild.push(`chmod +x ${HOOKS_DIR}/*.sh`);
  // The image: built and pushed unless this commit's is in the repository already (a retried build).
  if (image) postBuild.push(`bash ${DEPLOY_DIR}/push-image.sh "$APP_DIR"`);
  if (c.target === 'ecs') {
    // One task definition per environment, each with its own family, log group and its account's roles.
    postBuild.push('ACCOUNT_ID="$(aws sts get-caller-identity --query Account --output text)"');
    for (const p of c.plans) {
      const args = taskdefArguments(c, p, p.account ?? '$ACCOUNT_ID').map((a) => `"${a}"`);
      postBuild.push(`bash ${DEPLOY_DIR}/render-taskdef.sh ${args.join(' ')} > ${taskdefFile(p.environment)}`);
    }
  }
  postBuild.push('echo "built $SERVICE_NAME at $IMAGE_TAG"');

  const variables: Record<string, string> = { ...folders(c), SERVICE_NAME: c.name };

  return {
    version: 0.2,
    env: {
      'shell': 'bash',
      variables,
      // Secrets by reference only: CodeBuild resolves them when the build starts (the build role may read exactly these).
      ...(Object.keys(c.parameters).length ? { 'parameter-store': { ...c.parameters } } : {}),
      ...(Object.keys(c.secrets).length ? { 'secrets-manager': { ...c.secrets } } : {}),
      'exported-variables': ['IMAGE_TAG'],
    },
    phases: {
      install,
      pre_build: { 'on-failure': 'ABORT', 'commands': preBuild },
      build: { 'on-failure': 'ABORT', 'commands': build },
      // A failed push or render must fail the build (post_build runs even after a failed build).
      post_build: { 'on-failure': 'ABORT', 'commands': postBuild },
    },
    ...(tc.reportFiles.length ? { reports: reports(c, tc.reportFiles) } : {}),
    artifacts: artifacts(c, release),
    ...(tc.cachePaths.length ? { cache: { paths: tc.cachePaths.map((p) => (p.startsWith('/') ? p : fromRepoRoot(c, p))) } } : {}),
  };
}

/** Report and artifact paths are read from the source root (the repository's), not from where the last `cd` went. */
function reports(c: PipelineConfig, files: readonly string[]) {
  return { 'unit-tests': { 'files': [...files], 'base-directory': fromRepoRoot(c, APP_DIR), 'file-format': 'JUNITXML' } };
}

/**
 * Exactly what the deploy stage reads. A service in a folder has its files taken from there (`base-directory`), so the
 * artifact holds them as the service sees them: appspec.yml stays at the root of an EC2 revision, as CodeDeploy needs.
 */
function artifacts(c: PipelineConfig, r: Release): Record<string, unknown> {
  const base = r.baseDirectory ? fromRepoRoot(c, r.baseDirectory) : c.path === '.' ? undefined : c.path;
  return base ? { 'files': [...r.files], 'base-directory': base } : { 'files': [...r.files], 'discard-paths': 'no' };
}

/** buildspec-integration.yml: the integration tests, a pipeline action of their own beside the build. */
export function renderIntegrationBuildspec(c: PipelineConfig): Record<string, unknown> | undefined {
  const tc = TOOLCHAINS[c.runtime];
  if (!hasIntegrationTests(c) || !tc.integrationTest) return undefined;
  const inApp = `cd "${serviceRoot(c)}/$APP_DIR"`;
  return {
    version: 0.2,
    env: { shell: 'bash', variables: folders(c) },
    phases: {
      install: {
        ...(Object.keys(tc.codebuildRuntime).length ? { 'runtime-versions': tc.codebuildRuntime } : {}),
        commands: [inApp, ...tc.install],
      },
      build: { 'on-failure': 'ABORT', 'commands': [inApp, ...tc.integrationTest] },
    },
    reports: { 'integration-tests': { 'files': ['reports/integration.xml'], 'base-directory': fromRepoRoot(c, APP_DIR), 'file-format': 'JUNITXML' } },
  };
}

/**
 * buildspec-pr.yml: what a pull request runs in the pull-request CodeBuild project (src/model/pr-builds.ts). The
 * main build's install, lint, unit tests and build, read from the same toolchain and release table, then the
 * integration tests where the app has them; no image push, no task definitions, no artifacts, no parameters or
 * secrets, and no deploy: the project's role could do none of it.
 */
export function renderPrBuildspec(c: PipelineConfig): Record<string, unknown> | undefined {
  if (prBuildRunner(c) !== 'codebuild') return undefined;
  const tc = TOOLCHAINS[c.runtime];
  const inApp = `cd "${serviceRoot(c)}/$APP_DIR"`;
  const integration = hasIntegrationTests(c) && tc.integrationTest ? tc.integrationTest : [];
  return {
    version: 0.2,
    env: { shell: 'bash', variables: { ...folders(c), SERVICE_NAME: c.name } },
    phases: {
      install: {
        ...(Object.keys(tc.codebuildRuntime).length ? { 'runtime-versions': tc.codebuildRuntime } : {}),
        commands: [inApp, ...(tc.install.length ? tc.install : ['echo "no dependencies to install"'])],
      },
      pre_build: { 'on-failure': 'ABORT', 'commands': [inApp, ...tc.lint, ...tc.test] },
      build: { 'on-failure': 'ABORT', 'commands': [inApp, ...releaseOf(c).build, ...integration, 'echo "pull request $CODEBUILD_WEBHOOK_TRIGGER built and tested; nothing deployed"'] },
    },
    ...(tc.reportFiles.length ? { reports: reports(c, tc.reportFiles) } : {}),
  };
}
