/**
 * Runs a buildspec's phases on this machine the way CodeBuild does, for tests:
 * install -> pre_build -> build -> post_build, all commands in one shell
 * session (buildspec 0.2 keeps the working directory and variables from one
 * command to the next), `finally` after a phase's commands, and CodeBuild's
 * phase transitions: a failed install or pre_build ends the build, a failed
 * build still runs post_build, and `on-failure: ABORT` ends the build at
 * once (`CONTINUE` goes on). `runtime-versions` is not applied: the machine's
 * own runtimes run the commands. Commands that need AWS or Docker reach the
 * stubs the caller puts first on PATH.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers';

export const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;
export type PhaseName = (typeof PHASES)[number];

interface Phase {
  readonly 'on-failure'?: 'ABORT' | 'CONTINUE';
  readonly 'commands'?: readonly string[];
  readonly 'finally'?: readonly string[];
}

export interface Buildspec {
  readonly version: number;
  readonly env?: { readonly 'variables'?: Record<string, string>; readonly 'exported-variables'?: readonly string[] };
  readonly phases: Partial<Record<PhaseName, Phase>>;
}

export interface RunResult {
  readonly succeeded: boolean;
  /** The phase whose command failed first, if any. */
  readonly failedPhase?: PhaseName;
  /** Every phase that ran, in order. */
  readonly ran: PhaseName[];
  readonly log: string;
  /** The exported variables' values at the end. */
  readonly exported: Record<string, string>;
}

export function runBuildspec(spec: Buildspec, srcDir: string, env: Record<string, string> = {}): RunResult {
  const state = tempDir('buildspec-state-');
  const envFile = join(state, 'env.sh');
  const cwdFile = join(state, 'cwd');
  writeFileSync(cwdFile, srcDir);
  writeFileSync(envFile, '');
  const baseEnv = { ...process.env, CODEBUILD_SRC_DIR: srcDir, CODEBUILD_BUILD_SUCCEEDING: '1', ...(spec.env?.variables ?? {}), ...env };
  let log = '';
  let succeeding = true;

  /** One command in the persistent session: restore cwd and variables, run, save them. */
  const run = (command: string): boolean => {
    const script = [
      'cd "$(cat "$STATE_CWD")"',
      '. "$STATE_ENV"',
      `export CODEBUILD_BUILD_SUCCEEDING=${succeeding ? 1 : 0}`,
      command,
      'rc=$?',
      'pwd > "$STATE_CWD"',
      // Every variable, exported or not, carries to the next command (one shell session, as in CodeBuild), and only
      // exported ones reach child processes. bash's own and read-only variables cannot be assigned back: leave them out.
      'declare -p | grep -E "^declare -[-aAilnux]* [A-Za-z_][A-Za-z0-9_]*=" | grep -vE "^declare -[a-zA-Z-]* (BASH[A-Z_]*|BASHOPTS|SHELLOPTS|EUID|PPID|UID|FUNCNAME|GROUPS|DIRSTACK|PIPESTATUS|OPTIND|OPTERR|RANDOM|SRANDOM|SECONDS|LINENO|EPOCHSECONDS|EPOCHREALTIME|HISTCMD|PWD|OLDPWD|SHLVL|_|rc)=" > "$STATE_ENV"',
      'exit $rc',
    ].join('\n');
    const r = spawnSync('bash', ['-c', script], {
      env: { ...baseEnv, STATE_CWD: cwdFile, STATE_ENV: envFile },
      encoding: 'utf8',
    });
    log += `$ ${command}\n${r.stdout}${r.stderr}`;
    return r.status === 0;
  };

  const ran: PhaseName[] = [];
  let failedPhase: PhaseName | undefined;
  for (const name of PHASES) {
    const phase = spec.phases[name];
    if (!phase) continue;
    // After a failure only post_build runs, and only when the build phase failed without ABORT.
    if (!succeeding && !(name === 'post_build' && failedPhase === 'build')) break;
    ran.push(name);
    let ok = true;
    for (const command of phase.commands ?? []) {
      if (!run(command)) {
        ok = false;
        break;
      }
    }
    for (const command of phase.finally ?? []) run(command);
    if (!ok) {
      succeeding = false;
      failedPhase ??= name;
      if (phase['on-failure'] === 'CONTINUE') succeeding = true;
      else if (phase['on-failure'] === 'ABORT') break;
    }
  }

  const exported: Record<string, string> = {};
  for (const name of spec.env?.['exported-variables'] ?? []) {
    const r = spawnSync('bash', ['-c', `set -a; . "${envFile}"; printf '%s' "\${${name}:-}"`], { encoding: 'utf8' });
    exported[name] = r.stdout;
  }
  return { succeeded: failedPhase === undefined, ...(failedPhase ? { failedPhase } : {}), ran, log, exported };
}
