/** infra/main.ts of a generated repo: the pipeline stack with the answers of .projenrc.ts, and cdk-nag. */
import { tsLiteral } from './escape';
import { optionLines, stackOptions } from './projenrc';
import type { PipelineConfig } from '../model/config';
import { usesConnection } from '../model/config';
import { ECS_HOOK_DIR } from '../model/layout';

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
