import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const BIN = join(ROOT, 'bin', 'create-aws-pipeline.js');

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI as a child process, with no terminal (stdin ignored) and CI=true. */
export function cli(args: readonly string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // Not as npm exec started it, whatever started the suite (npx vitest): npm's consumed flags are tested on purpose.
    env: { ...process.env, CI: 'true', NO_COLOR: '1', npm_command: '', npm_config_yes: '', npm_config_skip_install: '' },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, started in the background. */
export function cliAsync(args: readonly string[], cwd: string) {
  return spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
}

const created: string[] = [];

/** A new temp folder, removed after the test file (test/support/cleanup.ts). */
export function tempDir(prefix = 'cap-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Every file under `dir` (but node_modules and .git: the repo's own files, not git's, which a git process may still be
 * writing) with its content.
 */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      if (entry === 'node_modules' || entry === '.git') continue;
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/**
 * A command that meets file permissions as an ordinary user would: root bypasses them (CAP_DAC_OVERRIDE), so
 * as root the command runs under util-linux's setpriv without the two capabilities that do that, still as
 * root (so it reads the checkout and the node binary wherever they are).
 */
export function asUnprivileged(command: string, args: readonly string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, [...args]];
  const caps = '-dac_override,-dac_read_search';
  return ['setpriv', [`--inh-caps=${caps}`, `--ambient-caps=${caps}`, `--bounding-set=${caps}`, '--', command, ...args]];
}
