/**
 * The AWS SDK's CodePipeline client for the day-2 commands. It is not a
 * dependency of this package (whose `npm create` installs one bundled file):
 * the generated repo installs it, so it is found beside this package when
 * the repo's own copy runs, or else in the repo's node_modules (`npx
 * create-aws-pipeline status` run from a repo).
 */
import { resolve } from 'node:path';
import type * as CodePipeline from '@aws-sdk/client-codepipeline';
import { UsageError } from '../cli/errors';

export type CodePipelineSdk = typeof CodePipeline;

const SDK = '@aws-sdk/client-codepipeline';

const notFound = (err: unknown): boolean => (err as NodeJS.ErrnoException | undefined)?.code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes(SDK);

export function loadCodePipeline(dir: string, command: string): CodePipelineSdk {
  try {
    // require(), not import(): esbuild keeps this literal external; the second looks in the repo by path.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@aws-sdk/client-codepipeline') as CodePipelineSdk;
  } catch (err) {
    if (!notFound(err)) throw err;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve(SDK, { paths: [resolve(dir)] })) as CodePipelineSdk;
  } catch (err) {
    if (!notFound(err)) throw err;
  }
  throw new UsageError(`${command} needs ${SDK}, which a generated repo installs: run this inside a generated repo after npm install`);
}
