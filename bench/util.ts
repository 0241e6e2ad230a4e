/** Shared helpers of the benchmarks: timing, medians, and the results file. */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const ROOT = join(__dirname, '..');
export const RESULTS = join(ROOT, 'bench', 'RESULTS.md');

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function temp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Wall time (ms) of a command; throws when it fails. */
export function timeCommand(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const t = performance.now();
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

export function machine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}`;
}

/** Prints a section and appends it to bench/RESULTS.md. */
export function report(title: string, lines: string[]): void {
  const text = [`## ${title}`, '', ...lines, ''].join('\n');
  process.stdout.write(`${text}\n`);
  appendFileSync(RESULTS, `${text}\n`);
}

/** The environment of an npm command: none of the npm_* variables of an `npm run` around the bench. */
export function npmEnv(): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_'))), npm_config_update_notifier: 'false' };
}

/** `npm pack` of the package folder `dir` into `dest`; the tarball's path. */
export function npmPack(dir: string, dest: string): string {
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', dest], { cwd: dir, env: npmEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack in ${dir} failed: ${r.stderr}`);
  const [{ filename }] = JSON.parse(r.stdout) as Array<{ filename: string }>;
  return join(dest, filename);
}
