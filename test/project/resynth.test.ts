/**
 * A generated repo re-rendered by its own `npx projen`: its node_modules
 * links to this checkout's (our package, built, and projen, tsx), so the
 * real projen CLI runs the repo's real .projenrc.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, readTree, ROOT, tempDir } from '../helpers';

function linkNodeModules(repo: string) {
  const nm = join(repo, 'node_modules');
  mkdirSync(nm);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules', entry), join(nm, entry));
  symlinkSync(ROOT, join(nm, 'create-aws-pipeline'));
}

/**
 * The repo's own projen, always with --no-post: its node_modules link to this checkout's, and the install projen runs
 * after a synth would reach through the links into them (and npm ci needs the registry, which has no create-aws-pipeline).
 */
function projen(repo: string) {
  const r = spawnSync(join(repo, 'node_modules', '.bin', 'projen'), ['--no-post'], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r;
}

describe('a generated repo', () => {
  let repo: string;

  beforeAll(() => {
    const parent = tempDir();
    expect(cli(['svc', '--yes', '--skip-install'], parent).status).toBe(0);
    repo = join(parent, 'svc');
    linkNodeModules(repo);
  });

  it('synthesizes again with npx projen to identical files', () => {
    const before = readTree(repo);
    const r = projen(repo);
    expect(r.stdout + r.stderr).not.toMatch(/npm install/);
    expect(readTree(repo)).toEqual(before);
  });

  it('synthesizes its CDK app (infra/main.ts) with cdk-nag\'s AwsSolutions checks passing', () => {
    const out = tempDir('cap-cdk-');
    const r = spawnSync(join(repo, 'node_modules', '.bin', 'tsx'), ['infra/main.ts'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: out },
      timeout: 120_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const template = JSON.parse(readFileSync(join(out, 'SvcPipeline.template.json'), 'utf8'));
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((x) => x.Type);
    // A new ECS blue/green service runs ECS's own engine: listener rules ECS moves traffic with, no CodeDeploy.
    expect(types).toEqual(expect.arrayContaining(['AWS::CodePipeline::Pipeline', 'AWS::ECS::Service', 'AWS::ElasticLoadBalancingV2::ListenerRule']));
    expect(types.filter((t) => t.startsWith('AWS::CodeDeploy::'))).toEqual([]);
  });

  it('follows an edited answer in .projenrc.ts', () => {
    const rc = join(repo, '.projenrc.ts');
    writeFileSync(rc, readFileSync(rc, 'utf8').replace('strategy: "blue-green"', 'strategy: "linear"'));
    projen(repo);
    const doc = readFileSync(join(repo, 'docs', 'pipeline.md'), 'utf8');
    expect(doc).toContain('ECS LINEAR 10% every 1 min');
    expect(doc).not.toContain('BLUE_GREEN');
  });

  it('reports drift without writing; npx projen keeps a hand edit; reset returns the file to the template', () => {
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const clean = run(['drift']);
    expect(clean.stdout + clean.stderr).toContain('no drift');
    expect(clean.status).toBe(0);
    const file = join(repo, 'buildspec.yml');
    const template = readFileSync(file, 'utf8');
    writeFileSync(file, `${template}# a hand edit\n`);
    const edited = readFileSync(file, 'utf8');
    const r = run(['drift']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('changed  buildspec.yml\n');
    expect(r.stderr).toMatch(/^error managed files differ from the templates: run npx projen to render them; edits it keeps stay listed here until create-aws-pipeline reset FILE/);
    expect(readFileSync(file, 'utf8')).toBe(edited);
    // The edit survives a synth, and is still drift.
    const synth = projen(repo);
    expect(synth.stdout + synth.stderr).toContain('Kept your edits in buildspec.yml');
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(run(['drift']).status).toBe(1);
    // reset: a file the templates do not render is refused; buildspec.yml returns to the template.
    const wrong = run(['reset', 'package.json']);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/^error package\.json is not a file the templates render: reset one of .*buildspec\.yml/);
    const reset = run(['--reset', 'buildspec.yml']);
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('reset to the template: buildspec.yml');
    expect(readFileSync(file, 'utf8')).toBe(template);
    expect(run(['drift']).status).toBe(0);
  });

  it('fails the synth with the model\'s message on a bad answer', () => {
    const rc = join(repo, '.projenrc.ts');
    writeFileSync(rc, readFileSync(rc, 'utf8').replace('target: "ecs"', 'target: "lambda"').replace('strategy: "linear"', 'strategy: "half-at-a-time"'));
    const r = spawnSync(join(repo, 'node_modules', '.bin', 'projen'), [], { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('Lambda has no in-place rolling deployment');
  });
});

describe('a repo generated with a preset package', () => {
  const PKG = '@acme/pipeline-preset';
  let parent: string;
  let repo: string;

  /** Publishes (installs) a version of the platform team's preset package where the repo resolves it. */
  function installPreset(version: string, preset: Record<string, unknown>) {
    const dir = join(parent, 'node_modules', '@acme', 'pipeline-preset');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: PKG, version, main: 'preset.json' }));
    writeFileSync(join(dir, 'preset.json'), JSON.stringify({ name: PKG, ...preset }));
  }

  beforeAll(() => {
    parent = tempDir();
    installPreset('1.0.0', { defaults: { region: 'eu-west-1', errorThreshold: 3, tags: { CostCenter: '1234' } }, locked: ['region'] });
    expect(cli(['svc', '--yes', '--skip-install', '--preset', PKG], parent).status).toBe(0);
    repo = join(parent, 'svc');
    linkNodeModules(repo);
  });

  it('depends on the preset package and follows its next version on npx projen', () => {
    const pkg = () => JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    expect(pkg().devDependencies[PKG]).toBe('^1.0.0');
    // `npx projen upgrade` updates our package and the preset, then re-renders.
    const upgrade = JSON.parse(readFileSync(join(repo, '.projen', 'tasks.json'), 'utf8')).tasks.upgrade as { steps: Array<{ exec?: string; execArgs?: string[] }> };
    expect(upgrade.steps.flatMap((s) => s.execArgs ?? [])).toEqual(expect.arrayContaining(['npm', 'update', 'create-aws-pipeline', PKG]));
    expect(upgrade.steps.map((s) => s.exec)).toContain('npx projen');
    const rc = readFileSync(join(repo, '.projenrc.ts'), 'utf8');
    expect(rc).toContain(`preset: "${PKG}",`);
    const main = () => readFileSync(join(repo, 'infra', 'main.ts'), 'utf8');
    expect(main()).toContain('region: "eu-west-1",');
    expect(main()).toContain('errorThreshold: 3,');

    // The platform team releases 2.0.0: a new region, a stricter alarm, another tag.
    installPreset('2.0.0', { defaults: { region: 'eu-central-1', errorThreshold: 2, tags: { CostCenter: '1234', DataClass: 'internal' } }, locked: ['region'] });
    projen(repo);
    expect(readFileSync(join(repo, '.projenrc.ts'), 'utf8')).toBe(rc);
    expect(main()).toContain('region: "eu-central-1",');
    expect(main()).toContain('errorThreshold: 2,');
    expect(main()).toContain('tags: {"CostCenter":"1234","DataClass":"internal"},');
    expect(pkg().devDependencies[PKG]).toBe('^2.0.0');
  });

  it('fails the synth when the repo overrides what the new preset locks, naming both', () => {
    const rc = join(repo, '.projenrc.ts');
    const before = readFileSync(rc, 'utf8');
    writeFileSync(rc, before.replace('\n  preset: ', '\n  region: "us-east-1",\n  preset: '));
    const r = spawnSync(join(repo, 'node_modules', '.bin', 'projen'), ['--no-post'], { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(r.status).not.toBe(0);
    // In .projenrc.ts the message names the property, not the CLI's flag.
    expect(r.stderr + r.stdout).toContain(`preset ${PKG} locks region to "eu-central-1"`);
    writeFileSync(rc, before);
  });
});
