/** buildspec.yml (version 0.2) for CodeBuild: install, lint + tests, build, image and deploy files. */
import type { PipelineConfig } from '../model/config';
import { TOOLCHAINS } from '../model/toolchains';
import { EC2_HOOKS, HOOKS_DIR, hasIntegrationTests, needsImage } from './kinds';

export const APP_DIR = 'app';

const IMAGE_URI = '"$IMAGE_REPO_URI:$IMAGE_TAG"';

export function renderBuildspec(c: PipelineConfig): Record<string, unknown> {
  const tc = TOOLCHAINS[c.runtime];
  const image = needsImage(c);
  const inApp = 'cd "$CODEBUILD_SRC_DIR/$APP_DIR"';

  const install = {
    ...(Object.keys(tc.codebuildRuntime).length ? { 'runtime-versions': tc.codebuildRuntime } : {}),
    commands: [inApp, ...(tc.install.length ? tc.install : ['echo "no dependencies to install"'])],
  };

  const preBuild = [
    // The short commit SHA tags the image and names the release; CODEBUILD_RESOLVED_SOURCE_VERSION is the commit.
    'IMAGE_TAG="$(printf \'%s\' "${CODEBUILD_RESOLVED_SOURCE_VERSION:-local}" | cut -c1-7)"',
    inApp,
    ...tc.lint,
    ...tc.test,
  ];
  const build = [inApp, ...(c.target === 'lambda' && tc.lambdaBuild ? tc.lambdaBuild : tc.build)];
  const postBuild: string[] = ['cd "$CODEBUILD_SRC_DIR"'];
  // CodeDeploy runs the hooks from the revision archive: they must be executable in it.
  if (c.target === 'ec2') postBuild.push(`chmod +x ${HOOKS_DIR}/*.sh`);
  if (image) {
    preBuild.push(
      ': "${IMAGE_REPO_URI:?IMAGE_REPO_URI is set by the CodeBuild project}"',
      'aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "${IMAGE_REPO_URI%%/*}"',
    );
    build.push(`docker build --tag ${IMAGE_URI} .`);
    postBuild.push(`docker push ${IMAGE_URI}`);
    if (c.deployment.kind === 'ecs-rolling') {
      postBuild.push(`printf '[{"name":"%s","imageUri":"%s"}]' "$CONTAINER_NAME" "$IMAGE_REPO_URI:$IMAGE_TAG" > imagedefinitions.json`);
    } else if (c.deployment.kind === 'codedeploy-ecs') {
      postBuild.push(
        `printf '{"ImageURI":"%s"}' "$IMAGE_REPO_URI:$IMAGE_TAG" > imageDetail.json`,
        'sed -i -e "s|<EXECUTION_ROLE_ARN>|$EXECUTION_ROLE_ARN|" -e "s|<TASK_ROLE_ARN>|$TASK_ROLE_ARN|" taskdef.json',
      );
    } else {
      postBuild.push(`printf '{"ImageURI":"%s"}' "$IMAGE_REPO_URI:$IMAGE_TAG" > imageDetail.json`);
    }
  }
  postBuild.push('echo "built $SERVICE_NAME at $IMAGE_TAG"');

  const variables: Record<string, string> = { APP_DIR, SERVICE_NAME: c.name };
  if (image) variables.CONTAINER_NAME = c.name;

  return {
    version: 0.2,
    env: {
      shell: 'bash',
      variables,
      // Secrets by reference only: CodeBuild resolves them when the build starts.
      ...(Object.keys(c.parameters).length ? { 'parameter-store': { ...c.parameters } } : {}),
      ...(Object.keys(c.secrets).length ? { 'secrets-manager': { ...c.secrets } } : {}),
      'exported-variables': ['IMAGE_TAG'],
    },
    phases: {
      install,
      pre_build: { 'on-failure': 'ABORT', commands: preBuild },
      build: { 'on-failure': 'ABORT', commands: build },
      post_build: { commands: postBuild },
    },
    ...(tc.reportFiles.length ? { reports: reports(tc.reportFiles) } : {}),
    artifacts: artifacts(c),
    ...(tc.cachePaths.length ? { cache: { paths: tc.cachePaths } } : {}),
  };
}

function reports(files: readonly string[]) {
  return { 'unit-tests': { files: [...files], 'base-directory': APP_DIR, 'file-format': 'JUNITXML' } };
}

/** Exactly what the deploy stage reads. */
function artifacts(c: PipelineConfig): Record<string, unknown> {
  switch (c.deployment.kind) {
    case 'codedeploy-server':
      return { files: ['appspec.yml', ...EC2_HOOKS.map((h) => `${HOOKS_DIR}/${h.script}`), `${HOOKS_DIR}/common.sh`, `${APP_DIR}/**/*`], 'discard-paths': 'no' };
    case 'ecs-rolling':
      return { files: ['imagedefinitions.json'] };
    case 'codedeploy-ecs':
      return { files: ['appspec.yml', 'taskdef.json', 'imageDetail.json'] };
    case 'codedeploy-lambda':
      return needsImage(c)
        ? { files: ['appspec.yml', 'imageDetail.json'] }
        : { files: ['appspec.yml', `${APP_DIR}/**/*`], 'discard-paths': 'no' };
    case 's3-deploy':
      return { files: ['**/*'], 'base-directory': `${APP_DIR}/dist` };
  }
}

/** buildspec-integration.yml: the integration tests, a pipeline action of their own beside the build. */
export function renderIntegrationBuildspec(c: PipelineConfig): Record<string, unknown> | undefined {
  const tc = TOOLCHAINS[c.runtime];
  if (!hasIntegrationTests(c) || !tc.integrationTest) return undefined;
  const inApp = 'cd "$CODEBUILD_SRC_DIR/$APP_DIR"';
  return {
    version: 0.2,
    env: { shell: 'bash', variables: { APP_DIR } },
    phases: {
      install: {
        ...(Object.keys(tc.codebuildRuntime).length ? { 'runtime-versions': tc.codebuildRuntime } : {}),
        commands: [inApp, ...tc.install],
      },
      build: { 'on-failure': 'ABORT', commands: [inApp, ...tc.integrationTest] },
    },
    reports: { 'integration-tests': { files: ['reports/integration.xml'], 'base-directory': APP_DIR, 'file-format': 'JUNITXML' } },
  };
}
