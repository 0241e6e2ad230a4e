/**
 * The buildspec of the Lambda deploy action: new code, a published version,
 * then a CodeDeploy deployment that shifts the alias with the chosen
 * configuration (appspec.yml with the versions filled in).
 */
import type { PipelineConfig } from '../model/config';
import { APP_DIR } from './buildspec';
import { LAMBDA_ALIAS } from './appspec';
import { needsImage } from './kinds';

/** Runtime, handler and package of the function, per runtime (zip packages). */
export const LAMBDA_PACKAGES = {
  node: { runtime: 'nodejs22.x', handler: 'src/handler.handler', zip: 'zip -qr /tmp/function.zip src node_modules package.json' },
  python: { runtime: 'python3.12', handler: 'handler.lambda_handler', zip: 'zip -qr /tmp/function.zip . -x "tests/*" "reports/*"' },
  java: { runtime: 'java21', handler: 'com.example.app.Handler::handleRequest', zip: 'cp target/app.jar /tmp/function.zip' },
  go: { runtime: 'provided.al2023', handler: 'bootstrap', zip: 'zip -qj /tmp/function.zip bootstrap' },
} as const;

/** The deploy's variables (besides FUNCTION_NAME, APPLICATION_NAME, DEPLOYMENT_GROUP_NAME, SRC_DIR). */
export function lambdaDeployVariables(c: PipelineConfig): Record<string, string> {
  const pkg = needsImage(c) ? undefined : LAMBDA_PACKAGES[c.runtime as keyof typeof LAMBDA_PACKAGES];
  return { ALIAS: LAMBDA_ALIAS, ...(pkg ? { LAMBDA_RUNTIME: pkg.runtime, LAMBDA_HANDLER: pkg.handler } : {}) };
}

/** The deploy, as shell commands run from the repo's root ($SRC_DIR); CodeBuild and GitHub Actions run the same. */
export function lambdaDeployCommands(c: PipelineConfig): string[] {
  const wait = 'aws lambda wait function-updated-v2 --function-name "$FUNCTION_NAME"';
  const code = needsImage(c)
    ? [
        'IMAGE_URI="$(python3 -c \'import json; print(json.load(open("imageDetail.json"))["ImageURI"])\')"',
        'aws lambda update-function-code --function-name "$FUNCTION_NAME" --image-uri "$IMAGE_URI" > /dev/null',
        wait,
      ]
    : [
        `cd "$SRC_DIR/${APP_DIR}"`,
        LAMBDA_PACKAGES[c.runtime as keyof typeof LAMBDA_PACKAGES].zip,
        'aws lambda update-function-configuration --function-name "$FUNCTION_NAME" --runtime "$LAMBDA_RUNTIME" --handler "$LAMBDA_HANDLER" > /dev/null',
        wait,
        'aws lambda update-function-code --function-name "$FUNCTION_NAME" --zip-file fileb:///tmp/function.zip > /dev/null',
        wait,
        'cd "$SRC_DIR"',
      ];
  return [
          ': "${FUNCTION_NAME:?}" "${APPLICATION_NAME:?}" "${DEPLOYMENT_GROUP_NAME:?}" "${SRC_DIR:?}"',
          ...code,
          'TARGET_VERSION="$(aws lambda publish-version --function-name "$FUNCTION_NAME" --query Version --output text)"',
          'CURRENT_VERSION="$(aws lambda get-alias --function-name "$FUNCTION_NAME" --name "$ALIAS" --query FunctionVersion --output text)"',
          'sed -e "s/<CURRENT_VERSION>/$CURRENT_VERSION/" -e "s/<TARGET_VERSION>/$TARGET_VERSION/" appspec.yml > /tmp/appspec.yml',
          'REVISION="$(python3 -c \'import json,sys; print(json.dumps({"revisionType": "AppSpecContent", "appSpecContent": {"content": open(sys.argv[1]).read()}}))\' /tmp/appspec.yml)"',
          'DEPLOYMENT_ID="$(aws deploy create-deployment --application-name "$APPLICATION_NAME" --deployment-group-name "$DEPLOYMENT_GROUP_NAME" --revision "$REVISION" --query deploymentId --output text)"',
          'echo "CodeDeploy $DEPLOYMENT_ID: $FUNCTION_NAME $CURRENT_VERSION -> $TARGET_VERSION"',
          'aws deploy wait deployment-successful --deployment-id "$DEPLOYMENT_ID"',
  ];
}

export function renderLambdaDeploySpec(c: PipelineConfig): Record<string, unknown> {
  return {
    version: 0.2,
    env: { shell: 'bash', variables: lambdaDeployVariables(c) },
    phases: {
      build: { 'on-failure': 'ABORT', commands: ['SRC_DIR="$CODEBUILD_SRC_DIR"', ...lambdaDeployCommands(c)] },
    },
  };
}
