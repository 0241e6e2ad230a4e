/**
 * A local HTTP endpoint that speaks CodePipeline's JSON protocol (X-Amz-Target),
 * reached through the real SDK client by AWS_ENDPOINT_URL_CODEPIPELINE; and two
 * ways to run the day-2 commands of this checkout's source against it: in this
 * process (through the CLI's `run`) or as a child process (through tsx), so no
 * build is needed.
 */
import { spawn } from 'node:child_process';
import type { StdioOptions } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';
import { run as runCli } from '../../src/cli/main';
import { asUnprivileged, ROOT, tempDir } from '../helpers';

export interface Call {
  readonly op: string;
  readonly body: Record<string, any>;
}

export type Reply = (op: string, body: Record<string, any>) => { status: number; body: unknown };

export interface FakeCodePipeline {
  readonly endpoint: string;
  calls: Call[];
  reply: Reply;
  close(): Promise<void>;
}

export async function startFakeCodePipeline(reply: Reply): Promise<FakeCodePipeline> {
  const fake = { endpoint: '', calls: [] as Call[], reply, close: async () => {} };
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (d) => (data += d));
    req.on('end', () => {
      const op = String(req.headers['x-amz-target'] ?? '').replace('CodePipeline_20150709.', '');
      const body = data ? JSON.parse(data) : {};
      fake.calls.push({ op, body });
      const r = fake.reply(op, body);
      res.writeHead(r.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  fake.endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  fake.close = () => new Promise<void>((done) => server.close(() => done()));
  return fake;
}

/** A generated repo's marker file, in a new temp folder. */
export function opsRepo(content: string = JSON.stringify({ pipeline: 'svc', region: 'eu-west-1', environments: ['staging', 'production'] })): string {
  const dir = tempDir('cap-ops-');
  writeFileSync(join(dir, 'aws-pipeline.json'), content);
  return dir;
}

/** What the SDK needs to reach the fake endpoint, and nothing from the machine's AWS config. */
export function opsEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_CODEPIPELINE: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_MAX_ATTEMPTS: '1',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
  };
}

export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The CLI's `run` in this process, with stdout and stderr captured (a write's
 * callback is called, as a real stream's would be, with `stdoutError` if given)
 * and the environment set for `endpoint`.
 */
export async function runInProcess(argv: string[], endpoint: string, env: Record<string, string | undefined> = {}, stdoutError?: Error): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const capture = (append: (s: string) => void, error?: Error) => (chunk: unknown, encoding?: unknown, cb?: unknown) => {
    if (!error) append(String(chunk));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') process.nextTick(done as (e?: Error) => void, error);
    return !error;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((s) => (stdout += s), stdoutError) as typeof process.stdout.write);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture((s) => (stderr += s)) as typeof process.stderr.write);
  for (const [k, v] of Object.entries({ ...opsEnv(endpoint), ...env })) vi.stubEnv(k, v);
  try {
    const code = await runCli(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}

// tsx's loader, for require() and import() of the TypeScript source.
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** The CLI from this checkout's source, as a child process. */
export function spawnFromSource(argv: string[], options: { cwd: string; env: Record<string, string | undefined>; stdio?: StdioOptions; unprivileged?: boolean }) {
  const main = JSON.stringify(join(ROOT, 'src', 'cli', 'main.ts'));
  const script = `require(${main}).run(${JSON.stringify(argv)}).then((code) => { process.exitCode = code; })`;
  const args = ['--import', TSX, '-e', script];
  const [command, commandArgs] = options.unprivileged ? asUnprivileged(process.execPath, args) : [process.execPath, args];
  return spawn(command, commandArgs, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: tempDir('cap-home-'), ...options.env },
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
  });
}

/** `spawnFromSource`, collecting what it printed. */
export function runFromSource(argv: string[], options: Parameters<typeof spawnFromSource>[1]): Promise<Result> {
  return new Promise((done) => {
    const child = spawnFromSource(argv, options);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
