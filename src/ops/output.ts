/**
 * The day-2 commands' only output is stdout: they write no file. A write that
 * fails (a reader gone, a full or read-only disk under a redirect) rejects with
 * an OutputError, instead of stdout's 'error' event, which nothing would catch.
 */

/** A failed write to stdout, told apart from the command's own errors. */
export class OutputError extends Error {
  readonly code: string;
  constructor(cause: NodeJS.ErrnoException) {
    super(cause.message);
    this.name = 'OutputError';
    this.code = cause.code ?? '';
  }
}

const WHAT_TO_DO: Record<string, string> = {
  ENOSPC: 'no space left on device (ENOSPC): free some space, or send the output elsewhere',
  EDQUOT: 'disk quota exceeded (EDQUOT): free some space, or send the output elsewhere',
  EFBIG: 'file too large (EFBIG): send the output elsewhere',
  EROFS: 'read-only file system (EROFS): send the output to a writable place',
  EACCES: 'permission denied (EACCES): send the output to a writable place',
  EPERM: 'operation not permitted (EPERM): send the output to a writable place',
};

/** One line for the user: what went wrong and what to do. */
export function outputProblem(err: OutputError): string {
  return `could not write the output: ${WHAT_TO_DO[err.code] ?? err.message}`;
}

let listening = false;

/** Writes to stdout; settles when written, rejects with an OutputError when not. */
export function writeStdout(text: string): Promise<void> {
  if (!listening) {
    // The write's callback reports the error; this keeps the event from crashing the process.
    process.stdout.on('error', () => {});
    listening = true;
  }
  return new Promise((done, fail) => {
    process.stdout.write(text, (err) => (err ? fail(new OutputError(err)) : done()));
  });
}
