/** clean() and safeJson(): what reaches a terminal from the API. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clean, safeJson, truncate } from '../../src/ops/text';

/** Anything a terminal acts on: C0, DEL, C1, the bidi controls, line and paragraph separators. */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('clean', () => {
  it.each([
    ['colour (CSI SGR)', 'a\x1b[1;31mred\x1b[0m b', 'ared b'],
    ['cursor and screen (CSI)', '\x1b[2J\x1b[Hhome\x1b[10;20f\x1b[?25l', 'home'],
    ['title (OSC, BEL)', 'x\x1b]0;owned\x07y', 'xy'],
    ['hyperlink (OSC 8, ST)', '\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\', 'click'],
    ['device control (DCS)', 'a\x1bP+q544e\x1b\\b', 'ab'],
    ['C1 CSI and OSC', 'a\x9b2Jb\x9d0;t\x9cc', 'abc'],
    ['unterminated OSC keeps its text', 'a\x1b]0;rest', 'a0;rest'],
    ['other ESC sequences', 'a\x1bcb\x1b(0c\x1b7d', 'abcd'],
    ['line breaks and tabs become one space', 'one\ntwo\r\nthree\tfour\u2028five\x85six', 'one two three four five six'],
    ['other controls go', 'a\x00b\x08c\x7fd\x07e', 'abcde'],
    ['bidi overrides go', 'abc\u202edcba\u2066x\u2069', 'abcdcbax'],
    ['plain text stays', 'Deploy-production/Approve: 3 failing (see https://x/y?a=1&b=2)', 'Deploy-production/Approve: 3 failing (see https://x/y?a=1&b=2)'],
    ['unicode stays', 'déploiement ✓ 部署', 'déploiement ✓ 部署'],
  ])('%s', (_, input, output) => {
    expect(clean(input)).toBe(output);
  });

  it('takes anything', () => {
    expect(clean(undefined)).toBe('');
    expect(clean(null)).toBe('');
    expect(clean(42)).toBe('42');
  });

  it('never leaves a control character, and is stable', () => {
    const piece = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('\x1b', '\x1b[', '\x1b]', '\x9b', '\x07', '\x1b\\', '\n', '\u202e'));
    fc.assert(
      fc.property(fc.array(piece), (parts) => {
        const out = clean(parts.join(''));
        expect(out).not.toMatch(CONTROL);
        expect(clean(out)).toBe(out);
      }),
    );
  });
});

describe('truncate', () => {
  it('does not split a surrogate pair', () => {
    expect(truncate('ab😀c', 3)).toBe('ab');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('abc');
  });
});

describe('safeJson', () => {
  it('parses back to the same value and prints nothing a terminal acts on', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        const json = safeJson({ value, text }, 2);
        // Newlines are the indentation's; all else is escaped.
        expect(json.replace(/\n/g, '')).not.toMatch(CONTROL);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ value, text })));
      }),
    );
  });
});
