/**
 * A real read-only folder (not an injected EACCES): `npx projen` must remove a file there, fails in one
 * line, changes nothing, loses no edit, and completes once the folder is writable again. Root writes anywhere,
 * so when the suite runs as root (as CI does) the synth runs without the capabilities that allow it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHILD, editsPresent, NEXT, REMOVED_ORPHAN, scenario } from './support';
import { read } from '../components/repo';
import { asUnprivileged, BIN, ROOT } from '../helpers';

const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
/** `npx projen` with NEXT's answers, as an unprivileged user. */
function synthUnprivileged(repo: string, home: string): { status: number | null; stderr: string } {
  const [command, args] = asUnprivileged(process.execPath, ['--import', TSX, CHILD, 'synth', repo, JSON.stringify(NEXT)]);
  const r = spawnSync(command, args, { cwd: repo, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home, TMPDIR: home, CI: 'true', NO_COLOR: '1' } });
  return { status: r.status, stderr: r.stderr };
}

describe('a read-only folder in the repo', () => {
  it('fails the synth in one line with every file as it was, and the next synth after chmod completes it', () => {
    const parent = mkdtempSync(join(tmpdir(), 'cap-readonly-'));
    chmodSync(parent, 0o755);
    const repo = scenario(join(parent, 'repo'));
    const home = join(parent, 'home');
    spawnSync('mkdir', ['-p', home]);
    const folder = join(repo, 'scripts', 'deploy');
    const taskdef = read(repo, 'taskdef.json');
    chmodSync(folder, 0o555);

    const failed = synthUnprivileged(repo, home);
    expect(failed.status).not.toBe(0);
    // The error the synth throws (how projen's CLI prints it is the first-run issue's).
    expect(failed.stderr).toMatch(/^Error: could not write the managed files \(EACCES: permission denied, [^\n]*\): every one is as it was before this synth; fix that and run npx projen again$/m);
    expect(existsSync(join(repo, REMOVED_ORPHAN))).toBe(true);
    expect(read(repo, 'taskdef.json')).toBe(taskdef);
    expect(editsPresent(repo)).toEqual([]);
    expect((statSync(folder).mode % 0o1000).toString(8)).toBe('555');

    chmodSync(folder, 0o755);
    const done = synthUnprivileged(repo, home);
    expect(done.stderr).not.toMatch(/could not write/);
    expect(done.status).toBe(0);
    expect(existsSync(join(repo, REMOVED_ORPHAN))).toBe(false);
    expect(read(repo, 'taskdef.json')).not.toBe(taskdef);
    expect(editsPresent(repo)).toEqual([]);
  }, 120_000);
});

describe('a read-only folder to create the repo in', () => {
  it('fails in one line that says nothing was written, exit 1, and the folder stays empty', () => {
    const parent = mkdtempSync(join(tmpdir(), 'cap-readonly-'));
    chmodSync(parent, 0o555);
    const [command, args] = asUnprivileged(process.execPath, [BIN, 'svc', '--yes', '--skip-install']);
    const r = spawnSync(command, args, { cwd: parent, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    expect(r.status, r.stderr).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(errors).toEqual([expect.stringMatching(/^error could not write svc \(EACCES: permission denied, mkdtemp '[^']+'\): it is as it was before, nothing was written$/)]);
    expect(r.stderr).not.toMatch(/please report this|\n\s+at /);
    expect(readdirSync(parent)).toEqual([]);
    chmodSync(parent, 0o755);
  });
});
