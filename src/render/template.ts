/** EJS templates from templates/, which mirrors the emitted tree. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ejs from 'ejs';
import { BUNDLED_TEMPLATES, COMPILED_TEMPLATES } from './bundled-templates';
import { mdCode, mdCodeInText, mdText, mermaidText, plainToken, tsLiteral } from './escape';
import { shq } from './shell';
import { filesUnder } from '../dirs';
import { packageRoot } from '../package-info';

/**
 * What a template may call to serialize a value for its place, with `<%- helper(value) %>`.
 * `<%= value %>` escapes by the output's format: Markdown text in `.md` files; in code, only plain
 * tokens pass (test/render/templates.test.ts holds every `<%-` to these helpers).
 */
export const TEMPLATE_HELPERS = { json: tsLiteral, shq, code: mdCode, codeInText: mdCodeInText, md: mdText, mermaid: mermaidText } as const;

let templatesDir: string | undefined;

/** Render `templates/<path>.ejs` with `data` (in the bundles, their copy of it). */
export function renderTemplate(path: string, data: Record<string, unknown>): string {
  // Joined once: `path` is one of ours, `/`-separated.
  const file = `${(templatesDir ??= join(packageRoot(), 'templates'))}/${path}.ejs`;
  const escape = path.endsWith('.md') ? mdText : plainToken;
  try {
    // Run as ejs runs its own: the locals on an object without a prototype.
    const compiled = COMPILED_TEMPLATES?.[path];
    if (compiled) return compiled(Object.assign(Object.create(null) as Record<string, unknown>, TEMPLATE_HELPERS, data), escape);
    return ejs.render(BUNDLED_TEMPLATES?.[path] ?? readFileSync(file, 'utf8'), { ...TEMPLATE_HELPERS, ...data }, { filename: file, escape });
  } catch (err) {
    throw new Error(`template ${path}: ${(err as Error).message.split('\n').pop()}`);
  }
}

/** The templates under `templates/<dir>/`: their paths from templates/, without `.ejs`, sorted. */
export function templatesUnder(dir: string): string[] {
  const bundled = COMPILED_TEMPLATES ?? BUNDLED_TEMPLATES;
  if (bundled) return Object.keys(bundled).filter((path) => path.startsWith(`${dir}/`)).sort();
  return filesUnder(join(packageRoot(), 'templates', dir))
    .filter((path) => path.endsWith('.ejs'))
    .map((path) => `${dir}/${path.replace(/\.ejs$/, '')}`)
    .sort();
}
