import { basename } from 'node:path';
import { inspect } from 'node:util';

/** An error the user can fix: printed as one line, exit code 1 (or `exitCode`). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Errors of ours whose message says what to change: shown as one line, never as a stack trace. By name, not class:
 * the CLI and the library are separate bundles, each with its own copy of the classes.
 */
const USER_ERRORS: ReadonlySet<string> = new Set(['UsageError', 'ConfigError', 'MergeConflictError']);

/** The one line a `.projenrc.ts` run prints for one of our errors (properties, not flags), or undefined for any other error. */
export function projenrcErrorLine(err: unknown): string | undefined {
  if (!(err instanceof Error) || !USER_ERRORS.has(err.name)) return undefined;
  const inProjenrc = (err as { inProjenrc?: () => string }).inProjenrc;
  const message = typeof inProjenrc === 'function' ? inProjenrc.call(err) : err.message;
  // One line, whatever a message holds.
  const text = message.replace(/[\r\n\u2028\u2029]+/g, ' ');
  return err.name === 'ConfigError' ? `error .projenrc.ts: ${text}` : `error ${text}`;
}

/** The script Node runs is a projenrc (`tsx .projenrc.ts`, what `npx projen` runs, or `node .projenrc.js`). */
export function runningProjenrc(argv: readonly string[] = process.argv): boolean {
  return argv[1] !== undefined && /^\.projenrc\.[cm]?[jt]s$/.test(basename(argv[1]));
}

let installed = false;

/**
 * In a `.projenrc.ts` run: an error of ours that nothing caught (a bad answer, unresolved merge conflicts) prints
 * as one line and exits 1, with its stack only when DEBUG is set. Anything else goes on as Node would have it: the
 * stack and exit 1 (or, when the script has its own handler, that handler's way). Errors a caller catches are
 * untouched: this runs only for uncaught ones, so tests and programs that use the library see the error itself.
 */
export function reportUncaughtInProjenrc(): void {
  if (installed) return;
  installed = true;
  const handler = (err: unknown): void => {
    const line = projenrcErrorLine(err);
    if (line !== undefined) {
      process.stderr.write(`${line}\n`);
      if (process.env.DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    }
    if (process.listenerCount('uncaughtException') > 1) return;
    process.stderr.write(`${inspect(err)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', handler);
}
