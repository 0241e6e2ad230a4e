/**
 * A managed text file: rendered on every synth, with projen's marker in the
 * file's own comment syntax (after a shebang line, where there is one).
 */
import { FileBase } from 'projen';
import type { IResolver, Project } from 'projen';

export interface ManagedTextFileOptions {
  /** The content, without the marker. */
  readonly contents: string;
  /** How a comment is written in this file. */
  readonly comment: 'hash' | 'html' | 'slash';
  /** Whether the file is executable. @default false */
  readonly executable?: boolean;
}

export class ManagedTextFile extends FileBase {
  private readonly contents: string;
  private readonly comment: 'hash' | 'html' | 'slash';

  constructor(project: Project, filePath: string, options: ManagedTextFileOptions) {
    super(project, filePath, { marker: true, executable: options.executable ?? false, readonly: true });
    this.contents = options.contents;
    this.comment = options.comment;
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    if (!this.marker) return this.contents;
    const line = { hash: `# ${this.marker}`, html: `<!-- ${this.marker} -->`, slash: `// ${this.marker}` }[this.comment];
    if (this.contents.startsWith('#!')) {
      const end = this.contents.indexOf('\n') + 1;
      return `${this.contents.slice(0, end)}${line}\n${this.contents.slice(end)}`;
    }
    return `${line}\n${this.contents}`;
  }
}
