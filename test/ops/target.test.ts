/** aws-pipeline.json, however it is broken, gives one line naming the file and what to do. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsEnv, opsRepo, runFromSource, runInProcess, startFakeCodePipeline } from './fake-codepipeline';
import type { FakeCodePipeline } from './fake-codepipeline';
import { tempDir } from '../helpers';

let fake: FakeCodePipeline;
beforeAll(async () => {
  fake = await startFakeCodePipeline((op) =>
    op === 'GetPipelineState' ? { status: 200, body: { stageStates: [] } } : { status: 200, body: { pipelineExecutionSummaries: [] } },
  );
});
afterAll(() => fake.close());

const REDO = 'run `npx projen` to re-render it, or pass --pipeline <name> --region <region>';

function expectOneLine(stderr: string, line: string | RegExp) {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  if (typeof line === 'string') expect(stderr).toBe(`${line}\n`);
  else expect(stderr.trimEnd()).toMatch(line);
}

describe('aws-pipeline.json', () => {
  // FILE stands for the path as given: <dir>/aws-pipeline.json.
  it.each([
    ['not JSON', '{\n  "pipeline": "svc",\n  "region": eu-west-1\n}', /^error FILE is not valid JSON \(Unexpected token 'e', .*eu-west-1.*\): run `npx projen` to re-render it, or pass --pipeline <name> --region <region>$/],
    ['a trailing comma', '{\n  "pipeline": "svc",\n  "region": "eu-west-1",\n}', `error FILE is not valid JSON (Expected double-quoted property name at line 4 column 1): ${REDO}`],
    ['empty', '', `error FILE is not valid JSON (Unexpected end of JSON input): ${REDO}`],
    ['null', 'null', `error FILE should hold an object with "pipeline" and "region", not null: ${REDO}`],
    ['an array', '["svc", "eu-west-1"]', `error FILE should hold an object with "pipeline" and "region", not an array: ${REDO}`],
    ['a string', '"svc"', `error FILE should hold an object with "pipeline" and "region", not a string: ${REDO}`],
    ['missing pipeline', '{"region": "eu-west-1"}', `error FILE has no "pipeline": ${REDO}`],
    ['a number for pipeline', '{"pipeline": 42, "region": "eu-west-1"}', `error "pipeline" in FILE should be a string, not a number: ${REDO}`],
    ['null region', '{"pipeline": "svc", "region": null}', `error "region" in FILE should be a string, not null: ${REDO}`],
    ['an empty region', '{"pipeline": "svc", "region": ""}', `error FILE has no "region": ${REDO}`],
    ['an object for region', '{"pipeline": "svc", "region": {"a": 1}}', `error "region" in FILE should be a string, not an object: ${REDO}`],
  ])('%s: one line', async (_, content, line) => {
    const dir = opsRepo(content);
    const file = join(dir, 'aws-pipeline.json');
    const r = await runInProcess(['status', '--dir', dir], fake.endpoint);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr, typeof line === 'string' ? line.replace('FILE', file) : new RegExp(line.source.replace('FILE', file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))));
    expect(fake.calls).toEqual([]);
  });

  it('names the file as the user does, relative when run in the repo', async () => {
    const r = await runFromSource(['status'], { cwd: opsRepo('null'), env: opsEnv(fake.endpoint) });
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, `error aws-pipeline.json should hold an object with "pipeline" and "region", not null: ${REDO}`);
  });

  it('prints a pipeline name from the file without escapes', async () => {
    const r = await runInProcess(['status', '--dir', opsRepo('{"pipeline": "svc\\u001b]0;x\\u0007", "region": "eu-west-1"}')], fake.endpoint);
    expect(r.stdout).toMatch(/^svc \(eu-west-1\)\n/);
  });

  it('a directory in its place: one line', async () => {
    const dir = tempDir('cap-ops-');
    mkdirSync(join(dir, 'aws-pipeline.json'));
    const r = await runInProcess(['status', '--dir', dir], fake.endpoint);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, `error ${join(dir, 'aws-pipeline.json')} is a directory, not a file: remove it and run \`npx projen\`, or pass --pipeline <name> --region <region>`);
  });

  it('unreadable (EACCES): one line', async () => {
    const dir = tempDir('cap-ops-');
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'aws-pipeline.json'), '{"pipeline": "svc", "region": "eu-west-1"}');
    chmodSync(join(dir, 'aws-pipeline.json'), 0o000);
    // root reads anything: the command runs without the capabilities that let it.
    // A home and a temp folder (tsx's cache) that user can write.
    const home = tempDir('cap-home-');
    chmodSync(home, 0o777);
    const r = await runFromSource(['status'], { cwd: dir, env: { ...opsEnv(fake.endpoint), HOME: home, TMPDIR: home }, unprivileged: true });
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, 'error cannot read aws-pipeline.json (permission denied, EACCES): make it readable, or pass --pipeline <name> --region <region>');
  });

  it('is not read when --pipeline and --region are given', async () => {
    const r = await runInProcess(['status', '--dir', opsRepo('{ broken'), '--pipeline', 'svc', '--region', 'eu-west-1'], fake.endpoint);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('takes one flag and the rest from the file, and a byte-order mark', async () => {
    const r = await runInProcess(['status', '--dir', opsRepo('\ufeff{"pipeline": "svc", "region": "eu-west-1"}'), '--pipeline', 'other'], fake.endpoint);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^other \(eu-west-1\)\n/);
  });

  it('still says where to run it when there is none', async () => {
    const dir = tempDir('cap-ops-');
    const r = await runInProcess(['status', '--dir', dir], fake.endpoint);
    expectOneLine(r.stderr, `error no aws-pipeline.json in ${dir}: run this in a generated repo, or pass --pipeline <name> --region <region>`);
  });
});
