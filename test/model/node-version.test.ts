/**
 * The Node.js majors of generated repos (src/model/node-version.ts): every place that runs code (in AWS,
 * CodeBuild, a workflow) names NODE_MAJOR, every `engines` and `@types/node` the oldest supported major
 * (a machine on any supported Node.js installs the repo without an engine warning), each place that
 * should name one does, and no source file but the model spells a Node.js version in code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { synthSnapshot } from 'projen/lib/util/synth';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AwsPipelineProject, MIN_NODE_MAJOR, NODE, NODE_MAJOR, RUNTIME_CHOICES, SUPPORTED_NODE_MAJORS, TOOLCHAINS } from '../../src';
import { AwsPipelineStack } from '../../src/constructs';
import { ROOT, tempDir } from '../helpers';
import { nodeMentions, wrongNodeMentions } from '../support/node-mentions';

const textOf = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

function render(options: Record<string, unknown>): Record<string, string> {
  const out = synthSnapshot(new AwsPipelineProject({ name: 'svc', outdir: tempDir(), ...options } as never));
  return Object.fromEntries(Object.entries(out).map(([f, v]) => [f, textOf(v)]));
}

const CASES = [
  // [options, the files that must name the version]
  [{ runtime: 'node', target: 'ec2', ci: 'both', repository: 'acme/svc' }, ['buildspec.yml', 'buildspec-integration.yml', '.github/workflows/pipeline.yml', 'scripts/codedeploy/common.sh', 'app/package.json', 'app/package-lock.json', 'package.json']],
  [{ runtime: 'node', target: 'ecs', ci: 'both', repository: 'acme/svc' }, ['buildspec.yml', '.github/workflows/pipeline.yml', 'app/Dockerfile', 'app/package.json', 'package.json']],
  [{ runtime: 'node', target: 'lambda', ci: 'both', repository: 'acme/svc' }, ['buildspec.yml', '.github/workflows/pipeline.yml', 'app/package.json', 'app/package-lock.json', 'package.json']],
  [{ runtime: 'container', target: 'lambda' }, ['app/Dockerfile', 'app/package.json', 'package.json']],
  [{ runtime: 'node', target: 's3-site', strategy: 'all-at-once', ci: 'both', repository: 'acme/svc' }, ['buildspec.yml', '.github/workflows/pipeline.yml', 'app/package.json', 'app/package-lock.json', 'package.json']],
] as const;

describe('the Node.js version of generated repos', () => {
  it('is 24: Lambda nodejs24.x, CodeBuild standard:8.0 and Amazon Linux 2023 all offer it (sources in src/model/node-version.ts)', () => {
    expect(NODE_MAJOR).toBe(24);
    expect(NODE).toMatchObject({ version: '24', lambdaRuntime: 'nodejs24.x', hostPackage: 'nodejs24 nodejs24-npm', engines: '>=22', minNodeVersion: '22.0.0' });
  });

  it('supports what this package supports: engines and @types/node take the oldest of 22 and 24, as this package\'s own engines do', () => {
    expect(SUPPORTED_NODE_MAJORS).toEqual([22, 24]);
    expect(MIN_NODE_MAJOR).toBe(22);
    const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(own.engines.node).toBe(`>= ${NODE.minNodeVersion}`);
    // .ci/run runs the suite on each supported major.
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    for (const major of SUPPORTED_NODE_MAJORS) expect(ci).toMatch(new RegExp(`\\b${major}\\b`));
  });

  it.each(CASES.map(([options, places]) => [Object.values(options).join(' '), options, places] as const))('%s: every file names that one version, in each place', (_label, options, places) => {
    const files = render(options);
    const mentions = nodeMentions(files);
    expect(wrongNodeMentions(files)).toEqual([]);
    for (const place of places) expect(mentions.some(([file]) => file === place), `${place} names no Node.js version`).toBe(true);
  });

  it('reaches each place as the model says', () => {
    const files = render({ runtime: 'node', target: 'ec2', ci: 'both', repository: 'acme/svc' });
    expect(parse(files['buildspec.yml']).phases.install['runtime-versions']).toEqual({ nodejs: NODE.version });
    expect(parse(files['buildspec-integration.yml']).phases.install['runtime-versions']).toEqual({ nodejs: NODE.version });
    const steps = Object.values(parse(files['.github/workflows/pipeline.yml']).jobs as Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>).flatMap((j) => j.steps);
    const setupNode = steps.filter((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setupNode.length).toBeGreaterThan(0);
    for (const s of setupNode) expect(s.with!['node-version']).toBe(NODE.version);
    expect(files['scripts/codedeploy/common.sh']).toContain(`HOST_PACKAGE='${NODE.hostPackage}'`);
    const pkg = JSON.parse(files['package.json']);
    expect(pkg.engines.node).toBe(`>= ${NODE.minNodeVersion}`);
    expect(pkg.devDependencies['@types/node']).toBe(`^${MIN_NODE_MAJOR}`);
    expect(JSON.parse(files['app/package.json']).engines.node).toBe(NODE.engines);
    expect(JSON.parse(files['app/package-lock.json']).packages[''].engines.node).toBe(NODE.engines);
    expect(TOOLCHAINS.node.lambda!.runtime).toBe(NODE.lambdaRuntime);
    expect(RUNTIME_CHOICES.find((c) => c.value === 'node')!.description).toBe(`Node.js ${NODE_MAJOR} with npm`);
    expect(readFileSync(join(ROOT, 'docs', 'options.md'), 'utf8')).toContain(`\`node\` (Node.js ${NODE_MAJOR} with npm)`);

    const container = render({ runtime: 'container', target: 'lambda' })['app/Dockerfile'];
    expect(container.match(/^FROM .*$/gm)).toEqual([`FROM ${NODE.image} AS test`, `FROM ${NODE.lambdaImage}`]);
  });

  it('is the stack\'s: the placeholder function, the traffic hooks, the deploy action and the hosts', () => {
    const stackOf = (options: Record<string, unknown>) => {
      const app = new App();
      const stack = new AwsPipelineStack(app, 'Stack', { name: 'svc', account: '123456789012', connectionArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', ...options } as never);
      return { app, stack, template: Template.fromStack(stack) };
    };
    const lambda = stackOf({ runtime: 'python', target: 'lambda' }).template;
    const runtimes = Object.values(lambda.findResources('AWS::Lambda::Function')).map((r) => r.Properties.Runtime);
    // A Python app's placeholder too: the first release sets the app's runtime.
    expect(runtimes.length).toBe(6);
    expect(new Set(runtimes)).toEqual(new Set([NODE.lambdaRuntime]));
    expect(nodeMentions({ template: JSON.stringify(stackOf({ runtime: 'node', target: 'lambda' }).template.toJSON()) }).map(([, m]) => m)).toEqual(expect.arrayContaining([NODE_MAJOR]));
    const ec2 = JSON.stringify(stackOf({ runtime: 'node', target: 'ec2' }).template.toJSON());
    expect(ec2).toContain(`dnf install -y ${NODE.hostPackage}`);
    for (const t of [ec2, JSON.stringify(lambda.toJSON())]) expect(wrongNodeMentions({ t })).toEqual([]);

    const { app } = stackOf({ runtime: 'container', target: 'lambda' });
    // The bootstrap image's build (its Dockerfile has no default base).
    const manifests = app.synth().artifacts.flatMap((a) => ('file' in a && String(a.file).endsWith('.assets.json') ? [JSON.parse(readFileSync(String(a.file), 'utf8'))] : []));
    const images = manifests.flatMap((m) => Object.values(m.dockerImages ?? {}) as { source: { dockerBuildArgs?: Record<string, string> } }[]);
    expect(images.map((i) => i.source.dockerBuildArgs?.BASE_IMAGE)).toEqual([NODE.lambdaImage]);
    expect(readFileSync(join(ROOT, 'assets', 'lambda-bootstrap', 'Dockerfile'), 'utf8')).toMatch(/^ARG BASE_IMAGE\nFROM \$\{BASE_IMAGE\}$/m);
  });

  it('is spelled in code only in src/model/node-version.ts', () => {
    const CODE: readonly RegExp[] = [/\bnodejs\d+\.x\b/, /\bnodejs\d+(?:-npm)?\b/, /\/nodejs:\d+/, /\/node:\d+/, /\bNODEJS_\d+_X\b/, /"node":\s*">=?\s*\d/, /\bnodejs:\s*'\d+'/, /minNodeVersion:\s*'\d/];
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    const found = ['src', 'templates', 'assets'].flatMap((d) => walk(join(ROOT, d))).flatMap((file) =>
      readFileSync(file, 'utf8').split('\n').flatMap((line, i) => {
        const code = line.replace(/^\s*(\/\/|\*|\/\*\*|#).*$/, '');
        return CODE.some((re) => re.test(code)) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [];
      }));
    expect(found.filter((f) => !f.startsWith('src/model/node-version.ts:'))).toEqual([]);
  });
});
