/**
 * A generated repo's release, run the way its CI runs it, against the fake
 * AWS endpoint (test/support/fake-aws.ts) with the real AWS CLI:
 *
 * - CodePipeline: the repo's buildspec.yml (runBuildspec), its artifacts
 *   copied into a folder laid out as CodePipeline hands them to the next
 *   action, and the deploy project's buildspec taken from the synthesized
 *   stack (`deployProjectBuildspec`).
 * - GitHub Actions: a job of .github/workflows/pipeline.yml, step by step
 *   (`runJob`): `run:` steps in bash with GitHub's flags, `${{ }}`
 *   expressions from secrets, github.sha and earlier steps' outputs, and
 *   the few actions these workflows use played by their effect on the
 *   workspace (checkout, artifacts, AWS credentials).
 *
 * `docker` stays a stub (no Docker engine here): `dockerStub()`.
 */
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { tempDir } from '../helpers';
import type { Buildspec } from './buildspec-runner';
import { runCommand } from './fake-aws';
import type { FakeAws, ScriptResult } from './fake-aws';

export const ACCOUNT = '123456789012';
export const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

// ---------------------------------------------------------------- stubs and PATH

/**
 * A folder with a `docker` that records its arguments (and what `login --password-stdin` read) and succeeds,
 * or fails (exit 1) when its arguments start with `failOn`.
 */
export function dockerStub(failOn?: string): { dir: string; calls: () => string[] } {
  const dir = tempDir('docker-stub-');
  const log = join(dir, 'calls.log');
  writeFileSync(
    join(dir, 'docker'),
    [
      '#!/usr/bin/env bash',
      `log=${JSON.stringify(log)}`,
      'if [ "$1" = login ]; then printf \'%s stdin=%s\\n\' "docker $*" "$(cat)" >> "$log"; else printf \'%s\\n\' "docker $*" >> "$log"; fi',
      ...(failOn ? [`case "$*" in ${JSON.stringify(failOn)}*) echo "docker stub: $* failed" >&2; exit 1;; esac`] : []),
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'docker'), 0o755);
  writeFileSync(log, '');
  return { dir, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/**
 * A folder with a `date` whose `date +%s` starts at the real time and moves on by `stepSeconds` at each call
 * (other formats are the real date's): a script's deadline passes without waiting for it.
 */
export function clockStub(stepSeconds: number): string {
  const dir = tempDir('clock-stub-');
  const counter = join(dir, 'calls');
  writeFileSync(counter, '0');
  writeFileSync(
    join(dir, 'date'),
    [
      '#!/usr/bin/env bash',
      'if [ "$*" != "+%s" ]; then exec /bin/date "$@"; fi',
      `n=$(cat ${JSON.stringify(counter)}); echo $((n + 1)) > ${JSON.stringify(counter)}`,
      `echo $(( $(/bin/date +%s) + n * ${stepSeconds} ))`,
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'date'), 0o755);
  return dir;
}

/** PATH for a child of `fake`: the fake's `aws` wrapper first, then `dirs` (stubs), then this process's PATH. */
export function pathWith(fake: FakeAws, ...dirs: string[]): string {
  return [join(fake.dir, 'bin'), ...dirs, process.env.PATH ?? '/usr/bin:/bin'].join(':');
}

/** Runs a command with the fake's environment (plus `env`), asynchronously: fake-aws's runCommand. */
export function run(
  fake: FakeAws,
  command: string,
  args: readonly string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<ScriptResult> {
  return runCommand(fake, command, [...args], opts);
}

// ---------------------------------------------------------------- CodePipeline

const deploySpecs = new Map<string, Record<string, Buildspec>>();

/**
 * The buildspec of each script deploy project (by project name, e.g. svc-deploy-staging) of the stack these
 * options synthesize (once per options): what CodePipeline's CodeBuild deploy action runs.
 */
export async function deployProjectBuildspecs(options: { runtime: string; target: string; strategy: string; [k: string]: unknown }): Promise<Record<string, Buildspec>> {
  const key = JSON.stringify(options);
  const cached = deploySpecs.get(key);
  if (cached) return cached;
  // Loaded here: a test file that only runs scripts does not pay for the CDK.
  const [{ repoApp }, { Template }, { AwsPipelineStack }] = await Promise.all([import('../constructs/app.js'), import('aws-cdk-lib/assertions'), import('../../src/constructs/index.js')]);
  const app = repoApp();
  const stack = new AwsPipelineStack(app, 'Stack', { name: 'svc', account: ACCOUNT, connectionArn: CONNECTION, ...options } as never);
  const out: Record<string, Buildspec> = {};
  for (const p of Object.values<any>(Template.fromStack(stack).findResources('AWS::CodeBuild::Project'))) {
    const spec = p.Properties.Source?.BuildSpec;
    if (typeof spec === 'string' && /-deploy-/.test(p.Properties.Name)) out[p.Properties.Name] = JSON.parse(spec);
  }
  deploySpecs.set(key, out);
  return out;
}

/**
 * Copies what buildspec.yml's `artifacts` lists from `repo` into a new folder, as CodePipeline hands the
 * build's output artifact to the deploy action; a listed file that the build did not make throws.
 */
export function copyArtifacts(repo: string, spec: { artifacts: { 'files': string[]; 'base-directory'?: string } }): string {
  const out = tempDir('artifact-');
  const base = join(repo, spec.artifacts['base-directory'] ?? '');
  for (const pattern of spec.artifacts.files) {
    if (pattern === '**/*') {
      cpSync(base, out, { recursive: true });
    } else if (pattern.endsWith('/**/*')) {
      const d = pattern.slice(0, -'/**/*'.length);
      if (!existsSync(join(base, d))) throw new Error(`artifact ${pattern}: ${d} was not built`);
      cpSync(join(base, d), join(out, d), { recursive: true });
    } else {
      if (!existsSync(join(base, pattern))) throw new Error(`artifact ${pattern} was not built`);
      mkdirSync(dirname(join(out, pattern)), { recursive: true });
      copyFileSync(join(base, pattern), join(out, pattern));
    }
  }
  return out;
}

/** Every file under `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

// ---------------------------------------------------------------- GitHub Actions

export interface StepResult {
  readonly name: string;
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface JobResult {
  readonly ok: boolean;
  /** The steps that ran, in order (a failed step is the last). */
  readonly steps: StepResult[];
  /** Artifacts the job uploaded: name -> file. */
  readonly uploaded: Record<string, string>;
  /** Every step's name, exit status and output. */
  readonly log: string;
}

export interface JobOptions {
  /** The checkout: the job's GITHUB_WORKSPACE. */
  readonly workspace: string;
  readonly sha: string;
  readonly secrets?: Record<string, string>;
  /** Artifacts earlier jobs uploaded: name -> file (download-artifact puts it in the workspace). */
  readonly artifacts?: Record<string, string>;
  /** Folders put on PATH after the fake's `aws` (stubs). */
  readonly path?: readonly string[];
  /** Only the steps before the one with this name (a test runs the rest itself). */
  readonly until?: string;
}

function lookup(context: Record<string, any>, expr: string): unknown {
  let v: any = context;
  for (const part of expr.trim().split('.')) v = v?.[part];
  return v;
}

/** `${{ a.b.c }}` filled from `context`; an expression with no value throws, so a test cannot run a half-filled step. */
function expand(value: string, context: Record<string, any>): string {
  return value.replace(/\$\{\{([^}]*)\}\}/g, (_m, expr: string) => {
    const v = lookup(context, expr);
    if (v === undefined) throw new Error(`workflow expression \${{${expr}}} has no value in this run`);
    return String(v);
  });
}

/** The outputs a step wrote to $GITHUB_OUTPUT (name=value lines). */
function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

/**
 * Runs one job of a workflow against the fake, as a GitHub-hosted runner would: `run:` steps with
 * `bash --noprofile --norc -eo pipefail`, in `working-directory` under the workspace, with the job's and the
 * step's `env`; the first failing step ends the job. Actions: checkout (the workspace is the checkout),
 * setup-* (this machine's runtimes), upload-artifact / download-artifact (files), configure-aws-credentials
 * (AWS_REGION; the fake's credentials stand for the role's).
 */
export async function runJob(fake: FakeAws, workflow: Record<string, any>, jobName: string, opts: JobOptions): Promise<JobResult> {
  const job = workflow.jobs?.[jobName];
  if (!job) throw new Error(`no job ${jobName} in the workflow`);
  const context: Record<string, any> = {
    secrets: opts.secrets ?? {},
    github: { sha: opts.sha, workspace: opts.workspace, event_name: 'push' },
    steps: {},
    env: {},
  };
  const jobEnv: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_SHA: opts.sha,
    GITHUB_WORKSPACE: opts.workspace,
    PATH: pathWith(fake, ...(opts.path ?? [])),
  };
  for (const [k, v] of Object.entries<string>({ ...(workflow.env ?? {}), ...(job.env ?? {}) })) jobEnv[k] = expand(String(v), context);
  const steps: StepResult[] = [];
  const uploaded: Record<string, string> = {};
  const state = tempDir('gha-');
  let log = '';
  for (const [index, step] of (job.steps as any[]).entries()) {
    const name: string = step.name ?? step.uses ?? step.run;
    if (opts.until && step.name === opts.until) break;
    if (step.uses) {
      const action = String(step.uses).split('@')[0];
      const w: Record<string, string> = Object.fromEntries(Object.entries<any>(step.with ?? {}).map(([k, v]) => [k, expand(String(v), context)]));
      if (action === 'actions/checkout' || action.startsWith('actions/setup-')) {
        // The workspace is the checkout; this machine's runtimes stand in for setup-*.
      } else if (action === 'actions/upload-artifact') {
        const file = join(opts.workspace, w.path);
        if (!existsSync(file)) throw new Error(`upload-artifact: ${w.path} does not exist`);
        uploaded[w.name] = file;
      } else if (action === 'actions/download-artifact') {
        const file = opts.artifacts?.[w.name];
        if (!file) throw new Error(`download-artifact: no artifact ${w.name} was uploaded`);
        copyFileSync(file, join(opts.workspace, file.split('/').pop()!));
      } else if (action === 'aws-actions/configure-aws-credentials') {
        if (!w['role-to-assume'] || !/^arn:aws:iam::\d{12}:role\/[\w+=,.@-]+$/.test(w['role-to-assume'])) {
          throw new Error(`configure-aws-credentials: role-to-assume ${w['role-to-assume']} is not a role ARN`);
        }
        jobEnv.AWS_REGION = w['aws-region'];
        jobEnv.AWS_DEFAULT_REGION = w['aws-region'];
      } else {
        throw new Error(`runJob does not play the action ${step.uses}`);
      }
      log += `::: ${name}\n`;
      continue;
    }
    const output = join(state, `output-${index}`);
    writeFileSync(output, '');
    const script = join(state, `step-${index}.sh`);
    writeFileSync(script, expand(String(step.run), context));
    const env: Record<string, string> = { ...jobEnv, GITHUB_OUTPUT: output };
    for (const [k, v] of Object.entries<any>(step.env ?? {})) env[k] = expand(String(v), context);
    const cwd = step['working-directory'] ? join(opts.workspace, step['working-directory']) : opts.workspace;
    const r = await run(fake, 'bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env });
    const result: StepResult = { name, status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    steps.push(result);
    log += `::: ${name} (exit ${result.status})\n${r.stdout}${r.stderr}`;
    if (step.id) context.steps[step.id] = { outputs: readOutputs(output) };
    if (result.status !== 0) return { ok: false, steps, uploaded, log };
  }
  return { ok: true, steps, uploaded, log };
}

// ---------------------------------------------------------------- zip files

export interface ZipEntry {
  readonly name: string;
  /** The Unix mode in the external attributes (0 when the archiver stored none). */
  readonly mode: number;
  readonly data: Buffer;
}

/** The entries of a zip archive (stored or deflated), read from its central directory. */
export function zipEntries(zip: Buffer): ZipEntry[] {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const external = zip.readUInt32LE(at + 38);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    entries.push({ name, mode: Math.floor(external / 0x10000), data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
