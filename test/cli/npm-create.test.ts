/**
 * What npm takes for itself: `npm create aws-pipeline my-svc --yes` (flags without `--`) passes --yes on as
 * npm_config_yes; a first argument one typo from a subcommand is a slip, not a repo name.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args';
import { BIN, tempDir } from '../helpers';

/** The CLI as `npm create`/`npx` starts it: npm_command=exec, with what npm consumed in npm_config_*. */
function underNpm(args: readonly string[], cwd: string, npmEnv: Record<string, string>) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', NO_COLOR: '1', npm_command: 'exec', npm_config_yes: '', npm_config_skip_install: '', ...npmEnv },
    timeout: 60_000,
  });
}

describe('flags npm took for itself', () => {
  it('--yes given to npm counts where nothing can be asked, with a note on putting flags after --', () => {
    const dir = tempDir('cap-npmyes-');
    const r = underNpm(['my-svc'], dir, { npm_config_yes: 'true', npm_config_skip_install: 'true' });
    const [note, warning, ...rest] = r.stderr.split('\n');
    expect(note).toBe('note: npm took --yes for itself; taking the defaults. Put create-aws-pipeline\'s flags after --, e.g. npm create aws-pipeline my-service -- --yes');
    // The defaults include the placeholder repository, said once.
    expect(warning).toMatch(/^warning repository your-org\/my-svc is a placeholder/);
    expect(rest).toEqual(['']);
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'my-svc', '.projenrc.ts'))).toBe(true);
    expect(existsSync(join(dir, 'my-svc', 'node_modules'))).toBe(false);
  });

  it('not outside npm exec, and not when --yes is given to us', () => {
    expect(parseCliArgs(['x'], { npm_command: 'run-script', npm_config_yes: 'true' })).toMatchObject({ yes: false, npmYes: false });
    expect(parseCliArgs(['x', '--yes'], { npm_command: 'exec', npm_config_yes: 'true' })).toMatchObject({ yes: true, npmYes: false });
    expect(parseCliArgs(['x'], { npm_command: 'exec', npm_config_yes: '' })).toMatchObject({ yes: false, npmYes: false, skipInstall: false });
    expect(parseCliArgs(['x'], { npm_command: 'exec', npm_config_skip_install: 'true' })).toMatchObject({ skipInstall: true });
    // npm create is npm init <pkg>: npm_command is "init".
    expect(parseCliArgs(['x'], { npm_command: 'init', npm_config_yes: 'true' })).toMatchObject({ npmYes: true });
  });
});

describe('a flag typed wrong: one line that says what to type', () => {
  const refusal = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    try {
      parseCliArgs(argv, env);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error(`${argv.join(' ')}: not refused`);
  };

  it('an unknown flag, with the nearest known one', () => {
    expect(refusal(['x', '--runtim', 'node'])).toBe('unknown option --runtim: did you mean --runtime? run create-aws-pipeline --help for the options');
    expect(refusal(['x', '--colour'])).toBe('unknown option --colour: run create-aws-pipeline --help for the options');
  });

  it('a long flag with one dash (-yes is -y -e -s to the parser): the long flag', () => {
    expect(refusal(['x', '-yes', '--skip-install'])).toBe('unknown option -yes: did you mean --yes? run create-aws-pipeline --help for the options');
    expect(refusal(['x', '-runtme', 'go'])).toBe('unknown option -runtme: did you mean --runtime? run create-aws-pipeline --help for the options');
  });

  it('a flag without its value, at the end or before another flag: what it takes', () => {
    expect(refusal(['x', '--runtime', '--yes'])).toBe('--runtime needs a value: one of node, python, java, go, container');
    expect(refusal(['x', '--runtime'])).toBe('--runtime needs a value: one of node, python, java, go, container');
    expect(refusal(['x', '--interval', '--target', 'lambda'])).toBe('--interval needs a value, e.g. --interval <minutes>');
    expect(refusal(['x', '--name', '--', '--yes'])).toBe('--name needs a value, e.g. --name <name>');
  });

  it('flags npm took for itself (npm create without --), their values left as folder names: put them after --', () => {
    // npm create aws-pipeline nc6 --runtime python --skip-install: npm keeps --runtime (as true) and --skip-install.
    const env = { npm_command: 'init', npm_config_runtime: 'true', npm_config_skip_install: 'true' };
    expect(refusal(['nc6', 'python'], env)).toBe('one target directory at most, got 2 (nc6 python): npm took --runtime, --skip-install for itself; put create-aws-pipeline\'s flags after --, e.g. npm create aws-pipeline nc6 -- --runtime <value>');
  });

  it('flags after our own --: folder names to the parser', () => {
    expect(refusal(['nt4', '--', '--yes', '--skip-install'])).toBe('one target directory at most, got 3 (nt4 --yes --skip-install): after --, flags count as folder names; drop the --');
    expect(refusal(['a', 'b'])).toBe('one target directory at most, got 2 (a b): quote a path with spaces');
  });
});

describe('a first argument one typo from a subcommand', () => {
  it.each([['statuz', 'status'], ['stauts', 'status'], ['relase', 'release'], ['aprove', 'approve'], ['drfit', 'drift']])('%s: did you mean %s? Nothing written', (typo, command) => {
    const dir = tempDir('cap-typo-');
    const r = underNpm([typo, '--yes', '--skip-install'], dir, {});
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error unknown command "${typo}": did you mean ${command}? (to create a repo in a folder of that name, write it as ./${typo})\n`);
    expect(existsSync(join(dir, typo))).toBe(false);
  });

  it('is a repo name when it is far from every command, written as a path, or an existing folder', () => {
    const dir = tempDir('cap-typo-');
    for (const name of ['react', 'my-status', './statuz']) {
      const r = underNpm([name, '--yes', '--skip-install'], dir, {});
      expect(r.stderr, name).not.toMatch(/did you mean/);
    }
    mkdirSync(join(dir, 'relase'));
    expect(underNpm(['relase', '--yes', '--skip-install'], dir, {}).stderr).not.toMatch(/did you mean/);
  });
});
