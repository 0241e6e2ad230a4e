/**
 * What `npm create aws-pipeline` installs: this checkout packed with `npm
 * pack`, installed with npm into a folder outside the checkout (so nothing
 * resolves from this repo's node_modules), offline with an empty cache: one
 * package, no dependency, at most 15 MB. Its bundled CLI writes the same
 * repos, byte for byte and mode for mode, as the unbundled build (lib/, with
 * this checkout's node_modules), loading nothing from outside the package,
 * and prompts in a terminal.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers';
import { opsEnv, opsRepo, startFakeCodePipeline } from '../ops/fake-codepipeline';
import type { Packed } from '../support/package-build';
import { npmPack, PACKAGE_NAME } from '../support/package-build';

const MAX_BYTES = 15_000_000;
const PEERS = ['projen', 'constructs', 'aws-cdk-lib', 'cdk-nag', '@aws-sdk/client-codepipeline'];
/** What the package holds at its top level; anything else (a stray local folder) fails the test. */
// No templates/ (the bundles hold them: the repos below are written from those copies) and no lib/ (the typings are
// bundled too, dist/*.d.ts): npm create unpacks a few files, not some 190.
const SHIPPED = ['LICENSE', 'README.md', 'assets', 'bin', 'constructs.d.ts', 'constructs.js', 'dist', 'docs', 'package.json', 'schema'];
/** Flag sets written by both builds and compared. */
const FLAG_SETS = [
  ['--yes'],
  ['--runtime', 'python', '--target', 'lambda', '--strategy', 'canary', '--yes'],
  ['--runtime', 'go', '--target', 'ec2', '--strategy', 'one-at-a-time', '--ci', 'both', '--source', 'github', '--yes'],
];

/** The environment of an npm command here: none of `npm test`'s npm_* variables, an empty cache of its own. */
function npmEnv(cache: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  return { ...env, npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', CI: 'true', NO_COLOR: '1' };
}

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}

/** Every file under `dir`: its mode and a hash of its bytes. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      // The repo's first commit (src/first-commit.ts) differs by its time: the files are compared, not git's objects.
      if (d === dir && entry === '.git') continue;
      const p = join(d, entry);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      // eslint-disable-next-line no-bitwise -- the permission bits of a file mode
      else out[relative(dir, p).split(sep).join('/')] = `${(st.mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}

let packed: Packed;
let app: string;
let installed: string;
let env: NodeJS.ProcessEnv;
let installOutput: string;

beforeAll(() => {
  packed = npmPack(ROOT, tempDir('cap-pack-'));
  app = tempDir('cap-create-');
  expect(relative(ROOT, app).startsWith('..'), `${app} must be outside the checkout`).toBe(true);
  env = npmEnv(join(tempDir('cap-cache-'), 'npm'));
  writeFileSync(join(app, 'package.json'), '{ "private": true }\n');
  // Offline, from an empty cache: with no dependency there is nothing to fetch.
  const r = run('npm', ['install', packed.file, '--offline', '--no-audit', '--no-fund'], app, env);
  installOutput = `${r.stdout}\n${r.stderr}`;
  expect(r.status, installOutput).toBe(0);
  installed = join(app, 'node_modules', PACKAGE_NAME);
}, 180_000);

describe('the package npm create installs', () => {
  it('is one package: no dependencies, its peers all optional (npm installs none of them)', () => {
    expect(installOutput).toMatch(/added 1 package\b/);
    expect(readdirSync(join(app, 'node_modules')).filter((e) => !e.startsWith('.'))).toEqual([PACKAGE_NAME]);
    const lock = JSON.parse(readFileSync(join(app, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages)).toEqual([`node_modules/${PACKAGE_NAME}`]);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.peerDependencies ?? {}).sort()).toEqual([...PEERS].sort());
    for (const peer of PEERS) expect(manifest.peerDependenciesMeta?.[peer], peer).toEqual({ optional: true });
  });

  it(`is at most ${MAX_BYTES / 1e6} MB, and holds the bundles (the templates inside), the typings and the notices`, () => {
    const bytes = sizeOf(installed);
    console.log(`[pack] ${packed.files.length} files, ${(bytes / 1e6).toFixed(1)} MB installed`);
    expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect([...new Set(packed.files.map((f) => f.split('/')[0]))].sort()).toEqual(SHIPPED);
    expect(packed.files).toEqual(expect.arrayContaining(['dist/cli.cjs', 'dist/yeoman.cjs', 'dist/index.cjs', 'dist/constructs.cjs', 'dist/index.d.ts', 'dist/constructs.d.ts', 'dist/THIRD-PARTY-NOTICES.md']));
    expect(packed.files.length).toBeLessThan(30);
    const notices = readFileSync(join(installed, 'dist', 'THIRD-PARTY-NOTICES.md'), 'utf8');
    for (const name of ['ejs', 'yaml', 'valibot', 'node-diff3', 'picocolors', 'yeoman-environment']) expect(notices, name).toMatch(new RegExp(`^## ${name} \\d`, 'm'));
    // The peers are never inlined: a generated repo installs them. The CLI writes a new repo without projen (projen's
    // own files of the base project are in dist/cli.cjs as data), so projen and constructs are in no bundle either.
    for (const name of PEERS) expect(notices, name).not.toMatch(new RegExp(`^## ${name} \\d`, 'm'));
  });

  it.each(FLAG_SETS.map((flags) => [flags.join(' '), flags] as const))('writes the same repo as the unbundled build: %s', (_name, flags) => {
    const args = ['svc', ...flags, '--skip-install'];
    const bundledDir = runDir();
    const bundled = run('npx', ['--no-install', PACKAGE_NAME, ...args], bundledDir, env);
    expect(bundled.status, bundled.stderr).toBe(0);
    const unbundledDir = tempDir('cap-unbundled-');
    const script = `require(${JSON.stringify(join(ROOT, 'lib', 'src', 'cli', 'main.js'))}).run(process.argv.slice(1)).then((code) => { process.exitCode = code; })`;
    const unbundled = run(process.execPath, ['-e', script, ...args], unbundledDir, { ...process.env, CI: 'true', NO_COLOR: '1' });
    expect(unbundled.status, unbundled.stderr).toBe(0);
    expect(fingerprint(join(bundledDir, 'svc'))).toEqual(fingerprint(join(unbundledDir, 'svc')));
  });

  it('loads only its own files while it scaffolds', () => {
    // The list goes to a file: stderr carries the CLI's own lines (the placeholder repository's warning).
    const dir = runDir();
    const list = join(dir, 'loaded.json');
    const script = `require(${JSON.stringify(join(installed, 'dist', 'cli.cjs'))}).run(['svc', '--yes', '--skip-install']).then((code) => { process.exitCode = code; require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))); })`;
    const r = run(process.execPath, ['-e', script], dir, env);
    expect(r.status, r.stderr).toBe(0);
    const loaded = JSON.parse(readFileSync(list, 'utf8')) as string[];
    expect(loaded.filter((p) => !p.startsWith(installed + sep))).toEqual([]);
    expect(loaded.map((p) => relative(installed, p)).sort()).toEqual(['dist/cli.cjs', 'dist/templates.cjs']);
  });

  it('asks in a terminal (Yeoman, from dist/yeoman.cjs) and writes the answer', async () => {
    const dir = runDir();
    // A wide pseudo-terminal (util-linux script); down once from the default strategy (canary) reaches linear.
    const bin = join(app, 'node_modules', '.bin', PACKAGE_NAME);
    const command = `stty cols 250 rows 50; '${bin}' svc --runtime node --source github --target lambda --ci codepipeline --skip-install`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: dir, env: { ...env, CI: '', TERM: 'xterm' } });
    // Then the interval linear asks (its first, 1 minute) and the repository (empty: the placeholder).
    const keys: Array<[RegExp, string]> = [[/Deployment strategy/, '\u001b[B'], [/❯ Linear|> Linear/, '\r'], [/Minutes between traffic shifts/, '\r'], [/\? Repository/, '\r']];
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
      while (keys.length && keys[0][0].test(output)) child.stdin.write(keys.shift()![1]);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    clearTimeout(timer);
    expect(code, output).toBe(0);
    expect(readFileSync(join(dir, 'svc', '.projenrc.ts'), 'utf8')).toContain('strategy: "linear"');
  });

  it('finds the AWS SDK in the repo a day-2 command runs in, when the package runs from elsewhere (npx)', async () => {
    const fake = await startFakeCodePipeline((op) =>
      op === 'GetPipelineState' ? { status: 200, body: { pipelineName: 'svc', stageStates: [] } } : { status: 200, body: { pipelineExecutionSummaries: [] } });
    try {
      const repo = opsRepo();
      mkdirSync(join(repo, 'node_modules', '@aws-sdk'), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', '@aws-sdk', 'client-codepipeline'), join(repo, 'node_modules', '@aws-sdk', 'client-codepipeline'));
      const child = spawn(process.execPath, [join(installed, 'bin', 'create-aws-pipeline.js'), 'status'], { cwd: repo, env: { ...env, ...opsEnv(fake.endpoint) } });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const code = await new Promise<number | null>((done) => child.on('exit', done));
      expect(code, output).toBe(0);
      expect(fake.calls.map((c) => c.op)).toEqual(['GetPipelineState', 'ListPipelineExecutions']);
    } finally {
      await fake.close();
    }
  });

  it('runs a day-2 command only in a generated repo after npm install: else one line, exit 1', () => {
    const dir = runDir();
    expect(run('npx', ['--no-install', PACKAGE_NAME, 'svc', '--yes', '--skip-install'], dir, env).status).toBe(0);
    const r = run('npx', ['--no-install', PACKAGE_NAME, 'status'], join(dir, 'svc'), env);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error status needs @aws-sdk\/client-codepipeline.*: run this inside a generated repo after npm install$/)]);
  });
});

/** Every link and image address in a Markdown text, as markdown-it parses it (inline and reference links alike). */
function linksIn(markdown: string): string[] {
  const out: string[] = [];
  const walk = (tokens: ReturnType<MarkdownIt['parse']>) => {
    for (const t of tokens) {
      const href = t.type === 'link_open' ? t.attrGet('href') : t.type === 'image' ? t.attrGet('src') : null;
      if (href !== null) out.push(href);
      if (t.children) walk(t.children);
    }
  };
  walk(new MarkdownIt({ html: true }).parse(markdown, {}));
  return out;
}

describe('the package page and its README', () => {
  it('links only to files the package holds (relative links) or to absolute addresses', () => {
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const links = linksIn(readme);
    // A URL with a scheme (https:, mailto:) or an anchor in the README itself is not a file of the package.
    const relativeLinks = links.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l) && !l.startsWith('#') && !l.startsWith('//'));
    expect(relativeLinks.length, 'the README links to no file: this test would check nothing').toBeGreaterThan(0);
    const files = new Set(packed.files);
    const missing = relativeLinks.filter((l) => {
      const path = posix.normalize(decodeURIComponent(l.split('#')[0]));
      return !files.has(path) && !packed.files.some((f) => f.startsWith(`${path.replace(/\/$/, '')}/`));
    });
    expect(missing, 'README links to files the tarball does not hold').toEqual([]);
  });

  it('names its repository, homepage and issue tracker in package.json (npm links the page to them)', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { repository?: { type?: string; url?: string } | string; homepage?: string; bugs?: { url?: string } | string };
    const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
    expect(repository ?? '(none)', 'package.json has no repository').toMatch(/^(git\+)?https:\/\/github\.com\/[\w.-]+\/[\w.-]+?(\.git)?$/);
    const slug = /github\.com\/([\w.-]+\/[\w.-]+?)(\.git)?$/.exec(repository!)![1];
    expect(manifest.homepage ?? '(none)', 'package.json has no homepage').toMatch(new RegExp(`^https://github\\.com/${slug}(#readme)?$`));
    const bugs = typeof manifest.bugs === 'string' ? manifest.bugs : manifest.bugs?.url;
    expect(bugs, 'package.json has no bugs').toBe(`https://github.com/${slug}/issues`);
  });
});

/** A new empty folder inside the install folder, where npx finds the installed package. */
const runDir = (): string => mkdtempSync(join(app, 'run-'));
