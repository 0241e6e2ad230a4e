/**
 * The day-2 commands write no file: stdout is their only output. A reader that
 * goes away (`status | head -1`) ends the command quietly; a full or read-only
 * disk under a redirected stdout fails in one line.
 */
import { closeSync, openSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsEnv, opsRepo, runFromSource, runInProcess, spawnFromSource, startFakeCodePipeline } from './fake-codepipeline';
import type { FakeCodePipeline } from './fake-codepipeline';

// Enough output (some MB) that the child is still writing when the reader leaves.
const BIG = JSON.stringify({
  stageStates: Array.from({ length: 20 }, (_, s) => ({
    stageName: `Stage${s}`,
    actionStates: Array.from({ length: 1000 }, (__, a) => ({ actionName: `action-${a}`, latestExecution: { status: 'Succeeded', summary: 'x'.repeat(50) } })),
  })),
});

let fake: FakeCodePipeline;
beforeAll(async () => {
  fake = await startFakeCodePipeline((op) =>
    op === 'GetPipelineState' ? { status: 200, body: BIG } : { status: 200, body: { pipelineExecutionSummaries: [], pipelineExecutionId: 'e-2' } },
  );
});
afterAll(() => fake.close());

function headOne(argv: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; first: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawnFromSource(argv, { cwd: opsRepo(), env: opsEnv(fake.endpoint) });
    let first = '';
    let stderr = '';
    child.stdout!.once('data', (d) => {
      first = String(d).split('\n')[0];
      child.stdout!.destroy();
    });
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => done({ code, signal, first, stderr }));
  });
}

describe('stdout', () => {
  it.each([['status'], ['status', '--json']])('%s | head -1: ends quietly, exit 0', async (...argv) => {
    const r = await headOne(argv);
    expect(r.first).toMatch(/^(svc \(eu-west-1\)|\{)$/);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('a full disk (/dev/full): one line, exit 1', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      for (const argv of [['status'], ['release']]) {
        const r = await runFromSource(argv, { cwd: opsRepo(), env: opsEnv(fake.endpoint), stdio: ['ignore', full, 'pipe'] });
        expect(r.stderr).toBe('error could not write the output: no space left on device (ENOSPC): free some space, or send the output elsewhere\n');
        expect(r.code).toBe(1);
      }
    } finally {
      closeSync(full);
    }
  });

  it.each([
    ['EROFS', 'could not write the output: read-only file system (EROFS): send the output to a writable place'],
    ['EACCES', 'could not write the output: permission denied (EACCES): send the output to a writable place'],
    ['EIO', 'could not write the output: EIO: i/o error, write'],
  ])('%s on stdout: one line, exit 1', async (code, line) => {
    const err = Object.assign(new Error(`${code}: i/o error, write`), { code, syscall: 'write' });
    const r = await runInProcess(['status', '--dir', opsRepo()], fake.endpoint, {}, err);
    expect(r.stderr).toBe(`error ${line}\n`);
    expect(r.code).toBe(1);
  });
});
