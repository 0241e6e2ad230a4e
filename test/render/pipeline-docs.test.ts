/**
 * The generated repo's docs (docs/pipeline.md and README.md) for every CI
 * system and every valid combination: every `npx projen <task>` they name is
 * a task of that repo, every `create-aws-pipeline <command>` one the CLI
 * runs, every secret and variable the workflow reads is named with how to
 * set it, and no CloudFormation parameter is named that the stack lacks.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import MarkdownIt from 'markdown-it';
import { synthSnapshot } from 'projen/lib/util/synth';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsPipelineProject, ciRefusal, CI_SYSTEMS, listMatrix, SOURCES } from '../../src';
import type { CiSystem, Source } from '../../src';
import { AwsPipelineStack } from '../../src/constructs';
import { BIN, cli, tempDir } from '../helpers';

interface Case {
  readonly runtime: string;
  readonly target: string;
  readonly strategy: string;
  readonly ci: CiSystem;
  readonly source: Source;
}

/** Every valid combination under every CI system; CodePipeline takes each source in turn, GitHub Actions only GitHub. */
const CASES: readonly Case[] = CI_SYSTEMS.flatMap((ci) =>
  listMatrix().valid.map((c, i) => {
    const sources = SOURCES.filter((s) => !ciRefusal(ci, s));
    return { runtime: c.runtime, target: c.target, strategy: c.strategy, ci, source: sources[i % sources.length] };
  }),
);

/** The text of every code span and code block: where the docs put commands. */
function codeIn(markdown: string): string[] {
  const out: string[] = [];
  const walk = (tokens: ReturnType<MarkdownIt['parse']>) => {
    for (const t of tokens) {
      if (t.type === 'code_inline' || t.type === 'fence' || t.type === 'code_block') out.push(t.content);
      if (t.children) walk(t.children);
    }
  };
  walk(new MarkdownIt().parse(markdown, {}));
  return out;
}

/** `npx projen <task>` (the bare `npx projen` runs the default task) and `create-aws-pipeline <command>` in the docs' code. */
function commandsIn(markdown: string): { readonly tasks: string[]; readonly commands: string[] } {
  const tasks: string[] = [];
  const commands: string[] = [];
  for (const code of codeIn(markdown)) {
    for (const m of code.matchAll(/\bnpx projen(?:[ \t]+([^\s`'"|;&)]+))?/g)) tasks.push(m[1] === undefined || m[1].startsWith('-') ? 'default' : m[1]);
    for (const m of code.matchAll(/(?:^|[\s(])create-aws-pipeline[ \t]+([^\s`'"|;&)]+)/gm)) commands.push(m[1]);
  }
  return { tasks, commands };
}

/** What the workflow reads from GitHub: `secrets.X` and `vars.X` (GITHUB_TOKEN is GitHub's own). */
function workflowReads(workflow: string): { readonly secrets: string[]; readonly variables: string[] } {
  const names = (kind: string) => [...new Set([...workflow.matchAll(new RegExp(`\\b${kind}\\.([A-Za-z_][A-Za-z0-9_]*)`, 'g'))].map((m) => m[1]))].filter((n) => n !== 'GITHUB_TOKEN');
  return { secrets: names('secrets'), variables: names('vars') };
}

/**
 * The stack's CloudFormation parameters per CI system, source and target, from the stack itself (synthesized as the
 * generated infra/main.ts does: no connectionArn prop). The source and CI system decide the connection's parameter,
 * the target the others (EC2's AMI is an SSM parameter); runtime and strategy add none.
 */
const parameters = new Map<string, readonly string[]>();
const outputs = new Map<string, readonly string[]>();
const paramKey = (c: Pick<Case, 'ci' | 'source' | 'target'>) => `${c.ci} ${c.source} ${c.target}`;

beforeAll(() => {
  for (const c of CASES) {
    if (parameters.has(paramKey(c))) continue;
    const stack = new AwsPipelineStack(new App(), 'Stack', { name: 'svc', account: '123456789012', runtime: c.runtime, target: c.target, strategy: c.strategy, ci: c.ci, source: c.source } as never);
    const template = Template.fromStack(stack).toJSON();
    parameters.set(paramKey(c), Object.keys(template.Parameters ?? {}));
    outputs.set(paramKey(c), Object.keys(template.Outputs ?? {}));
  }
  // The check below is only as good as this list: the connection parameter must be in it.
  expect([...parameters.values()].flat()).toContain('ConnectionArn');
}, 300_000);

const subcommandsNamed = new Set<string>();

describe.each(CASES.map((c) => [`${c.ci}: ${c.runtime} ${c.target} ${c.strategy} from ${c.source}`, c] as const))('%s', (_label, c) => {
  it('names only tasks, commands, secrets and parameters that the repo and its stack have', () => {
    const out = synthSnapshot(new AwsPipelineProject({ name: 'svc', outdir: tempDir(), runtime: c.runtime, target: c.target, strategy: c.strategy, ci: c.ci, source: c.source } as never));
    const docs = out['docs/pipeline.md'] as string;
    const readme = out['README.md'] as string;
    const taskNames = Object.keys((out['.projen/tasks.json'] as { tasks: Record<string, unknown> }).tasks);

    const named = [docs, readme].map(commandsIn);
    const tasks = [...new Set(named.flatMap((n) => n.tasks))];
    expect(tasks.length, 'the docs name no projen task: nothing was checked').toBeGreaterThan(1);
    expect.soft(tasks.filter((t) => !taskNames.includes(t)), 'tasks the docs name that the repo does not have').toEqual([]);
    for (const n of named) for (const command of n.commands) subcommandsNamed.add(command);

    const workflow = out['.github/workflows/pipeline.yml'] as string | undefined;
    expect(workflow === undefined, 'a workflow exactly when GitHub Actions runs the pipeline').toBe(c.ci === 'codepipeline');
    if (workflow) {
      const reads = workflowReads(workflow);
      const code = codeIn(docs).join('\n');
      for (const name of reads.secrets) expect.soft(code, `secrets.${name} with how to set it`).toMatch(new RegExp(`\\bgh secret set ${name}\\b`));
      for (const name of reads.variables) expect.soft(code, `vars.${name} with how to set it`).toMatch(new RegExp(`\\bgh variable set ${name}\\b`));
    }

    // Parameters: a name any stack has appears in these docs only if this stack has it, and every --parameters NAME= is one.
    const own = parameters.get(paramKey(c))!;
    const known = [...new Set([...parameters.values()].flat())];
    const mentioned = known.filter((p) => new RegExp(`\\b${p}\\b`).test(docs));
    const passed = [...docs.matchAll(/--parameters[ \t]+([A-Za-z0-9]+)=/g)].map((m) => m[1]);
    const parametersNamed = [...new Set([...mentioned, ...passed])];
    expect.soft(parametersNamed.filter((p) => !own.includes(p)), `parameters the docs name that the stack (${own.join(', ') || 'none'}) does not have`).toEqual([]);
    // Outputs likewise: one the docs name (as code) is one this stack has.
    const ownOutputs = outputs.get(paramKey(c))!;
    const code = codeIn(docs).join('\n');
    const outputsNamed = [...new Set([...outputs.values()].flat())].filter((o) => new RegExp(`\\b${o}\\b`).test(code));
    expect.soft(outputsNamed.filter((o) => !ownOutputs.includes(o)), 'outputs the docs name that the stack does not have').toEqual([]);
  });
});

describe('create-aws-pipeline commands the docs name', () => {
  it('each runs in the built CLI (its --help exits 0)', () => {
    // Runs after the cases above (vitest runs a file's tests in order), which collect the commands.
    const named = [...subcommandsNamed];
    expect(named.length, 'the docs name no create-aws-pipeline command: nothing was checked').toBeGreaterThan(0);
    const dir = tempDir('cap-docs-cli-');
    const failing = named.filter((command) => cli([command, '--help'], dir).status !== 0);
    expect(failing, `commands the docs name that ${BIN} does not run`).toEqual([]);
  });
});

describe('what the docs say is true for the choice', () => {
  const docsOf = (options: Record<string, unknown>) => synthSnapshot(new AwsPipelineProject({ name: 'svc', outdir: tempDir(), ...options } as never))['docs/pipeline.md'] as string;

  it('an S3 source is released by uploading source.zip to the bucket of the stack\'s SourceBucketName output, not by a push', () => {
    const docs = docsOf({ source: 's3' });
    expect(docs).not.toMatch(/push to `main`/i);
    expect(docs).toContain('`aws s3 cp source.zip s3://<bucket>/source.zip`');
    expect(docs).toContain('the bucket of the output `SourceBucketName`');
    const stack = new AwsPipelineStack(new App(), 'Stack', { name: 'svc', account: '123456789012', source: 's3' } as never);
    expect(Object.keys(Template.fromStack(stack).findOutputs('SourceBucketName'))).toEqual(['SourceBucketName']);
  });

  it('a CodeCommit source says to create the repository and push to it', () => {
    const docs = docsOf({ source: 'codecommit', repository: 'svc' });
    expect(docs).toContain('aws codecommit create-repository --repository-name svc --region us-east-1');
    expect(docs).toContain('Push to `main` of the CodeCommit repository');
  });

  it('ECS\'s own engine names no CodeDeploy deployment group; CodeDeploy\'s does', () => {
    expect(docsOf({ target: 'ecs', strategy: 'blue-green', ecsEngine: 'ecs' })).not.toMatch(/deployment group/);
    expect(docsOf({ target: 'ecs', strategy: 'blue-green', ecsEngine: 'codedeploy' })).toMatch(/\| deployment group \|/);
  });

  it('the connection ARN to pass has the Region\'s partition', () => {
    expect(docsOf({ region: 'us-gov-west-1' })).toContain('ConnectionArn=arn:aws-us-gov:codeconnections:us-gov-west-1:');
    expect(docsOf({ region: 'cn-north-1' })).toContain('ConnectionArn=arn:aws-cn:codeconnections:cn-north-1:');
  });

  it('a port is named only for a target that listens on one', () => {
    expect(docsOf({ target: 'lambda', runtime: 'python' })).not.toMatch(/on port 8080/);
    expect(docsOf({ target: 's3-site' })).not.toMatch(/on port 8080/);
    expect(docsOf({ target: 'ec2' })).toMatch(/on port 8080/);
  });

  it('a canary shifts once and then the rest; a linear deployment every interval', () => {
    expect(docsOf({ target: 'lambda', strategy: 'canary', interval: 10 })).toContain('| strategy | canary, the rest after 10 min |');
    expect(docsOf({ target: 'lambda', strategy: 'linear', interval: 10 })).toContain('| strategy | linear, every 10 min |');
  });

  it('an S3 site is drawn with nothing that rolls it back, and GitHub Actions deploying it by sync', () => {
    const docs = docsOf({ target: 's3-site', ci: 'github-actions' });
    expect(docs).not.toMatch(/roll back"\)\) -\.->/);
    expect(docs).toContain('S3 sync, CloudFront invalidation');
  });
});
