/**
 * A new repo written without projen (render/repo-files.ts, what `npm create` writes) is the repo projen itself writes:
 * the same files, byte for byte and mode for mode, as a real synth of the same answers (src/synth-repo.ts: the
 * generated `.projenrc.ts`, run by projen in-process). Over every valid combination with each source and CI system,
 * and the answers that change projen's files: a preset (a file, a package), a service in a folder, other
 * environments, options.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { IgnoreFile, Project } from 'projen';
import { beforeAll, describe, expect, it } from 'vitest';
import { listMatrix } from '../../src/model/matrix';
import type { PipelineOptions } from '../../src/model/options';
import { presetDirs, resolveNewRepo } from '../../src/model/preset';
import { synthProjenBase } from '../../src/project-base';
import { addIgnorePattern, newRepoFiles } from '../../src/render/repo-files';
import type { ProjenBase, RepoFile } from '../../src/render/repo-files';
import { renderRepo } from '../../src/synth-repo';
import { cli, tempDir } from '../helpers';

let base: ProjenBase;
beforeAll(() => {
  base = synthProjenBase();
});

/** Every file under `dir`: its content and mode. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = join(e.parentPath, e.name);
    out[relative(dir, file).split(sep).join('/')] = `${(statSync(file).mode & 0o777).toString(8)} ${readFileSync(file, 'utf8')}`; // eslint-disable-line no-bitwise
  }
  return out;
}

/** The files of `newRepoFiles`, as `tree` shows them (a file without a mode gets what a new file gets under this umask). */
function listed(files: ReadonlyMap<string, RepoFile>): Record<string, string> {
  const umask = process.umask();
  return Object.fromEntries([...files].map(([path, f]) => [path, `${(f.mode ?? 0o666 & ~umask).toString(8)} ${f.content}`])); // eslint-disable-line no-bitwise
}

/** Both writes of the answers `options`, for a repo in `parent`/svc (a service in a folder: its repository is `parent`). */
function both(options: Record<string, unknown>, parent = tempDir('cap-repo-files-')) {
  const path = typeof options.path === 'string' ? options.path : '.';
  const dir = join(parent, path === '.' ? 'svc' : path);
  mkdirSync(dir, { recursive: true });
  const config = resolveNewRepo({ name: 'svc', ...options } as PipelineOptions, presetDirs(dir));
  const root = path === '.' ? undefined : tempDir('cap-repo-root-');
  renderRepo(config, dir, root);
  const fast = newRepoFiles(config, base);
  return { real: tree(dir), fast: listed(fast.files), realRoot: root ? tree(root) : {}, fastRoot: listed(fast.root) };
}

/** The sources and CI systems, each with every combination. */
const VARIANTS: readonly Record<string, unknown>[] = [
  {},
  { ci: 'github-actions' },
  { source: 'codecommit' },
  { source: 's3' },
  { source: 'gitlab', repository: 'acme/svc' },
  { source: 'bitbucket', repository: 'acme/svc', prBuilds: false },
];

describe('a new repo without projen is what a projen synth writes', () => {
  const combos = listMatrix().valid.flatMap((c) => VARIANTS.map((variant) => [`${c.runtime} ${c.target} ${c.strategy}${c.engine ? ` (engine ${c.engine})` : ''} ${JSON.stringify(variant)}`, { runtime: c.runtime, target: c.target, strategy: c.strategy, ...(c.engine ? { ecsEngine: c.engine } : {}), ...variant }] as const));

  it.each(combos)('%s', (_label, options) => {
    const r = both(options);
    expect(Object.keys(r.fast).sort()).toEqual(Object.keys(r.real).sort());
    for (const path of Object.keys(r.real)) expect(r.fast[path], path).toBe(r.real[path]);
  });

  it('with a preset file, and with a preset package (a dev dependency of the repo)', () => {
    const parent = tempDir('cap-repo-files-');
    const preset = { name: 'acme-golden-path', defaults: { runtime: 'python', target: 'lambda', environments: ['dev', 'prod'] }, locked: ['runtime'] };
    writeFileSync(join(parent, 'acme.json'), JSON.stringify(preset));
    const file = both({ preset: '../acme.json', strategy: 'canary' }, parent);
    expect(file.fast).toEqual(file.real);
    const pkg = join(tempDir('cap-repo-files-'), 'node_modules', '@acme', 'pipeline-preset');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@acme/pipeline-preset', version: '2.3.4', main: 'preset.json' }));
    writeFileSync(join(pkg, 'preset.json'), JSON.stringify(preset));
    const installed = both({ preset: '@acme/pipeline-preset' }, join(pkg, '..', '..', '..'));
    expect(JSON.parse(installed.real['package.json'].slice(4)).devDependencies['@acme/pipeline-preset']).toBe('^2.3.4');
    expect(installed.fast).toEqual(installed.real);
  });

  it('for a service in a folder of its repository: its folder, and the workflow at the root', () => {
    for (const ci of ['github-actions', 'codepipeline']) {
      const r = both({ path: 'services/api', ci, target: 'lambda' });
      expect(r.fast).toEqual(r.real);
      expect(r.fastRoot).toEqual(r.realRoot);
      expect(Object.keys(r.realRoot)).toEqual(ci === 'github-actions' ? ['.github/workflows/svc.yml'] : []);
    }
  });

  it('with other answers: environments, approval, a name, a region and account, tags, parameters', () => {
    const r = both({
      name: 'orders-api',
      environments: ['dev', 'staging', 'prod'],
      approval: false,
      region: 'eu-west-1',
      account: '123456789012',
      tags: { team: 'payments' },
      parameters: ['LOG_LEVEL=/orders-api/log-level'],
      branch: 'trunk',
      owner: 'payments',
    });
    expect(r.fast).toEqual(r.real);
  });

  it('the built CLI (projen\'s base files baked into dist/cli.cjs) writes what a projen synth writes', () => {
    for (const args of [[], ['--target', 'lambda', '--runtime', 'python', '--ci', 'github-actions'], ['--target', 'ec2', '--source', 's3']]) {
      const parent = tempDir('cap-repo-files-cli-');
      const r = cli(['svc', '--yes', '--skip-install', '--no-git', ...args], parent);
      expect(r.status, r.stderr).toBe(0);
      const written = tree(join(parent, 'svc'));
      const rc = written['.projenrc.ts'].slice(4);
      const options = JSON.parse(`{${rc.slice(rc.indexOf('({') + 2, rc.indexOf('});')).replace(/^\s*(\w+):/gm, '"$1":').replace(/,\s*$/, '')}}`);
      const real = join(tempDir('cap-repo-files-'), 'svc');
      mkdirSync(real);
      renderRepo(resolveNewRepo(options, presetDirs(real)), real);
      expect(written).toEqual(tree(real));
    }
  });
});

describe('ignore patterns, added as projen adds them', () => {
  /** projen's own IgnoreFile, given `patterns` one call at a time: its lines, without its marker. */
  function projenIgnore(patterns: readonly string[]): string[] {
    const project = new Project({ name: 'ignore', outdir: tempDir('cap-ignore-') });
    const file = new IgnoreFile(project, '.testignore');
    for (const p of patterns) file.addPatterns(p);
    const content = (file as unknown as { synthesizeContent(r: { resolve(x: unknown): unknown }): string }).synthesizeContent({ resolve: (x) => x });
    return content.replace(/\n$/, '').split('\n').filter((line) => !line.startsWith('# ~~') && line !== '');
  }

  it('agrees with projen on any sequence of patterns: duplicates, opposites, folders and what they cover, comments, blanks, backslashes', () => {
    const pattern = fc.constantFrom('/a', '/a/', '!/a', '!/a/', '/a/b', '!/a/b', '/a/b/', '!/a/b/', 'a', '!a', '*.js', '!*.js', '# note', '', '  ', '\\a\\b', '!\\a\\b', '/a\\b');
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 14 }), (patterns) => {
        const ours: string[] = [];
        for (const p of patterns) addIgnorePattern(ours, p);
        expect(ours).toEqual(projenIgnore(patterns));
      }),
      { numRuns: 300 },
    );
  });

  it('a folder pattern drops what its opposite covered (the rule no generated repo meets yet)', () => {
    const ours: string[] = [];
    for (const p of ['!/docs/a.md', '!/docs/b.md', '/keep', '/docs/']) addIgnorePattern(ours, p);
    expect(ours).toEqual(['/keep', '/docs/']);
    expect(projenIgnore(['!/docs/a.md', '!/docs/b.md', '/keep', '/docs/'])).toEqual(ours);
  });
});
