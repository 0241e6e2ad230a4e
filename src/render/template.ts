/** EJS templates from templates/, which mirrors the emitted tree. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ejs from 'ejs';
import { packageRoot } from '../package-info';

/** Render `templates/<path>.ejs` with `data`; output is plain text, nothing is HTML-escaped. */
export function renderTemplate(path: string, data: Record<string, unknown>): string {
  const file = join(packageRoot(), 'templates', `${path}.ejs`);
  return ejs.render(readFileSync(file, 'utf8'), data, { filename: file, escape: (s: unknown) => String(s) });
}
