/**
 * A managed text file: rendered on every synth, with projen's marker in the
 * file's own comment syntax (after a shebang line, where there is one).
 * Unlike projen's own files it may be edited: each synth merges the new
 * render into the file (three-way, against the last render, which
 * `.projen/aws-pipeline-rendered.json` keeps), so an edit is never lost.
 */
import { chmodSync, existsSync, lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileBase } from 'projen';
import type { IResolver, Project } from 'projen';
import { packageVersion } from '../package-info';
import { hasConflictMarkers, isMergeableText, mergeManaged, readRendered, RENDERED_FILES } from './merge';
import type { MergeOutcome } from './merge';

export interface ManagedTextFileOptions {
  /** The content, without the marker. */
  readonly contents: string;
  /** How a comment is written in this file; `none` for formats without comments (JSON): no marker. */
  readonly comment: 'hash' | 'html' | 'slash' | 'none';
  /** Whether the file is executable. @default false */
  readonly executable?: boolean;
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function bytesIfExists(file: string): Buffer | undefined {
  return existsSync(file) && lstatSync(file).isFile() ? readFileSync(file) : undefined;
}

export class ManagedTextFile extends FileBase {
  private readonly contents: string;
  private readonly comment: ManagedTextFileOptions['comment'];
  /** The file as it was before this synth (projen removes its files before writing them again). */
  private readonly mine: string | undefined;
  /** Its bytes when they are not text a merge may rewrite (not UTF-8, or NUL bytes): written back as they were. */
  private readonly binary: Buffer | undefined;
  private readonly store: RenderedFiles;

  constructor(project: Project, filePath: string, options: ManagedTextFileOptions) {
    super(project, filePath, { marker: options.comment !== 'none', executable: options.executable ?? false, readonly: false });
    this.contents = options.contents;
    this.comment = options.comment;
    const bytes = bytesIfExists(join(project.outdir, filePath));
    if (bytes && !isMergeableText(bytes)) this.binary = bytes;
    else this.mine = bytes?.toString('utf8');
    this.store = RenderedFiles.of(project);
    this.store.add(this);
  }

  public synthesize(): void {
    if (!this.binary) return super.synthesize();
    // Never rewritten: the file goes back as it was, and the synth fails until the user fixes or resets it.
    const file = join(this.project.outdir, this.path);
    writeFileSync(file, this.binary);
    if (this.executable) chmodSync(file, 0o755);
    this.store.reportUnreadable(this.path);
  }

  /** The file is not text a merge may rewrite: this synth writes it back as it was. */
  public get keptAsIs(): boolean {
    return this.binary !== undefined;
  }

  /** What the templates render now, marker included. */
  public rendered(): string {
    if (!this.marker || this.comment === 'none') return this.contents;
    const line = { hash: `# ${this.marker}`, html: `<!-- ${this.marker} -->`, slash: `// ${this.marker}` }[this.comment];
    if (this.contents.startsWith('#!')) {
      const end = this.contents.indexOf('\n') + 1;
      return `${this.contents.slice(0, end)}${line}\n${this.contents.slice(end)}`;
    }
    return `${line}\n${this.contents}`;
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    const outcome = mergeManaged(this.mine, this.store.lastRendered(this.path), this.rendered(), `(create-aws-pipeline ${packageVersion()})`);
    this.store.report(this.path, outcome);
    return outcome.content;
  }
}

export { RENDERED_FILES };

/**
 * The last render of every managed text file, the base of the next merge.
 * Committed with the repo (like the rest of .projen/), so every clone merges alike.
 * After a synth that left conflicts, its postSynthesize fails the synth.
 */
export class RenderedFiles extends FileBase {
  /** The project's store, created with its first managed file. */
  public static of(project: Project): RenderedFiles {
    return project.components.find((c): c is RenderedFiles => c instanceof RenderedFiles) ?? new RenderedFiles(project);
  }

  private readonly previous: Record<string, string>;
  private readonly files: ManagedTextFile[] = [];
  private readonly outcomes = new Map<string, MergeOutcome['how']>();
  private readonly unresolved: string[] = [];
  private readonly unreadable: string[] = [];
  private told = false;

  private constructor(project: Project) {
    super(project, RENDERED_FILES, { marker: true, readonly: true });
    // A missing or broken record merges nothing: every file is taken to be the template's.
    this.previous = readRendered(project.outdir);
  }

  public add(file: ManagedTextFile): void {
    this.files.push(file);
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
   * Files rendered last time and no longer (a renamed hook script, a target without them): removed
   * when unedited, kept with a warning when edited.
   */
  public preSynthesize(): void {
    const current = new Set(this.files.map((f) => f.path));
    for (const [path, last] of Object.entries(this.previous)) {
      if (current.has(path)) continue;
      const file = join(this.project.outdir, path);
      const mine = readIfExists(file);
      if (mine === undefined) continue;
      if (mine === last) rmSync(file);
      else process.stderr.write(`${path} is no longer rendered by the templates; your edited copy is kept (delete it if it is not needed)\n`);
    }
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    // A file kept byte for byte keeps its last trustworthy base, if any.
    const files = Object.fromEntries(
      [...this.files]
        .sort((a, b) => a.path.localeCompare(b.path))
        .flatMap((f) => (f.keptAsIs ? (this.previous[f.path] === undefined ? [] : [[f.path, this.previous[f.path]]]) : [[f.path, f.rendered()]])),
    );
    return `${JSON.stringify({ '//': this.marker, files }, null, 2)}\n`;
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
      const edited = [...this.outcomes].filter(([, how]) => how === 'kept' || how === 'merged').map(([path]) => path);
      if (edited.length) process.stderr.write(`Kept your edits in ${edited.join(', ')} (create-aws-pipeline drift lists them; create-aws-pipeline reset FILE drops them)\n`);
    }
    if (this.unreadable.length) {
      throw new MergeConflictError(
        this.unreadable,
        `${this.unreadable.join(', ')}: not UTF-8 text (or holds NUL bytes), so the templates cannot be merged into it; it is kept as it is. ` +
          'Save it as UTF-8 text and run npx projen again, or create-aws-pipeline reset FILE to take the template',
      );
    }
    if (this.unresolved.length) throw new MergeConflictError(this.unresolved);
  }
}

/** Edits and template changes overlap: the files hold conflict markers until resolved. */
export class MergeConflictError extends Error {
  constructor(
    readonly files: readonly string[],
    message = `merge conflicts in ${files.join(', ')}: your edits and the new templates change the same lines (or the file has no trustworthy last render); ` +
      'resolve the <<<<<<< your edit / >>>>>>> template blocks and run npx projen again, or create-aws-pipeline reset FILE to take the template',
  ) {
    super(message);
    this.name = 'MergeConflictError';
  }
}
