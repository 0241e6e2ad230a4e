/** After the repo is written: the install, and the next steps. Shared by the CLI and the Yeoman generator. */
import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import { childProcess } from '../child-process';
import { UsageError } from './errors';
import { firstCommit } from '../first-commit';
import type { Placed } from '../first-commit';
import type { PipelineConfig } from '../model/config';
import { clean } from '../ops/text';
import { shq } from '../render/shell';

/** Where progress goes: a terminal gets one line redrawn every second, anything else a line at the start and the end. */
export interface ProgressOut {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
/** The last lines of npm's output, shown when it fails. */
const TAIL_LINES = 15;

/**
 * `npm install` in the written repo, with its progress: the step and the elapsed time (npm's own output is
 * kept and shown only if it fails). Ctrl-C stops it and says how to resume; the repo itself is complete.
 */
export function installDependencies(dir: string, out: ProgressOut = process.stderr): Promise<void> {
  const rel = relative(process.cwd(), resolve(dir)) || '.';
  const started = Date.now();
  const label = 'Installing dependencies (npm install)';
  const child = childProcess().spawn('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  out.write(out.isTTY ? `${label}…` : `${label}…\n`);
  const ticker = out.isTTY ? setInterval(() => out.write(`\r${label}… ${seconds(Date.now() - started)}`), 1000) : undefined;
  const onSigint = () => {
    child.kill('SIGINT');
  };
  process.once('SIGINT', onSigint);
  return new Promise((done, fail) => {
    const finish = (error?: Error) => {
      if (ticker) clearInterval(ticker);
      process.removeListener('SIGINT', onSigint);
      if (error) fail(error);
      else done();
    };
    child.on('error', (err) => {
      if (out.isTTY) out.write('\n');
      finish(new UsageError(`the repo is written to ${rel}, but npm could not start (${err.message}): install npm, then run npm install there`));
    });
    child.on('close', (code, signal) => {
      const elapsed = seconds(Date.now() - started);
      if (out.isTTY) out.write(`\r${label}… ${elapsed}\n`);
      if (signal === 'SIGINT' || code === 130) {
        return finish(new InstallInterrupted(`cancelled: the repo is written to ${rel}, but its install is incomplete: cd ${shellArg(rel)} && npm install`));
      }
      if (code !== 0) {
        const tail = output.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
        if (tail) out.write(`${tail}\n`);
        return finish(new UsageError(`the repo is written to ${rel}, but npm install failed (exit ${code}) after ${elapsed}: fix what npm says above, then run npm install there`));
      }
      out.write(`${pc.green('✓')} dependencies installed in ${elapsed}\n`);
      finish();
    });
  });
}

/**
 * The install, then the first commit (`commit`: it prints its note), as create-react-app has them: the lockfile is
 * in the first commit. When npm fails, the repo is still committed as written (as with --skip-install), then the
 * error; a Ctrl-C stops at once.
 */
export async function installThenCommit(dir: string, commit: () => Promise<void>, install: (dir: string) => Promise<void> = installDependencies): Promise<void> {
  try {
    await install(dir);
  } catch (err) {
    if (err instanceof UsageError) await commit();
    throw err;
  }
  await commit();
}

/**
 * After the repo is written (`placed`): its install unless `skipInstall`, and its first commit on `branch` unless
 * `git` is false (installThenCommit), the commit's note, if any, given to `say`. The CLI's and the generator's ending.
 */
export async function installAndCommit(dir: string, o: { readonly skipInstall: boolean; readonly git: boolean; readonly branch: string; readonly placed: Placed }, say: (line: string) => void): Promise<void> {
  const commit = async () => {
    const note = o.git ? await firstCommit(dir, o.branch, o.placed) : undefined;
    if (note) say(note);
  };
  if (o.skipInstall) await commit();
  else await installThenCommit(dir, commit);
}

/** Ctrl-C during the install: the CLI prints the message as is and exits 130. */
class InstallInterrupted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}

/** A path as one shell word: as is when it is plain, else single-quoted. */
export function shellArg(path: string): string {
  return /^[A-Za-z0-9._/@%+=:,-]+$/.test(path) ? path : shq(path);
}

/** The folder as the user reaches it from here. */
const fromHere = (dir: string): string => relative(process.cwd(), resolve(dir)) || '.';

/**
 * The files written, one line per entry of the folder's top level (a folder with its count of files): what
 * Yeoman's "create" lines would list, in a dozen lines instead of fifty.
 */
export function writtenFiles(dir: string, files: readonly string[], outside: readonly string[] = []): string {
  const rel = fromHere(dir);
  // A service in a folder (--path) also wrote its workflow at the repository's root (where this ran).
  const atRoot = outside.map((f) => `  ${clean(f)} ${pc.dim('(at the repo root)')}`);
  const entries = new Map<string, number>();
  for (const file of files) {
    const slash = file.indexOf('/');
    const top = slash < 0 ? file : `${file.slice(0, slash)}/`;
    entries.set(top, (entries.get(top) ?? 0) + 1);
  }
  const lines = [...entries].map(([entry, count]) => `  ${entry}${entry.endsWith('/') ? pc.dim(` ${count} file${count === 1 ? '' : 's'}`) : ''}`);
  return [`Wrote ${files.length} files to ${clean(rel)}:`, ...lines, ...atRoot].join('\n');
}

export function nextSteps(c: PipelineConfig, dir: string, skipInstall: boolean): string {
  const rel = fromHere(dir);
  return [
    `\n${pc.green('Done.')} ${c.name}: ${c.runtime} on ${c.target}, ${c.strategy}, from ${c.source}, run by ${c.ci}.`,
    '',
    'Next:',
    `  cd ${shellArg(rel)}`,
    ...(skipInstall ? ['  npm install'] : []),
    '  npx projen        # re-render the managed files after editing .projenrc.ts',
    '  docs/pipeline.md  # how to deploy it',
    '',
  ].join('\n');
}
