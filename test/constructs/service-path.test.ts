/**
 * The stack of a service in a folder (`path`): CodeBuild reads its buildspecs from the folder (the source root is the
 * repository's), the V2 push trigger starts only for changes there (docs excluded), the pull-request webhook builds
 * only pull requests that change a file there. cdk-nag stays clean.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { repoApp } from './app';
import { AwsPipelineStack } from '../../src/constructs';
import { folderPattern } from '../../src/constructs/pr-build';

const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

function synth(options: Record<string, unknown>) {
  const app = repoApp();
  const stack = new AwsPipelineStack(app, 'Stack', { name: 'api', account: '123456789012', connectionArn: CONNECTION, repository: 'acme/mono', path: 'services/api', ...options } as never);
  const template = Template.fromStack(stack);
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.resourceLogicalId}`));
  return { template, findings };
}

const projects = (t: Template) => Object.values(t.findResources('AWS::CodeBuild::Project')) as Array<{ Properties: Record<string, any> }>;

describe('a service in a folder', () => {
  it('reads its buildspecs from the folder, starts for changes there only, and builds pull requests that touch it', () => {
    const { template, findings } = synth({ target: 'ecs', runtime: 'python' });
    expect(findings).toEqual([]);
    const byName = Object.fromEntries(projects(template).map((p) => [p.Properties.Name, p.Properties]));
    expect(byName['api-build'].Source.BuildSpec).toBe('services/api/buildspec.yml');
    expect(byName['api-build-integration'].Source.BuildSpec).toBe('services/api/buildspec-integration.yml');
    expect(byName['api-pr'].Source.BuildSpec).toBe('services/api/buildspec-pr.yml');
    expect(byName['api-pr'].Triggers.FilterGroups).toEqual([
      [
        { Type: 'EVENT', Pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' },
        { Type: 'BASE_REF', Pattern: '^refs/heads/main$' },
        { Type: 'FILE_PATH', Pattern: '^services/api/' },
      ],
    ]);
    const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0] as { Properties: Record<string, any> };
    expect(pipeline.Properties.Triggers).toEqual([
      {
        ProviderType: 'CodeStarSourceConnection',
        GitConfiguration: {
          SourceActionName: 'Source',
          Push: [{ Branches: { Includes: ['main'] }, FilePaths: { Includes: ['services/api/**'], Excludes: ['services/api/docs/**', 'services/api/**/*.md'] } }],
        },
      },
    ]);
  });

  it('the FILE_PATH pattern matches the folder\'s files and nothing beside it', () => {
    const re = new RegExp(folderPattern('svc.v2/api'));
    expect(re.test('svc.v2/api/app/index.js')).toBe(true);
    expect(re.test('svcXv2/api/app/index.js')).toBe(false);
    expect(re.test('svc.v2/api-other/x')).toBe(false);
    expect(re.test('other/svc.v2/api/x')).toBe(false);
  });

  it.each([['lambda'], ['ec2'], ['s3-site']])('%s: cdk-nag clean, buildspec from the folder', (target) => {
    const { template, findings } = synth({ target, ...(target === 'ec2' ? { strategy: 'one-at-a-time' } : {}) });
    expect(findings).toEqual([]);
    const build = projects(template).find((p) => p.Properties.Name === 'api-build');
    expect(build?.Properties.Source.BuildSpec).toBe('services/api/buildspec.yml');
  });
});
