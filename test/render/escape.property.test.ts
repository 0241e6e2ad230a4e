/**
 * Property tests: whatever a user gives (every Unicode line terminator, quotes, `${{ }}`, backticks,
 * `$()`, Markdown, HTML, bidi controls), each value stays in its field. The serializers are checked
 * against real parsers (TypeScript, markdown-it, bash), and the generated `.projenrc.ts`, `infra/main.ts`
 * and `docs/pipeline.md` against the same parsers with hostile values in every free-text field.
 */
import { spawnSync } from 'node:child_process';
import * as vm from 'node:vm';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/model/config';
import type { PipelineConfig } from '../../src/model/config';
import { checkPreset } from '../../src/model/preset';
import { renderCdkApp } from '../../src/render/cdk-app';
import { renderPipelineDocs } from '../../src/render/docs';
import { commentText, mdCode, mdCodeInText, mdText, mermaidText, tsLiteral } from '../../src/render/escape';
import { projenrcOptions, renderProjenrc, stackOptions } from '../../src/render/projenrc';
import { shq } from '../../src/render/shell';

const RUNS = { numRuns: 300 };

/** Pieces that break one format or another. */
const FRAGMENTS = [
  '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\u0000', '\u001b[31m', '\u202e', '\u200b', '\ufeff',
  '"', '\'', '`', '```', '\\', '${{ secrets.AWS }}', '${x}', '$(id)', '`id`', '*/', '/*', '//', '#', '<!--', '-->',
  '<script>alert(1)</script>', '</p>', '<br/>', '&amp;', '&#35;', '|', '[a](javascript:x)', '![i](x)', '**b**', '_e_', '~~s~~',
  '# h', '- item', '> q', '$x$', '%>', '<%', ':', '{', '}', '\t', ' ',
];
const nasty = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(''));

/** What a one-line serializer keeps of a value: control characters and line terminators become spaces. */
const oneLine = (s: string) => s.replace(/\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');

const md = new MarkdownIt();

function parseTs(source: string): ts.SourceFile & { parseDiagnostics: ts.Diagnostic[] } {
  return ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS) as never;
}

describe('serializers', () => {
  it('tsLiteral: TypeScript parses one literal that evaluates to the value', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }).chain((j) => fc.oneof(fc.constant(j), nasty)), (value) => {
      const file = parseTs(`const x = ${tsLiteral(value)};\n`);
      expect(file.parseDiagnostics).toEqual([]);
      expect(file.statements).toHaveLength(1);
      expect(vm.runInNewContext(`(${tsLiteral(value)})`)).toEqual(JSON.parse(JSON.stringify(value)));
    }), RUNS);
  });

  it('tsLiteral: a key "__proto__" stays a key (in an object literal, a plain one would set the prototype)', () => {
    const value = JSON.parse('{"tags":{"__proto__":"x","team":"a"},"list":[{"__proto__":{"a":1}}],"s":"{\\"__proto__\\":1}"}') as unknown;
    expect(vm.runInNewContext(`(${tsLiteral(value)})`)).toEqual(value);
    expect(Object.keys(vm.runInNewContext(`(${tsLiteral(value)}).tags`) as object)).toEqual(['__proto__', 'team']);
    expect(vm.runInNewContext(`(${tsLiteral(value)}).s`)).toBe('{"__proto__":1}');
  });

  it('commentText: the comment ends where the line does, and the code after it is untouched', () => {
    fc.assert(fc.property(nasty, (text) => {
      const file = parseTs(`// ${commentText(text)}\nconst x = 1;\n/* ${commentText(text)} */\nconst y = 2;\n`);
      expect(file.parseDiagnostics).toEqual([]);
      expect(file.statements.map((s) => s.getText())).toEqual(['const x = 1;', 'const y = 2;']);
    }), RUNS);
  });

  it('mdText: markdown-it reads plain text equal to the value, in a sentence and in a table cell', () => {
    fc.assert(fc.property(nasty, (text) => {
      const inline = md.parseInline(`before ${mdText(text)} after`, {})[0].children!;
      expect(inline.map((t) => t.type).filter((t) => t !== 'text')).toEqual([]);
      expect(inline.map((t) => t.content).join('')).toBe(`before ${oneLine(text)} after`);
      const table = md.parse(`| a | b |\n| --- | --- |\n| x${mdText(text)}x | y |\n`, {});
      const cells = table.filter((t) => t.type === 'inline').map((t) => t.children!.map((c) => c.content).join(''));
      expect(cells).toEqual(['a', 'b', `x${oneLine(text)}x`, 'y']);
    }), RUNS);
  });

  it('mdCode: one code span holding the value, in a table cell and in running text', () => {
    fc.assert(fc.property(nasty.filter((s) => s !== ''), (text) => {
      const tokens = md.parse(`| a | b |\n| --- | --- |\n| ${mdCode(text)} | y |\n`, {});
      const cells = tokens.filter((t) => t.type === 'inline').map((t) => t.children!);
      expect(cells).toHaveLength(4);
      expect(cells[2].map((c) => c.type)).toEqual(['code_inline']);
      // Line terminators become spaces (a code span is one line); everything else is kept, spaces at the ends too.
      const expected = oneLine(text);
      expect(cells[2][0].content).toBe(expected);
      const inline = md.parseInline(`a ${mdCodeInText(text)} b`, {})[0].children!;
      expect(inline.map((c) => c.type)).toEqual(['text', 'code_inline', 'text']);
      expect(inline[1].content).toBe(expected);
    }), RUNS);
  });

  it('mermaidText: nothing that ends a quoted label, starts markup, or breaks the line; entities give the text back', () => {
    fc.assert(fc.property(nasty, (text) => {
      const out = mermaidText(text);
      expect(out).not.toMatch(/["<>`\n\r\u2028\u2029]/);
      expect(out.replace(/#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))).toBe(oneLine(text));
    }), RUNS);
  });

  it('shq: bash reads back the exact value', () => {
    const values = fc.sample(nasty.map((s) => s.replace(/\0/g, '')), 300);
    const script = values.map((v) => `printf '%s\\0' ${shq(v)}`).join('\n');
    const out = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout.split('\0').slice(0, -1)).toEqual(values);
  });
});

/** Runs a generated .projenrc.ts or infra/main.ts with stand-ins for its imports, and returns what it constructed. */
function runGenerated(source: string): { constructed: Array<{ name: string; args: unknown[] }>; statements: number } {
  const file = parseTs(source);
  expect(file.parseDiagnostics).toEqual([]);
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const constructed: Array<{ name: string; args: unknown[] }> = [];
  const stand = (name: string) => class {
    isStandIn = true;
    constructor(...args: unknown[]) {
      constructed.push({ name, args: JSON.parse(JSON.stringify(args.filter((a) => typeof a !== 'object' || a === null || !('isStandIn' in a)))) });
    }
    synth() { constructed.push({ name: `${name}.synth`, args: [] }); }
  };
  const modules: Record<string, unknown> = {
    'create-aws-pipeline': { AwsPipelineProject: stand('AwsPipelineProject') },
    'create-aws-pipeline/constructs': { AwsPipelineStack: stand('AwsPipelineStack'), addPipelineChecks: () => constructed.push({ name: 'addPipelineChecks', args: [] }) },
    'aws-cdk-lib': { App: stand('App') },
  };
  const exports = {};
  vm.runInNewContext(js, { require: (m: string) => modules[m], exports, module: { exports } });
  return { constructed, statements: file.statements.length };
}

/** A config with a preset and free-text owner and tags (what AWS accepts in tags: letters, digits, spaces incl. U+2028, _ . : / = + - @). */
const TAG_CHARS = ['a', 'Z', '0', '_', '.', ':', '/', '=', '+', '-', '@', ' ', '\u2028', '\u2029', '\u00a0', '\u3000', 'é', '中'];
const tagText = fc.array(fc.constantFrom(...TAG_CHARS), { minLength: 1, maxLength: 30 }).map((a) => a.join(''));
const printable = nasty.map((s) => s.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g, '')).filter((s) => s.length > 0);

function configWith(owner: string, tagKey: string, tagValue: string, presetName: string): PipelineConfig {
  const c = resolveConfig({ name: 'svc', owner, tags: { [tagKey]: tagValue }, target: 'ecs', ci: 'both' } as never);
  return { ...c, preset: { ref: './preset.json', name: presetName, values: {}, locked: [] } };
}

describe('generated files with hostile values', () => {
  it('.projenrc.ts and infra/main.ts: TypeScript parses them, and running them constructs exactly the answers', () => {
    fc.assert(fc.property(tagText, tagText.filter((k) => !k.toLowerCase().startsWith('aws:') && !['Project', 'Owner', 'Environment', 'ManagedBy'].includes(k)), tagText, printable, (owner, key, value, presetName) => {
      const c = configWith(owner, key, value, presetName);
      const rc = runGenerated(renderProjenrc(c));
      expect(rc.statements).toBe(3);
      expect(rc.constructed).toEqual([
        { name: 'AwsPipelineProject', args: [JSON.parse(JSON.stringify(projenrcOptions(c)))] },
        { name: 'AwsPipelineProject.synth', args: [] },
      ]);
      const app = runGenerated(renderCdkApp(c));
      expect(app.constructed.map((x) => x.name)).toEqual(['App', 'AwsPipelineStack', 'addPipelineChecks', 'App.synth']);
      expect(app.constructed[1].args).toEqual([c.names.stack, JSON.parse(JSON.stringify(stackOptions(c)))]);
    }), { numRuns: 150 });
  });

  it.each(['\u2028', '\u2029', '\n', '\r'])('a preset name with %j then code stays in the comment of .projenrc.ts', (terminator) => {
    const c = configWith('team', 'CostCenter', '42', `acme${terminator}globalThis.ran = true; //`);
    const source = renderProjenrc(c);
    const rc = runGenerated(source);
    expect(rc.statements).toBe(3);
    expect(rc.constructed.map((x) => x.name)).toEqual(['AwsPipelineProject', 'AwsPipelineProject.synth']);
    expect(source).toContain('// Answers not written here come from the preset acme globalThis.ran = true; //: a new version');
  });

  it('docs/pipeline.md: the same Markdown structure as with a plain preset name, the name in one code span', () => {
    const plain = configWith('team', 'CostCenter', '42', 'plain');
    const shape = (text: string) => md.parse(text, {}).flatMap((t) => [t.type, ...(t.children ?? []).map((c) => c.type)]);
    const docs = (c: PipelineConfig) => renderPipelineDocs(c);
    const expected = shape(docs(plain));
    fc.assert(fc.property(printable, (presetName) => {
      const text = docs(configWith('team', 'CostCenter', '42', presetName));
      expect(shape(text)).toEqual(expected);
      const spans = md.parse(text, {}).flatMap((t) => t.children ?? []).filter((c) => c.type === 'code_inline').map((c) => c.content);
      expect(spans).toContain(presetName);
    }), { numRuns: 100 });
  });

  it('a preset name that is not printable one-line text is refused, naming the field', () => {
    fc.assert(fc.property(nasty.filter((s) => /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e\u200b\ufeff]/.test(s)), (name) => {
      expect(() => checkPreset({ name } as never, './p.json')).toThrow(/^preset \.\/p\.json is malformed: name must be printable text on one line$/);
    }), { numRuns: 100 });
  });
});

/** What the restricted options may hold once accepted: no character that means anything in shell, YAML, Markdown, GitHub expressions or code. */
const PLAIN = /^[A-Za-z0-9._/@:+=,~-]*$/;
const RESTRICTED: Array<[string, (v: string) => Record<string, unknown>]> = [
  ['repository', (v) => ({ repository: v })],
  ['repositoryOwner', (v) => ({ repositoryOwner: v })],
  ['branch', (v) => ({ branch: v })],
  ['region', (v) => ({ region: v })],
  ['account', (v) => ({ account: v })],
  ['healthCheckPath', (v) => ({ healthCheckPath: v })],
  ['pipelineName', (v) => ({ pipelineName: v })],
  ['environments', (v) => ({ environments: [v] })],
  ['parameters', (v) => ({ parameters: [`DB_HOST=${v}`] })],
  ['secrets', (v) => ({ secrets: [`DB_PASSWORD=${v}`] })],
  ['secretsKeys', (v) => ({ secretsKeys: [v], secrets: ['A=b'] })],
  ['githubOidcProviderArn', (v) => ({ githubOidcProviderArn: v })],
  ['existing', (v) => ({ target: 's3-site', strategy: 'all-at-once', existing: { production: { bucketName: v } } })],
];

describe('restricted options', () => {
  it.each(RESTRICTED)('%s: a hostile value is refused with a ConfigError, an accepted one is plain', (_key, options) => {
    fc.assert(fc.property(fc.oneof(nasty, fc.constantFrom('main', 'my-org/svc', '/health', 'eu-west-1', '123456789012')), (value) => {
      let config: PipelineConfig | undefined;
      try {
        config = resolveConfig({ name: 'svc', ...options(value) } as never);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as Error).message).not.toMatch(/\n/);
        return;
      }
      expect(value).toMatch(PLAIN);
      expect(config).toBeDefined();
    }), RUNS);
  });

  it('a value of the wrong type anywhere is a ConfigError naming the option, never a crash', () => {
    const wrong = fc.oneof(fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.integer(), fc.boolean(), fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }), nasty);
    const keys = fc.constantFrom('runtime', 'source', 'target', 'strategy', 'interval', 'ci', 'repository', 'branch', 'region', 'account', 'environments', 'approval', 'healthCheckPath', 'port', 'parameters', 'secrets', 'existing', 'tags', 'owner', 'errorThreshold', 'colour');
    fc.assert(fc.property(keys, wrong, (key, value) => {
      try {
        resolveConfig({ name: 'svc', [key]: value } as never);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as Error).message).not.toMatch(/\n/);
      }
    }), RUNS);
  });
});
