/**
 * A fake AWS endpoint on 127.0.0.1 for running the generated deploy scripts
 * with the real AWS CLI v2 (Debian's awscli, /usr/bin/aws): it records every
 * request (service, operation, parameters, raw request) and answers from an
 * in-memory state the test seeds, so a test can assert what a script asked
 * AWS to do and in which order.
 *
 *   const fake = await startFakeAws();
 *   fake.addFunction('api');
 *   const r = await runScript(fake, 'scripts/deploy.sh', { cwd, args: ['prod'] });
 *   expect(fake.calls()).toEqual(['lambda.UpdateFunctionCode', 'lambda.GetFunction', ...]);
 *   await fake.close();
 *
 * How the CLI reaches it: CLI 2.9.19 has no AWS_ENDPOINT_URL (that came in
 * 2.13), so `env()` puts a directory first on PATH whose `aws` runs
 * `/usr/bin/aws --endpoint-url $FAKE_AWS_ENDPOINT "$@"`. The CLI still
 * parses every argument itself. One CLI command builds a client of its own
 * without --endpoint-url: `aws deploy push` uploads the bundle with an S3
 * client that only gets the region. A CLI plugin (the config file's
 * [plugins] section, which CLI v2 still loads) sends every request that is
 * not already for the fake endpoint to it, marked with the header
 * x-fake-aws-redirected-from; so nothing ever leaves the machine.
 *
 * startFakeAws runs the server on the test's own event loop: start scripts
 * with the async `runScript` (or spawn), never spawnSync/execSync, which
 * would block the loop the fake answers on. For code that must run
 * commands synchronously (runBuildspec in buildspec-runner.ts), use
 * startFakeAwsThread: the same API, the server in a worker thread.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { AwsError, findModelsDir, identify, RawRequest, serializeError, serializeOutput, signingScope } from './fake-aws-protocol';
import {
  DeploymentGroup,
  DeploymentStatus,
  EcrImage,
  EcsService,
  emptyState,
  FakeState,
  Handler,
  HANDLERS,
  LambdaFunction,
  S3Object,
  seedDeploymentGroup,
  seedEcrImage,
  seedEcsService,
  seedLambdaFunction,
  seedS3Object,
  seedStack,
} from './fake-aws-services';

export { AwsError } from './fake-aws-protocol';
export type { CodeDeployDeployment, DeploymentGroup, DeploymentStatus, EcrImage, EcsService, FakeState, Handler, LambdaFunction, S3Object } from './fake-aws-services';

export const AWS_CLI = '/usr/bin/aws';

export interface Recorded {
  /** The signing name: lambda, codedeploy, ecs, ecr, s3, cloudfront, cloudformation, sts, ... */
  service: string;
  /** The model's operation name: UpdateFunctionCode, CreateDeployment, PutObject, ... */
  operation: string;
  /** The request's parameters by their botocore names (query protocol: the flat form fields). */
  params: any;
  raw: { method: string; path: string; headers: Record<string, string>; body: Buffer };
  /** The HTTP status answered. */
  status: number;
  /** When the request arrived (Date.now()). */
  time: number;
  /** The error answered, if any (unknown operations: code FakeAwsUnsupportedOperation). */
  error?: { code: string; message: string };
}

export interface FakeAwsOptions {
  region?: string;
  accountId?: string;
  /** The real CLI the wrapper runs (default /usr/bin/aws). */
  awsCli?: string;
  /** botocore's data directory (default: found inside the Debian awscli package). */
  modelsDir?: string;
  /** After each Lambda code/configuration update, GetFunction(Configuration) calls answering InProgress (default 0). */
  lambdaUpdatePolls?: number;
  /** Statuses successive GetDeployment calls answer for a new CodeDeploy deployment (default ['Succeeded']). */
  deploymentStatuses?: DeploymentStatus[];
  /** DescribeServices calls an ECS service stays unstable after an update (default 0). */
  ecsSettlePolls?: number;
  /** Extra or replacement operations: handlers[service][Operation]. */
  handlers?: Record<string, Record<string, Handler>>;
}

export interface FakeAws {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  /** Every request, in arrival order. */
  readonly requests: Recorded[];
  /** The in-memory resources; seed and inspect freely (startFakeAwsThread: a read-only snapshot, change it with `update`). */
  readonly state: FakeState;
  /** The temporary directory with the `aws` wrapper (bin/), HOME (home/) and the CLI config (config). */
  readonly dir: string;
  /**
   * Changes the state: `fn(state, arg)`. Works in both modes; with startFakeAwsThread `fn` is
   * sent as source, so it must not use variables from around it (pass them as `arg`).
   */
  update<A>(fn: (state: FakeState, arg: A) => void, arg?: A): void;
  /** The environment for a child process that runs `aws`: wrapper first on PATH, fake credentials, region, config; `extra` on top. */
  env(extra?: Record<string, string | undefined>): Record<string, string>;
  /** `service.Operation` of every request (or of one service's), in order. */
  calls(service?: string): string[];
  /** The recorded requests of one operation (`lambda.UpdateFunctionCode` or `UpdateFunctionCode`). */
  find(operation: string): Recorded[];
  /** Forgets the recorded requests (state stays). */
  clearRequests(): void;
  /** Adds or replaces an operation's handler (startFakeAwsThread: sent as source, like `update`'s; `AwsError` is in scope). */
  handle(service: string, operation: string, handler: Handler): void;
  addFunction(name: string, config?: Record<string, any>, opts?: { code?: Buffer; versions?: number; aliases?: Record<string, string> }): LambdaFunction;
  /** A deployment group (and its application, created with the group's computePlatform). */
  addDeploymentGroup(application: string, group: string, props?: Partial<DeploymentGroup>): DeploymentGroup;
  /** The next deployment answers these statuses (default: Failed at once), with this error message. */
  failNextDeployment(opts?: { statuses?: DeploymentStatus[]; message?: string }): void;
  addEcsService(cluster: string, service: string, props?: Record<string, any>): EcsService;
  addEcrImage(repository: string, tags: string | string[], opts?: { digest?: string; manifest?: string; sizeInBytes?: number }): EcrImage;
  addBucket(name: string): void;
  putObject(bucket: string, key: string, body: Buffer | string, contentType?: string): S3Object;
  addDistribution(id: string, domainName?: string): void;
  addStack(name: string, outputs?: Record<string, string> | { OutputKey: string; OutputValue: string; ExportName?: string }[], props?: Record<string, any>): Record<string, any>;
  close(): Promise<void>;
}

const PLUGIN = `"""fake-aws: sends every request that is not for the fake endpoint to it."""
import os
from urllib.parse import urlsplit, urlunsplit


def _redirect(request, **kwargs):
    endpoint = os.environ.get('FAKE_AWS_ENDPOINT')
    if not endpoint:
        return None
    url = urlsplit(request.url)
    target = urlsplit(endpoint)
    if (url.scheme, url.netloc) != (target.scheme, target.netloc):
        request.url = urlunsplit((target.scheme, target.netloc, url.path, url.query, url.fragment))
        request.headers['x-fake-aws-redirected-from'] = url.netloc
    return None


def awscli_initialize(cli):
    cli.register('before-send', _redirect)
`;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The environment for a child process that runs `aws` against the fake at `endpoint`, whose CLI files are in `dir`. */
function fakeEnv(endpoint: string, dir: string, region: string, extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  // Nothing of the developer's own AWS setup reaches the child.
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {
    PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: join(dir, 'home'),
    FAKE_AWS_ENDPOINT: endpoint,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'home', 'credentials-none'),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: region,
    AWS_REGION: region,
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CLI_AUTO_PROMPT: 'off',
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export async function startFakeAws(options: FakeAwsOptions = {}): Promise<FakeAws> {
  const modelsDir = findModelsDir(options.modelsDir);
  if (!modelsDir) throw new Error('fake-aws: botocore models not found (install the Debian package awscli)');
  const region = options.region ?? 'us-east-1';
  const state = emptyState(region, options.accountId ?? '123456789012');
  state.lambda.updatePolls = options.lambdaUpdatePolls ?? 0;
  state.ecs.settlePolls = options.ecsSettlePolls ?? 0;
  if (options.deploymentStatuses) state.codedeploy.statuses = [...options.deploymentStatuses];
  const handlers: Record<string, Record<string, Handler>> = {};
  for (const [svc, ops] of Object.entries(HANDLERS)) handlers[svc] = { ...ops };
  for (const [svc, ops] of Object.entries(options.handlers ?? {})) handlers[svc] = { ...(handlers[svc] ?? {}), ...ops };

  const requests: Recorded[] = [];

  const answer = (raw: RawRequest): { reply: ReturnType<typeof serializeOutput>; record: Recorded } => {
    const requestId = randomUUID();
    let id: ReturnType<typeof identify>;
    try {
      id = identify(modelsDir, raw);
    } catch (e) {
      id = { service: signingScope(raw.headers).service ?? 'unknown', operation: 'Unparsable', params: {} };
    }
    const record: Recorded = { service: id.service, operation: id.operation, params: id.params, raw, status: 0, time: Date.now() };
    const handler = handlers[id.service]?.[id.operation];
    const fail = (err: AwsError) => {
      record.error = { code: err.code, message: err.message };
      record.status = err.status;
      return { reply: serializeError(id.model, err, requestId, raw.method), record };
    };
    if (!handler || !id.model?.operations[id.operation]) {
      return fail(new AwsError('FakeAwsUnsupportedOperation', `fake-aws does not implement ${id.service}:${id.operation}`, 400));
    }
    try {
      const output = handler(id.params, { state, raw, service: id.service, operation: id.operation }) ?? {};
      const status = output.__status;
      delete output.__status;
      const reply = serializeOutput(id.model, id.operation, output, requestId);
      if (status) reply.status = status;
      record.status = reply.status;
      return { reply, record };
    } catch (e) {
      if (e instanceof AwsError) return fail(e);
      // Not a 5xx: the CLI would retry it.
      return fail(new AwsError('FakeAwsInternalError', `fake-aws failed on ${id.service}:${id.operation}: ${(e as Error).stack ?? e}`, 400));
    }
  };

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const raw: RawRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers, body };
    const { reply, record } = answer(raw);
    requests.push(record);
    res.writeHead(reply.status, { ...reply.headers, 'content-length': reply.headers['content-length'] ?? String(reply.body.length) });
    res.end(raw.method === 'HEAD' ? undefined : reply.body);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The CLI's side: the `aws` wrapper, a config file (path-style S3, the plugin) and an empty HOME.
  const dir = mkdtempSync(join(tmpdir(), 'fake-aws-'));
  const bin = join(dir, 'bin');
  const home = join(dir, 'home');
  const plugins = join(dir, 'plugins');
  for (const d of [bin, home, plugins]) mkdirSync(d);
  const awsCli = options.awsCli ?? AWS_CLI;
  writeFileSync(join(bin, 'aws'), `#!/bin/sh\nexec ${awsCli} --endpoint-url "$FAKE_AWS_ENDPOINT" "$@"\n`);
  chmodSync(join(bin, 'aws'), 0o755);
  writeFileSync(join(plugins, 'fake_aws_redirect.py'), PLUGIN);
  const config = join(dir, 'config');
  writeFileSync(
    config,
    `[default]\nregion = ${region}\ns3 =\n  addressing_style = path\n\n[plugins]\ncli_legacy_plugin_path = ${plugins}\nfake_aws_redirect = fake_aws_redirect\n`,
  );

  const fake: FakeAws = {
    endpoint,
    requests,
    state,
    dir,
    env: (extra = {}) => fakeEnv(endpoint, dir, region, extra),
    update(fn, arg) {
      fn(state, arg as any);
    },
    calls(service) {
      return requests.filter((r) => !service || r.service === service).map((r) => `${r.service}.${r.operation}`);
    },
    find(operation) {
      return requests.filter((r) => `${r.service}.${r.operation}` === operation || r.operation === operation);
    },
    clearRequests() {
      requests.length = 0;
    },
    handle(service, operation, handler) {
      (handlers[service] ??= {})[operation] = handler;
    },
    addFunction: (name, fnConfig, opts) => seedLambdaFunction(state, name, fnConfig, opts),
    addDeploymentGroup: (app, group, props) => seedDeploymentGroup(state, app, group, props),
    failNextDeployment(opts = {}) {
      state.codedeploy.queued.push({ statuses: opts.statuses ?? ['Failed'], errorMessage: opts.message });
    },
    addEcsService: (cluster, service, props) => seedEcsService(state, cluster, service, props),
    addEcrImage: (repo, tags, opts) => seedEcrImage(state, repo, tags, opts),
    addBucket(name) {
      state.s3.buckets[name] ??= { objects: {}, createdAt: new Date() };
    },
    putObject: (bucket, key, body, contentType) => seedS3Object(state, bucket, key, body, contentType),
    addDistribution(id, domainName) {
      state.cloudfront.distributions[id] ??= { domainName: domainName ?? `${id.toLowerCase()}.cloudfront.net`, invalidations: [] };
    },
    addStack: (name, outputs, props) => seedStack(state, name, outputs, props),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fake;
}

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bash scriptPath ...args` with the fake's environment (plus `env`),
 * asynchronously so the fake can answer. Killed after `timeoutMs` (default 120 s).
 */
export function runScript(
  fake: FakeAws,
  scriptPath: string,
  opts: { env?: Record<string, string | undefined>; cwd?: string; args?: string[]; input?: string; timeoutMs?: number } = {},
): Promise<ScriptResult> {
  return runCommand(fake, 'bash', [scriptPath, ...(opts.args ?? [])], opts);
}

/** Runs any command (e.g. `aws`, resolved through the wrapper on PATH) with the fake's environment. */
export function runCommand(
  fake: FakeAws,
  command: string,
  args: string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<ScriptResult> {
  const env = fake.env(opts.env);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      stderr += `\n[fake-aws] killed after ${opts.timeoutMs ?? 120_000} ms\n`;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    // A child that exits before reading its input closes the pipe: that is its business, not a test failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

// ---------------------------------------------------------------- in a worker thread

/** Uint8Arrays that came through structured cloning become Buffers again. */
function revive(v: any): any {
  if (v instanceof Uint8Array) return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
  } else if (v && typeof v === 'object' && !(v instanceof Date)) {
    for (const k of Object.keys(v)) v[k] = revive(v[k]);
  }
  return v;
}

/** A function sent as source text, `AwsError` in its scope. */
function functionFrom(src: string): any {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('AwsError', `return (${src});`)(AwsError);
}

interface ThreadData {
  options: FakeAwsOptions;
  handlers: [string, string, string][];
  port: MessagePort;
  flag: SharedArrayBuffer;
}

/** The worker's side of startFakeAwsThread (not for tests to call). */
export async function serveFakeAwsThread(data: ThreadData): Promise<void> {
  const { parentPort } = await import('node:worker_threads');
  const flag = new Int32Array(data.flag);
  const fake = await startFakeAws(data.options);
  for (const [svc, op, src] of data.handlers) fake.handle(svc, op, functionFrom(src));
  data.port.on('message', async (msg: { method: string; args: any[] }) => {
    let reply: { result?: unknown; error?: string };
    try {
      const args = revive(msg.args);
      let result: unknown;
      if (msg.method === 'requests' || msg.method === 'state') result = fake[msg.method];
      else if (msg.method === 'update') result = fake.update(functionFrom(args[0]), args[1]);
      else if (msg.method === 'handle') result = fake.handle(args[0], args[1], functionFrom(args[2]));
      else result = await (fake as any)[msg.method](...args);
      reply = { result };
    } catch (e) {
      reply = { error: (e as Error).stack ?? String(e) };
    }
    data.port.postMessage(reply);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
  parentPort!.postMessage({ endpoint: fake.endpoint, dir: fake.dir, region: fake.state.region });
}

/**
 * startFakeAws with the server in a worker thread, so that it answers while
 * this thread is blocked in spawnSync / execSync (runBuildspec). Same API;
 * each call is a synchronous round trip to the worker, and:
 * - `state` and `requests` are snapshots (copies) taken when read;
 * - `update(fn, arg)`, `handle(..., fn)` and `options.handlers` send their
 *   functions as source: arrow functions that use only their arguments.
 */
export async function startFakeAwsThread(options: FakeAwsOptions = {}): Promise<FakeAws> {
  const { handlers = {}, ...rest } = options;
  const handlerSources: [string, string, string][] = [];
  for (const [svc, ops] of Object.entries(handlers)) for (const [op, fn] of Object.entries(ops)) handlerSources.push([svc, op, fn.toString()]);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const entry = join(__dirname, 'fake-aws.ts');
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)}).serveFakeAwsThread(require('node:worker_threads').workerData);`, {
    eval: true,
    workerData: { options: rest, handlers: handlerSources, port: port2, flag: flag.buffer },
    transferList: [port2],
  });
  let failure: Error | undefined;
  const ready = await new Promise<{ endpoint: string; dir: string; region: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  worker.on('error', (e) => (failure = e));

  const call = (method: string, ...args: unknown[]): any => {
    if (failure) throw failure;
    Atomics.store(flag, 0, 0);
    port1.postMessage({ method, args });
    if (Atomics.wait(flag, 0, 0, 60_000) === 'timed-out') throw new Error(`fake-aws thread: no answer to ${method}`);
    const msg = receiveMessageOnPort(port1)?.message as { result?: unknown; error?: string } | undefined;
    if (!msg) throw new Error(`fake-aws thread: lost the answer to ${method}`);
    if (msg.error) throw new Error(`fake-aws thread: ${msg.error}`);
    return revive(msg.result);
  };

  const { endpoint, dir, region } = ready;
  return {
    endpoint,
    dir,
    get requests() {
      return call('requests');
    },
    get state() {
      return call('state');
    },
    env: (extra = {}) => fakeEnv(endpoint, dir, region, extra),
    update: (fn, arg) => call('update', fn.toString(), arg),
    calls: (service) => call('calls', service),
    find: (operation) => call('find', operation),
    clearRequests: () => call('clearRequests'),
    handle: (service, operation, handler) => call('handle', service, operation, handler.toString()),
    addFunction: (...a) => call('addFunction', ...a),
    addDeploymentGroup: (...a) => call('addDeploymentGroup', ...a),
    failNextDeployment: (...a) => call('failNextDeployment', ...a),
    addEcsService: (...a) => call('addEcsService', ...a),
    addEcrImage: (...a) => call('addEcrImage', ...a),
    addBucket: (...a) => call('addBucket', ...a),
    putObject: (...a) => call('putObject', ...a),
    addDistribution: (...a) => call('addDistribution', ...a),
    addStack: (...a) => call('addStack', ...a),
    async close() {
      try {
        if (!failure) call('close');
      } finally {
        port1.close();
        await worker.terminate();
      }
    },
  };
}
