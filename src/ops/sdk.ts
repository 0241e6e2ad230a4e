/**
 * The AWS SDK's CodePipeline client for the day-2 commands. It is not a
 * dependency of this package (whose `npm create` installs one bundled file):
 * the generated repo installs it, so it is found beside this package when
 * the repo's own copy runs, or else in the repo's node_modules (`npx
 * create-aws-pipeline status` run from a repo).
 */
import { dirname, resolve } from 'node:path';
import type * as CodePipeline from '@aws-sdk/client-codepipeline';
import type { Profiles } from './credentials';
import { OpsError } from './errors';

export type CodePipelineSdk = typeof CodePipeline;

const SDK = '@aws-sdk/client-codepipeline';

const notFound = (err: unknown, name: string): boolean => (err as NodeJS.ErrnoException | undefined)?.code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes(name);

/** Where the client was found: the SDK's other modules are taken from beside it, at its version. */
let clientFile: string | undefined;

export function loadCodePipeline(dir: string, command: string): CodePipelineSdk {
  try {
    // require(), not import(): esbuild keeps this literal external; the second looks in the repo by path.
    clientFile = require.resolve('@aws-sdk/client-codepipeline');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@aws-sdk/client-codepipeline') as CodePipelineSdk;
  } catch (err) {
    if (!notFound(err, SDK)) throw err;
  }
  try {
    clientFile = require.resolve(SDK, { paths: [resolve(dir)] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(clientFile) as CodePipelineSdk;
  } catch (err) {
    if (!notFound(err, SDK)) throw err;
  }
  throw new OpsError('SdkNotInstalled', `${command} needs ${SDK}, which a generated repo installs: run this inside a generated repo after npm install`);
}

/**
 * The profiles of ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE,
 * AWS_SHARED_CREDENTIALS_FILE) as the SDK reads them, with the SDK's own
 * reader (@smithy/core/config, beside the client); undefined when it cannot
 * be loaded.
 */
export async function loadProfiles(): Promise<Profiles | undefined> {
  if (!clientFile) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require(require.resolve('@smithy/core/config', { paths: [dirname(clientFile)] })) as { parseKnownFiles?: (init: object) => Promise<Profiles> };
    return config.parseKnownFiles ? await config.parseKnownFiles({ ignoreCache: true }) : undefined;
  } catch {
    // An older SDK without it, or files it cannot parse (the SDK's chain said so already): the line says less.
    return undefined;
  }
}
