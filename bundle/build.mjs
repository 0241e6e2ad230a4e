#!/usr/bin/env node
/**
 * The bundles this package ships, built from the compiled lib/ by the compile task, after tsc:
 *
 *   dist/cli.cjs         the CLI (`npm create aws-pipeline`, `npx create-aws-pipeline`): everything the scaffold
 *                        needs inlined (projen, constructs, Yeoman, ejs, yaml, valibot, node-diff3, picocolors), so
 *                        the package has no dependencies. Out: aws-cdk-lib, cdk-nag and the AWS SDK, which only a
 *                        generated repo installs (the day-2 commands find the SDK there: src/ops/sdk.ts).
 *   dist/yeoman.cjs      Yeoman, for the prompts only: loaded by dist/cli.cjs when it has something to ask.
 *   dist/templates.cjs   the templates, compiled by ejs: loaded by dist/cli.cjs when it renders one.
 *   dist/index.cjs       `create-aws-pipeline` for a generated repo's .projenrc.ts (AwsPipelineProject)
 *   dist/constructs.cjs  `create-aws-pipeline/constructs` for its infra/main.ts
 *                        Both use the repo's projen, constructs, aws-cdk-lib and cdk-nag (this package's optional
 *                        peers); ejs, yaml, valibot, node-diff3 and picocolors are inlined.
 *   dist/index.d.ts, dist/constructs.d.ts  their typings, each one file
 *   dist/THIRD-PARTY-NOTICES.md  the licenses of every inlined package
 *
 * The versions of the packages a generated repo installs are baked in (CAP_BUILD_VERSIONS, src/package-info.ts).
 * Usage: node bundle/build.mjs
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const LIB = join(ROOT, 'lib');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// This checkout's devDependencies, as installed (the versions a generated repo gets, and Yeoman's own).
const versionOf = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

/** The peers: installed by a generated repo, never inlined in the library bundles. */
const PEERS = ['projen', 'constructs', 'aws-cdk-lib', 'cdk-nag', '@aws-sdk/client-codepipeline'];
const BUILD_VERSIONS = Object.fromEntries(PEERS.map((name) => [name, versionOf(name)]));
// The feature flags `cdk init` sets for that aws-cdk-lib: a generated repo's cdk.json (src/render/cdk-app.ts).
const CDK_FLAGS = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'aws-cdk-lib', 'recommended-feature-flags.json'), 'utf8'));
const NODE_TARGET = `node${manifest.engines.node.match(/\d+(\.\d+)*/)[0]}`;

/**
 * Our modules' `require('projen')` -> projen-narrow.cjs: only the parts we use, by deep require (projen's index loads
 * every project type). projen's own files keep their relative requires.
 */
const narrowProjen = {
  name: 'narrow-projen',
  setup(b) {
    b.onResolve({ filter: /^projen$/ }, (args) => (args.importer.startsWith(LIB + sep) ? { path: join(ROOT, 'bundle', 'projen-narrow.cjs') } : undefined));
  },
};

// src/dirs.ts, as tsc compiled it (this runs after tsc --build).
const { filesUnder } = createRequire(import.meta.url)(join(LIB, 'src', 'dirs.js'));

/** The JavaScript tsc compiled from src/: its files' paths. */
const compiledSources = () => filesUnder(join(LIB, 'src')).filter((path) => path.endsWith('.js')).map((path) => join(LIB, 'src', path));

/** Fails the build when compiled code takes from `projen` a name projen-narrow.cjs does not give (it would be undefined). */
function checkNarrowProjen() {
  const given = new Set(Object.keys(createRequire(import.meta.url)('./projen-narrow.cjs')));
  const missing = [];
  for (const file of compiledSources()) {
    const code = readFileSync(file, 'utf8');
    for (const [, name] of code.matchAll(/const (\w+) = require\("projen"\)/g)) {
      for (const [, used] of code.matchAll(new RegExp(`\\b${name}\\.(\\w+)`, 'g'))) if (!given.has(used)) missing.push(`${used} (${relative(ROOT, file)})`);
    }
  }
  if (missing.length) throw new Error(`bundle/projen-narrow.cjs lacks what lib/ takes from projen: ${missing.join(', ')}`);
}

/**
 * In dist/cli.cjs, our modules' `require('yaml')`, `require('valibot')` and `require('ejs')` -> the narrow modules
 * beside this file: only the parts the CLI uses (yaml's writing, not its parser and composer; valibot's functions that
 * schema.ts calls, from its ES modules, so the rest is left out; no ejs, as the templates are compiled at build time).
 */
const NARROWED = { yaml: 'yaml-narrow.cjs', valibot: 'valibot-narrow.mjs', ejs: 'ejs-compiled.cjs' };
const narrowLibraries = {
  name: 'narrow-libraries',
  setup(b) {
    b.onResolve({ filter: /^(yaml|valibot|ejs)$/ }, (args) => (args.importer.startsWith(LIB + sep) ? { path: join(ROOT, 'bundle', NARROWED[args.path]) } : undefined));
  },
};

/** Fails the build when compiled code (out of the constructs, which the CLI does not hold) takes a name the narrow module does not give. */
async function checkNarrowLibraries() {
  const missing = [];
  for (const [pkg, file] of Object.entries(NARROWED)) {
    const given = new Set(Object.keys(await import(join(ROOT, 'bundle', file))));
    for (const path of compiledSources().filter((file) => !file.includes(`${sep}constructs${sep}`))) {
      const code = readFileSync(path, 'utf8');
      for (const [, name] of code.matchAll(new RegExp(`const (\\w+) = (?:__importStar\\()?require\\("${pkg}"\\)`, 'g'))) {
        for (const [, used] of code.matchAll(new RegExp(`\\b${name}\\.(\\w+)`, 'g'))) if (!given.has(used)) missing.push(`${pkg}.${used} (${relative(ROOT, path)})`);
      }
    }
  }
  if (missing.length) throw new Error(`the narrow modules in bundle/ lack what lib/ takes: ${missing.join(', ')}`);
}

/** A file of a package, edited as it is bundled; fails the build when the text to replace is not there. */
function patch(name, filter, pairs) {
  return {
    name,
    setup(b) {
      b.onLoad({ filter }, (args) => {
        let src = readFileSync(args.path, 'utf8');
        for (const [from, to] of pairs) {
          if (!src.includes(from)) throw new Error(`${name}: ${JSON.stringify(from)} is not in ${args.path}`);
          src = src.replace(from, () => to);
        }
        return { contents: src, loader: 'js' };
      });
    },
  };
}

/**
 * projen's util/dax.js loads dax (~0.8 MB) when projen loads; the scaffold's synth runs no command (PROJEN_DISABLE_POST).
 * Loaded on first use instead.
 */
const lazyDax = patch('lazy-dax', /projen[\\/]lib[\\/]util[\\/]dax\.js$/, [
  ['const dax_1 = require("dax");', 'let daxModule; const dax_1 = { get $() { return (daxModule ??= require("dax")).$; } };'],
]);

/** Yeoman reads its own package.json files at run time, beside files the bundle does not have: their values, inlined. */
const yeomanManifests = [
  patch('yeoman-environment-version', /yeoman-environment[\\/]dist[\\/]environment-base\.js$/, [
    ["require('../package.json').version", JSON.stringify(versionOf('yeoman-environment'))],
  ]),
  patch('yeoman-environment-name', /yeoman-environment[\\/]dist[\\/]module-lookup\.js$/, [
    ["JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json')).toString()).name", JSON.stringify('yeoman-environment')],
  ]),
  patch('yeoman-generator-manifest', /yeoman-generator[\\/]dist[\\/]generator\.js$/, [
    ["JSON.parse(readFileSync(pathJoin(_dirname, '../package.json'), 'utf8'))", JSON.stringify({ name: 'yeoman-generator', version: versionOf('yeoman-generator') })],
  ]),
];

/** In dist/cli.cjs, Yeoman is dist/yeoman.cjs, required when the generator first loads (an interactive run). */
const yeomanApart = {
  name: 'yeoman-apart',
  setup(b) {
    b.onResolve({ filter: /^yeoman-(environment|generator)$/ }, (args) => ({ path: args.path, namespace: 'yeoman-apart' }));
    b.onLoad({ filter: /.*/, namespace: 'yeoman-apart' }, (args) => ({
      loader: 'js',
      contents: args.path === 'yeoman-generator' ? 'module.exports = require("./yeoman.cjs").Generator;' : 'module.exports = require("./yeoman.cjs").environment;',
    }));
    b.onResolve({ filter: /^\.\/yeoman\.cjs$/, namespace: 'yeoman-apart' }, () => ({ path: './yeoman.cjs', external: true }));
  },
};

/**
 * In dist/cli.cjs, projen's base files are baked in (CAP_PROJEN_BASE): src/project-base.ts, which synthesizes them with
 * projen, is left out, and with it projen.
 */
const bakedProjenBase = {
  name: 'baked-projen-base',
  setup(b) {
    b.onResolve({ filter: /[\\/]project-base(\.js)?$/ }, (args) => (args.importer.startsWith(LIB + sep) ? { path: 'project-base', namespace: 'baked-projen-base' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'baked-projen-base' }, () => ({
      loader: 'js',
      contents: 'exports.synthProjenBase = () => { throw new Error("create-aws-pipeline: this build of the CLI has no projen base files baked in"); };',
    }));
  },
};

/** Every template under templates/: its path (from templates/, without `.ejs`) and text, sorted by path. */
function templates() {
  const root = join(ROOT, 'templates');
  return filesUnder(root)
    .filter((path) => path.endsWith('.ejs'))
    .map((path) => ({ path: path.replace(/\.ejs$/, ''), file: join(root, path), text: readFileSync(join(root, path), 'utf8') }));
}

/**
 * The templates inside the bundles (src/render/bundled-templates.ts): the package ships no templates/ folder, so
 * `npm create` unpacks 72 files fewer (npm's cost is by the file more than by the byte).
 * - dist/index.cjs (a generated repo's synth): their text, which ejs compiles there.
 * - dist/cli.cjs: the functions ejs makes of them, compiled now, in dist/templates.cjs (see compiledTemplates), loaded
 *   when a template is first rendered.
 */
const bundledTemplates = (compiled) => ({
  name: 'bundled-templates',
  setup(b) {
    b.onResolve({ filter: /^\.\/templates\.cjs$/ }, () => ({ path: './templates.cjs', external: true }));
    b.onLoad({ filter: /[\\/]lib[\\/]src[\\/]render[\\/]bundled-templates\.js$/ }, () => ({
      loader: 'js',
      resolveDir: DIST,
      contents: compiled
        ? [
          '"use strict";',
          'exports.BUNDLED_TEMPLATES = undefined;',
          'let compiled;',
          'Object.defineProperty(exports, "COMPILED_TEMPLATES", { enumerable: true, get() {',
          '  if (compiled === undefined) {',
          '    // Compiled whole where Node\'s compile cache is on, as bin/create-aws-pipeline.js compiles this bundle: the',
          '    // cache then holds every template\'s function, and no later run compiles one.',
          '    const v8 = require("node:module").getCompileCacheDir?.() ? require("node:v8") : undefined;',
          '    v8?.setFlagsFromString("--no-lazy");',
          '    try { compiled = require("./templates.cjs"); } finally { v8?.setFlagsFromString("--lazy"); }',
          '  }',
          '  return compiled;',
          '} });',
          '',
        ].join('\n')
        : `exports.BUNDLED_TEMPLATES = ${JSON.stringify(Object.fromEntries(templates().map((t) => [t.path, t.text])))};\nexports.COMPILED_TEMPLATES = undefined;\n`,
    }));
  },
});

/**
 * dist/templates.cjs: each template as the function ejs makes of it (Template#compile's source, run with the locals and
 * the escape function), written out. Not strict, and not bundled by esbuild (whose output is strict): ejs's functions
 * read the locals through `with`. compileDebug off: no template text is carried for error messages.
 */
function compiledTemplates() {
  const ejs = createRequire(import.meta.url)('ejs');
  const entries = templates().map(({ path, file, text }) => {
    const template = new ejs.Template(text, { filename: file, compileDebug: false });
    template.compile();
    return `  ${JSON.stringify(path)}: function (locals, escapeFn, include, rethrow) {\n${template.source}},`;
  });
  const code = ['// The templates of create-aws-pipeline, compiled by ejs (bundle/build.mjs). Not strict: they read their locals through `with`.', 'module.exports = {', ...entries, '};', ''].join('\n');
  return { path: join(DIST, 'templates.cjs'), contents: Buffer.from(code) };
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: NODE_TARGET,
  outdir: DIST,
  outExtension: { '.js': '.cjs' },
  legalComments: 'none',
  metafile: true,
  write: false,
  logLevel: 'warning',
  logOverride: {
    // src/ops/sdk.ts resolves the SDK from the repo by path: a require that is not bundled, on purpose.
    'unsupported-require-call': 'silent',
    // projen's task runner and Yeoman's npm runner resolve files of theirs; neither runs from the bundles.
    'require-resolve-not-external': 'silent',
  },
  define: { CAP_BUILD_VERSIONS: JSON.stringify(BUILD_VERSIONS), CAP_CDK_FLAGS: JSON.stringify(CDK_FLAGS) },
};
// The CLI's bundles are minified (half the bytes for `npm create` to fetch, unpack and read); names are kept, as projen
// and Yeoman read some. The library bundles stay readable: their stack traces reach users of generated repos.
const minified = { minify: true, keepNames: true };
// Bundled ES modules (Yeoman's) read import.meta.url: the bundle's own URL.
const importMetaUrl = {
  define: { ...common.define, 'import.meta.url': 'import_meta_url' },
  banner: { js: "const import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};

const started = Date.now();
checkNarrowProjen();
await checkNarrowLibraries();
// projen's files of the base project a new repo is built on, as projen synthesizes them (src/project-base.ts): the CLI
// writes a new repo from them without loading projen (src/render/repo-files.ts).
const PROJEN_BASE = createRequire(import.meta.url)(join(LIB, 'src', 'project-base.js')).synthProjenBase();
const results = await Promise.all([
  build({
    ...common,
    ...minified,
    ...importMetaUrl,
    entryPoints: { cli: join(LIB, 'src', 'cli', 'main.js') },
    define: { ...importMetaUrl.define, CAP_PROJEN_BASE: JSON.stringify(PROJEN_BASE) },
    external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'cdk-nag', '@aws-sdk/*'],
    plugins: [bakedProjenBase, bundledTemplates(true), narrowProjen, narrowLibraries, lazyDax, yeomanApart],
  }),
  build({
    ...common,
    ...minified,
    ...importMetaUrl,
    entryPoints: { yeoman: join(ROOT, 'bundle', 'yeoman.mjs') },
    plugins: yeomanManifests,
  }),
  build({
    ...common,
    entryPoints: { index: join(LIB, 'src', 'index.js'), constructs: join(LIB, 'src', 'constructs', 'index.js') },
    external: [...PEERS, 'projen/*', 'constructs/*', 'aws-cdk-lib/*', '@aws-sdk/*'],
    plugins: [bundledTemplates(false), narrowProjen],
  }),
]);

// `npm create` loads no projen: the scaffold writes a new repo from the baked base files.
const projenInCli = Object.keys(results[0].metafile.inputs).filter((input) => /node_modules\/projen\//.test(input));
if (projenInCli.length) throw new Error(`dist/cli.cjs must not hold projen, but it has ${projenInCli.slice(0, 3).join(', ')}`);

/**
 * The typings of the library bundles, each one file (rollup-plugin-dts, from the .d.ts files tsc writes to lib/): the package ships
 * dist/index.d.ts and dist/constructs.d.ts, not lib/'s 96 files. The peers' types stay imports.
 */
async function typings(name, input) {
  const bundle = await rollup({ input, plugins: [dts()], external: (id) => PEERS.some((peer) => id === peer || id.startsWith(`${peer}/`)) });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  return { path: join(DIST, `${name}.d.ts`), contents: Buffer.from(output[0].code) };
}
const types = await Promise.all([typings('index', join(LIB, 'src', 'index.d.ts')), typings('constructs', join(LIB, 'src', 'constructs', 'index.d.ts'))]);

// Each file replaced whole (written beside, then renamed): a CLI run or test during a compile never sees a missing or half file.
const outputs = [...results.flatMap((r) => r.outputFiles), compiledTemplates(), ...types, { path: join(DIST, 'THIRD-PARTY-NOTICES.md'), contents: Buffer.from(notices(results.map((r) => r.metafile))) }];
mkdirSync(DIST, { recursive: true });
const same = (path, contents) => {
  try {
    return readFileSync(path).equals(contents);
  } catch {
    return false;
  }
};
for (const { path, contents } of outputs) {
  if (same(path, contents)) continue;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}
const written = new Set(outputs.map((o) => basename(o.path)));
for (const f of readdirSync(DIST)) if (!written.has(f) && f !== 'js' && !f.endsWith('.tmp')) rmSync(join(DIST, f), { recursive: true, force: true });
console.log(`bundled in ${Date.now() - started} ms: ${outputs.map((o) => `${basename(o.path)} ${(o.contents.length / 1e6).toFixed(1)} MB`).join(', ')}`);

/** Name, version, license and license text of every package a bundle inlines (from the esbuild metafiles). */
function notices(metafiles) {
  const dirs = new Set();
  for (const meta of metafiles) {
    for (const input of Object.keys(meta.inputs)) {
      const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
      if (m) dirs.add(join(ROOT, m[1]));
    }
  }
  const parts = ['# Third-party notices', '', 'The bundles in dist/ include these packages, under their own licenses:', ''];
  for (const dir of [...dirs].sort((a, b) => relative(ROOT, a).localeCompare(relative(ROOT, b)))) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `(no license file in the package; its package.json says ${pkg.license ?? 'nothing'})`;
    parts.push(`## ${pkg.name} ${pkg.version} (${pkg.license ?? 'see the text'})`, '', text, '');
  }
  return parts.join('\n');
}
