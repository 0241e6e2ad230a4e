/**
 * Text from the API (or a file, or argv) made safe to print on a terminal:
 * nothing that moves the cursor, clears the screen, sets the title or a link,
 * or reorders what is shown.
 */

/**
 * Whole escape sequences, so that no half of one is left to read:
 * CSI (`ESC [` or C1 `CSI`, parameters, intermediates, final byte);
 * OSC, DCS, SOS, PM, APC strings up to their terminator (BEL or ST);
 * the other ESC sequences (intermediates, then a final byte).
 * An unterminated string keeps its text: its introducer goes with the rest below.
 */
const SEQUENCE = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)|\x1b[ -/]*[0-~]/g;

/** What is left: line breaks and tabs (become spaces), other C0, DEL, C1, and the bidi controls. */
const BREAK = /[\t\n\v\f\r\x85\u2028\u2029]/g;
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line of plain text: escape sequences and control characters removed, line breaks made spaces. */
export function clean(value: unknown): string {
  if (value === undefined || value === null) return '';
  return String(value).replace(SEQUENCE, '').replace(BREAK, ' ').replace(CONTROL, '').replace(/ {2,}/g, ' ').trim();
}

/** At most `max` characters of `text`, not splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = /[\ud800-\udbff]/.test(text[max - 1]) ? max - 1 : max;
  return text.slice(0, cut);
}

/**
 * Characters JSON.stringify leaves raw but a terminal acts on (DEL, C1, the bidi
 * controls) or a JavaScript reader trips on (U+2028, U+2029). JSON.stringify
 * already escapes C0; it keeps these, and they can only sit inside strings.
 */
const JSON_RAW = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify, with every control character escaped: the same value when parsed, nothing a terminal acts on when printed. */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
