/**
 * No command writes through a symlink or outside the repo: the synth's
 * merge write, the removal of files no longer rendered, drift (which
 * synthesizes a copy) and reset refuse a managed path through a symlinked
 * folder, or a symlink itself, in one line naming it; record entries that
 * are not paths inside the repo are never followed, written or removed.
 * Each case compares the repo and the folder outside it, byte for byte
 * (contents, modes, links), before and after.
 */
import { appendFileSync, cpSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE, generated, linkNodeModules, snapshot, synth } from './repo';
import { LEGACY_RECORD, readRendered, RENDERED_DIR } from '../../src/components/rendered-record';
import { drift } from '../../src/ops/drift';
import { runReset } from '../../src/ops/reset';
import { tempDir } from '../helpers';

const NEXT = { ...BASE, port: 9090 };
const OUR_LINE = 'echo "our own step, kept outside the repo"\n';

/** A generated repo whose `scripts` folder lives outside it, behind a symlink; a script there is edited. */
function repoWithLinkedScripts(): { repo: string; outside: string } {
  const repo = generated();
  const outside = tempDir('cap-outside-');
  renameSync(join(repo, 'scripts'), join(outside, 'scripts'));
  symlinkSync(join(outside, 'scripts'), join(repo, 'scripts'));
  appendFileSync(join(outside, 'scripts/deploy/ecs.sh'), OUR_LINE);
  return { repo, outside };
}

/** Runs `fn`, which must refuse in one line matching `message`, and checks nothing changed in any of `dirs`. */
function expectRefusedUnchanged(dirs: readonly string[], fn: () => unknown, message: RegExp, what = ''): void {
  const before = dirs.map((d) => snapshot(d));
  let err: unknown;
  try {
    const r = fn();
    if (r instanceof Error) err = r;
  } catch (e) {
    err = e;
  }
  dirs.forEach((d, i) => expect(snapshot(d), `${what} ${d}`).toEqual(before[i]));
  expect(err, `${what} refused`).toBeInstanceOf(Error);
  expect((err as Error).message, what).toMatch(message);
  expect((err as Error).message, what).not.toContain('\n');
}

describe('the synth never writes through a symlink', () => {
  it('refuses a managed folder that is a symlink to outside the repo', () => {
    const { repo, outside } = repoWithLinkedScripts();
    expectRefusedUnchanged([repo, outside], () => synth(repo, NEXT), /^refusing to read scripts\/deploy\/\S+: scripts is a symlink \(to .*cap-outside-.*\/scripts\)/);
  });

  it('refuses a managed file that is itself a symlink, and a symlinked record folder or .projen', () => {
    const cases: Array<[string, (repo: string, outside: string) => void, RegExp]> = [
      ['buildspec.yml', (repo, outside) => {
        cpSync(join(repo, 'buildspec.yml'), join(outside, 'buildspec.yml'));
        rmSync(join(repo, 'buildspec.yml'));
        symlinkSync(join(outside, 'buildspec.yml'), join(repo, 'buildspec.yml'));
      }, /^refusing to read buildspec\.yml: buildspec\.yml is a symlink/],
      [RENDERED_DIR, (repo, outside) => {
        renameSync(join(repo, RENDERED_DIR), join(outside, 'rendered'));
        symlinkSync(join(outside, 'rendered'), join(repo, RENDERED_DIR));
      }, /^refusing to write \.projen\/aws-pipeline-rendered\/\S+: \.projen\/aws-pipeline-rendered is a symlink/],
      ['.projen', (repo, outside) => {
        renameSync(join(repo, '.projen'), join(outside, '.projen'));
        symlinkSync(join(outside, '.projen'), join(repo, '.projen'));
      }, /^refusing to write \.projen\/\S+: \.projen is a symlink/],
      ['app (a sample file to write again)', (repo, outside) => {
        renameSync(join(repo, 'app'), join(outside, 'app'));
        symlinkSync(join(outside, 'app'), join(repo, 'app'));
        rmSync(join(outside, 'app/src/app.js'));
      }, /^refusing to write app\/src\/app\.js: app is a symlink/],
    ];
    for (const [what, link, message] of cases) {
      const repo = generated();
      const outside = tempDir('cap-outside-');
      link(repo, outside);
      expectRefusedUnchanged([repo, outside], () => synth(repo, NEXT), message, what);
    }
  });

  it('never removes or writes a record entry outside the repo (../x, an absolute path, a/../../x), nor one through a symlink', () => {
    const parent = tempDir('cap-parent-');
    const repo = generated(BASE, join(parent, 'repo'));
    mkdirSync(join(repo, 'sub'));
    const bait = 'a file outside the repo\n';
    for (const f of ['x', 'y', 'abs']) writeFileSync(join(parent, f), bait);
    // An orphan (rendered last time, not now) in a symlinked folder: unedited, so it would be removed.
    const linked = tempDir('cap-outside-');
    writeFileSync(join(linked, 'old.sh'), bait);
    symlinkSync(linked, join(repo, 'hooks'));
    const files = { ...readRendered(repo), '../x': bait, 'sub/../../y': bait, [join(parent, 'abs')]: bait, 'hooks/old.sh': bait };
    rmSync(join(repo, RENDERED_DIR), { recursive: true, force: true });
    writeFileSync(join(repo, LEGACY_RECORD), JSON.stringify({ files }, null, 2));
    const outsideBefore = snapshot(parent, ['repo']);
    const linkedBefore = snapshot(linked);
    expect(synth(repo, NEXT)).toBeUndefined();
    expect(snapshot(parent, ['repo'])).toEqual(outsideBefore);
    expect(snapshot(linked)).toEqual(linkedBefore);
    expect(Object.keys(readRendered(repo)).filter((k) => k.includes('..') || k.startsWith('/') || k.startsWith('hooks'))).toEqual([]);
  });
});

describe('drift and reset never write through a symlink, nor outside the repo', () => {
  it('drift refuses a symlinked managed folder, and changes nothing outside', () => {
    const { repo, outside } = repoWithLinkedScripts();
    linkNodeModules(repo);
    expectRefusedUnchanged([repo, outside], () => drift(repo), /^refusing to check scripts\/deploy\/\S+: scripts is a symlink \(to .*\)/);
  });

  it('reset refuses a FILE through a symlink, or outside the repo (even one the record names)', () => {
    const { repo, outside } = repoWithLinkedScripts();
    linkNodeModules(repo);
    expectRefusedUnchanged([repo, outside], () => runReset(repo, [join(repo, 'scripts/deploy/ecs.sh')]), /^refusing to reset .*scripts\/deploy\/ecs\.sh: scripts is a symlink \(to .*\); nothing was reset$/);

    const parent = tempDir('cap-parent-');
    const plain = generated(BASE, join(parent, 'repo'));
    linkNodeModules(plain);
    writeFileSync(join(parent, 'x'), 'a file outside the repo\n');
    writeFileSync(join(plain, LEGACY_RECORD), JSON.stringify({ files: { '../x': 'a file outside the repo\n' } }));
    expectRefusedUnchanged([parent], () => runReset(plain, [join(parent, 'x')]), /^\S+\/x is outside the repo \S+: nothing was reset$/);
  });
});
