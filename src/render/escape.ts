/**
 * Values serialized for the place they go. Every value a user gives reaches
 * generated files through one of these (or through `yaml` / JSON for whole
 * documents), so no value can end its field and become code, markup or a
 * new line, whatever it holds.
 */

/** Line terminators of JavaScript/TypeScript, YAML, Markdown and terminals, and other control characters. */
const BREAKS = /\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A TypeScript/JavaScript literal: JSON, with U+2028/U+2029 escaped (JSON leaves them raw). */
export function tsLiteral(value: unknown): string {
  return (
    JSON.stringify(value)
      .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
      // A key `"__proto__":` in an object literal sets the object's prototype, not a key: computed, it is a key. (Only a
      // key can follow `{` or `,` with an unescaped quote: inside a JSON string every quote is escaped.)
      .replace(/([{,])"__proto__":/g, '$1["__proto__"]:')
  );
}

/** Text for a `//` comment: one line, and nothing that could close a block comment. */
export function commentText(text: string): string {
  return text.replace(BREAKS, ' ').replace(/\*\//g, '* /');
}

/**
 * Markdown inline text (a table cell, a heading, a sentence): one line, with the characters that start
 * Markdown or HTML constructs escaped (CommonMark allows a backslash before any ASCII punctuation).
 */
export function mdText(value: unknown): string {
  return String(value)
    .replace(BREAKS, ' ')
    .replace(/[\\`*_[\]<>|~$!#]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}

/**
 * A Markdown code span holding `value` verbatim: fenced by more backticks than it contains, on one line.
 * A pipe ends a GFM table cell even inside a code span, so it is escaped, unless `inTable` is false
 * (in running text, where the backslash would show). An empty value gives no span.
 */
export function mdCode(value: unknown, inTable = true): string {
  const text = String(value).replace(BREAKS, ' ').replace(/\|/g, inTable ? '\\|' : '|');
  if (text === '') return '';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A code span in running text, not in a table. */
export const mdCodeInText = (value: unknown) => mdCode(value, false);

/**
 * Text inside a quoted Mermaid label: Mermaid's entity codes (`#quot;`, `#60;`) for the characters that
 * end the label or start markup, and one line.
 */
export function mermaidText(value: unknown): string {
  return String(value)
    .replace(BREAKS, ' ')
    .replace(/[#"<>&`]/g, (c) => `#${c.charCodeAt(0)};`);
}

/**
 * A value pasted into code whose serializer the template chose (`<%= %>` in a code template): only plain
 * tokens (names, numbers, paths) pass; anything else must go through a serializer (json, shq, ...).
 */
export function plainToken(value: unknown): string {
  const text = String(value);
  if (!/^[A-Za-z0-9._/@:+=,~-]*$/.test(text)) {
    throw new Error(`${JSON.stringify(text)} is not a plain token: serialize it for its place (json(), shq())`);
  }
  return text;
}
