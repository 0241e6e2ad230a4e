/**
 * A managed text file: rendered on every synth, with projen's marker in the
 * file's own comment syntax (after a shebang line, where there is one).
 * Unlike projen's own files it may be edited: each synth merges the new
 * render into the file (three-way, against the last render, which
 * `.projen/aws-pipeline-rendered/` keeps), so an edit is never lost.
 * The managed files, their records and the removal of files no longer
 * rendered are written as one change (fs-transaction.ts), never through a
 * symlink: all of it, or, on an error or a kill, none of it.
 */
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { Component, FileBase, SampleFile } from 'projen';
import type { IResolver, Project } from 'projen';
import { assertSafePath, obstacleOnPath, readInside, UnsafePathError } from '../fs-safe';
import { commitChanges, recoverInterrupted } from '../fs-transaction';
import type { FileChange } from '../fs-transaction';
import { packageVersion } from '../package-info';
import { MANAGED_MARKER, withMarker } from './marker';
import { hasConflictMarkers, isMergeableText, mergeManaged } from './merge';
import type { MergeOutcome } from './merge';
import { basePath, LEGACY_RECORD, readRecord, RENDERED_DIR, REPO_ROOT_ENV, REPO_ROOT_KEY, RESET_ENV } from './rendered-record';

export interface ManagedTextFileOptions {
  /** The content, without the marker. */
  readonly contents: string;
  /** How a comment is written in this file; `none` for formats without comments (JSON): no marker. */
  readonly comment: 'hash' | 'html' | 'slash' | 'none';
  /** Whether the file is executable. @default false */
  readonly executable?: boolean;
  /**
   * The path is relative to the repository's root, not the project's: the one file a service in a folder writes
   * outside it (its GitHub Actions workflow, which GitHub reads only there). Needs RenderedFiles.inFolder first.
   * @default false
   */
  readonly atRepoRoot?: boolean;
}

export { REPO_ROOT_ENV, REPO_ROOT_KEY };

export { MANAGED_MARKER };

export { RESET_ENV };

function resetPaths(): ReadonlySet<string> {
  try {
    const paths = JSON.parse(process.env[RESET_ENV] ?? '[]') as unknown;
    return new Set(Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : []);
  } catch {
    return new Set();
  }
}

export class ManagedTextFile extends FileBase {
  private readonly contents: string;
  private readonly comment: ManagedTextFileOptions['comment'];
  /** The file as it was before this synth. */
  private readonly mine: string | undefined;
  /** Its bytes when they are not text a merge may rewrite (not UTF-8, or NUL bytes): left as they are. */
  private readonly binary: Buffer | undefined;
  private readonly store: RenderedFiles;

  constructor(project: Project, filePath: string, options: ManagedTextFileOptions) {
    const key = options.atRepoRoot ? `${REPO_ROOT_KEY}/${filePath}` : filePath;
    // A file at the repository's root is no entry of this folder's .gitignore or .gitattributes.
    super(project, key, { marker: options.comment !== 'none', executable: options.executable ?? false, readonly: false, ...(options.atRepoRoot ? { editGitignore: false } : {}) });
    if (options.atRepoRoot) project.gitattributes.removeAttributes(`/${key}`, 'linguist-generated');
    this.contents = options.contents;
    this.comment = options.comment;
    // The store first: it undoes a write a killed synth left half done, before any file is read.
    this.store = RenderedFiles.of(project);
    // Refused (thrown) when the path goes through a symlink: before anything is written.
    const bytes = this.store.isReset(this.path) ? undefined : this.store.read(this.path);
    if (bytes && !isMergeableText(bytes)) this.binary = bytes;
    else this.mine = bytes?.toString('utf8');
    this.store.add(this);
  }

  public synthesize(): void {
    if (this.binary) {
      // Never rewritten: the file stays as it is, and the synth fails until the user fixes or resets it.
      this.store.reportUnreadable(this.path);
      this.store.stage(this, undefined);
      return;
    }
    this.store.stage(this, this.synthesizeContent({} as IResolver));
  }

  /** The file is not text a merge may rewrite: this synth leaves it as it was. */
  public get keptAsIs(): boolean {
    return this.binary !== undefined;
  }

  /** What the templates render now, marker included. */
  public rendered(): string {
    return this.marker ? withMarker(this.contents, this.comment) : this.contents;
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    const outcome = mergeManaged(this.mine, this.store.lastRendered(this.path), this.rendered(), `(create-aws-pipeline ${packageVersion()})`);
    this.store.report(this.path, outcome);
    return outcome.content;
  }
}

/**
 * The last render of every managed text file, the base of the next merge (rendered-record.ts), and the one
 * change that writes the managed files: staged by each file's synthesize, committed with the last one.
 * After a synth that left conflicts, its postSynthesize fails the synth.
 */
export class RenderedFiles extends Component {
  /** The project's store, created with its first managed file. */
  public static of(project: Project): RenderedFiles {
    return project.components.find((c): c is RenderedFiles => c instanceof RenderedFiles) ?? new RenderedFiles(project);
  }

  private readonly previous: Record<string, string>;
  private readonly stored: readonly string[];
  private readonly legacy: boolean;
  private readonly resets = resetPaths();
  private readonly files: ManagedTextFile[] = [];
  private readonly staged = new Map<string, FileChange[]>();
  private readonly removals: FileChange[] = [];
  private readonly outcomes = new Map<string, MergeOutcome['how']>();
  private readonly unresolved: string[] = [];
  private readonly unreadable: string[] = [];
  private told = false;
  /** The repository's root and the project's folder in it, for a service in a folder (inFolder). */
  private repo: { readonly root: string; readonly path: string } | undefined;
  /** What this synth adds and removes (repo-relative paths), said after it is written; empty on a repo's first synth. */
  private readonly added: string[] = [];
  private readonly removed: string[] = [];

  private constructor(project: Project) {
    super(project, 'AwsPipelineRenderedFiles');
    recoverInterrupted(project.outdir);
    const record = readRecord(project.outdir);
    for (const r of record.refused) process.stderr.write(`ignoring ${r}: not a path create-aws-pipeline manages; nothing is read, written or removed there\n`);
    // A missing or broken record merges nothing: an edited file becomes a conflict, never overwritten.
    this.previous = record.files;
    this.stored = record.stored;
    this.legacy = record.legacy;
    // The records are projen's (collapsed in pull requests); git merges them as text, like the files themselves.
    project.gitattributes.addAttributes(`/${RENDERED_DIR}/**`, 'linguist-generated');
    project.addExcludeFromCleanup(`${RENDERED_DIR}/**`);
  }

  /**
   * The project is the service in folder `path` of its repository ("." for none): files with `atRepoRoot` are written
   * at the root, `path` up from the project's folder (or REPO_ROOT_ENV's). A write there that a kill left half done is
   * undone first, as in the folder.
   */
  public inFolder(path: string): void {
    if (path === '.') return;
    const outdir = resolve(this.project.outdir);
    const given = process.env[REPO_ROOT_ENV];
    // The root is found by going up from this folder: only where the folder is where `path` says, never above a copy
    // or a folder moved elsewhere (that would write outside the repository).
    if (given === undefined && !outdir.split(sep).join('/').endsWith(`/${path}`)) {
      throw new UnsafePathError(`path ${JSON.stringify(path)} says this project is the folder ${path} of its repository, but it is ${outdir}: run npx projen in that folder, or set path to where the project is`);
    }
    const root = given ?? resolve(outdir, ...path.split('/').map(() => '..'));
    this.repo = { root, path };
    recoverInterrupted(root);
  }

  /** Where the file of a key is: its root (the project's, or the repository's) and its path from there. */
  private where(key: string): { readonly root: string; readonly rel: string } {
    if (!key.startsWith(`${REPO_ROOT_KEY}/`)) return { root: this.project.outdir, rel: key };
    if (!this.repo) throw new Error(`${key}: a file at the repository's root, for a project without a path in its repository`);
    return { root: this.repo.root, rel: key.slice(REPO_ROOT_KEY.length + 1) };
  }

  /** The bytes of a managed file (by key), or undefined; refused (thrown) through a symlink. */
  public read(key: string): Buffer | undefined {
    const { root, rel } = this.where(key);
    return readInside(root, rel);
  }

  /** A key of the repository's root while the project has no path (any more): nothing is read or removed there. */
  private unplaced(key: string): boolean {
    return key.startsWith(`${REPO_ROOT_KEY}/`) && !this.repo;
  }

  public add(file: ManagedTextFile): void {
    this.files.push(file);
    // projen's fallback cleanup (no .projen/files.json) removes files with its marker: never ours.
    this.project.addExcludeFromCleanup(file.path);
  }

  public isReset(path: string): boolean {
    return this.resets.has(path);
  }

  public lastRendered(path: string): string | undefined {
    return this.previous[path];
  }

  public report(path: string, outcome: MergeOutcome): void {
    this.outcomes.set(path, outcome.how);
    if (outcome.how !== 'template' && hasConflictMarkers(outcome.content)) this.unresolved.push(path);
  }

  /** A managed file that is not UTF-8 text (or holds NUL bytes): kept as it is, and the synth fails. */
  public reportUnreadable(path: string): void {
    this.outcomes.set(path, 'conflict');
    this.unreadable.push(path);
  }

  /** How each file was written by the last synth: template, kept, merged or conflict. */
  public get results(): ReadonlyMap<string, MergeOutcome['how']> {
    return this.outcomes;
  }

  /**
   * Before projen writes anything: every path this synth writes is checked (no symlink along it, projen's own
   * files too); a record of an earlier release is moved into the folder (projen's cleanup removes the old file);
   * files rendered last time and no longer (a renamed hook script, a target without them) are planned for
   * removal when unedited, and kept with a warning when edited.
   */
  public preSynthesize(): void {
    const root = this.project.outdir;
    this.removals.length = 0;
    this.staged.clear();
    for (const f of this.project.files) assertSafePath(root, f.path);
    // A sample file (the app) is written once, when missing: never through a link either.
    for (const c of this.project.components) {
      const path = c instanceof SampleFile ? (c as unknown as { filePath: string }).filePath : undefined;
      if (path !== undefined && !existsSync(join(root, path))) assertSafePath(root, path);
    }
    for (const f of this.files) assertSafePath(root, basePath(f.path));
    // The file at the repository's root: no symlink on its way there either (nor on the way to this folder, when the
    // two are written as one change from the root).
    for (const f of this.files) {
      if (!f.path.startsWith(`${REPO_ROOT_KEY}/`)) continue;
      const where = this.where(f.path);
      assertSafePath(where.root, where.rel);
    }
    if (this.legacy) {
      const moved = Object.entries(this.previous).filter(([path]) => !this.stored.includes(path));
      commitChanges(root, moved.map(([path, content]) => ({ path: basePath(path), content })));
    }
    const current = new Set(this.files.map((f) => f.path));
    for (const [path, last] of Object.entries(this.previous)) {
      if (current.has(path)) continue;
      if (this.unplaced(path)) {
        process.stderr.write(`${path} is no longer rendered, and this project names no path in its repository: remove that file at the repository's root yourself\n`);
        continue;
      }
      const where = this.where(path);
      const obstacle = obstacleOnPath(where.root, where.rel);
      if (obstacle) {
        process.stderr.write(`${path} is no longer rendered by the templates, but ${obstacle.at} is a symlink or not a folder: not removed\n`);
        continue;
      }
      const mine = readInside(where.root, where.rel)?.toString('utf8');
      if (mine === undefined) continue;
      if (mine === last) this.removals.push({ path });
      else process.stderr.write(`${path} is no longer rendered by the templates; your edited copy is kept (delete it if it is not needed)\n`);
    }
    for (const path of new Set([...this.stored, ...(this.legacy ? Object.keys(this.previous) : [])])) {
      if (!current.has(path)) this.removals.push({ path: basePath(path) });
    }
    // The record of an earlier release, once moved (projen's cleanup usually removes it first).
    if (this.legacy) this.removals.push({ path: LEGACY_RECORD });
    this.planReport(root);
  }

  /**
   * The files this synth adds and removes, before projen's cleanup runs: every file of the project (ours, projen's, the
   * sample app's, written once) that is not there yet, and every file of the last synth (projen's manifest, our record)
   * that is no longer rendered and goes. Said only where there was a last synth (not while a repo is first written).
   */
  private planReport(root: string): void {
    this.added.length = 0;
    this.removed.length = 0;
    const manifest = readInside(root, '.projen/files.json');
    if (!manifest && Object.keys(this.previous).length === 0) return;
    const sample = this.project.components.flatMap((c) => (c instanceof SampleFile ? [(c as unknown as { filePath: string }).filePath] : []));
    const now = new Set([...this.project.files.map((f) => f.path), ...sample]);
    for (const path of now) {
      const where = this.unplaced(path) ? { root, rel: path } : this.where(path);
      if (!existsSync(join(where.root, where.rel))) this.added.push(path);
    }
    let generated: string[] = [];
    try {
      const files = (JSON.parse(manifest?.toString('utf8') ?? '{}') as { files?: unknown }).files;
      generated = Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
    } catch {
      // not projen's manifest: its files are not reported
    }
    const ours = this.removals.map((r) => r.path).filter((path) => !path.startsWith(`${RENDERED_DIR}/`) && path !== LEGACY_RECORD);
    for (const path of new Set([...generated, ...ours])) if (!now.has(path) && existsSync(join(root, path))) this.removed.push(path);
  }

  /** A managed file's new content (undefined: left as it is); the last one commits the change. */
  public stage(file: ManagedTextFile, content: string | undefined): void {
    const changes: FileChange[] = [];
    if (content !== undefined) {
      changes.push({ path: file.path, content, mode: file.executable ? 0o755 : 0o644 });
      changes.push({ path: basePath(file.path), content: file.rendered() });
    }
    this.staged.set(file.path, changes);
    if (this.staged.size === this.files.length) {
      this.commit();
      this.staged.clear();
    }
  }

  private commit(): void {
    const changes = [...this.files.flatMap((f) => this.staged.get(f.path) ?? []), ...this.removals];
    try {
      this.commitPlaced(changes);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!code) throw err;
      throw new Error(`could not write the managed files (${(err as Error).message}): every one is as it was before this synth; fix that and run npx projen again`);
    }
  }

  /**
   * One change in the project's folder; for a service in a folder with a file at the repository's root, one change from
   * the root (the folder's paths under `path`), all or nothing for both. Where the project is rendered elsewhere
   * (REPO_ROOT_ENV: a staging folder, a copy), the root's files are a change of their own in that run's folder.
   */
  private commitPlaced(changes: readonly FileChange[]): void {
    const outside = (c: FileChange) => c.path.startsWith(`${REPO_ROOT_KEY}/`);
    const repo = this.repo;
    if (!repo || !changes.some(outside)) {
      commitChanges(this.project.outdir, changes.filter((c) => !outside(c)));
      return;
    }
    const atRoot = (c: FileChange): FileChange => ({ ...c, path: c.path.slice(REPO_ROOT_KEY.length + 1) });
    if (resolve(repo.root, repo.path) === resolve(this.project.outdir)) {
      commitChanges(repo.root, changes.map((c) => (outside(c) ? atRoot(c) : { ...c, path: `${repo.path}/${c.path}` })));
      return;
    }
    commitChanges(this.project.outdir, changes.filter((c) => !outside(c)));
    commitChanges(repo.root, changes.filter(outside).map(atRoot));
  }

  public postSynthesize(): void {
    this.checkConflicts();
  }

  /**
   * After the files are written: says which edits were kept and fails while conflicts are unresolved.
   * Runs in post-synthesis and, for AwsPipelineProject, after synth() too (`projen --no-post` skips post-synthesis).
   */
  public checkConflicts(): void {
    if (!this.told) {
      this.told = true;
      for (const path of this.added.sort()) process.stderr.write(`added ${path}\n`);
      for (const path of this.removed.sort()) process.stderr.write(`removed ${path}\n`);
      // A file left with conflict markers (or unreadable) is reported once, below, as what to fix: not also as kept.
      const problems = new Set([...this.unresolved, ...this.unreadable]);
      const edited = [...this.outcomes].filter(([path, how]) => (how === 'kept' || how === 'merged') && !problems.has(path)).map(([path]) => path);
      if (edited.length) process.stderr.write(`Kept your edits in ${edited.join(', ')} (npx projen drift lists them; npx projen reset FILE drops them)\n`);
    }
    if (this.unreadable.length) {
      throw new MergeConflictError(
        this.unreadable,
        `${this.unreadable.join(', ')}: not UTF-8 text (or holds NUL bytes), so the templates cannot be merged into it; it is kept as it is. ` +
          `Save it as UTF-8 text and run npx projen again, or npx projen reset ${this.unreadable.join(' ')} to take the template`,
      );
    }
    if (this.unresolved.length) throw new MergeConflictError(this.unresolved);
  }
}

export { LEGACY_RECORD, RENDERED_DIR };

/** Edits and template changes overlap: the files hold conflict markers until resolved. */
export class MergeConflictError extends Error {
  constructor(
    readonly files: readonly string[],
    message = `merge conflicts in ${files.join(', ')}: your edits and the new templates change the same lines (or the file has no trustworthy last render); ` +
      `resolve the <<<<<<< your edit / >>>>>>> template blocks and run npx projen again, or npx projen reset ${files.join(' ')} to take the template`,
  ) {
    super(message);
    this.name = 'MergeConflictError';
  }
}
