/** `create-aws-pipeline status|release|approve|reject|retry`: argv for the day-2 commands. */
import { parseArgs } from 'node:util';
import { answerApproval, release, retry, status } from './commands';
import { OutputError, outputProblem, writeStdout } from './output';
import { loadCodePipeline } from './sdk';
import { pipelineRef } from './target';
import { clean } from './text';
import { UsageError } from '../cli/errors';

export const OPS_COMMANDS = ['status', 'release', 'approve', 'reject', 'retry'] as const;

export async function runOps(command: (typeof OPS_COMMANDS)[number], argv: readonly string[]): Promise<number> {
  try {
    await runCommand(command, argv);
    return 0;
  } catch (err) {
    if (err instanceof OutputError) {
      // The reader went away (`status | head -1`): it has what it wanted.
      if (err.code === 'EPIPE') return 0;
      throw new UsageError(clean(outputProblem(err)));
    }
    // Messages name values from the API, aws-pipeline.json and argv: one line, nothing a terminal acts on.
    if (err instanceof Error) err.message = clean(err.message);
    throw err;
  }
}

async function runCommand(command: (typeof OPS_COMMANDS)[number], argv: readonly string[]): Promise<void> {
  // The SDK warns below Node 22 about its releases after January 2027. Our engines already require 22;
  // run on an older Node anyway, the commands' output still stays what the user asked for.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean' },
        dir: { type: 'string' },
        pipeline: { type: 'string' },
        region: { type: 'string' },
        summary: { type: 'string' },
        stage: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]}: run create-aws-pipeline --help for the options`);
  }
  const dir = (values.dir as string | undefined) ?? '.';
  const ref = pipelineRef(dir, { pipeline: values.pipeline as string | undefined, region: values.region as string | undefined });
  const o = {
    json: values.json === true,
    summary: values.summary as string | undefined,
    stage: values.stage as string | undefined,
    out: writeStdout,
    sdk: loadCodePipeline(dir, command),
  };
  if (command === 'status') await status(ref, o);
  else if (command === 'release') await release(ref, o);
  else if (command === 'approve' || command === 'reject') await answerApproval(ref, o, command === 'approve');
  else await retry(ref, o);
}
