/** The install after scaffolding: progress (step and elapsed time), npm's output only on failure, Ctrl-C says how to resume. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors';
import { installDependencies, installThenCommit, nextSteps, shellArg } from '../../src/cli/finish';
import { resolveConfig } from '../../src/model/config';
import { tempDir } from '../helpers';

/** An `npm` first on PATH that runs `script`. */
function fakeNpm(script: string): string {
  const bin = tempDir('cap-npm-');
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  return bin;
}

function recorder(isTTY: boolean) {
  const chunks: string[] = [];
  return { out: { isTTY, write: (t: string) => chunks.push(t) }, text: () => chunks.join('') };
}

describe('installDependencies', () => {
  const path = process.env.PATH;
  let repo: string;
  beforeEach(() => {
    repo = join(tempDir('cap-install-'), 'my svc');
    mkdirSync(repo);
  });
  afterEach(() => {
    process.env.PATH = path;
  });

  it('shows the step, redraws the elapsed time on a terminal, and hides npm\'s output when it succeeds', async () => {
    process.env.PATH = `${fakeNpm('echo "added 412 packages"; sleep 2.2')}:${path}`;
    const r = recorder(true);
    await installDependencies(repo, r.out);
    expect(r.text()).toMatch(/^Installing dependencies \(npm install\)…\rInstalling dependencies \(npm install\)… 1 s\r.*\n.*dependencies installed in \d+ s\n$/s);
    expect(r.text()).not.toContain('added 412 packages');
  });

  it('without a terminal, one line at the start and one at the end', async () => {
    process.env.PATH = `${fakeNpm('exit 0')}:${path}`;
    const r = recorder(false);
    await installDependencies(repo, r.out);
    expect(r.text().split('\n')).toEqual(['Installing dependencies (npm install)…', expect.stringMatching(/dependencies installed in \d+ s$/), '']);
  });

  it('shows the end of npm\'s output when it fails, then one line saying what to do', async () => {
    process.env.PATH = `${fakeNpm('for i in $(seq 1 30); do echo "line $i"; done; echo "npm error code E404" >&2; exit 1')}:${path}`;
    const r = recorder(false);
    await expect(installDependencies(repo, r.out)).rejects.toThrow(/^the repo is written to .*my svc, but npm install failed \(exit 1\) after \d+ s: fix what npm says above, then run npm install there$/);
    expect(r.text()).toContain('npm error code E404');
    expect(r.text()).toContain('line 30');
    expect(r.text()).not.toContain('line 10\n');
  });

  it('on Ctrl-C stops npm and says the repo is written and how to resume', async () => {
    process.env.PATH = `${fakeNpm('exec sleep 30')}:${path}`;
    const r = recorder(false);
    const running = installDependencies(repo, r.out);
    setTimeout(() => process.emit('SIGINT'), 500);
    const err = await running.catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'InterruptedError' });
    expect((err as Error).message).toMatch(/^cancelled: the repo is written to .*my svc, but its install is incomplete: cd '.*my svc' && npm install$/);
  });
});

describe('next steps', () => {
  it('quote the folder as the shell needs', () => {
    expect(shellArg('my-service')).toBe('my-service');
    expect(shellArg('My Service')).toBe('\'My Service\'');
    expect(shellArg('it\'s')).toBe('\'it\'\\\'\'s\'');
    const c = resolveConfig({ name: 'my-service' } as never);
    expect(nextSteps(c, 'My Service', true)).toContain('  cd \'My Service\'\n');
  });
});

describe('installThenCommit', () => {
  const steps: string[] = [];
  const commit = async () => {
    steps.push('commit');
  };
  beforeEach(() => {
    steps.length = 0;
  });

  it('commits after the install (the lockfile is in the first commit)', async () => {
    await installThenCommit('repo', commit, async () => {
      steps.push('install');
    });
    expect(steps).toEqual(['install', 'commit']);
  });

  it('npm failed: the repo is committed as written, then the error', async () => {
    const failed = new UsageError('the repo is written to repo, but npm install failed (exit 1)');
    await expect(installThenCommit('repo', commit, async () => {
      steps.push('install');
      throw failed;
    })).rejects.toBe(failed);
    expect(steps).toEqual(['install', 'commit']);
  });

  it('Ctrl-C: nothing more is done', async () => {
    const cancelled = Object.assign(new Error('cancelled: the repo is written'), { name: 'InterruptedError' });
    await expect(installThenCommit('repo', commit, async () => {
      throw cancelled;
    })).rejects.toBe(cancelled);
    expect(steps).toEqual([]);
  });
});
