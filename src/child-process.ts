/** node:child_process, loaded when a process is first started: not on every scaffold (`--no-git --skip-install` starts none). */
import type * as ChildProcess from 'node:child_process';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, by design
export const childProcess = (): typeof ChildProcess => require('node:child_process') as typeof ChildProcess;
