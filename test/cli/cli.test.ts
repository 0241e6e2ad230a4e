import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CI_SYSTEMS, ECS_ENGINES, listMatrix, OPTION_SPECS, refusal, RUNTIMES, SOURCES, STRATEGIES, TARGETS } from '../../src/model';
import { cli, cliAsync, readTree, ROOT, tempDir } from '../helpers';

const ALL = ['--runtime', 'node', '--source', 'github', '--target', 'ecs', '--strategy', 'canary', '--ecs-engine', 'codedeploy', '--ci', 'codepipeline'];

/** One line on stderr, ending in something to do. */
function expectOneLineError(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error /);
  expect(lines[0]).toMatch(pattern);
}

describe('create-aws-pipeline (child process, no terminal)', () => {
  it('--help lists every flag and every choice', () => {
    const r = cli(['--help'], ROOT);
    expect(r.status).toBe(0);
    for (const value of [...RUNTIMES, ...SOURCES, ...TARGETS, ...STRATEGIES, ...CI_SYSTEMS]) expect(r.stdout).toContain(` ${value} `);
    for (const spec of OPTION_SPECS) expect(r.stdout).toContain(`--${spec.flag}`);
    for (const flag of ['--yes', '--force', '--skip-install', '--list-combinations', '--json']) expect(r.stdout).toContain(flag);
  });

  it('--help loads no heavy module', () => {
    const main = JSON.stringify(join(ROOT, 'lib/src/cli/main.js'));
    const script = `require(${main}).run(['--help']).then(() => process.stderr.write(JSON.stringify(Object.keys(require.cache))))`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const loaded: string[] = JSON.parse(r.stderr);
    expect(loaded.some((p) => p.endsWith(join('lib', 'src', 'cli', 'main.js')))).toBe(true);
    expect(loaded.filter((p) => /node_modules\/(aws-cdk-lib|projen|yeoman-|@yeoman|inquirer|@inquirer|@aws-sdk|ejs)\//.test(p))).toEqual([]);
  });

  it('--list-combinations --json prints the matrix', () => {
    const r = cli(['--list-combinations', '--json'], ROOT);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(listMatrix())));
    const text = cli(['--list-combinations'], ROOT);
    expect(text.stdout).toContain('CodeDeployDefault.LambdaCanary10Percent5Minutes');
    expect(text.stdout).toContain('Lambda has no in-place rolling deployment');
  });

  it.each([
    ['without a preset', [] as string[]],
    ['with a preset that narrows the choices', ['--preset', './narrow.json']],
  ])('--list-combinations lists every runtime x target x strategy, and every ci x source, in exactly one section (%s)', (_label, extra) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'narrow.json'), JSON.stringify({ name: 'narrow', allowed: { runtime: ['node', 'go'], strategy: ['all-at-once', 'canary'], source: ['github', 's3'] } }));
    const r = cli(['--list-combinations', ...extra], dir);
    expect(r.status, r.stderr).toBe(0);
    const sections = r.stdout.split('\n\n');
    const rowsOf = (title: RegExp) => sections.filter((s) => title.test(s)).flatMap((s) => s.split('\n').slice(1));
    const keyOf = (row: string) => row.trim().split(/\s+/).slice(0, 3).join(' ');
    // ECS rows come once per engine (--ecs-engine codedeploy|ecs; a rolling update refuses codedeploy).
    const engineOf = (row: string) => row.trim().split(/\s+/)[3];
    expect(new Set([...rowsOf(/^Valid combinations/), ...rowsOf(/^Refused \(runtime/)].map((row) => `${keyOf(row)} ${engineOf(row)}`)).size).toBe(rowsOf(/^Valid combinations/).length + rowsOf(/^Refused \(runtime/).length);
    const valid = rowsOf(/^Valid combinations/).map(keyOf);
    const refused = rowsOf(/^Refused(?! sources)/).map(keyOf);
    for (const runtime of RUNTIMES) {
      for (const target of TARGETS) {
        for (const strategy of STRATEGIES) {
          const key = `${runtime} ${target} ${strategy}`;
          const engines = target === 'ecs' && !refusal({ runtime, target, strategy }) ? ECS_ENGINES.length : 1;
          expect([valid.filter((k) => k === key).length, refused.filter((k) => k === key).length], key).toSatisfy(([v, x]: number[]) => v + x === engines);
        }
      }
    }
    const allowed = rowsOf(/^Sources per CI/).flatMap((row) => {
      const [ci, list] = [row.trim().split(/\s+/)[0], row.trim().split(/\s+/).slice(1).join(' ')];
      return list.split(', ').map((source) => `${ci} ${source}`);
    });
    const refusedSources = rowsOf(/^Refused sources per CI/).map((row) => row.trim().split(/\s+/).slice(0, 2).join(' '));
    for (const ci of CI_SYSTEMS) {
      for (const source of SOURCES) {
        const key = `${ci} ${source}`;
        expect(allowed.filter((k) => k === key).length + refusedSources.filter((k) => k === key).length, key).toBe(1);
      }
    }
    expect(r.stdout).toContain('  java      s3-site all-at-once    -          an S3 static site serves files');
  });

  it('--yes generates a complete repo, and leaves no staging folder', () => {
    const parent = tempDir();
    const r = cli(['my-service', '--yes', '--skip-install'], parent);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(readdirSync(parent)).toEqual(['my-service']);
    const files = readTree(join(parent, 'my-service'));
    expect(files['.projenrc.ts']).toContain("import { AwsPipelineProject } from 'create-aws-pipeline';");
    expect(files['.projenrc.ts']).toContain('name: "my-service"');
    expect(JSON.parse(files['package.json'])).toMatchObject({ name: 'my-service', devDependencies: { 'create-aws-pipeline': expect.stringMatching(/^\^\d/) } });
    expect(files['docs/pipeline.md']).toMatch(/Generated by projen/);
    // New ECS repos run ECS's own blue/green (--ecs-engine ecs, what AWS recommends).
    expect(files['docs/pipeline.md']).toContain('ECS BLUE_GREEN, bake 10 min');
    expect(JSON.parse(files['aws-pipeline.json'])).toMatchObject({ pipeline: 'my-service', region: 'us-east-1' });
    expect(JSON.parse(files['.projen/tasks.json']).tasks['pipeline:approve'].steps[0].exec).toBe('create-aws-pipeline approve');
    const managed: string[] = JSON.parse(files['.projen/files.json']).files;
    for (const f of managed) expect(files[f], f).toBeDefined();
    expect(r.stderr + r.stdout).toContain('npm install');
  });

  it('--yes without a folder: ./my-service, its name marked as the default (no folder was named)', () => {
    const parent = tempDir();
    const r = cli(['--yes', '--skip-install', '--no-git'], parent);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\n {2}Service name: +my-service \(default\)\n/);
    expect(existsSync(join(parent, 'my-service', '.projenrc.ts'))).toBe(true);
  });

  it('--yes prints every answer before writing, defaults marked, and one line for the placeholder repository', () => {
    const parent = tempDir();
    const r = cli(['my-service', '--yes', '--skip-install', '--target', 'lambda'], parent);
    expect(r.status, r.stderr).toBe(0);
    const summary = r.stdout.slice(r.stdout.indexOf('Your answers:'), r.stdout.indexOf('Wrote ')).trim().split('\n');
    expect(summary).toEqual([
      'Your answers:',
      "  Service name:               my-service (default: from the folder's name)",
      '  Deploy target:              lambda',
      '  Runtime:                    node (default)',
      '  Deployment strategy:        canary (default)',
      '  Traffic shift interval:     5 minutes (default)',
      '  Source provider:            github (default)',
      '  Repository:                 your-org/my-service (placeholder)',
      '  Branch:                     main (default)',
      '  CI system:                  codepipeline (default)',
      '  AWS Region:                 us-east-1 (default)',
      '  AWS account:                the account of the credentials that deploy (default)',
      '  Environments:               staging -> production (default)',
      '  Approval before production: yes (default)',
    ]);
    // One line, once: the first synth does not say it again.
    expect(r.stderr).toBe('warning repository your-org/my-service is a placeholder, so the pipeline\'s source action will fail: set repository: "<owner>/<repo>" (your github repository) in .projenrc.ts, then run npx projen\n');
    expect(r.stdout).not.toMatch(/package\.json was detected|package manager/);
    // Then the files written: every one, a folder as one line with its count.
    const repo = join(parent, 'my-service');
    const written = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.name === '.git' ? [] : e.isDirectory() ? written(join(dir, e.name)) : [join(dir, e.name)]));
    const all = written(repo);
    const block = r.stdout.slice(r.stdout.indexOf('Wrote '), r.stdout.indexOf('Done.')).trim().split('\n');
    expect(block[0]).toBe(`Wrote ${all.length} files to my-service:`);
    const top = [...new Set(all.map((f) => f.slice(repo.length + 1).split('/')[0]))].sort();
    expect(block.slice(1).map((l) => l.trim().split(' ')[0].replace(/\/$/, '')).sort()).toEqual(top);
    const appFiles = all.filter((f) => f.startsWith(join(repo, 'app') + '/')).length;
    expect(block).toContain(`  app/ ${appFiles} files`);
    expect(block).toContain('  .projenrc.ts');
  });

  it('--yes inside a clone of a GitHub repository takes its origin as the repository; another host\'s origin is not used', () => {
    const clone = (url: string) => {
      const dir = tempDir();
      for (const args of [['init', '-q'], ['remote', 'add', 'origin', url]]) expect(spawnSync('git', args, { cwd: dir }).status).toBe(0);
      return dir;
    };
    const github = clone('https://github.com/acme/shop.git');
    const r = cli(['svc', '--yes', '--skip-install'], github);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ {2}Repository: +acme\/shop \(default: git remote origin\)\n/);
    expect(r.stderr).not.toContain('placeholder');
    expect(readFileSync(join(github, 'svc', '.projenrc.ts'), 'utf8')).toContain('repository: "acme/shop"');
    const other = clone('git@git.example.com:acme/shop.git');
    const o = cli(['svc', '--yes', '--skip-install'], other);
    expect(o.status, o.stderr).toBe(0);
    expect(o.stderr).toMatch(/^warning repository your-org\/svc is a placeholder/);
    // A GitLab origin does not name a GitHub source's repository.
    const gitlab = clone('git@gitlab.com:acme/shop.git');
    expect(cli(['svc', '--yes', '--skip-install'], gitlab).stdout).toMatch(/Repository: +your-org\/svc \(placeholder\)/);
    expect(cli(['svc2', '--yes', '--skip-install', '--source', 'gitlab'], gitlab).stdout).toMatch(/Repository: +acme\/shop \(default: git remote origin\)/);
  });

  it('fails at once, naming the flags, when an answer is missing and there is no terminal', () => {
    const dir = tempDir();
    const r = cli(['svc', '--runtime', 'python'], dir);
    expect(r.status).toBe(1);
    expectOneLineError(r.stderr, /^error missing --source, --target, --strategy, --ecs-engine, --ci \(no terminal to ask\): pass them, or --yes/);
    expect(readdirSync(dir)).toEqual([]);
    const none = cli([], dir);
    expect(none.status).toBe(1);
    expectOneLineError(none.stderr, /missing the target directory/);
  });

  it('takes every answer from flags without --yes', () => {
    const dir = tempDir();
    const r = cli(['svc', ...ALL, '--interval', '15', '--skip-install'], dir);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'svc', 'docs', 'pipeline.md'), 'utf8')).toContain('CodeDeployDefault.ECSCanary10Percent15Minutes');
  });

  it('refuses an existing non-empty directory without --force, and writes into it with --force', () => {
    const parent = tempDir();
    mkdirSync(join(parent, 'svc'));
    writeFileSync(join(parent, 'svc', 'notes.txt'), 'mine');
    const refused = cli(['svc', '--yes'], parent);
    expect(refused.status).toBe(1);
    expectOneLineError(refused.stderr, /svc is not empty: choose a new directory, or pass --force/);
    expect(readdirSync(join(parent, 'svc'))).toEqual(['notes.txt']);

    const forced = cli(['svc', '--yes', '--force', '--skip-install'], parent);
    expect(forced.status).toBe(0);
    expect(readFileSync(join(parent, 'svc', 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(parent, 'svc', '.projenrc.ts'))).toBe(true);
    expect(readdirSync(parent)).toEqual(['svc']);
  });

  it('accepts an existing empty directory', () => {
    const parent = tempDir();
    mkdirSync(join(parent, 'svc'));
    expect(cli(['svc', '--yes', '--skip-install'], parent).status).toBe(0);
    expect(existsSync(join(parent, 'svc', 'package.json'))).toBe(true);
  });

  it.each([
    [['svc', '--yes', '--target', 'lambda', '--strategy', 'one-at-a-time'], /lambda with one-at-a-time is not supported: Lambda has no in-place rolling/],
    [['svc', '--yes', '--target', 'ec2', '--strategy', 'canary'], /only on the Lambda and ECS compute platforms/],
    [['svc', '--yes', '--runtime', 'ruby'], /invalid --runtime "ruby": use one of node, python, java, go, container/],
    [['svc', '--yes', '--port', '80'], /invalid --port 80: use 1024-65535/],
    [['svc', '--yes', '--port', 'eighty'], /invalid --port "eighty": give a whole number/],
    [['svc', '--yes', '--health-check-path', '/x; rm -rf ~'], /invalid --health-check-path/],
    [['svc', '--yes', '--region', 'mars-1'], /unknown --region "mars-1"/],
    [['svc', '--yes', '--ci', 'github-actions', '--source', 'gitlab'], /GitHub Actions runs only in repositories hosted on GitHub/],
    [['svc', '--yes', '--bogus'], /unknown option --bogus: run create-aws-pipeline --help/],
    [['svc', '--yes', '--name', 'Bad'], /invalid name "Bad"/],
    [['a', 'b', '--yes'], /one target directory at most/],
    [['svc', '--json'], /--json goes with --list-combinations/],
  ])('refuses %j in one line, writing nothing', (args, pattern) => {
    const dir = tempDir();
    const r = cli(args, dir);
    expect(r.status).toBe(1);
    expectOneLineError(r.stderr, pattern);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('turns a directory name into a service name', () => {
    const dir = tempDir();
    expect(cli(['Bad Name!', '--yes', '--skip-install'], dir).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'Bad Name!', 'package.json'), 'utf8')).name).toBe('bad-name');
  });

  it('leaves no partial repo when interrupted at any moment', async () => {
    // Interrupt at points spread over the time an uninterrupted run takes.
    const started = Date.now();
    expect(cli(['svc', '--yes', '--skip-install'], tempDir()).status).toBe(0);
    const full = Date.now() - started;
    for (const delay of [0.1, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95].map((f) => Math.round(f * full))) {
      const parent = tempDir();
      const child = cliAsync(['svc', '--yes', '--skip-install'], parent);
      const timer = setTimeout(() => child.kill('SIGINT'), delay);
      const code = await new Promise<number | null>((done) => child.on('exit', (c, signal) => done(c ?? (signal ? 130 : null))));
      clearTimeout(timer);
      // Never a staging folder; the repo is either absent or complete (a signal after the move
      // finds it complete); a run that exits 0 has written it.
      const entries = readdirSync(parent);
      expect(entries.filter((e) => e !== 'svc'), `${delay}ms`).toEqual([]);
      if (code === 0) expect(entries).toEqual(['svc']);
      else expect(code, `${delay}ms`).toBe(130);
      if (entries.includes('svc')) {
        const files = readTree(join(parent, 'svc'));
        for (const f of JSON.parse(files['.projen/files.json']).files) expect(files[f], `${delay}ms: ${f}`).toBeDefined();
      }
    }
  });
});
