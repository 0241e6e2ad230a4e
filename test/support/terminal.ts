/** The CLI in a pseudo-terminal (util-linux `script`), for the tests of the interactive path. */
import { spawn } from 'node:child_process';
import { BIN } from '../helpers';

/**
 * Runs the CLI in a pty; each key is typed once the output shows its prompt. A wide terminal (250 columns)
 * unless `cols` is given, so that prompts do not wrap.
 */
export function inTerminal(args: string[], cwd: string, keys: Array<[RegExp, string]>, cols = 250): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const command = `stty cols ${cols} rows 50; ${[process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ')}`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, CI: '', NO_COLOR: '1', TERM: 'xterm' } });
    let output = '';
    const pending = [...keys];
    child.stdout.on('data', (d) => {
      output += d;
      while (pending.length && pending[0][0].test(output)) child.stdin.write(pending.shift()![1]);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    // The output after the last prompt a key was typed at, for a run that waits on a prompt no key answers.
    child.on('exit', () => pending.length && (output += `\n[no prompt matched ${pending[0][0]}]`));
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

