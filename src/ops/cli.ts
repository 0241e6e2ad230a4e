/**
 * `create-aws-pipeline status|release|approve|reject|retry|drift|reset`: argv
 * for the day-2 commands. Each answers --help with its own usage. Errors are
 * one line on stderr (thrown to the CLI's handler); with --json they are
 * {"error": {"code", "message"}} on stdout and nothing on stderr, so a pipe
 * gets JSON either way, and the exit code tells failure (1).
 */
import { answerApproval, release, retry, status } from './commands';
import { OpsError } from './errors';
import { actionsRefusal, actionsRepo, actionsStatus } from './github';
import { OutputError, outputProblem, writeStdout } from './output';
import { loadCodePipeline, loadProfiles } from './sdk';
import { pipelineRef } from './target';
import { clean, safeJson } from './text';
import { commandHelp, parseCommandArgs, takesJson } from './usage';
import type { OpsCommand } from './usage';
import { UsageError } from '../cli/errors';

export { OPS_COMMANDS } from './usage';
export type { OpsCommand } from './usage';

/** The exit code of a drift that could not be told. */
const DRIFT_TROUBLE = 2;

export async function runOps(command: OpsCommand, argv: readonly string[]): Promise<number> {
  // Known before the flags are checked, so that a bad flag is JSON too.
  const end = argv.indexOf('--');
  const json = takesJson(command) && (end === -1 ? argv : argv.slice(0, end)).includes('--json');
  try {
    return await runCommand(command, argv);
  } catch (err) {
    if (err instanceof OutputError) {
      // The reader went away (`status | head -1`): it has what it wanted.
      if (err.code === 'EPIPE') return 0;
      // stdout is what failed: this goes to stderr, JSON or not.
      throw new UsageError(clean(outputProblem(err)));
    }
    // Messages name values from the API, aws-pipeline.json and argv: one line, nothing a terminal acts on.
    if (err instanceof Error) err.message = clean(err.message);
    // drift exits 1 when files differ (a CI check); failing to tell (no projen, a bad flag) is 2, as diff(1) has it.
    const error = command === 'drift' && err instanceof Error && err.name === 'UsageError' ? new UsageError(err.message, DRIFT_TROUBLE) : err;
    if (!json) throw error;
    return printJsonError(error);
  }
}

/** {"error": {"code", "message"}} on stdout; a bug says so, as the CLI's handler would. */
async function printJsonError(err: unknown): Promise<number> {
  const known = (err as Error | undefined)?.name === 'UsageError';
  const code = known ? ((err as OpsError).code ?? 'UsageError') : 'InternalError';
  const message = known ? (err as Error).message : `${clean((err as Error)?.message ?? String(err))} (please report this: it is a bug)`;
  if (!known && process.env.DEBUG) process.stderr.write(`${(err as Error)?.stack}\n`);
  try {
    await writeStdout(`${safeJson({ error: { code, message } })}\n`);
  } catch {
    // stdout is gone: nothing is left to tell.
  }
  return known ? ((err as UsageError).exitCode ?? 1) : 1;
}

async function runCommand(command: OpsCommand, argv: readonly string[]): Promise<number> {
  const args = parseCommandArgs(command, argv);
  if (args.help) {
    await writeStdout(commandHelp(command));
    return 0;
  }
  const { values, positionals } = args;
  const dir = (values.dir as string | undefined) ?? '.';
  const json = values.json === true;
  if (command === 'drift') {
    const { runDrift } = await import('./drift.js');
    return runDrift(dir, json);
  }
  if (command === 'reset') {
    const { runReset } = await import('./reset.js');
    return runReset(dir, positionals);
  }
  // The SDK warns below Node 22 about its releases after January 2027. Our engines already require 22;
  // run on an older Node anyway, the commands' output still stays what the user asked for.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let ref;
  try {
    ref = pipelineRef(dir, { pipeline: values.pipeline as string | undefined, region: values.region as string | undefined });
  } catch (err) {
    // No aws-pipeline.json: a repo whose pipeline runs on GitHub Actions has none.
    const actions = err instanceof OpsError && err.code === 'NoOpsFile' ? actionsRepo(dir) : undefined;
    if (!actions) throw err;
    if (command !== 'status') throw actionsRefusal(actions, command);
    await writeStdout(actionsStatus(actions, json));
    return 0;
  }
  const o = {
    json,
    summary: values.summary as string | undefined,
    stage: values.stage as string | undefined,
    out: writeStdout,
    sdk: loadCodePipeline(dir, command),
    profiles: loadProfiles,
  };
  if (command === 'status') await status(ref, o);
  else if (command === 'release') await release(ref, o);
  else if (command === 'approve' || command === 'reject') await answerApproval(ref, o, command === 'approve');
  else await retry(ref, o);
  return 0;
}
