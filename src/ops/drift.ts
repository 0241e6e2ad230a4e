/**
 * `create-aws-pipeline drift`: which managed files differ from what the
 * templates render now (edits that `npx projen` keeps, conflicts, files not
 * re-rendered since an upgrade), without writing to the repo. The repo is
 * copied (node_modules linked, symlinks copied as links, never followed) to
 * a temp folder, its mergeable managed files are removed there so nothing is
 * merged, the copy is synthesized by the repo's own projen, and every
 * managed file is compared. A managed path through a symlink is refused
 * before anything is copied.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { UsageError } from '../cli/errors';
import { basePath, readRecord, REPO_ROOT_ENV, REPO_ROOT_KEY } from '../components/rendered-record';
import { assertSafePath, lstatOrUndefined, readInside } from '../fs-safe';
import { JOURNAL } from '../fs-transaction';

export interface Drift {
  readonly changed: string[];
  readonly missing: string[];
}

/** projen's list of the files it wrote (readonly ones), from .projen/files.json. */
function projenFiles(root: string): string[] {
  const files = (JSON.parse(readFileSync(join(root, '.projen', 'files.json'), 'utf8')) as { files?: unknown }).files;
  return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
}

export function drift(dir: string): Drift {
  const repo = resolve(dir);
  const filesJson = join(repo, '.projen', 'files.json');
  if (!existsSync(filesJson)) throw new UsageError(`no .projen/files.json in ${repo}: run this in a projen repo after its first synth`);
  const projen = join(repo, 'node_modules', '.bin', 'projen');
  if (!existsSync(projen)) throw new UsageError(`projen is not installed in ${repo}: run npm install first`);
  if (lstatOrUndefined(join(repo, JOURNAL))) throw new UsageError(`${JOURNAL} in ${repo} records an interrupted write: run npx projen (it undoes it first), then drift`);
  // Every path drift reads, and the copy's synth writes: refused (one line) through a symlink or outside the repo.
  const record = readRecord(repo);
  const recorded = Object.keys(record.files);
  for (const f of [...projenFiles(repo), ...recorded, ...recorded.map(basePath), ...record.links]) assertSafePath(repo, f, 'check');
  const copy = mkdtempSync(join(tmpdir(), 'cap-drift-'));
  try {
    cpSync(repo, copy, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => src !== join(repo, 'node_modules') && src !== join(repo, '.git'),
    });
    symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
    // The copy holds the same record: its mergeable files are the ones recorded above.
    for (const f of recorded) {
      assertSafePath(copy, f, 'remove');
      rmSync(join(copy, f), { force: true });
    }
    // A service in a folder writes its workflow at the repository's root: the copy's goes to a folder of this run.
    const copyRoot = mkdtempSync(join(tmpdir(), 'cap-drift-root-'));
    try {
      const r = spawnSync(projen, ['--no-post'], { cwd: copy, encoding: 'utf8', env: { ...process.env, [REPO_ROOT_ENV]: copyRoot } });
      if (r.status !== 0) throw new UsageError(`npx projen failed, so drift cannot be checked: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
      const managed = [...new Set<string>([...projenFiles(copy), ...mergeable(copy)])];
      const changed: string[] = [];
      const missing: string[] = [];
      const root = repoRootOf(repo, copy);
      for (const f of managed) {
        const atRoot = f.startsWith(`${REPO_ROOT_KEY}/`) ? f.slice(REPO_ROOT_KEY.length + 1) : undefined;
        if (atRoot !== undefined && root === undefined) continue;
        const mine = atRoot !== undefined ? readInside(root!, atRoot) : readInside(repo, f);
        const theirs = atRoot !== undefined ? join(copyRoot, atRoot) : join(copy, f);
        if (mine === undefined) missing.push(f);
        else if (!mine.equals(readFileSync(theirs))) changed.push(f);
      }
      return { changed, missing };
    } finally {
      rmSync(copyRoot, { recursive: true, force: true });
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * The repository's root of a service in a folder: its `path` (as the copy's fresh infra/main.ts, rendered from
 * .projenrc.ts, names it) up from the repo, when the repo is that folder; undefined for a service without one.
 */
function repoRootOf(repo: string, copy: string): string | undefined {
  let text = '';
  try {
    text = readFileSync(join(copy, 'infra', 'main.ts'), 'utf8');
  } catch {
    return undefined;
  }
  const m = /^ {2}path: ("(?:[^"\\]|\\.)*"),$/m.exec(text);
  if (!m) return undefined;
  const path = JSON.parse(m[1]) as string;
  if (path.split('/').some((s) => ['', '.', '..'].includes(s)) || !repo.split(sep).join('/').endsWith(`/${path}`)) return undefined;
  return resolve(repo, ...path.split('/').map(() => '..'));
}

/** The managed files whose edits a synth merges (those with a record of their last render). */
const mergeable = (repo: string): string[] => Object.keys(readRecord(repo).files);

export function runDrift(dir: string, json: boolean): number {
  const d = drift(dir);
  if (json) {
    process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
  } else if (!d.changed.length && !d.missing.length) {
    process.stdout.write('no drift: every managed file is what the templates render\n');
  } else {
    for (const f of d.changed) process.stdout.write(`changed  ${f}\n`);
    for (const f of d.missing) process.stdout.write(`missing  ${f}\n`);
    process.stderr.write('error managed files differ from the templates: run npx projen to render them; edits it keeps stay listed here until create-aws-pipeline reset FILE\n');
  }
  return d.changed.length || d.missing.length ? 1 : 0;
}
