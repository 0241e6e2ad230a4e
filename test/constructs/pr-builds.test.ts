/**
 * Pull-request builds in the synthesized stack: with CodePipeline from GitHub, GitLab or Bitbucket, one CodeBuild
 * project started by the repository's webhook for pull requests into the release branch, authenticated by the
 * pipeline's connection, reporting its status, running buildspec-pr.yml; nothing in its path deploys, and the
 * pipeline's own trigger stays push-only (a pull-request trigger there would run the deploy stages). cdk-nag passes.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { AwsPipelineStack } from '../../src/constructs';
import { listMatrix } from '../../src/model';
import { PR_BUILDSPEC, prBuildRunner } from '../../src/model/pr-builds';

const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

function synth(options: Record<string, unknown>) {
  const app = new App();
  const stack = new AwsPipelineStack(app, 'Stack', { name: 'svc', account: '123456789012', connectionArn: CONNECTION, ...options } as never);
  const template = Template.fromStack(stack);
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.resourceLogicalId}`));
  return { stack, template, findings };
}

type Project = { Properties: Record<string, any> };
const projects = (template: Template) => Object.values(template.findResources('AWS::CodeBuild::Project')) as Project[];
const prProjects = (template: Template) => projects(template).filter((p) => p.Properties.Triggers);

const SOURCES = { github: ['GITHUB', 'https://github.com/acme/svc.git'], gitlab: ['GITLAB', 'https://gitlab.com/acme/platform/svc.git'], bitbucket: ['BITBUCKET', 'https://bitbucket.org/acme/svc.git'] } as const;
const REPOSITORY = { github: 'acme/svc', gitlab: 'acme/platform/svc', bitbucket: 'acme/svc' } as const;

describe.each(Object.keys(SOURCES) as Array<keyof typeof SOURCES>)('CodePipeline from %s', (source) => {
  // The valid combinations split across the three sources: each combination from one of them.
  const combos = listMatrix().valid.filter((_c, i) => i % 3 === Object.keys(SOURCES).indexOf(source));

  it.each(combos.map((c) => [`${c.runtime} ${c.target} ${c.strategy}`, c] as const))('%s: a webhook project builds pull requests into the release branch, and deploys nothing', (_l, c) => {
    const { stack, template, findings } = synth({ runtime: c.runtime, target: c.target, strategy: c.strategy, source, repository: REPOSITORY[source], branch: 'release/v1.x' });
    expect(findings).toEqual([]);
    expect(prBuildRunner(stack.config)).toBe('codebuild');
    const pr = prProjects(template);
    expect(pr).toHaveLength(1);
    const p = pr[0].Properties;
    expect(p.Name).toBe('svc-pr');
    expect(p.Source).toMatchObject({
      Type: SOURCES[source][0],
      Location: SOURCES[source][1],
      Auth: { Type: 'CODECONNECTIONS', Resource: CONNECTION },
      BuildSpec: PR_BUILDSPEC,
      ReportBuildStatus: true,
      BuildStatusConfig: { Context: 'svc/pr-build' },
    });
    expect(p.Triggers).toEqual({
      Webhook: true,
      // Bitbucket sends no reopened event (CodeBuild User Guide, "Bitbucket webhook events"): CreateWebhook would refuse it.
      FilterGroups: [[{ Type: 'EVENT', Pattern: source === 'bitbucket' ? 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED' : 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' }, { Type: 'BASE_REF', Pattern: '^refs/heads/release/v1\\.x$' }]],
      PullRequestBuildPolicy: { RequiresCommentApproval: 'FORK_PULL_REQUESTS' },
    });
    // The base-ref pattern takes the release branch and nothing else.
    const base = new RegExp(p.Triggers.FilterGroups[0][1].Pattern);
    expect(['refs/heads/release/v1.x', 'refs/heads/release/v1x', 'refs/heads/release/v1.x-old', 'refs/heads/main'].map((r) => base.test(r))).toEqual([true, false, false, false]);
    // No artifacts, no image, no deploy variables, no pipeline key.
    expect(p.Artifacts).toEqual({ Type: 'NO_ARTIFACTS' });
    // Docker only where the unit tests are a Docker build stage (the container runtime).
    expect(p.Environment.PrivilegedMode).toBe(c.runtime === 'container');
    expect(p.Environment.EnvironmentVariables).toBeUndefined();
    expect(p.EncryptionKey).toBe('alias/aws/s3');

    // The PR path never reaches a deploy: no pipeline action runs the PR project, and the pipeline's trigger is push-only.
    const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline')) as Project[];
    const actions = (pipeline.Properties.Stages as Array<{ Actions: Array<{ Configuration?: Record<string, unknown> }> }>).flatMap((s) => s.Actions);
    const prId = Object.entries(template.findResources('AWS::CodeBuild::Project')).find(([, r]) => (r as Project).Properties.Name === 'svc-pr')![0];
    expect(JSON.stringify(actions)).not.toContain(prId);
    expect(pipeline.Properties.Triggers).toHaveLength(1);
    expect(Object.keys(pipeline.Properties.Triggers[0].GitConfiguration)).toEqual(['Push', 'SourceActionName']);
  });

  it('--no-pr-builds: no webhook project', () => {
    const { template, findings } = synth({ source, repository: REPOSITORY[source], prBuilds: false });
    expect(findings).toEqual([]);
    expect(prProjects(template)).toEqual([]);
    expect(projects(template).map((p) => p.Properties.Name)).not.toContain('svc-pr');
  });
});

describe('sources and CI systems without a CodeBuild pull-request project', () => {
  it.each([
    ['codecommit (off by default: no pull-request trigger or webhook there)', { source: 'codecommit' }],
    ['s3 (no pull requests)', { source: 's3' }],
    ['github with GitHub Actions alone (the workflow builds them)', { source: 'github', ci: 'github-actions' }],
    ['github with both (the workflow builds them, once)', { source: 'github', ci: 'both' }],
  ])('%s', (_l, options) => {
    const { template, findings } = synth(options);
    expect(findings).toEqual([]);
    expect(prProjects(template)).toEqual([]);
  });

  it('a connection given as a stack parameter is the one the PR project authenticates with', () => {
    const app = new App();
    const stack = new AwsPipelineStack(app, 'Stack', { name: 'svc', account: '123456789012', source: 'bitbucket', repository: 'acme/svc' } as never);
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findParameters('ConnectionArn'))).toEqual(['ConnectionArn']);
    expect(prProjects(template)[0].Properties.Source.Auth).toEqual({ Type: 'CODECONNECTIONS', Resource: { Ref: 'ConnectionArn' } });
  });
});
