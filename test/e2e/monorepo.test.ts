/**
 * Two services side by side in one repository (`--path`, docs/monorepo.md), written by the built CLI at the
 * repository's root: their files, workflows, stacks and every physical resource name are disjoint; each is
 * synthesized (CDK, cdk-nag) by its own CDK app; `npx projen` in one folder re-renders its workflow at the root,
 * keeping an edit there, and writes nothing else outside its folder. Bad --path values change nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, readTree, ROOT, tempDir } from '../helpers';
import { runBuildspec } from '../support/buildspec-runner';
import type { Buildspec } from '../support/buildspec-runner';
import { stubBin } from '../support/generated';

const SERVICES = [
  { name: 'svc-a', path: 'services/a', args: ['--target', 'ecs', '--ci', 'github-actions'], stack: 'SvcAPipeline' },
  { name: 'svc-b', path: 'services/b', args: ['--target', 'lambda', '--ci', 'codepipeline'], stack: 'SvcBPipeline' },
] as const;

function linkNodeModules(repo: string) {
  const nm = join(repo, 'node_modules');
  mkdirSync(nm);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules', entry), join(nm, entry));
  symlinkSync(ROOT, join(nm, 'create-aws-pipeline'));
}

/** The physical names a template gives its resources (Name, FunctionName, ProjectName, ...), as literal strings. */
function physicalNames(template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }): string[] {
  const names: string[] = [];
  for (const r of Object.values(template.Resources)) {
    for (const [key, value] of Object.entries(r.Properties ?? {})) {
      if (/(^Name$|Name$)/.test(key) && typeof value === 'string' && !['MetricName', 'Namespace', 'ContainerName'].includes(key)) names.push(`${r.Type}:${value}`);
    }
  }
  return names;
}

/** Files (relative to the root) in the tree, outside node_modules. */
const filesOf = (dir: string): string[] => Object.keys(readTree(dir)).sort();

describe('two services in one repository (--path)', () => {
  let root: string;
  const templates: Record<string, any> = {};

  beforeAll(() => {
    root = tempDir('cap-mono-');
    for (const s of SERVICES) {
      const r = cli([s.name, '--path', s.path, ...s.args, '--yes', '--skip-install'], root);
      expect(r.status, r.stderr).toBe(0);
      // The positional is the service's name as typed; the folder is --path's.
      expect(r.stdout).toContain(`  Service name:               ${s.name}\n  Folder in the repo:         ${s.path}\n`);
    }
  });

  it('writes each service into its folder, and only the GitHub Actions workflow at the root', () => {
    const all = filesOf(root);
    const a = all.filter((f) => f.startsWith('services/a/'));
    const b = all.filter((f) => f.startsWith('services/b/'));
    expect(a.length).toBeGreaterThan(10);
    expect(b.length).toBeGreaterThan(10);
    expect(all.filter((f) => !f.startsWith('services/'))).toEqual(['.github/workflows/svc-a.yml']);
    // Relative to the root, the two sets cannot meet; what each folder holds mirrors a service of its own.
    expect(a.filter((f) => b.includes(f))).toEqual([]);
    expect(a).toContain('services/a/.projenrc.ts');
    expect(b).toContain('services/b/buildspec.yml');
    expect(readFileSync(join(root, 'services/a/.projenrc.ts'), 'utf8')).toContain('path: "services/a"');
  });

  it('gives the workflow its own name, paths and concurrency groups', () => {
    const wf = parse(readFileSync(join(root, '.github/workflows/svc-a.yml'), 'utf8'));
    expect(wf.name).toBe('svc-a');
    expect(wf.on.push.paths).toEqual(['services/a/**', '!services/a/docs/**', '!services/a/**/*.md', '.github/workflows/svc-a.yml']);
    expect(wf.on.pull_request.paths).toEqual(['services/a/**', '.github/workflows/svc-a.yml']);
    expect(wf.concurrency.group).toBe('svc-a-${{ github.ref }}');
    expect(wf.defaults.run['working-directory']).toBe('services/a');
    const groups = Object.values(wf.jobs as Record<string, any>).flatMap((j) => (j.concurrency ? [j.concurrency.group] : []));
    expect(groups).toEqual(['svc-a-deploy-staging', 'svc-a-deploy-production']);
  });

  it('synthesizes each service with disjoint stack and resource names, cdk-nag clean', () => {
    for (const s of SERVICES) {
      const dir = join(root, s.path);
      linkNodeModules(dir);
      const out = tempDir('cap-cdk-');
      const r = spawnSync(join(dir, 'node_modules', '.bin', 'tsx'), ['infra/main.ts'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: out }, timeout: 180_000 });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/AwsSolutions-/);
      templates[s.name] = JSON.parse(readFileSync(join(out, `${s.stack}.template.json`), 'utf8'));
    }
    const a = physicalNames(templates['svc-a']);
    const b = physicalNames(templates['svc-b']);
    expect(a.length).toBeGreaterThan(5);
    expect(b.length).toBeGreaterThan(5);
    const values = (l: string[]) => l.map((n) => n.slice(n.indexOf(':', n.lastIndexOf('::') + 2) + 1));
    expect(values(a).filter((n) => values(b).includes(n))).toEqual([]);
    // The CodePipeline service reads its buildspecs from its folder and starts only for changes there.
    const resources = Object.values(templates['svc-b'].Resources) as Array<{ Type: string; Properties: any }>;
    const build = resources.find((x) => x.Type === 'AWS::CodeBuild::Project' && x.Properties.Name === 'svc-b-build');
    expect(build?.Properties.Source.BuildSpec).toBe('services/b/buildspec.yml');
    const pipeline = resources.find((x) => x.Type === 'AWS::CodePipeline::Pipeline');
    expect(pipeline?.Properties.Triggers[0].GitConfiguration.Push[0].FilePaths).toEqual({ Includes: ['services/b/**'], Excludes: ['services/b/docs/**', 'services/b/**/*.md'] });
  }, 400_000);

  it('npx projen in one folder re-renders its workflow at the root, keeps an edit there, and writes nothing else outside', () => {
    const dir = join(root, 'services/a');
    const workflow = join(root, '.github/workflows/svc-a.yml');
    const edited = readFileSync(workflow, 'utf8').replace('jobs:\n', 'jobs:\n  # my note: keep this\n');
    writeFileSync(workflow, edited);
    const before = readTree(root);
    const r = spawnSync(join(dir, 'node_modules', '.bin', 'projen'), ['--no-post'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('Kept your edits in @repo/.github/workflows/svc-a.yml');
    const after = readTree(root);
    expect(after['.github/workflows/svc-a.yml']).toBe(edited);
    const changedOutside = Object.keys({ ...before, ...after }).filter((f) => !f.startsWith('services/a/') && before[f] !== after[f]);
    expect(changedOutside).toEqual([]);
    // A template change reaches the root's file through the merge: the record of the last render was kept, so dropping
    // it (an outdated base) makes the next synth see the file as edited, never overwrite it.
    expect(after['services/a/.projen/aws-pipeline-rendered/@repo/.github/workflows/svc-a.yml']).toBeDefined();
  }, 200_000);

  it('drift in the folder lists the edited workflow at the root, and writes nothing outside the folder', () => {
    const before = readTree(root);
    const r = cli(['drift', '--json'], join(root, 'services/a'));
    expect(JSON.parse(r.stdout)).toEqual({ changed: ['@repo/.github/workflows/svc-a.yml'], missing: [] });
    expect(r.status).toBe(1);
    expect(readTree(root)).toEqual(before);
  }, 200_000);

  it('reset @repo/.github/workflows/<name>.yml in the folder takes the template for the root\'s workflow', () => {
    const workflow = join(root, '.github/workflows/svc-a.yml');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'create-aws-pipeline.js'), 'reset', '@repo/.github/workflows/svc-a.yml'], {
      cwd: join(root, 'services/a'),
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1', PROJEN_DISABLE_POST: 'true' },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(workflow, 'utf8')).not.toContain('my note');
    expect(readFileSync(workflow, 'utf8')).toBe(readFileSync(join(root, 'services/a/.projen/aws-pipeline-rendered/@repo/.github/workflows/svc-a.yml'), 'utf8'));
  }, 200_000);
});

describe('the buildspec of a service in a folder, run for real from the repository\'s root', () => {
  it('starts in the folder, writes its report there, and every artifact is where CodeBuild looks (appspec.yml at the revision\'s root)', () => {
    const root = tempDir('cap-mono-build-');
    expect(cli(['web', '--path', 'services/web', '--runtime', 'node', '--target', 'ec2', '--yes', '--skip-install'], root).status).toBe(0);
    const spec = parse(readFileSync(join(root, 'services/web/buildspec.yml'), 'utf8')) as Buildspec & Record<string, any>;
    const stubs = stubBin();
    // CodeBuild's source is the whole repository: the root is CODEBUILD_SRC_DIR.
    const r = runBuildspec(spec, root, { CODEBUILD_RESOLVED_SOURCE_VERSION: '0123456789abcdef0123456789abcdef01234567', AWS_REGION: 'us-east-1', PATH: `${stubs.dir}:${process.env.PATH}` });
    expect(r.succeeded, r.log).toBe(true);
    expect(r.ran).toEqual(['install', 'pre_build', 'build', 'post_build']);
    const report = join(root, spec.reports['unit-tests']['base-directory'], spec.reports['unit-tests'].files[0]);
    expect(report).toBe(join(root, 'services/web/app/reports/junit.xml'));
    expect(readFileSync(report, 'utf8')).toContain('testcase');
    const base = join(root, spec.artifacts['base-directory']);
    expect(base).toBe(join(root, 'services/web'));
    for (const f of spec.artifacts.files as string[]) expect(existsSync(join(base, f.replace(/\/?\*\*\/\*$/, ''))), f).toBe(true);
    expect(spec.artifacts.files[0]).toBe('appspec.yml');
    // Nothing was built at the repository's root.
    expect(readdirSync(root).sort()).toEqual(['services']);
  }, 300_000);
});

describe('a bad --path', () => {
  it.each([
    ['../x', /^error invalid --path "\.\.\/x": use a folder inside the repo/],
    ['/abs', /^error invalid --path "\/abs": use a folder inside the repo/],
    ['a/../b', /^error invalid --path "a\/\.\.\/b": use a folder inside the repo/],
    ['./a', /^error invalid --path "\.\/a"/],
    ['a/', /^error invalid --path "a\/"/],
  ])('%s: one line, a non-zero exit, nothing written', (path, message) => {
    const root = tempDir('cap-mono-bad-');
    const r = cli(['svc', '--path', path, '--yes', '--skip-install'], root);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(readdirSync(root)).toEqual([]);
  });

  it('through a symlinked folder: refused in one line, the tree unchanged', () => {
    const root = tempDir('cap-mono-link-');
    const elsewhere = tempDir('cap-mono-elsewhere-');
    symlinkSync(elsewhere, join(root, 'services'));
    const r = cli(['svc', '--path', 'services/a', '--yes', '--skip-install'], root);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error refusing --path services\/a: services is a symlink/);
    expect(readdirSync(root)).toEqual(['services']);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a symlinked .github at the root: one line, nothing written (not even the service)', () => {
    const root = tempDir('cap-mono-gh-');
    const elsewhere = tempDir('cap-mono-gh-elsewhere-');
    symlinkSync(elsewhere, join(root, '.github'));
    const r = cli(['svc', '--path', 'services/a', '--ci', 'github-actions', '--yes', '--skip-install'], root);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim()).toBe(`error refusing to write .github/workflows/svc.yml: .github is a symlink (to ${elsewhere}); create-aws-pipeline writes nothing through a symlink, and wrote nothing`);
    expect(readdirSync(root)).toEqual(['.github']);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a second service of the same name (its workflow exists): one line, nothing written', () => {
    const root = tempDir('cap-mono-same-');
    expect(cli(['svc', '--path', 'services/a', '--ci', 'github-actions', '--yes', '--skip-install'], root).status).toBe(0);
    const before = readTree(root);
    const r = cli(['svc', '--path', 'services/b', '--ci', 'github-actions', '--yes', '--skip-install'], root);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim()).toBe('error .github/workflows/svc.yml exists already (another service named svc in this repo?): choose another name, or pass --force to replace it');
    expect(readTree(root)).toEqual(before);
  });
});
