/**
 * Day-2 operations on a generated repo's pipeline, through
 * @aws-sdk/client-codepipeline: status, release, approve, reject, retry.
 */
import type { CodePipelineClient, GetPipelineStateOutput } from '@aws-sdk/client-codepipeline';
import type { Profiles } from './credentials';
import { explain, needsCredentialsContext, OpsError } from './errors';
import type { CodePipelineSdk } from './sdk';
import type { PipelineRef } from './target';
import { clean, safeJson, truncate } from './text';

export interface OpsOptions {
  readonly json: boolean;
  readonly summary?: string;
  readonly stage?: string;
  /** Where the output goes; a promise settles when it is written (or fails to be). */
  readonly out: (text: string) => void | Promise<void>;
  /** The SDK's CodePipeline module (./sdk: beside this package, or the repo's). */
  readonly sdk: CodePipelineSdk;
  /** The profiles of ~/.aws as the SDK reads them, to name a credentials problem (./sdk loadProfiles). */
  readonly profiles?: () => Promise<Profiles | undefined>;
}

async function call<T>(ref: PipelineRef, o: OpsOptions, action: string, send: (client: CodePipelineClient, sdk: CodePipelineSdk) => Promise<T>): Promise<T> {
  const client = new o.sdk.CodePipelineClient({ region: ref.region });
  try {
    return await send(client, o.sdk);
  } catch (err) {
    const profiles = needsCredentialsContext(err) ? await o.profiles?.() : undefined;
    throw explain(err, ref, action, { env: process.env, profiles });
  } finally {
    client.destroy();
  }
}

const state = (ref: PipelineRef, o: OpsOptions) => call(ref, o, 'GetPipelineState', (c, sdk) => c.send(new sdk.GetPipelineStateCommand({ name: ref.pipeline })));

/** Columns padded to their widest cell; cells are cleaned here. A loop, not Math.max(...): a pipeline may have any number of rows. */
function table(rows: unknown[][]): string {
  const cells = rows.map((r) => r.map(clean));
  const widths: number[] = cells[0].map(() => 0);
  for (const r of cells) r.forEach((cell, i) => (widths[i] = Math.max(widths[i], cell.length)));
  return cells.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** An instant as ISO 8601, or '-' when there is none or it is not a date. */
function iso(t: Date | number | null | undefined): string {
  const d = t === undefined || t === null ? undefined : new Date(t);
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : '-';
}

export async function status(ref: PipelineRef, o: OpsOptions): Promise<void> {
  const s = await state(ref, o);
  const executions = await call(ref, o, 'ListPipelineExecutions', (c, sdk) => c.send(new sdk.ListPipelineExecutionsCommand({ pipelineName: ref.pipeline, maxResults: 5 })));
  const stages = stagesOf(s);
  if (o.json) {
    const json = stages.map((st) => ({ ...st, actions: st.actions.map((a) => ({ ...a, summary: a.summary.replace(/\s+/g, ' ').slice(0, 60) })) }));
    await o.out(`${safeJson({ pipeline: ref.pipeline, region: ref.region, stages: json, executions: executions.pipelineExecutionSummaries ?? [] }, 2)}\n`);
    return;
  }
  const rows: unknown[][] = [['STAGE', 'ACTION', 'STATUS', 'LAST CHANGE', 'SUMMARY']];
  const failed: string[] = [];
  for (const stage of stages) {
    for (const a of stage.actions) {
      rows.push([stage.name, a.name, a.status, a.lastChange, truncate(clean(a.summary), 60)]);
      if (a.status !== 'Failed') continue;
      failed.push(`  ${clean(stage.name) || '-'}/${clean(a.name) || '-'}: ${clean(a.errorDetails?.message) || clean(a.errorDetails?.code) || 'no error message'}`);
      if (clean(a.externalExecutionUrl)) failed.push(`    ${clean(a.externalExecutionUrl)}`);
    }
  }
  const ex: unknown[][] = [['EXECUTION', 'STATUS', 'STARTED', 'TRIGGER']];
  for (const e of executions.pipelineExecutionSummaries ?? []) {
    ex.push([e.pipelineExecutionId, e.status, e.startTime ? iso(e.startTime) : '', e.trigger?.triggerType]);
  }
  const failures = failed.length > 0 ? `\n\nFailed actions:\n${failed.join('\n')}` : '';
  await o.out(`${clean(ref.pipeline)} (${clean(ref.region)})\n\n${table(rows)}${failures}\n\nLatest executions:\n${table(ex)}\n`);
}

/** The state as data: API strings as sent (text output cleans them, JSON escapes them). */
function stagesOf(s: GetPipelineStateOutput) {
  return (s.stageStates ?? []).map((st) => ({
    name: st.stageName ?? '',
    status: st.latestExecution?.status ?? '-',
    executionId: st.latestExecution?.pipelineExecutionId,
    actions: (st.actionStates ?? []).map((a) => ({
      name: a.actionName ?? '',
      status: a.latestExecution?.status ?? '-',
      lastChange: iso(a.latestExecution?.lastStatusChange),
      summary: a.latestExecution?.summary ?? '',
      token: a.latestExecution?.token,
      errorDetails: a.latestExecution?.errorDetails ?? undefined,
      externalExecutionUrl: a.latestExecution?.externalExecutionUrl ?? undefined,
    })),
  }));
}

export async function release(ref: PipelineRef, o: OpsOptions): Promise<void> {
  const r = await call(ref, o, 'StartPipelineExecution', (c, sdk) => c.send(new sdk.StartPipelineExecutionCommand({ name: ref.pipeline })));
  await o.out(o.json ? `${safeJson({ pipelineExecutionId: r.pipelineExecutionId })}\n` : `started ${clean(ref.pipeline)} execution ${clean(r.pipelineExecutionId)}\n`);
}

/** Names for a message: the first ten, distinct, cleaned, and how many more. */
function someOf(names: readonly string[]): string {
  const distinct = [...new Set(names)];
  const shown = distinct.slice(0, 10).map((n) => clean(n) || '-');
  return distinct.length > 10 ? `${shown.join(', ')} and ${distinct.length - 10} more` : shown.join(', ');
}

export async function answerApproval(ref: PipelineRef, o: OpsOptions, approve: boolean): Promise<void> {
  const pending = stagesOf(await state(ref, o)).flatMap((st) => st.actions.filter((a) => a.status === 'InProgress' && a.token).map((a) => ({ stage: st.name, ...a })));
  const match = o.stage ? pending.filter((p) => p.stage === o.stage) : pending;
  if (match.length === 0) throw new OpsError('NoApprovalWaiting', `no approval is waiting in ${ref.pipeline}${o.stage ? ` stage ${o.stage}` : ''}: run status to see where it is`);
  if (match.length > 1) throw new OpsError('SeveralApprovals', `approvals wait in ${someOf(match.map((p) => p.stage))}: pass --stage <name>`);
  const [p] = match;
  const summary = o.summary ?? `${approve ? 'Approved' : 'Rejected'} with create-aws-pipeline`;
  await call(ref, o, 'PutApprovalResult', (c, sdk) =>
    c.send(new sdk.PutApprovalResultCommand({ pipelineName: ref.pipeline, stageName: p.stage, actionName: p.name, token: p.token, result: { summary, status: approve ? 'Approved' : 'Rejected' } })),
  );
  await o.out(`${approve ? 'approved' : 'rejected'} ${clean(p.stage)}/${clean(p.name)}: ${clean(summary)}\n`);
}

export async function retry(ref: PipelineRef, o: OpsOptions): Promise<void> {
  const stages = stagesOf(await state(ref, o));
  const failed = stages.filter((st) => st.status === 'Failed' && (!o.stage || st.name === o.stage));
  if (failed.length === 0) throw new OpsError('NoFailedStage', `no failed stage${o.stage ? ` named ${o.stage}` : ''} in ${ref.pipeline}: run status to see its state`);
  const [st] = failed;
  const r = await call(ref, o, 'RetryStageExecution', (c, sdk) =>
    c.send(new sdk.RetryStageExecutionCommand({ pipelineName: ref.pipeline, stageName: st.name, pipelineExecutionId: st.executionId, retryMode: 'FAILED_ACTIONS' })),
  );
  await o.out(`retrying the failed actions of ${clean(st.name)} (execution ${clean(r.pipelineExecutionId)})\n`);
}
