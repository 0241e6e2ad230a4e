/**
 * Day-2 operations on a generated repo's pipeline, through
 * @aws-sdk/client-codepipeline: status, release, approve, reject, retry.
 */
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  PutApprovalResultCommand,
  RetryStageExecutionCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import type { GetPipelineStateOutput } from '@aws-sdk/client-codepipeline';
import { explain } from './errors';
import type { PipelineRef } from './target';
import { UsageError } from '../cli/errors';

export interface OpsOptions {
  readonly json: boolean;
  readonly summary?: string;
  readonly stage?: string;
  readonly out: (text: string) => void;
}

async function call<T>(ref: PipelineRef, action: string, send: (client: CodePipelineClient) => Promise<T>): Promise<T> {
  const client = new CodePipelineClient({ region: ref.region });
  try {
    return await send(client);
  } catch (err) {
    throw explain(err, ref, action);
  } finally {
    client.destroy();
  }
}

const state = (ref: PipelineRef) => call(ref, 'GetPipelineState', (c) => c.send(new GetPipelineStateCommand({ name: ref.pipeline })));

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

export async function status(ref: PipelineRef, o: OpsOptions): Promise<void> {
  const s = await state(ref);
  const executions = await call(ref, 'ListPipelineExecutions', (c) => c.send(new ListPipelineExecutionsCommand({ pipelineName: ref.pipeline, maxResults: 5 })));
  if (o.json) {
    o.out(`${JSON.stringify({ pipeline: ref.pipeline, region: ref.region, stages: stagesOf(s), executions: executions.pipelineExecutionSummaries ?? [] }, null, 2)}\n`);
    return;
  }
  const rows = [['STAGE', 'ACTION', 'STATUS', 'LAST CHANGE', 'SUMMARY']];
  for (const stage of stagesOf(s)) {
    for (const a of stage.actions) rows.push([stage.name, a.name, a.status, a.lastChange, a.summary]);
  }
  o.out(`${ref.pipeline} (${ref.region})\n\n${table(rows)}\n\nLatest executions:\n`);
  const ex = [['EXECUTION', 'STATUS', 'STARTED', 'TRIGGER']];
  for (const e of executions.pipelineExecutionSummaries ?? []) {
    ex.push([e.pipelineExecutionId ?? '', e.status ?? '', e.startTime ? new Date(e.startTime).toISOString() : '', e.trigger?.triggerType ?? '']);
  }
  o.out(`${table(ex)}\n`);
}

function stagesOf(s: GetPipelineStateOutput) {
  return (s.stageStates ?? []).map((st) => ({
    name: st.stageName ?? '',
    status: st.latestExecution?.status ?? '-',
    executionId: st.latestExecution?.pipelineExecutionId,
    actions: (st.actionStates ?? []).map((a) => ({
      name: a.actionName ?? '',
      status: a.latestExecution?.status ?? '-',
      lastChange: a.latestExecution?.lastStatusChange ? new Date(a.latestExecution.lastStatusChange).toISOString() : '-',
      summary: (a.latestExecution?.summary ?? '').replace(/\s+/g, ' ').slice(0, 60),
      token: a.latestExecution?.token,
    })),
  }));
}

export async function release(ref: PipelineRef, o: OpsOptions): Promise<void> {
  const r = await call(ref, 'StartPipelineExecution', (c) => c.send(new StartPipelineExecutionCommand({ name: ref.pipeline })));
  o.out(o.json ? `${JSON.stringify({ pipelineExecutionId: r.pipelineExecutionId })}\n` : `started ${ref.pipeline} execution ${r.pipelineExecutionId}\n`);
}

export async function answerApproval(ref: PipelineRef, o: OpsOptions, approve: boolean): Promise<void> {
  const pending = stagesOf(await state(ref)).flatMap((st) => st.actions.filter((a) => a.status === 'InProgress' && a.token).map((a) => ({ stage: st.name, ...a })));
  const match = o.stage ? pending.filter((p) => p.stage === o.stage) : pending;
  if (match.length === 0) throw new UsageError(`no approval is waiting in ${ref.pipeline}${o.stage ? ` stage ${o.stage}` : ''}: run status to see where it is`);
  if (match.length > 1) throw new UsageError(`approvals wait in ${match.map((p) => p.stage).join(', ')}: pass --stage <name>`);
  const [p] = match;
  const summary = o.summary ?? `${approve ? 'Approved' : 'Rejected'} with create-aws-pipeline`;
  await call(ref, 'PutApprovalResult', (c) =>
    c.send(new PutApprovalResultCommand({ pipelineName: ref.pipeline, stageName: p.stage, actionName: p.name, token: p.token, result: { summary, status: approve ? 'Approved' : 'Rejected' } })),
  );
  o.out(`${approve ? 'approved' : 'rejected'} ${p.stage}/${p.name}: ${summary}\n`);
}

export async function retry(ref: PipelineRef, o: OpsOptions): Promise<void> {
  const stages = stagesOf(await state(ref));
  const failed = stages.filter((st) => st.status === 'Failed' && (!o.stage || st.name === o.stage));
  if (failed.length === 0) throw new UsageError(`no failed stage${o.stage ? ` named ${o.stage}` : ''} in ${ref.pipeline}: run status to see its state`);
  const [st] = failed;
  const r = await call(ref, 'RetryStageExecution', (c) =>
    c.send(new RetryStageExecutionCommand({ pipelineName: ref.pipeline, stageName: st.name, pipelineExecutionId: st.executionId, retryMode: 'FAILED_ACTIONS' })),
  );
  o.out(`retrying the failed actions of ${st.name} (execution ${r.pipelineExecutionId})\n`);
}
