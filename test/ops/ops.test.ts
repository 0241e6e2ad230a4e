/**
 * The day-2 commands, run as the real CLI against a local HTTP endpoint
 * that speaks CodePipeline's JSON protocol (X-Amz-Target), reached through
 * the real SDK client by AWS_ENDPOINT_URL_CODEPIPELINE.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { opsRepo, startFakeCodePipeline } from './fake-codepipeline';
import type { FakeCodePipeline } from './fake-codepipeline';
import { BIN, tempDir } from '../helpers';

const STATE = {
  pipelineName: 'svc',
  stageStates: [
    { stageName: 'Source', latestExecution: { pipelineExecutionId: 'e-1', status: 'Succeeded' }, actionStates: [{ actionName: 'Source', latestExecution: { status: 'Succeeded', lastStatusChange: 1700000000, summary: 'commit abc' } }] },
    { stageName: 'Build', latestExecution: { pipelineExecutionId: 'e-1', status: 'Failed' }, actionStates: [{ actionName: 'BuildAndTest', latestExecution: { status: 'Failed', lastStatusChange: 1700000100, summary: 'unit tests failed' } }] },
    { stageName: 'Deploy-production', latestExecution: { pipelineExecutionId: 'e-0', status: 'InProgress' }, actionStates: [{ actionName: 'Approve', latestExecution: { status: 'InProgress', token: 'tok-123', lastStatusChange: 1700000200 } }] },
  ],
};

function ok(op: string): { status: number; body: unknown } {
  switch (op) {
    case 'GetPipelineState':
      return { status: 200, body: STATE };
    case 'ListPipelineExecutions':
      return { status: 200, body: { pipelineExecutionSummaries: [{ pipelineExecutionId: 'e-1', status: 'Failed', startTime: 1700000000, trigger: { triggerType: 'Webhook' } }] } };
    case 'StartPipelineExecution':
      return { status: 200, body: { pipelineExecutionId: 'e-2' } };
    case 'PutApprovalResult':
      return { status: 200, body: { approvedAt: 1700000300 } };
    case 'RetryStageExecution':
      return { status: 200, body: { pipelineExecutionId: 'e-1' } };
    default:
      return { status: 400, body: { __type: 'UnknownOperationException', message: op } };
  }
}

let fake: FakeCodePipeline;
beforeAll(async () => {
  fake = await startFakeCodePipeline(ok);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.calls = [];
  fake.reply = ok;
});

function run(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opsRepo(),
      env: {
        PATH: process.env.PATH,
        HOME: tempDir('cap-home-'),
        AWS_ENDPOINT_URL_CODEPIPELINE: fake.endpoint,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_MAX_ATTEMPTS: '1',
        NO_COLOR: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('day-2 commands against a CodePipeline endpoint', () => {
  it('status prints stages and actions as a table, and --json', async () => {
    const r = await run(['status']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^svc \(eu-west-1\)/);
    expect(r.stdout).toMatch(/Build\s+BuildAndTest\s+Failed\s+2023-11-14T22:15:00.000Z\s+unit tests failed/);
    expect(r.stdout).toMatch(/e-1\s+Failed/);
    expect(fake.calls.map((c) => c.op)).toEqual(['GetPipelineState', 'ListPipelineExecutions']);
    expect(fake.calls[0].body).toEqual({ name: 'svc' });
    const json = JSON.parse((await run(['status', '--json'])).stdout);
    expect(json.stages.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual(['Source:Succeeded', 'Build:Failed', 'Deploy-production:InProgress']);
  });

  it('release starts an execution', async () => {
    const r = await run(['release']);
    expect(r.stdout).toBe('started svc execution e-2\n');
    // The SDK adds an idempotency token of its own.
    expect(fake.calls).toEqual([{ op: 'StartPipelineExecution', body: { name: 'svc', clientRequestToken: expect.stringMatching(/^[0-9a-f-]{36}$/) } }]);
  });

  it('approve finds the pending token itself; reject sends the summary', async () => {
    expect((await run(['approve'])).stdout).toBe('approved Deploy-production/Approve: Approved with create-aws-pipeline\n');
    expect(fake.calls[1]).toEqual({
      op: 'PutApprovalResult',
      body: { pipelineName: 'svc', stageName: 'Deploy-production', actionName: 'Approve', token: 'tok-123', result: { summary: 'Approved with create-aws-pipeline', status: 'Approved' } },
    });
    fake.calls = [];
    await run(['reject', '--summary', 'latency regression']);
    expect(fake.calls[1].body.result).toEqual({ summary: 'latency regression', status: 'Rejected' });
  });

  it('retry retries the failed actions of the failed stage', async () => {
    expect((await run(['retry'])).stdout).toBe('retrying the failed actions of Build (execution e-1)\n');
    expect(fake.calls[1]).toEqual({ op: 'RetryStageExecution', body: { pipelineName: 'svc', stageName: 'Build', pipelineExecutionId: 'e-1', retryMode: 'FAILED_ACTIONS' } });
  });

  it.each([
    ['PipelineNotFoundException', 400, /^error pipeline svc not found in eu-west-1: deploy it first \(npx projen cdk:deploy\), or pass --region\n$/],
    ['AccessDeniedException', 400, /^error access denied for codepipeline:GetPipelineState on svc: use credentials allowed codepipeline:GetPipelineState on it\n$/],
    ['ThrottlingException', 400, /^error AWS is throttling CodePipeline requests: wait a minute and run the command again\n$/],
  ])('turns %s into one line that says what to do', async (type, status, message) => {
    fake.reply = () => ({ status, body: { __type: type, message: 'from the endpoint' } });
    const r = await run(['status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('says so when there are no credentials', async () => {
    const r = await run(['status'], { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error no AWS credentials: none in the environment, and no profile in /nonexistent or /nonexistent: run `aws configure sso` (or `aws configure`), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n');
    expect(fake.calls).toEqual([]);
  });

  it('says where to run it outside a generated repo', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [BIN, 'status'], { cwd: tempDir(), env: { PATH: process.env.PATH, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => done({ code, stderr }));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error no aws-pipeline.json in .*: run this in a generated repo, or pass --pipeline <name> --region <region>\n$/);
  });

  it('refuses to guess between approvals, and names the stage to pass', async () => {
    fake.reply = (op) =>
      op === 'GetPipelineState'
        ? { status: 200, body: { stageStates: ['A', 'B'].map((n) => ({ stageName: n, actionStates: [{ actionName: 'Approve', latestExecution: { status: 'InProgress', token: n } }] })) } }
        : ok(op);
    const r = await run(['approve']);
    expect(r.stderr).toBe('error approvals wait in A, B: pass --stage <name>\n');
    expect((await run(['approve', '--stage', 'B'])).stdout).toBe('approved B/Approve: Approved with create-aws-pipeline\n');
  });
});
