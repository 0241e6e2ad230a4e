/**
 * The Regions the model accepts are the Regions the stack can be created in: `cdk synth` validates each template
 * against the resource types CloudFormation has in its Region (aws-cdk-lib's CloudFormation validation, F3006), and
 * the model's Region rules (src/model/regions.ts) must agree with it, Region by Region.
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { repoApp } from './app';
import { AwsPipelineStack } from '../../src/constructs';
import { CI_SYSTEMS, listMatrix } from '../../src/model';
import { ConfigError, resolveConfig } from '../../src/model/config';
import { usesCodePipeline } from '../../src/model/layout';
import { PARTITIONS_WITHOUT_CLOUDFRONT_OAC, partitionOf, REGIONS, REGIONS_WITHOUT_CODEBUILD } from '../../src/model/regions';
import { regionTakes } from '../support/region-rule';

const ACCOUNT = '123456789012';

/** The F3006 messages of a one-resource stack of `type` in `region` ("" when CloudFormation there has the type). */
function missingType(type: string, region: string): string {
  const app = repoApp();
  const stack = new Stack(app, 'Probe', { env: { account: ACCOUNT, region } });
  new CfnResource(stack, 'R', { type, properties: {} });
  try {
    app.synth();
    return '';
  } catch (err) {
    return String((err as Error).message).includes(`Resource type '${type}' does not exist in '${region}'`) ? 'missing' : '';
  }
}

/** Synthesizes the stack; the error's first lines, or "" for a clean synth. */
function synthError(options: Record<string, unknown>): string {
  const app = repoApp();
  try {
    new AwsPipelineStack(app, 'Stack', { name: 'svc', account: ACCOUNT, repository: 'acme/svc', ...options } as never);
    app.synth();
    return '';
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const lines = String((err as Error).message).split('\n');
    return (lines.find((l) => l.includes('does not exist in')) ?? lines.slice(0, 3).join(' ')).trim();
  }
}

describe.each(REGIONS.map((r) => [r]))('%s', (region) => {
  it('has CodeBuild and CloudFront origin access control exactly where the model says', () => {
    expect(missingType('AWS::CodeBuild::Project', region) === 'missing').toBe(REGIONS_WITHOUT_CODEBUILD.includes(region));
    expect(missingType('AWS::CloudFront::OriginAccessControl', region) === 'missing').toBe(PARTITIONS_WITHOUT_CLOUDFRONT_OAC.includes(partitionOf(region).partition));
  });

  it('synthesizes every probe the model accepts there, and the model refuses the rest in one line', () => {
    // Between them: CodeBuild (the pipeline's build; a deploy project) and CloudFront's origin access control, or neither.
    const probes = [
      { ci: 'codepipeline', target: 's3-site' },
      { ci: 'github-actions', target: 'lambda' },
      { ci: 'github-actions', target: 'ec2' },
    ];
    for (const probe of probes) {
      const options = { ...probe, region };
      if (regionTakes(options)) {
        const connectionArn = `arn:${partitionOf(region).partition}:codeconnections:${region}:${ACCOUNT}:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
        expect(synthError({ ...options, connectionArn }), `${probe.ci} ${probe.target}`).toBe('');
      } else {
        let message = '';
        try {
          resolveConfig({ name: 'svc', repository: 'acme/svc', ...options } as never);
        } catch (err) {
          message = (err as Error).message;
        }
        expect(message).toMatch(new RegExp(`^--(region ${region}|target s3-site is not available in ${region})[^\\n]*$`));
      }
    }
  });
});

describe('which stacks have a CodeBuild project (the CodeBuild Region rule asks usesCodePipeline)', () => {
  const combos = listMatrix().valid.filter((c) => c.runtime === 'node');
  it.each(combos.flatMap((c) => CI_SYSTEMS.map((ci) => [`${c.runtime} ${c.target} ${c.strategy}${c.engine ? ` (${c.engine})` : ''} ${ci}`, { ...c, ci }] as const)))('%s', (_label, c) => {
    const options = { ci: c.ci, runtime: c.runtime, target: c.target, strategy: c.strategy, ...(c.engine ? { ecsEngine: c.engine } : {}) };
    const app = repoApp();
    const stack = new AwsPipelineStack(app, 'Stack', { name: 'svc', account: ACCOUNT, repository: 'acme/svc', ...options } as never);
    const projects = Object.keys(Template.fromStack(stack).findResources('AWS::CodeBuild::Project'));
    expect(projects.length > 0).toBe(usesCodePipeline(stack.config));
  });
});
