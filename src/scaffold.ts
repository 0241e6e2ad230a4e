/**
 * Writing a generated repo, all or nothing: the repo is rendered into a
 * staging folder beside the target (the first projen synth runs here,
 * in-process), then moved into place. A failure or an interrupt removes the
 * staging folder; the target is never left half-written.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { PipelineConfig } from './model/config';
export { isNonEmptyDir } from './dirs';
import { AwsPipelineProject } from './project';
import { projenrcOptions, renderProjenrc } from './render/projenrc';

/** Runs `fn` with PROJEN_DISABLE_POST set: the first synth installs nothing. */
function withoutPostSynth<T>(fn: () => T): T {
  const before = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = before;
  }
}

/** Renders the whole repo into `dir` (which must exist): `.projenrc.ts`, then a projen synth. */
export function renderRepo(config: PipelineConfig, dir: string): void {
  writeFileSync(join(dir, '.projenrc.ts'), renderProjenrc(config));
  withoutPostSynth(() => new AwsPipelineProject({ ...projenrcOptions(config), outdir: dir }).synth());
}

/** Moves every entry of `from` into `to`, replacing files of the same name, merging folders. */
function moveInto(from: string, to: string): void {
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    const dest = join(to, entry);
    if (existsSync(dest) && statSync(dest).isDirectory() && statSync(src).isDirectory()) {
      moveInto(src, dest);
    } else {
      if (existsSync(dest)) rmSync(dest, { recursive: true, force: true });
      renameSync(src, dest);
    }
  }
}

/**
 * Writes the repo for `config` to `target`. An existing non-empty target
 * needs `force` (the caller checks first, to fail before any prompt).
 * The render is synchronous; before the move the event loop gets a turn, so
 * a Ctrl-C or SIGTERM that arrived meanwhile cancels the move.
 */
export async function scaffold(config: PipelineConfig, target: string): Promise<void> {
  const dest = resolve(target);
  const parent = dirname(dest);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(dest)}.create-aws-pipeline-`));
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    renderRepo(config, staging);
    await new Promise((done) => setImmediate(done));
    if (interrupted) throw new InterruptedError(interrupted, target);
    if (!existsSync(dest)) renameSync(staging, dest);
    else moveInto(staging, dest);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rmSync(staging, { recursive: true, force: true });
  }
}

/** A run stopped by a signal before anything was moved into place. */
export class InterruptedError extends Error {
  readonly exitCode = 130;
  constructor(signal: NodeJS.Signals, target: string) {
    super(`interrupted (${signal}): nothing was written to ${target}`);
    this.name = 'InterruptedError';
  }
}
