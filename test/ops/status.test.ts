/**
 * What the day-2 commands print from the API: terminal escapes stripped in
 * text, kept (escaped) in JSON, failed actions' errors and links shown, and
 * pipelines of any size.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { opsRepo, runInProcess, startFakeCodePipeline } from './fake-codepipeline';
import type { FakeCodePipeline, Reply } from './fake-codepipeline';

/** Anything a terminal would act on: C0 but newline, DEL, C1, and the bidi controls. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const EVIL = {
  stage: 'Build\x1b[2J\x1b[H',
  action: 'Test\x1b]0;owned\x07s',
  status: 'Failed',
  summary: 'tests\x1b[31m failed\nsee\rlog\x9b2J',
  message: '3 failing: \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\\n\tat line 2\u202e',
  url: 'https://console.aws.amazon.com/codesuite/codebuild/projects/svc/build/svc:1\x1b[8m',
  execution: 'e-1\x1bP+q\x1b\\',
};

const FAILING_STATE = {
  pipelineName: 'svc',
  stageStates: [
    { stageName: 'Source', latestExecution: { pipelineExecutionId: 'e-1', status: 'Succeeded' }, actionStates: [{ actionName: 'Source', latestExecution: { status: 'Succeeded', summary: 'commit abc' } }] },
    {
      stageName: EVIL.stage,
      latestExecution: { pipelineExecutionId: 'e-1', status: 'Failed' },
      actionStates: [
        {
          actionName: EVIL.action,
          latestExecution: {
            status: EVIL.status,
            lastStatusChange: 1700000100,
            summary: EVIL.summary,
            errorDetails: { code: 'JobFailed', message: EVIL.message },
            externalExecutionUrl: EVIL.url,
          },
        },
        { actionName: 'Lint', latestExecution: { status: 'Failed', errorDetails: { code: 'JobFailed', message: 'eslint found 2 problems' } } },
      ],
    },
  ],
};

function replyWith(state: unknown): Reply {
  return (op) => {
    if (op === 'GetPipelineState') return { status: 200, body: state };
    if (op === 'ListPipelineExecutions') {
      return { status: 200, body: { pipelineExecutionSummaries: [{ pipelineExecutionId: EVIL.execution, status: 'Failed\x1b[0m', startTime: 1700000000, trigger: { triggerType: 'Webhook\x07' } }] } };
    }
    if (op === 'StartPipelineExecution') return { status: 200, body: { pipelineExecutionId: EVIL.execution } };
    if (op === 'PutApprovalResult') return { status: 200, body: { approvedAt: 1700000300 } };
    if (op === 'RetryStageExecution') return { status: 200, body: { pipelineExecutionId: EVIL.execution } };
    return { status: 400, body: { __type: 'UnknownOperationException', message: op } };
  };
}

let fake: FakeCodePipeline;
beforeAll(async () => {
  fake = await startFakeCodePipeline(replyWith(FAILING_STATE));
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.calls = [];
  fake.reply = replyWith(FAILING_STATE);
});

const ops = (...argv: string[]) => runInProcess([...argv, '--dir', opsRepo()], fake.endpoint);

describe('status, text', () => {
  it('strips terminal escapes from every string the API sent, and keeps one row per action', async () => {
    const r = await ops('status');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).toMatch(/^Build\s+Tests\s+Failed\s+2023-11-14T22:15:00.000Z\s+tests failed see log$/m);
    expect(r.stdout).toMatch(/^e-1\s+Failed\s+2023-11-14T22:13:20.000Z\s+Webhook$/m);
    // Source, the failing action, Lint: three rows under the header, nothing broken over lines.
    const table = r.stdout.split('\n\n')[1].split('\n');
    expect(table).toHaveLength(4);
  });

  it("shows each failed action's error message and its link", async () => {
    const r = await ops('status');
    expect(r.stdout).toContain('\nFailed actions:\n');
    expect(r.stdout).toContain('  Build/Tests: 3 failing: click at line 2\n    https://console.aws.amazon.com/codesuite/codebuild/projects/svc/build/svc:1\n');
    expect(r.stdout).toContain('  Build/Lint: eslint found 2 problems\n');
  });

  it('has no failed-actions section when nothing failed', async () => {
    fake.reply = replyWith({ stageStates: [FAILING_STATE.stageStates[0]] });
    const r = await ops('status');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Failed actions');
  });
});

describe('status --json', () => {
  it('includes errorDetails and externalExecutionUrl, and the API text unchanged', async () => {
    const r = await ops('status', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const failing = json.stages[1].actions[0];
    expect(json.stages[1].name).toBe(EVIL.stage);
    expect(failing.name).toBe(EVIL.action);
    expect(failing.errorDetails).toEqual({ code: 'JobFailed', message: EVIL.message });
    expect(failing.externalExecutionUrl).toBe(EVIL.url);
    expect(json.executions[0].pipelineExecutionId).toBe(EVIL.execution);
  });

  it('escapes every control character, C1 and bidi included, so the raw JSON is safe on a terminal', async () => {
    const r = await ops('status', '--json');
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).toContain('\\u001b[2J');
    expect(r.stdout).toContain('\\u009b2J');
    expect(r.stdout).toContain('\\u202e');
  });
});

describe('the other commands', () => {
  it('release, retry and approve print API text without escapes', async () => {
    expect((await ops('release')).stdout).toBe('started svc execution e-1\n');
    expect((await ops('retry')).stdout).toBe('retrying the failed actions of Build (execution e-1)\n');
    fake.calls = [];
    fake.reply = replyWith({ stageStates: [{ stageName: 'Prod\x1b[1A', actionStates: [{ actionName: 'Ok\x1b[K', latestExecution: { status: 'InProgress', token: 't' } }] }] });
    const approve = await ops('approve', '--summary', 'fine\x1b[2J');
    expect(approve.stdout).toBe('approved Prod/Ok: fine\n');
    // What the user wrote is sent as written.
    expect(fake.calls[1].body.result.summary).toBe('fine\x1b[2J');
  });

  it('release --json keeps the id, escaped', async () => {
    const r = await ops('release', '--json');
    expect(r.stdout).not.toMatch(CONTROL);
    expect(JSON.parse(r.stdout)).toEqual({ pipelineExecutionId: EVIL.execution });
  });

  it("strips escapes from an AWS error's message", async () => {
    fake.reply = (op) =>
      op === 'GetPipelineState'
        ? { status: 400, body: { __type: 'StageNotRetryableException', message: 'stage Build\x1b]0;owned\x07 is\nrunning\x1b[2J' } }
        : { status: 500, body: {} };
    const r = await ops('retry');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error the stage cannot be retried now: stage Build is running\n');
  });

  it('names the waiting approvals without escapes, and only the first few of many', async () => {
    const stageStates = Array.from({ length: 30 }, (_, i) => ({ stageName: `S${i}\x1b[2J`, actionStates: [{ actionName: 'Approve', latestExecution: { status: 'InProgress', token: `t${i}` } }] }));
    fake.reply = replyWith({ stageStates });
    const r = await ops('approve');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error approvals wait in S0, S1, S2, S3, S4, S5, S6, S7, S8, S9 and 20 more: pass --stage <name>\n');
  });
});

describe('odd responses', () => {
  it('takes nulls and missing fields anywhere', async () => {
    fake.reply = replyWith({
      pipelineName: null,
      stageStates: [
        { stageName: null, latestExecution: null, actionStates: null },
        { stageName: 'B', actionStates: [{ actionName: null, latestExecution: { status: 'Failed', errorDetails: null, externalExecutionUrl: null, summary: null, lastStatusChange: null } }, {}] },
      ],
    });
    for (const args of [['status'], ['status', '--json']]) {
      const r = await ops(...args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect((await ops('status')).stdout).toContain('  B/-: no error message\n');
  });

  it('prints a date the API got wrong as -', async () => {
    fake.reply = replyWith({ stageStates: [{ stageName: 'B', actionStates: [{ actionName: 'A', latestExecution: { status: 'Succeeded', lastStatusChange: 1e20 } }] }] });
    const r = await ops('status');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^B\s+A\s+Succeeded\s+-$/m);
  });
});

describe('a very large pipeline', () => {
  const N = 200_000;
  const huge = {
    stageStates: Array.from({ length: N / 1000 }, (_, s) => ({
      stageName: `Stage${s}`,
      latestExecution: { pipelineExecutionId: 'e-1', status: 'Failed' },
      actionStates: Array.from({ length: 1000 }, (__, a) => ({ actionName: `a${a}`, latestExecution: { status: a === 0 ? 'Failed' : 'InProgress', token: `t${s}-${a}` } })),
    })),
  };
  const body = JSON.stringify(huge);

  it(`status prints ${N} actions without overflowing the stack`, async () => {
    fake.reply = (op) => (op === 'GetPipelineState' ? { status: 200, body } : replyWith(huge)(op, {}));
    const r = await ops('status');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^Stage\d+\s+a\d+\s/.test(l))).toHaveLength(N);
    const json = await ops('status', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).stages).toHaveLength(N / 1000);
  });

  it('approve and retry over the same pipeline answer in one line', async () => {
    fake.reply = (op) => (op === 'GetPipelineState' ? { status: 200, body } : replyWith(huge)(op, {}));
    expect((await ops('approve')).stderr).toBe('error approvals wait in Stage0, Stage1, Stage2, Stage3, Stage4, Stage5, Stage6, Stage7, Stage8, Stage9 and 190 more: pass --stage <name>\n');
    expect((await ops('retry')).stdout).toBe('retrying the failed actions of Stage0 (execution e-1)\n');
  });
});
