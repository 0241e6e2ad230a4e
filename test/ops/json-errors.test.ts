/**
 * With --json, an error is JSON too: {"error": {"code", "message"}} on stdout,
 * nothing on stderr (a pipe gets clean JSON), exit 1.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { opsRepo, runInProcess, startFakeCodePipeline } from './fake-codepipeline';
import type { FakeCodePipeline, Reply } from './fake-codepipeline';
import { cli, tempDir } from '../helpers';

const fine: Reply = (op) => (op === 'GetPipelineState' ? { status: 200, body: { stageStates: [] } } : { status: 200, body: { pipelineExecutionSummaries: [], pipelineExecutionId: 'e-1' } });

let fake: FakeCodePipeline;
beforeAll(async () => {
  fake = await startFakeCodePipeline(fine);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reply = fine;
});

const NO_CREDENTIALS = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined, HOME: tempDir('cap-home-'), AWS_CONFIG_FILE: undefined, AWS_SHARED_CREDENTIALS_FILE: undefined };

/** stdout is one JSON document with only `error`; stderr is empty; exit 1. */
function expectJsonError(r: { code: number | null; stdout: string; stderr: string }, code: string, message: string | RegExp) {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1);
  expect(r.stdout.endsWith('\n')).toBe(true);
  const json = JSON.parse(r.stdout);
  expect(Object.keys(json)).toEqual(['error']);
  expect(Object.keys(json.error)).toEqual(['code', 'message']);
  expect(json.error.code).toBe(code);
  if (typeof message === 'string') expect(json.error.message).toBe(message);
  else expect(json.error.message).toMatch(message);
}

describe('status --json, when it fails', () => {
  it('no credentials', async () => {
    const r = await runInProcess(['status', '--json', '--dir', opsRepo()], fake.endpoint, NO_CREDENTIALS);
    expectJsonError(r, 'NoCredentials', /^no AWS credentials: /);
    expect(fake.calls.length).toBe(0);
  });

  it.each([
    ['AccessDeniedException', 'AccessDenied', 'access denied for codepipeline:GetPipelineState on svc: use credentials allowed codepipeline:GetPipelineState on it'],
    ['PipelineNotFoundException', 'PipelineNotFound', 'pipeline svc not found in eu-west-1: deploy it first (npx projen cdk:deploy), or pass --region'],
    ['ValidationException', 'ValidationException', 'CodePipeline GetPipelineState failed: ValidationException: from the endpoint'],
  ])('%s from AWS: code %s', async (type, code, message) => {
    fake.reply = () => ({ status: 400, body: { __type: type, message: 'from the endpoint' } });
    expectJsonError(await runInProcess(['status', '--json', '--dir', opsRepo()], fake.endpoint), code, message);
  });

  it('no aws-pipeline.json', async () => {
    const dir = tempDir();
    expectJsonError(await runInProcess(['status', '--json', '--dir', dir], fake.endpoint), 'NoOpsFile', `no aws-pipeline.json in ${dir}: run this in a generated repo, or pass --pipeline <name> --region <region>`);
  });

  it('a broken aws-pipeline.json', async () => {
    expectJsonError(await runInProcess(['status', '--json', '--dir', opsRepo('[]')], fake.endpoint), 'BadOpsFile', /should hold an object/);
  });

  it('a flag status does not take, wherever --json is', async () => {
    expectJsonError(await runInProcess(['status', '--bogus', '--json'], fake.endpoint), 'BadFlag', 'unknown flag --bogus for status: see create-aws-pipeline status --help');
  });

  it('release --json too', async () => {
    fake.reply = () => ({ status: 400, body: { __type: 'PipelineNotFoundException', message: 'nope' } });
    expectJsonError(await runInProcess(['release', '--json', '--dir', opsRepo()], fake.endpoint), 'PipelineNotFound', /^pipeline svc not found/);
  });

  it('without --json, errors stay one line on stderr', async () => {
    const r = await runInProcess(['status', '--dir', opsRepo()], fake.endpoint, NO_CREDENTIALS);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error no AWS credentials: [^\n]*\n$/);
  });
});

describe('drift, when it cannot tell', () => {
  // Exit 1 means files differ (test/project/resynth.test.ts): a failure to tell is 2, as diff(1) has it, so a CI check
  // can tell "drifted" from "broken".
  it('exits 2 for a repo without projen installed, and for a bad flag; as JSON too', () => {
    const repo = tempDir('cap-drift-bare-');
    writeFileSync(join(repo, 'package.json'), '{"name":"bare"}\n');
    const plain = cli(['drift', '--dir', repo], repo);
    expect(plain.status, plain.stderr).toBe(2);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    const json = cli(['drift', '--json', '--dir', repo], repo);
    expect(json.status).toBe(2);
    expect(Object.keys(JSON.parse(json.stdout).error)).toEqual(['code', 'message']);
    expect(cli(['drift', '--bogus'], repo).status).toBe(2);
  });
});
