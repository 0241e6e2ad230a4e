/** infra/main.ts and cdk.json of a generated repo: the pipeline stack with the answers of .projenrc.ts, and cdk-nag. */
import { readFileSync } from 'node:fs';
import { tsLiteral } from './escape';
import { optionLines, stackOptions } from './projenrc';
import type { PipelineConfig } from '../model/config';
import { usesConnection } from '../model/config';
import { ECS_HOOK_DIR } from '../model/layout';
import { packageRoot } from '../package-info';

/** The flags baked into a bundle (bundle/build.mjs defines it): the bundled CLI runs where aws-cdk-lib is not installed. */
declare const CAP_CDK_FLAGS: Readonly<Record<string, unknown>> | undefined;

/**
 * The feature flags `cdk init` writes into a new app's cdk.json, as the aws-cdk-lib this package was built and
 * tested with ships them (`recommended-feature-flags.json`): a generated app synthesizes as our tests do, and an
 * upgrade of aws-cdk-lib alone never turns a new flag on.
 */
export function cdkFeatureFlags(): Readonly<Record<string, unknown>> {
  if (typeof CAP_CDK_FLAGS === 'object') return CAP_CDK_FLAGS;
  return JSON.parse(readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json', { paths: [packageRoot()] }), 'utf8'));
}

/** cdk.json: how to run the app, where it writes, and the feature flags. */
export function renderCdkJson(): Record<string, unknown> {
  return { app: 'npx tsx infra/main.ts', output: 'cdk.out', context: cdkFeatureFlags() };
}

export function renderCdkApp(config: PipelineConfig): string {
  const body = optionLines(stackOptions(config));
  return [
    "import { App } from 'aws-cdk-lib';",
    "import { AwsPipelineStack, addPipelineChecks } from 'create-aws-pipeline/constructs';",
    '',
    '// Rendered from .projenrc.ts: change the answers there and run `npx projen`.',
    'const app = new App();',
    `new AwsPipelineStack(app, ${tsLiteral(config.names.stack)}, {`,
    body,
    ...(config.deployment.kind === 'ecs-native' ? ["  // The ECS lifecycle hook's code: this repo's, relative to where cdk runs (the repo's root).", `  ecsHookDir: ${tsLiteral(ECS_HOOK_DIR)},`] : []),
    ...(usesConnection(config) ? ['  // The CodeConnections connection: `cdk deploy --parameters ConnectionArn=arn:aws:codeconnections:...`.'] : []),
    '});',
    'addPipelineChecks(app);',
    'app.synth();',
    '',
  ].join('\n');
}
