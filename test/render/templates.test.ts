/**
 * Templates serialize every value for its place, by construction: `<%- %>` (raw output) only through a
 * serializer, `<%= %>` escaped for the output's format (Markdown text, or plain tokens only in code).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/render/template';

const ROOT = join(__dirname, '..', '..', 'templates');

function templates(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? templates(join(dir, e.name)) : [join(dir, e.name)]));
}

const HELPER_CALL = /^(json|shq|code|codeInText|md|mermaid)\(.*\)$/s;

/** Raw outputs that are not one helper call, and why each is safe. */
const RAW_ALLOWED: Record<string, string> = {
  'diagram': 'renderDiagram escapes every label line with mermaidText',
  'steps.join(\'; \')': 'the template\'s own text and code() spans',
  'p.crossAccount ? \' (role \' + code(n.crossAccountRole) + \')\' : \'\'': 'the value goes through code()',
  'n.beforeAllowTrafficHook ? code(n.beforeAllowTrafficHook) + \', \' + code(n.afterAllowTrafficHook) : \'none\'': 'the values go through code()',
  '\'config\' in config.deployment ? \' (\' + code(config.deployment.config) + \')\' : \'\'': 'the value goes through code()',
};

const tags = (text: string) => [...text.matchAll(/<%([-=])\s*([\s\S]*?)\s*-?%>/g)].map((m) => ({ kind: m[1], expr: m[2], index: m.index }));

describe('templates', () => {
  const files = templates();

  it('exist', () => expect(files.length).toBeGreaterThan(40));

  it.each(files.map((f) => [relative(ROOT, f)]))('%s: raw output only through a serializer', (file) => {
    const raw = tags(readFileSync(join(ROOT, file), 'utf8')).filter((t) => t.kind === '-').map((t) => t.expr);
    const unsafe = raw.filter((e) => !HELPER_CALL.test(e) && !(e in RAW_ALLOWED));
    expect(unsafe).toEqual([]);
  });

  it.each(files.filter((f) => f.endsWith('.md.ejs')).map((f) => [relative(ROOT, f)]))('%s: escaped text never inside a code span or block', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const bad: string[] = [];
    let fenced = false;
    for (const line of text.split('\n')) {
      if (/^```/.test(line)) fenced = !fenced;
      for (const t of tags(line).filter((x) => x.kind === '=')) {
        const ticksBefore = (line.slice(0, t.index).replace(/<%[\s\S]*?%>/g, '').match(/`/g) ?? []).length;
        if (fenced || ticksBefore % 2 === 1 || t.expr.includes('`')) bad.push(`${t.expr} in: ${line.slice(0, 80)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('escape <%= %> by format: Markdown text in .md, and only plain tokens in code', () => {
    const config = { name: 'a_b*c|d<e>`f`\u2028g' };
    expect(renderTemplate('README.md', { config: { ...config, runtime: 'node', target: 'ecs', strategy: 'x', source: 'github', branch: 'main' }, pr: {} }).split('\n')[0])
      .toBe('# a\\_b\\*c\\|d\\<e\\>\\`f\\` g');
    expect(() => renderTemplate('app/go/server/main.go', { name: 'x"; os.Exit(1); "', port: 8080, healthPath: '/health' }))
      .toThrow(/template app\/go\/server\/main.go: .* is not a plain token: serialize it for its place/);
  });
});
