/**
 * `create-aws-pipeline drift`: which managed files differ from what the
 * templates render now (edits that `npx projen` keeps, conflicts, files not
 * re-rendered since an upgrade), without writing to the repo. The repo is
 * copied (node_modules linked) to a temp folder, its mergeable managed files
 * are removed there so nothing is merged, the copy is synthesized by the
 * repo's own projen, and every managed file is compared.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../cli/errors';
import { readRendered } from '../components/merge';

export interface Drift {
  readonly changed: string[];
  readonly missing: string[];
}

export function drift(dir: string): Drift {
  const repo = resolve(dir);
  const filesJson = join(repo, '.projen', 'files.json');
  if (!existsSync(filesJson)) throw new UsageError(`no .projen/files.json in ${repo}: run this in a projen repo after its first synth`);
  const projen = join(repo, 'node_modules', '.bin', 'projen');
  if (!existsSync(projen)) throw new UsageError(`projen is not installed in ${repo}: run npm install first`);
  const copy = mkdtempSync(join(tmpdir(), 'cap-drift-'));
  try {
    cpSync(repo, copy, { recursive: true, filter: (src) => !src.startsWith(join(repo, 'node_modules')) && !src.startsWith(join(repo, '.git')) });
    symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
    for (const f of mergeable(copy)) rmSync(join(copy, f), { force: true });
    const r = spawnSync(projen, ['--no-post'], { cwd: copy, encoding: 'utf8' });
    if (r.status !== 0) throw new UsageError(`npx projen failed, so drift cannot be checked: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
    const managed = [...new Set<string>([...JSON.parse(readFileSync(join(copy, '.projen', 'files.json'), 'utf8')).files, ...mergeable(copy)])];
    const changed: string[] = [];
    const missing: string[] = [];
    for (const f of managed) {
      const mine = join(repo, f);
      if (!existsSync(mine)) missing.push(f);
      else if (!readFileSync(mine).equals(readFileSync(join(copy, f)))) changed.push(f);
    }
    return { changed, missing };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** The managed files whose edits a synth merges (listed in the record of their last render). */
const mergeable = (repo: string): string[] => Object.keys(readRendered(repo));

export function runDrift(dir: string, json: boolean): number {
  const d = drift(dir);
  if (json) {process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);} else if (!d.changed.length && !d.missing.length) {process.stdout.write('no drift: every managed file is what the templates render\n');} else {
    for (const f of d.changed) process.stdout.write(`changed  ${f}\n`);
    for (const f of d.missing) process.stdout.write(`missing  ${f}\n`);
    process.stderr.write('error managed files differ from the templates: run npx projen to render them; edits it keeps stay listed here until create-aws-pipeline reset FILE\n');
  }
  return d.changed.length || d.missing.length ? 1 : 0;
}
