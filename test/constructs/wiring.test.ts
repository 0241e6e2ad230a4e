/**
 * The names one file uses and another defines agree. For every valid
 * combination (half through CodePipeline and GitHub Actions from GitHub, half
 * through CodePipeline from each source in turn; a few with three
 * environments; some with an existing target, one in another account; the
 * partitions outside `aws`), the repo's files are rendered
 * with projen and the stack synthesized with the same options. Then the
 * release runs as CodeBuild and GitHub Actions would run it: the buildspec's
 * commands, the deploy projects' inline buildspecs and the workflow's steps,
 * under bash, with the real scripts of scripts/deploy and stand-ins for `aws`
 * and `docker` that record every call. Every name those calls carry (function,
 * alias, hooks, application, deployment group, cluster, service, task family,
 * roles, log group, bucket, stack outputs, image) must be a resource of the
 * template, found by type and property and followed through Ref and
 * Fn::GetAtt; both backends must deploy an environment to the same resources.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { synthSnapshot } from 'projen/lib/util/synth';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoApp } from './app';
import { AwsPipelineProject } from '../../src';
import { AwsPipelineStack } from '../../src/constructs';
import { listMatrix, needsImage, SOURCES, TOKENS, usesCodePipeline } from '../../src/model';
import type { EnvironmentPlan, PipelineConfig } from '../../src/model';
import { TEST_LISTENER_PORT } from '../../src/model/plan';
import { deployVariables, LAMBDA_PACKAGE, releaseOf } from '../../src/model/release';
import { WORKFLOW_PATH } from '../../src/render/workflow';
import { tempDir } from '../helpers';
import { CfnResolver } from '../support/cfn-resolve';
import type { CfnTemplate } from '../support/cfn-resolve';

const ACCOUNT = '123456789012';
const CERTIFICATE = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0`;
const PRODUCTION_ACCOUNT = '210987654321';
const SHA = '5f3c0ffee0ddba11cafe5f3c0ffee0ddba11cafe';
const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const OIDC = 'token.actions.githubusercontent.com';

// ---------------------------------------------------------------- the template

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, any>;
  readonly UpdatePolicy?: Record<string, any>;
}

/** Whether `actual` has everything `expected` has (objects by key, arrays by index, leaves exactly). */
function includes(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(expected).every(([k, v]) => includes((actual as Record<string, unknown>)[k], v));
}

/** The logical id a Ref or Fn::GetAtt points at. */
function refOf(value: unknown): string {
  const v = value as { 'Ref'?: string; 'Fn::GetAtt'?: [string, string] };
  if (typeof v?.Ref === 'string') return v.Ref;
  if (Array.isArray(v?.['Fn::GetAtt'])) return v['Fn::GetAtt'][0];
  throw new Error(`not a Ref or Fn::GetAtt: ${JSON.stringify(value)}`);
}

class Stack {
  readonly resources: Record<string, Resource>;
  readonly outputs: Record<string, { Value: unknown }>;
  readonly resolver: CfnResolver;

  constructor(
    readonly template: Record<string, any>,
    readonly name: string,
    readonly region: string,
  ) {
    this.resources = template.Resources;
    this.outputs = template.Outputs ?? {};
    this.resolver = new CfnResolver(template as CfnTemplate, { account: ACCOUNT, region, stackName: name });
  }

  /** Logical ids of the resources of `type` whose properties include `props`. */
  findAll(type: string, props: Record<string, unknown> = {}): string[] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type && includes(r.Properties ?? {}, props)).map(([id]) => id);
  }

  /** The one resource of `type` with `props`: its logical id. */
  findOne(type: string, props: Record<string, unknown>): string {
    const ids = this.findAll(type, props);
    expect(ids, `one ${type} with ${JSON.stringify(props)} in the template`).toHaveLength(1);
    return ids[0];
  }

  props(logicalId: string): Record<string, any> {
    expect(this.resources[logicalId], `resource ${logicalId}`).toBeDefined();
    return this.resources[logicalId].Properties;
  }

  /** A name or ARN as CloudFormation resolves it (Ref, Fn::GetAtt, Fn::Join...). */
  resolve(value: unknown): string {
    return this.resolver.resolveString(value as never);
  }

  /** The one CodePipeline, if the stack has one. */
  pipeline(): Record<string, any> | undefined {
    const ids = this.findAll('AWS::CodePipeline::Pipeline');
    expect(ids.length).toBeLessThanOrEqual(1);
    return ids.length ? this.props(ids[0]) : undefined;
  }
}

// ---------------------------------------------------------------- running the release

/**
 * Stand-ins for `aws` and `docker`. Each call is recorded (NUL-separated arguments) under $STUB_STATE/calls;
 * files named file:// or fileb:// must exist; the answers are what the deploy scripts read. docker push
 * records the image, and ecr describe-images finds only what was pushed. Anything else fails the script.
 */
const AWS_STUB = `#!/usr/bin/env bash
set -euo pipefail
state="\${STUB_STATE:?}"
shopt -s nullglob
calls=("$state"/calls/[0-9][0-9][0-9][0-9])
printf -v call '%s/calls/%04d' "$state" "\${#calls[@]}"
printf '%s\\0' aws "$@" > "$call"
arg() { local want="$1"; shift; while [ $# -gt 1 ]; do if [ "$1" = "$want" ]; then printf '%s' "$2"; return; fi; shift; done; }
for a in "$@"; do
  case "$a" in
    file://* | fileb://*) f="\${a#*://}"; [ -f "$f" ] || { echo "aws stub: no file $f in $PWD" >&2; exit 2; } ;;
  esac
done
case "$1 $2" in
  "sts get-caller-identity") echo "$STUB_ACCOUNT" ;;
  "sts assume-role") echo "ASIASTUB stub-secret stub-token" ;;
  "ecr get-login-password") echo stub-token ;;
  "ecr describe-images")
    reg="$(arg --registry-id "$@")"; repo="$(arg --repository-name "$@")"; tag="$(arg --image-ids "$@")"; tag="\${tag#imageTag=}"
    if [ -f "$state/pushed" ]; then while read -r line; do [[ "$line" == $reg.dkr.ecr.*/$repo:$tag ]] && exit 0; done < "$state/pushed"; fi
    echo "ImageNotFoundException: $reg $repo:$tag" >&2; exit 254 ;;
  "ecs register-task-definition")
    f="$(arg --cli-input-json "$@")"; cp "\${f#file://}" "$call.json"
    echo "arn:aws:ecs:\${AWS_REGION:?}:$STUB_ACCOUNT:task-definition/$(jq -r .family "\${f#file://}"):1" ;;
  "ecs update-service") ;;
  "ecs describe-services") echo COMPLETED ;;
  "deploy push") [ -d "$(arg --source "$@")" ] || { echo "aws stub: no release folder" >&2; exit 2; } ;;
  "deploy create-deployment") echo d-STUB ;;
  "deploy get-deployment") echo Succeeded ;;
  "lambda update-function-code" | "lambda update-function-configuration" | "lambda wait") ;;
  "lambda get-alias") echo 1 ;;
  "lambda publish-version") echo 2 ;;
  "cloudformation describe-stacks") cat "$state/outputs.json" ;;
  "s3 sync") [ -d "$3" ] || { echo "aws stub: no folder $3" >&2; exit 2; } ;;
  "cloudfront create-invalidation") ;;
  *) echo "aws stub: unexpected call: aws $*" >&2; exit 3 ;;
esac
`;

const DOCKER_STUB = `#!/usr/bin/env bash
set -euo pipefail
state="\${STUB_STATE:?}"
shopt -s nullglob
calls=("$state"/calls/[0-9][0-9][0-9][0-9])
printf -v call '%s/calls/%04d' "$state" "\${#calls[@]}"
printf '%s\\0' docker "$@" > "$call"
case "$1" in
  login) cat > /dev/null ;;
  build) [ -d "\${@: -1}" ] || { echo "docker stub: no context" >&2; exit 2; } ;;
  push) echo "$2" >> "$state/pushed" ;;
  *) echo "docker stub: unexpected docker $*" >&2; exit 3 ;;
esac
`;

let SEARCH_PATH = '';
/** The stand-ins first; then python3's own folder (a version manager's shim costs a tenth of a second a call); then this PATH. */
function searchPath(): string {
  if (!SEARCH_PATH) {
    const stubs = tempDir('cap-wiring-bin-');
    writeFileSync(join(stubs, 'aws'), AWS_STUB, { mode: 0o755 });
    writeFileSync(join(stubs, 'docker'), DOCKER_STUB, { mode: 0o755 });
    const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    SEARCH_PATH = [stubs, ...(python ? [dirname(python)] : []), process.env.PATH].join(':');
  }
  return SEARCH_PATH;
}

interface Call {
  readonly argv: string[];
  /** What the call was given to read (ecs register-task-definition). */
  readonly capture: string;
}

/** What AWS saw: a folder of recorded calls and pushed images; describe-stacks answers the template's outputs. */
function awsState(stack: Stack): string {
  const state = tempDir('cap-wiring-aws-');
  mkdirSync(join(state, 'calls'));
  const outputs = Object.entries(stack.outputs).map(([OutputKey, o]) => ({ OutputKey, OutputValue: stack.resolve(o.Value) }));
  writeFileSync(join(state, 'outputs.json'), JSON.stringify(outputs));
  return state;
}

function callsOf(state: string): Call[] {
  const dir = join(state, 'calls');
  return readdirSync(dir)
    .filter((f) => /^\d{4}$/.test(f))
    .sort()
    .map((f) => ({ argv: readFileSync(join(dir, f), 'utf8').split('\0').slice(0, -1), capture: join(dir, `${f}.json`) }));
}

function pushed(state: string): string[] {
  const file = join(state, 'pushed');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

const is = (call: Call, ...words: string[]) => words.every((w, i) => call.argv[i] === w);
function option(call: Call, name: string): string {
  const i = call.argv.indexOf(name);
  expect(i, `${name} in ${call.argv.join(' ')}`).toBeGreaterThan(0);
  return call.argv[i + 1];
}
function only(calls: Call[], ...words: string[]): Call {
  const found = calls.filter((c) => is(c, ...words));
  expect(found, `one call of ${words.join(' ')}`).toHaveLength(1);
  return found[0];
}

/** Runs a script as CodeBuild and GitHub Actions do (bash -eo pipefail), with the stand-ins first on PATH and nothing else from this environment. */
function sh(script: string, cwd: string, state: string, env: Record<string, string>): void {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => k === 'HOME' || k.startsWith('PYENV')) as Array<[string, string]>);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    encoding: 'utf8',
    env: { ...inherited, PATH: searchPath(), STUB_STATE: state, STUB_ACCOUNT: ACCOUNT, POLL_SECONDS: '0', ...env },
    timeout: 30_000,
  });
  expect(r.status, `${script}\n(in ${cwd})\n${r.stderr}`).toBe(0);
}

/** The repo as checked out: the rendered files (projen's snapshot parses JSON files; they go back as JSON). */
function checkout(files: Record<string, unknown>): string {
  const dir = tempDir('cap-wiring-repo-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return dir;
}

/** What the build commands of the app make (npm run build, the zip), which these tests do not run. */
function buildOutputs(c: PipelineConfig, dir: string): void {
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  if (c.target === 'lambda' && !needsImage(c)) write(LAMBDA_PACKAGE, 'zip');
  if (c.target === 's3-site') write('app/dist/index.html', '<!doctype html><title>site</title>');
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? filesUnder(join(dir, e)).map((f) => join(e, f)) : [e]));
}

/** The files a buildspec artifacts pattern takes: an exact path, or `dir/**\/*`. */
function artifactMatches(base: string, pattern: string): string[] {
  if (pattern.endsWith('**/*')) {
    const prefix = pattern.slice(0, -'**/*'.length);
    return filesUnder(join(base, prefix)).map((f) => join(prefix, f));
  }
  expect(pattern, 'an artifacts pattern this test knows').not.toMatch(/[*?[]/);
  return existsSync(join(base, pattern)) ? [pattern] : [];
}

/** Placeholders left in a text. */
const tokensIn = (text: string) => [...new Set(text.match(/<[A-Z0-9_]+>/g) ?? [])];

/** What one environment's deploy did, whichever backend ran it. */
interface Deploy {
  readonly backend: 'CodePipeline' | 'GitHub Actions';
  readonly plan: EnvironmentPlan;
  /** The deploy script's environment (deploy project env.variables, or the workflow step's env). */
  readonly variables: Record<string, string>;
  /** The AWS calls of this deploy. */
  readonly calls: Call[];
  /** The task definition ECS registers (image filled in), the text it was rendered to by the build (image still a placeholder), and the appspec CodeDeploy gets. */
  readonly taskdef?: Record<string, any>;
  readonly renderedTaskdef?: string;
  readonly appspec?: Record<string, any>;
  readonly appspecText?: string;
  /** CodeDeploy names, bucket or site, as the deploy passes them. */
  readonly application?: string;
  readonly deploymentGroup?: string;
  readonly bucket?: string;
  readonly distribution?: string;
  readonly revisionBucket?: string;
  /** The image the deploy releases. */
  readonly image?: string;
}

// ---------------------------------------------------------------- one combination

interface World {
  readonly config: PipelineConfig;
  readonly files: Record<string, any>;
  readonly stack: Stack;
  /** The CodePipeline run: the build and each environment's deploy action. */
  readonly codePipeline?: { spec: Record<string, any>; build: string; artifacts: string; state: string; imageRepoUri?: string; deploys: Deploy[] };
  /** The GitHub Actions run: each deploy job. */
  readonly github?: { workflow: Record<string, any>; state: string; deploys: Deploy[]; roles: Array<{ job: string; role: string; region: string }> };
}

function synthesize(options: Record<string, unknown>): Pick<World, 'config' | 'files' | 'stack'> {
  const project = new AwsPipelineProject({ name: 'svc', outdir: tempDir(), ...options } as never);
  const files = synthSnapshot(project);
  const app = repoApp();
  const cdkStack = new AwsPipelineStack(app, 'Stack', { name: 'svc', connectionArn: CONNECTION, ...options } as never);
  // The same options make the same model.
  expect(project.config.plans).toEqual(cdkStack.config.plans);
  expect(project.config.names).toEqual(cdkStack.config.names);
  return { config: cdkStack.config, files, stack: new Stack(Template.fromStack(cdkStack).toJSON(), cdkStack.stackName, cdkStack.region) };
}

/** CodePipeline: the build project runs buildspec.yml (IMAGE_TAG, then post_build), its artifacts go on, and each stage's Deploy action runs. */
function runCodePipeline(w: Pick<World, 'config' | 'files' | 'stack'>): NonNullable<World['codePipeline']> {
  const { config, files, stack } = w;
  const pipeline = stack.pipeline()!;
  expect(pipeline, 'a CodePipeline').toBeDefined();
  const stages = pipeline.Stages as Array<{ Name: string; Actions: Array<Record<string, any>> }>;
  expect(stages.map((s) => s.Name).slice(2)).toEqual(config.plans.map((p) => `Deploy-${p.environment}`));
  const buildAction = stages[1].Actions.find((a) => a.Name === 'BuildAndTest')!;
  const buildProject = stack.props(refOf(buildAction.Configuration.ProjectName));
  expect(buildProject.Source.BuildSpec).toBe('buildspec.yml');
  const output = buildAction.OutputArtifacts[0].Name as string;

  const spec = parse(files['buildspec.yml']) as Record<string, any>;
  const state = awsState(stack);
  const build = checkout(files);
  buildOutputs(config, build);
  const projectEnv = Object.fromEntries(((buildProject.Environment.EnvironmentVariables ?? []) as Array<{ Name: string; Value: unknown }>).map((v) => [v.Name, stack.resolve(v.Value)]));
  const tagLines = (spec.phases.pre_build.commands as string[]).filter((c) => c.startsWith('export IMAGE_TAG='));
  expect(tagLines, 'pre_build names the commit IMAGE_TAG').toHaveLength(1);
  expect(spec.env['exported-variables']).toContain('IMAGE_TAG');
  // The tag is exported: push-image.sh, a child process, reads it.
  sh([...tagLines, ...spec.phases.post_build.commands].join('\n'), build, state, {
    ...spec.env.variables,
    ...projectEnv,
    CODEBUILD_SRC_DIR: build,
    CODEBUILD_RESOLVED_SOURCE_VERSION: SHA,
    AWS_REGION: stack.region,
  });

  // The artifact: exactly the files the buildspec lists, each written by the build.
  const artifacts = tempDir('cap-wiring-artifact-');
  const base = spec.artifacts['base-directory'] ? join(build, spec.artifacts['base-directory']) : build;
  for (const pattern of spec.artifacts.files as string[]) {
    const matched = artifactMatches(base, pattern);
    expect(matched, `buildspec artifacts.files ${pattern}: the build wrote it`).not.toEqual([]);
    for (const f of matched) cpSync(join(base, f), join(artifacts, f));
  }

  const deploys = config.plans.map((plan) => {
    const stage = stages.find((s) => s.Name === `Deploy-${plan.environment}`)!;
    const action = stage.Actions.find((a) => a.Name === 'Deploy')!;
    expect(action.InputArtifacts, 'the deploy reads the build output').toEqual([{ Name: output }]);
    const cfg = action.Configuration as Record<string, any>;
    const before = callsOf(state).length;
    const common = { backend: 'CodePipeline' as const, plan };
    switch (action.ActionTypeId.Provider as string) {
      case 'CodeBuild': {
        // A deploy project: its inline buildspec runs the release's script in the artifact.
        const project = stack.props(refOf(cfg.ProjectName));
        expect(project.Name).toBe(plan.names.deployProject);
        // (A buildspec naming another account's role is a Fn::Join.)
        const deploySpec = JSON.parse(stack.resolve(project.Source.BuildSpec)) as Record<string, any>;
        const variables = deploySpec.env.variables as Record<string, string>;
        expect(variables).toMatchObject(deployVariables(config, plan));
        expect(Object.keys(variables).filter((k) => !(k in deployVariables(config, plan)))).toEqual(plan.crossAccount ? ['DEPLOY_ROLE_ARN'] : []);
        const commands = deploySpec.phases.build.commands as string[];
        // Every file a command names is in the artifact the build lists.
        for (const word of commands.flatMap((c) => c.split(/\s+/)).filter((x) => /\.(sh|json|yml|zip)$/.test(x))) {
          expect(spec.artifacts.files, `${word}, named by ${plan.names.deployProject}`).toContain(word);
        }
        const dir = tempDir('cap-wiring-deploy-');
        cpSync(artifacts, dir, { recursive: true });
        sh(commands.join('\n'), dir, state, { ...variables, CODEBUILD_SRC_DIR: dir, AWS_REGION: stack.region });
        return scriptDeploy({ ...common, variables, calls: callsOf(state).slice(before) }, join(artifacts, commands.join(' ').match(/taskdef-[a-z0-9]+\.json/)?.[0] ?? 'none'));
      }
      case 'CodeDeployToECS': {
        // CodePipeline's action: the appspec and the environment's taskdef from the artifact, the image from imageDetail.json.
        for (const k of ['TaskDefinitionTemplateArtifact', 'AppSpecTemplateArtifact', 'Image1ArtifactName']) expect(cfg[k], k).toBe(output);
        for (const path of [cfg.TaskDefinitionTemplatePath, cfg.AppSpecTemplatePath, 'imageDetail.json']) {
          expect(spec.artifacts.files, `${path}, read by the CodeDeployToECS action of ${plan.environment}`).toContain(path);
          expect(existsSync(join(artifacts, path)), `${path} in the artifact`).toBe(true);
        }
        expect(spec.phases.post_build.commands.some((c: string) => c.endsWith(`> ${cfg.TaskDefinitionTemplatePath}`)), `the build writes ${cfg.TaskDefinitionTemplatePath}`).toBe(true);
        const renderedTaskdef = readFileSync(join(artifacts, cfg.TaskDefinitionTemplatePath), 'utf8');
        const image = JSON.parse(readFileSync(join(artifacts, 'imageDetail.json'), 'utf8')).ImageURI as string;
        const appspecText = readFileSync(join(artifacts, cfg.AppSpecTemplatePath), 'utf8');
        expect(tokensIn(appspecText), 'CodeDeploy fills in the task definition').toEqual([TOKENS.taskDefinition]);
        return {
          ...common,
          variables: deployVariables(config, plan),
          calls: [],
          renderedTaskdef,
          taskdef: JSON.parse(renderedTaskdef.split(`<${cfg.Image1ContainerName}>`).join(image)),
          appspec: parse(appspecText),
          appspecText,
          application: stack.resolve(cfg.ApplicationName),
          deploymentGroup: stack.resolve(cfg.DeploymentGroupName),
          image,
        };
      }
      case 'CodeDeploy': {
        // The EC2 action: CodeDeploy runs appspec.yml's hooks from the artifact.
        expect(spec.artifacts.files).toContain('appspec.yml');
        const appspecText = readFileSync(join(artifacts, 'appspec.yml'), 'utf8');
        const appspec = parse(appspecText) as { hooks: Record<string, Array<{ location: string }>> };
        for (const location of Object.values(appspec.hooks).flat().map((h) => h.location)) expect(existsSync(join(artifacts, location)), `${location} in the artifact`).toBe(true);
        return { ...common, variables: deployVariables(config, plan), calls: [], appspec, appspecText, application: stack.resolve(cfg.ApplicationName), deploymentGroup: stack.resolve(cfg.DeploymentGroupName) };
      }
      case 'S3':
        expect(cfg.Extract).toBe('true');
        expect(filesUnder(artifacts)).toContain('index.html');
        return { ...common, variables: {}, calls: [], bucket: stack.resolve(cfg.BucketName) };
      default:
        throw new Error(`deploy action ${action.ActionTypeId.Provider} not covered by this test`);
    }
  });
  return { spec, build, artifacts, state, deploys, ...(projectEnv.IMAGE_REPO_URI ? { imageRepoUri: projectEnv.IMAGE_REPO_URI } : {}) };
}

/** What a deploy script did, from its AWS calls. */
function scriptDeploy(d: Pick<Deploy, 'backend' | 'plan' | 'variables' | 'calls'>, renderedTaskdefFile: string): Deploy {
  const { calls } = d;
  const out: { -readonly [K in keyof Deploy]?: Deploy[K] } = { ...d };
  const create = calls.filter((c) => is(c, 'aws', 'deploy', 'create-deployment'));
  if (create.length) {
    expect(create).toHaveLength(1);
    out.application = option(create[0], '--application-name');
    out.deploymentGroup = option(create[0], '--deployment-group-name');
    if (create[0].argv.includes('--revision')) {
      out.appspecText = JSON.parse(option(create[0], '--revision')).appSpecContent.content as string;
      out.appspec = parse(out.appspecText);
    } else {
      out.revisionBucket = /bucket=([^,]+)/.exec(option(create[0], '--s3-location'))![1];
    }
  }
  const register = calls.filter((c) => is(c, 'aws', 'ecs', 'register-task-definition'));
  if (register.length) {
    expect(register).toHaveLength(1);
    out.taskdef = JSON.parse(readFileSync(register[0].capture, 'utf8'));
    out.image = out.taskdef!.containerDefinitions[0].image;
    if (existsSync(renderedTaskdefFile)) out.renderedTaskdef = readFileSync(renderedTaskdefFile, 'utf8');
  }
  const lambdaCode = calls.filter((c) => is(c, 'aws', 'lambda', 'update-function-code'));
  if (lambdaCode.length && lambdaCode[0].argv.includes('--image-uri')) out.image = option(lambdaCode[0], '--image-uri');
  const sync = calls.filter((c) => is(c, 'aws', 's3', 'sync'));
  if (sync.length) out.bucket = sync[0].argv[4].replace(/^s3:\/\//, '');
  const invalidate = calls.filter((c) => is(c, 'aws', 'cloudfront', 'create-invalidation'));
  if (invalidate.length) out.distribution = option(invalidate[0], '--distribution-id');
  return out as Deploy;
}

/** GitHub Actions: the build job's release archive, then each deploy job's steps in a fresh checkout, with its expressions filled in. */
function runGitHub(w: Pick<World, 'config' | 'files' | 'stack'>): NonNullable<World['github']> {
  const { config, files, stack } = w;
  const workflow = parse(files[WORKFLOW_PATH]) as { jobs: Record<string, any> };
  const state = awsState(stack);
  let archive: string | undefined;
  const archiveStep = (workflow.jobs.build.steps as Array<Record<string, any>>).find((s) => s.name === 'Release archive');
  if (archiveStep) {
    const ws = checkout(files);
    buildOutputs(config, ws);
    sh(archiveStep.run, ws, state, {});
    archive = join(ws, 'release.tar');
    const upload = workflow.jobs.build.steps.find((s: { uses?: string }) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload.with).toMatchObject({ name: 'release', path: 'release.tar' });
  }
  const roles: Array<{ job: string; role: string; region: string }> = [];
  const deploys = config.plans.map((plan) => {
    const id = `deploy-${plan.environment}`;
    const job = workflow.jobs[id];
    expect(job, id).toBeDefined();
    expect(job.environment).toBe(plan.environment);
    expect(job.needs).toBe(plan.first ? 'build' : `deploy-${config.plans[plan.index - 1].environment}`);
    const ws = checkout(files);
    const outputs: Record<string, Record<string, string>> = {};
    const expr = (text: string) =>
      text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_m, e: string) => {
        if (e === 'github.sha') return SHA;
        if (e === 'secrets.AWS_ACCOUNT_ID') return ACCOUNT;
        const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
        if (step) {
          const value = outputs[step[1]]?.[step[2]];
          expect(value, `${id}: ${e}`).toBeDefined();
          return value!;
        }
        throw new Error(`${id}: expression ${e} not covered by this test`);
      });
    const env: Record<string, string> = { GITHUB_WORKSPACE: ws };
    let variables: Record<string, string> = {};
    const before = callsOf(state).length;
    for (const step of job.steps as Array<Record<string, any>>) {
      const uses = step.uses as string | undefined;
      if (uses?.startsWith('actions/checkout@')) continue; // ws is the checkout
      if (uses?.startsWith('actions/download-artifact@')) {
        expect(step.with.name).toBe('release');
        expect(archive, 'the build job uploads the release').toBeDefined();
        cpSync(archive!, join(ws, 'release.tar'));
        continue;
      }
      if (uses?.startsWith('aws-actions/configure-aws-credentials@')) {
        roles.push({ job: id, role: expr(step.with['role-to-assume']), region: step.with['aws-region'] });
        env.AWS_REGION = step.with['aws-region'];
        continue;
      }
      expect(uses, `${id}: an action this test knows`).toBeUndefined();
      const stepEnv = Object.fromEntries(Object.entries((step.env ?? {}) as Record<string, unknown>).map(([k, v]) => [k, expr(String(v))]));
      const githubOutput = join(tempDir('cap-wiring-out-'), 'output');
      writeFileSync(githubOutput, '');
      sh(expr(step.run), join(ws, step['working-directory'] ?? '.'), state, { ...env, ...stepEnv, GITHUB_OUTPUT: githubOutput });
      if (step.id) {
        outputs[step.id] = Object.fromEntries(readFileSync(githubOutput, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
        for (const [k, v] of Object.entries(outputs[step.id])) expect(v, `${id}: steps.${step.id}.outputs.${k} (a stack output)`).not.toMatch(/^(null)?$/);
      }
      if (releaseOf(config).script && String(step.run).includes(releaseOf(config).script!)) variables = stepEnv;
    }
    return scriptDeploy({ backend: 'GitHub Actions', plan, variables, calls: callsOf(state).slice(before) }, join(ws, `taskdef-${plan.environment}.json`));
  });
  return { workflow, state, deploys, roles };
}

// ---------------------------------------------------------------- what each target's names must resolve to

/** The names an environment's deploy resolved to in the template (compared across backends). */
type Resolved = Record<string, string | number | undefined>;

function checkLambda(w: World, d: Deploy): Resolved {
  const { stack, config } = w;
  const { plan } = d;
  const where = `${d.backend} ${plan.environment}`;
  const vars = deployVariables(config, plan);
  const code = only(d.calls, 'aws', 'lambda', 'update-function-code');
  const fn = option(code, '--function-name');
  expect(only(d.calls, 'aws', 'lambda', 'publish-version').argv).toContain(fn);
  expect(d.appspec, `${where}: lambda.sh sends an appspec`).toBeDefined();
  // lambda.sh filled in every placeholder: the environment's function, the alias's version and the new one, the hooks (or dropped them).
  expect(tokensIn(d.appspecText!), where).toEqual([]);
  const props = Object.values(d.appspec!.Resources[0] as Record<string, { Type: string; Properties: Record<string, unknown> }>)[0];
  expect(props.Type).toBe('AWS::Lambda::Function');
  expect(props.Properties).toMatchObject({ Name: fn, Alias: vars.ALIAS });
  expect([String(props.Properties.CurrentVersion), String(props.Properties.TargetVersion)]).toEqual(['1', '2']);
  expect([fn, d.application, d.deploymentGroup]).toEqual([vars.FUNCTION_NAME, vars.APPLICATION_NAME, vars.DEPLOYMENT_GROUP_NAME]);
  expect(Object.keys(d.appspec!).pop(), 'Hooks stays last').toBe(plan.existing ? 'Resources' : 'Hooks');

  if (plan.existing) {
    // An existing function: its own application and group, no hooks of ours, nothing in the stack.
    expect([fn, d.application, d.deploymentGroup]).toEqual([plan.existing.functionName, plan.existing.applicationName, plan.existing.deploymentGroupName]);
    expect(d.appspec!.Hooks).toBeUndefined();
    expect(stack.findAll('AWS::Lambda::Function', { FunctionName: fn })).toEqual([]);
    return { fn, application: d.application, group: d.deploymentGroup };
  }
  const fnId = stack.findOne('AWS::Lambda::Function', { FunctionName: fn });
  const aliases = stack.findAll('AWS::Lambda::Alias', { Name: props.Properties.Alias }).filter((a) => refOf(stack.props(a).FunctionName) === fnId);
  expect(aliases, `${where}: alias ${String(props.Properties.Alias)} on ${fn}`).toHaveLength(1);
  // The alias's CodeDeploy update policy names the group, its application and the hooks.
  const update = stack.resources[aliases[0]].UpdatePolicy?.CodeDeployLambdaAliasUpdate as Record<string, unknown>;
  expect(update, `${where}: the alias is shifted by CodeDeploy`).toBeDefined();
  const groupId = stack.findOne('AWS::CodeDeploy::DeploymentGroup', { DeploymentGroupName: d.deploymentGroup });
  expect(refOf(update.DeploymentGroupName)).toBe(groupId);
  const appId = refOf(stack.props(groupId).ApplicationName);
  expect(refOf(update.ApplicationName)).toBe(appId);
  expect(stack.props(appId)).toMatchObject({ ApplicationName: d.application, ComputePlatform: 'Lambda' });
  const hooks = (d.appspec!.Hooks as Array<Record<string, string>>).map((h) => Object.entries(h)[0]);
  expect(hooks.map(([event]) => event)).toEqual(['BeforeAllowTraffic', 'AfterAllowTraffic']);
  for (const [event, name] of hooks) {
    const hookId = stack.findOne('AWS::Lambda::Function', { FunctionName: name });
    expect(refOf(update[`${event}Hook`]), `${where}: ${event}`).toBe(hookId);
    // The hook checks this environment's function.
    expect(stack.props(hookId).Environment.Variables.FUNCTION_NAME).toBe(fn);
  }
  return { fn, alias: String(props.Properties.Alias), application: d.application, group: d.deploymentGroup, hooks: hooks.map(([, n]) => n).join(' ') };
}

function checkEcs(w: World, d: Deploy): Resolved {
  const { stack, config } = w;
  const { plan } = d;
  const where = `${d.backend} ${plan.environment}`;
  const vars = deployVariables(config, plan);
  const td = d.taskdef!;
  expect(td, `${where}: a task definition is registered`).toBeDefined();
  // The build rendered the environment's taskdef with only the image left to fill; the deploy filled that too.
  expect(tokensIn(d.renderedTaskdef!), where).toEqual([TOKENS.image]);
  expect(tokensIn(JSON.stringify(td)), where).toEqual([]);
  const container = td.containerDefinitions[0];
  expect(container.image).toBe(d.image);
  expect(container.logConfiguration.options['awslogs-region']).toBe(stack.region);
  const roleName = (arn: string) => /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(arn);
  for (const arn of [td.executionRoleArn, td.taskRoleArn]) expect(roleName(arn)?.[1], `${where}: ${arn} in the environment's account`).toBe(plan.account ?? ACCOUNT);

  const rolling = config.deployment.kind === 'ecs-rolling';
  const { CLUSTER: cluster, SERVICE: service } = vars;
  expect(d.variables).toMatchObject({ CLUSTER: cluster, SERVICE: service });
  if (rolling) {
    // ecs.sh: a rolling update of the service to the task definition it registered.
    const update = only(d.calls, 'aws', 'ecs', 'update-service');
    expect([option(update, '--cluster'), option(update, '--service'), option(update, '--task-definition')]).toEqual([cluster, service, `arn:aws:ecs:${stack.region}:${ACCOUNT}:task-definition/${td.family}:1`]);
  }
  if (!rolling) {
    expect(d.appspec!.Resources[0].TargetService.Properties.TaskDefinition).toBe(d.backend === 'GitHub Actions' ? `arn:aws:ecs:${stack.region}:${ACCOUNT}:task-definition/${td.family}:1` : TOKENS.taskDefinition);
    expect([d.application, d.deploymentGroup]).toEqual([vars.APPLICATION_NAME, vars.DEPLOYMENT_GROUP_NAME]);
  }

  if (plan.existing) {
    expect([cluster, service]).toEqual([plan.existing.clusterName, plan.existing.serviceName]);
    expect(stack.findAll('AWS::ECS::Service', { ServiceName: service })).toEqual([]);
    // The roles the environment's account provides under the plan's names: in this account, the stack's own.
    expect([roleName(td.executionRoleArn)![2], roleName(td.taskRoleArn)![2]]).toEqual([plan.names.executionRole, plan.names.taskRole]);
    if (!plan.crossAccount) for (const arn of [td.executionRoleArn, td.taskRoleArn]) stack.findOne('AWS::IAM::Role', { RoleName: roleName(arn)![2] });
    // In another account, ecs.sh acts as that account's deploy role.
    if (plan.crossAccount && d.backend === 'CodePipeline') {
      expect(d.variables.DEPLOY_ROLE_ARN).toBe(`arn:aws:iam::${plan.account}:role/${plan.names.crossAccountRole}`);
      expect(option(only(d.calls, 'aws', 'sts', 'assume-role'), '--role-arn')).toBe(d.variables.DEPLOY_ROLE_ARN);
    }
    return { cluster, service, family: td.family, application: d.application, group: d.deploymentGroup };
  }

  const serviceId = stack.findOne('AWS::ECS::Service', { ServiceName: service });
  const svc = stack.props(serviceId);
  const clusterId = refOf(svc.Cluster);
  expect(stack.props(clusterId).ClusterName, `${where}: CLUSTER`).toBe(cluster);
  // The service's task definition: a Ref, or (CodeDeploy controller) its family.
  const tdId = typeof svc.TaskDefinition === 'string' ? stack.findOne('AWS::ECS::TaskDefinition', { Family: svc.TaskDefinition }) : refOf(svc.TaskDefinition);
  const stackTd = stack.props(tdId);
  expect(td.family, `${where}: family`).toBe(stackTd.Family);
  for (const [key, cfnKey] of [['executionRoleArn', 'ExecutionRoleArn'], ['taskRoleArn', 'TaskRoleArn']] as const) {
    const roleId = refOf(stackTd[cfnKey]);
    expect(roleName(td[key])![2], `${where}: ${key}`).toBe(stack.props(roleId).RoleName);
    expect(td[key]).toBe(stack.resolver.getAtt(roleId, 'Arn'));
  }
  const stackContainer = stackTd.ContainerDefinitions[0];
  const logGroupId = refOf(stackContainer.LogConfiguration.Options['awslogs-group']);
  expect(container.logConfiguration.options['awslogs-group'], `${where}: awslogs-group`).toBe(stack.props(logGroupId).LogGroupName);
  stack.findOne('AWS::Logs::LogGroup', { LogGroupName: container.logConfiguration.options['awslogs-group'] });
  const lb = svc.LoadBalancers[0];
  expect([container.name, container.portMappings[0].containerPort], `${where}: the container the load balancer sends to`).toEqual([lb.ContainerName, lb.ContainerPort]);
  expect(container.name).toBe(stackContainer.Name);
  if (!rolling) {
    expect(d.appspec!.Resources[0].TargetService.Properties.LoadBalancerInfo).toEqual({ ContainerName: lb.ContainerName, ContainerPort: lb.ContainerPort });
    const groupId = stack.findOne('AWS::CodeDeploy::DeploymentGroup', { DeploymentGroupName: d.deploymentGroup });
    const group = stack.props(groupId);
    expect(group.ECSServices).toHaveLength(1);
    expect([refOf(group.ECSServices[0].ClusterName), refOf(group.ECSServices[0].ServiceName)]).toEqual([clusterId, serviceId]);
    expect(stack.props(refOf(group.ApplicationName))).toMatchObject({ ApplicationName: d.application, ComputePlatform: 'ECS' });
    // CodeDeploy shifts production traffic on the listener the service is behind (HTTPS with the certificate, when given), tests on the closed test listener.
    const pair = group.LoadBalancerInfo.TargetGroupPairInfoList[0];
    const production = stack.props(refOf(pair.ProdTrafficRoute.ListenerArns[0]));
    expect(refOf(production.DefaultActions[0].TargetGroupArn), `${where}: the production listener forwards to the service's target group`).toBe(refOf(lb.TargetGroupArn));
    expect(production).toMatchObject(config.certificateArn ? { Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: config.certificateArn }] } : { Port: 80, Protocol: 'HTTP' });
    const test = stack.props(refOf(pair.TestTrafficRoute.ListenerArns[0]));
    expect(test).toMatchObject({ Port: TEST_LISTENER_PORT, Protocol: 'HTTP' });
    expect(refOf(test.DefaultActions[0].TargetGroupArn)).toBe(refOf(pair.TargetGroups[1].Name));
  }
  return { cluster, service, family: td.family, executionRole: td.executionRoleArn, taskRole: td.taskRoleArn, logGroup: container.logConfiguration.options['awslogs-group'], application: d.application, group: d.deploymentGroup };
}

function checkEc2(w: World, d: Deploy): Resolved {
  const { stack, config } = w;
  const { plan } = d;
  const vars = deployVariables(config, plan);
  expect([d.application, d.deploymentGroup]).toEqual([vars.APPLICATION_NAME, vars.DEPLOYMENT_GROUP_NAME]);
  const groupId = stack.findOne('AWS::CodeDeploy::DeploymentGroup', { DeploymentGroupName: d.deploymentGroup });
  const group = stack.props(groupId);
  expect(stack.props(refOf(group.ApplicationName))).toMatchObject({ ApplicationName: d.application, ComputePlatform: 'Server' });
  if (!plan.existing) {
    // The group's target group is what the serving listener forwards to: HTTPS with the certificate, when given.
    const targetGroup = refOf(group.LoadBalancerInfo.TargetGroupInfoList[0].Name);
    const serving = stack.findAll('AWS::ElasticLoadBalancingV2::Listener').map((id) => stack.props(id)).filter((l) => l.DefaultActions[0].Type === 'forward' && refOf(l.DefaultActions[0].TargetGroupArn) === targetGroup);
    expect(serving).toHaveLength(1);
    expect(serving[0]).toMatchObject(config.certificateArn ? { Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: config.certificateArn }] } : { Port: 80, Protocol: 'HTTP' });
  }
  if (d.backend === 'GitHub Actions') {
    const create = only(d.calls, 'aws', 'deploy', 'create-deployment');
    expect(option(create, '--deployment-config-name')).toBe(group.DeploymentConfigName);
    expect(option(only(d.calls, 'aws', 'deploy', 'push'), '--application-name')).toBe(d.application);
    // The revision goes to the bucket the stack outputs, which the fleet reads.
    expect(d.revisionBucket).toBe(stack.resolve(stack.outputs.RevisionBucket.Value));
  }
  return { application: d.application, group: d.deploymentGroup };
}

function checkSite(w: World, d: Deploy): Resolved {
  const { stack } = w;
  const { plan } = d;
  if (plan.existing) {
    expect(d.bucket).toBe(plan.existing.bucketName);
    return { bucket: d.bucket };
  }
  const bucketIds = stack.findAll('AWS::S3::Bucket').filter((id) => stack.resolver.physicalName(id) === d.bucket);
  expect(bucketIds, `${d.backend} ${plan.environment}: bucket ${d.bucket}`).toHaveLength(1);
  expect(refOf(stack.outputs[plan.outputs.siteBucket].Value)).toBe(bucketIds[0]);
  const distributionId = refOf(stack.outputs[plan.outputs.distributionId].Value);
  const origins = stack.props(distributionId).DistributionConfig.Origins as Array<{ DomainName: unknown }>;
  expect(origins.map((o) => refOf(o.DomainName)), 'the distribution serves the bucket').toEqual([bucketIds[0]]);
  if (d.backend === 'GitHub Actions') expect(d.distribution).toBe(stack.resolve({ Ref: distributionId }));
  return { bucket: d.bucket };
}

const CHECKS: Record<PipelineConfig['target'], (w: World, d: Deploy) => Resolved> = { 'lambda': checkLambda, 'ecs': checkEcs, 'ec2': checkEc2, 's3-site': checkSite };

// ---------------------------------------------------------------- the combinations

const three = ['dev', 'qa', 'prod'];
const valid = listMatrix().valid;
const combos: Array<[string, Record<string, unknown>]> = [
  ...valid.map((c, i): [string, Record<string, unknown>] => {
    const base = { runtime: c.runtime, target: c.target, strategy: c.strategy };
    if (i % 2 === 0) return [`${c.runtime} ${c.target} ${c.strategy}, CodePipeline and GitHub Actions`, { ...base, ci: 'both', source: 'github' }];
    const source = SOURCES[Math.floor(i / 2) % SOURCES.length];
    return [`${c.runtime} ${c.target} ${c.strategy}, CodePipeline from ${source}, account ${ACCOUNT}`, { ...base, ci: 'codepipeline', source, account: ACCOUNT }];
  }),
  ['node ecs canary, dev qa prod, both', { runtime: 'node', target: 'ecs', strategy: 'canary', ci: 'both', environments: three }],
  ['container ecs half-at-a-time, dev qa prod, CodePipeline from gitlab', { runtime: 'container', target: 'ecs', strategy: 'half-at-a-time', source: 'gitlab', environments: three }],
  ['python lambda linear, dev qa prod, both, account given', { runtime: 'python', target: 'lambda', strategy: 'linear', ci: 'both', environments: three, account: ACCOUNT }],
  ['container lambda all-at-once, dev qa prod, GitHub Actions', { runtime: 'container', target: 'lambda', strategy: 'all-at-once', ci: 'github-actions', environments: three }],
  ['java ec2 half-at-a-time, dev qa prod, both', { runtime: 'java', target: 'ec2', strategy: 'half-at-a-time', ci: 'both', environments: three }],
  ['node s3-site, dev qa prod, both', { runtime: 'node', target: 's3-site', strategy: 'all-at-once', ci: 'both', environments: three }],
  [
    'node lambda canary, existing production, both',
    { runtime: 'node', target: 'lambda', strategy: 'canary', ci: 'both', existing: { production: { applicationName: 'legacy-app', deploymentGroupName: 'legacy-group', functionName: 'legacy-fn' } } },
  ],
  ['node s3-site, existing production bucket, both', { runtime: 'node', target: 's3-site', ci: 'both', existing: { production: { bucketName: 'legacy-site-bucket' } } }],
  [
    'node ecs half-at-a-time, existing production in another account, both',
    { runtime: 'node', target: 'ecs', strategy: 'half-at-a-time', ci: 'both', account: ACCOUNT, productionAccount: PRODUCTION_ACCOUNT, existing: { production: { clusterName: 'legacy', serviceName: 'legacy-web' } } },
  ],
  ['node ecs blue-green over HTTPS, both, account given', { runtime: 'node', target: 'ecs', strategy: 'blue-green', ci: 'both', account: ACCOUNT, certificateArn: CERTIFICATE }],
  ['python ec2 one-at-a-time over HTTPS, CodePipeline', { runtime: 'python', target: 'ec2', strategy: 'one-at-a-time', certificateArn: CERTIFICATE }],
  [
    'node ecs blue-green, existing production, both',
    { runtime: 'node', target: 'ecs', strategy: 'blue-green', ci: 'both', existing: { production: { applicationName: 'legacy-app', deploymentGroupName: 'legacy-group', clusterName: 'legacy', serviceName: 'legacy-web' } } },
  ],
];

describe.each(combos)('%s', (_label, options) => {
  let w: World;
  beforeAll(() => {
    const synthesized = synthesize(options);
    w = {
      ...synthesized,
      ...(usesCodePipeline(synthesized.config) ? { codePipeline: runCodePipeline(synthesized) } : {}),
      ...(synthesized.config.ci !== 'codepipeline' ? { github: runGitHub(synthesized) } : {}),
    };
  });

  it('every environment deploys, in each backend, to resources of the stack, with the variables of the release table', () => {
    const backends = [w.codePipeline, w.github].filter((b) => b !== undefined);
    expect(backends.length).toBe(w.config.ci === 'both' ? 2 : 1);
    const resolved = backends.map((b) => b.deploys.map((d) => CHECKS[w.config.target](w, d)));
    // Both backends deploy an environment to the same resources.
    if (resolved.length === 2) expect(resolved[1]).toEqual(resolved[0]);
    for (const r of resolved[0]) expect(Object.values(r).filter(Boolean).length).toBeGreaterThan(0);
    if (w.github) {
      for (const d of w.github.deploys) {
        const expected = deployVariables(w.config, d.plan);
        if (Object.keys(expected).length) expect(d.variables, `GitHub Actions ${d.plan.environment}: the deploy step's env`).toMatchObject(expected);
      }
    }
  });

  if (options.ci === 'both' || options.ci === 'github-actions') {
    it('GitHub Actions: each job assumes the role the stack made for its repository and environment, in the stack\'s Region and account', () => {
      const { roles } = w.github!;
      expect(roles.map((r) => r.job)).toEqual(w.config.plans.map((p) => `deploy-${p.environment}`));
      for (const [i, { job, role, region }] of roles.entries()) {
        const plan = w.config.plans[i];
        expect(region).toBe(w.stack.region);
        const [, account, name] = /^arn:aws:iam::(\d{12}):role\/([\w+=,.@-]+)$/.exec(role) ?? [];
        expect(account, `${job}: ${role}`).toBe(plan.account ?? ACCOUNT);
        if (plan.crossAccount) {
          // Another account provides this environment's role: the stack makes none of that name.
          expect(name).toBe(plan.names.githubRole);
          expect(w.stack.findAll('AWS::IAM::Role', { RoleName: name })).toEqual([]);
          continue;
        }
        const roleId = w.stack.findOne('AWS::IAM::Role', { RoleName: name });
        const trust = w.stack.props(roleId).AssumeRolePolicyDocument.Statement as Array<Record<string, any>>;
        expect(trust, `${job}: ${name} trusts ${w.config.repository}'s ${plan.environment} environment`).toContainEqual(
          expect.objectContaining({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { [`${OIDC}:aud`]: 'sts.amazonaws.com', [`${OIDC}:sub`]: `repo:${w.config.repository}:environment:${plan.environment}` } },
          }),
        );
      }
    });

    if (options.target === 'ec2' || options.target === 's3-site') {
      it('GitHub Actions: reads outputs the stack has, from the stack the CDK app deploys', () => {
        const text = w.files[WORKFLOW_PATH] as string;
        const keys = [...text.matchAll(/select\(\.OutputKey == "([^"]+)"\)/g)].map((m) => m[1]);
        expect(keys.length).toBeGreaterThanOrEqual(w.config.plans.length);
        for (const key of keys) expect(Object.keys(w.stack.outputs), `output ${key}`).toContain(key);
        const stacks = [...text.matchAll(/^\s+STACK: (.+)$/gm)].map((m) => m[1]);
        expect(new Set(stacks)).toEqual(new Set([w.config.names.stack]));
        expect(w.stack.name).toBe(w.config.names.stack);
        expect(w.files['infra/main.ts']).toContain(`new AwsPipelineStack(app, ${JSON.stringify(w.config.names.stack)}, {`);
        expect(w.files['infra/main.ts']).not.toContain('stackName');
      });
    }
  }

  if (options.ci !== 'github-actions') {
    it('CodePipeline: each deploy action names the stack\'s CodeDeploy application and group, or its bucket, or runs a deploy project of the stack', () => {
      const pipeline = w.stack.pipeline()!;
      for (const plan of w.config.plans) {
        const action = (pipeline.Stages as Array<{ Name: string; Actions: Array<Record<string, any>> }>)
          .find((s) => s.Name === `Deploy-${plan.environment}`)!.Actions.find((a) => a.Name === 'Deploy')!;
        const cfg = action.Configuration as Record<string, any>;
        const kind = w.config.deployment.kind;
        if (plan.existing) {
          // An existing target: its own application and group by name, its bucket, or the environment's deploy project.
          if (action.ActionTypeId.Provider === 'CodeBuild') expect(w.stack.props(refOf(cfg.ProjectName)).Name).toBe(plan.names.deployProject);
          else if (action.ActionTypeId.Provider === 'S3') expect(w.stack.resolve(cfg.BucketName)).toBe(plan.existing.bucketName);
          else expect([w.stack.resolve(cfg.ApplicationName), w.stack.resolve(cfg.DeploymentGroupName)]).toEqual([plan.existing.applicationName, plan.existing.deploymentGroupName]);
          continue;
        }
        switch (kind) {
          case 'codedeploy-server':
          case 'codedeploy-ecs': {
            expect(action.ActionTypeId.Provider).toBe(kind === 'codedeploy-server' ? 'CodeDeploy' : 'CodeDeployToECS');
            const group = w.stack.props(refOf(cfg.DeploymentGroupName));
            expect(group.DeploymentGroupName).toBe(plan.names.deploymentGroup);
            expect(refOf(cfg.ApplicationName)).toBe(refOf(group.ApplicationName));
            expect(w.stack.props(refOf(cfg.ApplicationName)).ApplicationName).toBe(plan.names.application);
            if (kind === 'codedeploy-ecs') expect(w.stack.props(refOf(group.ECSServices[0].ServiceName)).ServiceName).toBe(plan.names.service);
            break;
          }
          case 'ecs-rolling':
          case 'codedeploy-lambda':
            expect(action.ActionTypeId.Provider).toBe('CodeBuild');
            expect(w.stack.props(refOf(cfg.ProjectName)).Name).toBe(plan.names.deployProject);
            break;
          case 's3-deploy':
            expect(action.ActionTypeId.Provider).toBe('S3');
            expect(refOf(w.stack.outputs[plan.outputs.siteBucket].Value)).toBe(refOf(cfg.BucketName));
            break;
        }
      }
    });
  }

  if (options.target === 'ecs' || (options.target === 'lambda' && options.runtime === 'container')) {
    it('images: the deploys release the image the build pushed, tagged with the commit, to the stack\'s repository', () => {
      const repoId = w.stack.findOne('AWS::ECR::Repository', { RepositoryName: w.config.names.ecrRepository });
      const uri = w.stack.resolver.getAtt(repoId, 'RepositoryUri');
      if (w.codePipeline) {
        // CodeBuild: IMAGE_REPO_URI is the repository's URI; push-image.sh pushes $IMAGE_REPO_URI:$IMAGE_TAG, the commit.
        expect(w.codePipeline.imageRepoUri).toBe(uri);
        expect(pushed(w.codePipeline.state)).toEqual([`${uri}:${SHA}`]);
        for (const d of w.codePipeline.deploys) expect(d.image, `CodePipeline ${d.plan.environment}`).toBe(`${uri}:${SHA}`);
      }
      if (w.github) {
        // GitHub Actions: the first job pushes IMAGE_TAG=${{ github.sha }}; the later ones find that same tag (--existing).
        const jobs = w.config.plans.map((p) => (w.github!.workflow.jobs[`deploy-${p.environment}`].steps as Array<Record<string, any>>).find((s) => String(s.run ?? '').includes('push-image.sh'))!);
        for (const [i, step] of jobs.entries()) {
          expect(step.env).toMatchObject({ REPOSITORY: w.stack.props(repoId).RepositoryName, IMAGE_TAG: '${{ github.sha }}' });
          expect(step.run).toMatch(i === 0 ? /push-image\.sh app$/m : /push-image\.sh --existing$/m);
        }
        expect(pushed(w.github.state)).toEqual([`${uri}:${SHA}`]);
        expect(callsOf(w.github.state).filter((c) => is(c, 'docker', 'push'))).toHaveLength(1);
        // A job in another account checks the image (ecr:DescribeImages) in this account's repository as its own role: the repository must allow it.
        const policy = (w.stack.props(repoId).RepositoryPolicyText?.Statement ?? []) as Array<Record<string, any>>;
        for (const p of w.config.plans.filter((x) => x.crossAccount && !x.first)) {
          const allowed = policy.some((st) => st.Effect === 'Allow' && [st.Action].flat().includes('ecr:DescribeImages') && JSON.stringify(st.Principal).includes(`:iam::${p.account}:root`));
          expect(allowed, `deploy-${p.environment} (account ${p.account}) may run push-image.sh --existing against ${w.stack.props(repoId).RepositoryName}`).toBe(true);
        }
        for (const d of w.github.deploys) expect(d.image, `GitHub Actions ${d.plan.environment}`).toBe(`${uri}:${SHA}`);
      }
    });
  }

  if (options.ci !== 'github-actions') {
    it('CodePipeline: the build writes every file its artifacts list, and the deploys read nothing else', () => {
      const { spec, artifacts } = w.codePipeline!;
      const expected = releaseOf(w.config).files;
      expect(spec.artifacts.files).toEqual([...expected]);
      const inArtifact = filesUnder(artifacts);
      for (const pattern of spec.artifacts.files as string[]) {
        const prefix = pattern.endsWith('**/*') ? pattern.slice(0, -'**/*'.length) : undefined;
        expect(inArtifact.some((f) => (prefix === undefined ? f === pattern : f.startsWith(prefix))), pattern).toBe(true);
      }
      // The deploys ran in a copy of the artifact alone (a script exits non-zero on a missing file), one per environment.
      expect(w.codePipeline!.deploys.map((d) => d.plan.environment)).toEqual(w.config.environments);
    });
  }
});

// ---------------------------------------------------------------- partitions

/**
 * Outside the `aws` partition (China, GovCloud, the European Sovereign Cloud) the stack's ARNs and registry
 * follow the partition (CloudFormation's AWS::Partition and AWS::URLSuffix); the ARNs and the registry the
 * buildspec and the workflow write must too. RegionInfo (aws-cdk-lib) says which partition and domain a Region has.
 */
describe.each(['us-east-1', 'cn-north-1', 'us-gov-west-1', 'eusc-de-east-1'].map((r) => [r]))('in %s', (region) => {
  it('the role ARNs and the image registry the buildspec and workflow write are those of the Region\'s partition', () => {
    const { partition, domainSuffix } = RegionInfo.get(region);
    const { files, stack } = synthesize({ target: 'ecs', strategy: 'blue-green', ci: 'both', region });
    // The stack's own: the build's IMAGE_REPO_URI is built on AWS::URLSuffix, the task definition's roles are Fn::GetAtt ARNs.
    const build = stack.props(stack.findOne('AWS::CodeBuild::Project', { Name: 'svc-build' }));
    expect(JSON.stringify(build.Environment.EnvironmentVariables)).toContain('"AWS::URLSuffix"');
    for (const id of stack.findAll('AWS::ECS::TaskDefinition')) expect(stack.props(id).ExecutionRoleArn['Fn::GetAtt']).toBeDefined();

    const spec = parse(files['buildspec.yml']) as Record<string, any>;
    const workflow = parse(files[WORKFLOW_PATH]) as { jobs: Record<string, { steps: Array<Record<string, any>> }> };
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const written = [
      ...(spec.phases.post_build.commands as string[]).map((c) => ['buildspec.yml post_build', c] as const),
      ...steps.filter((s) => s.run).map((s) => [`workflow step ${s.name}`, String(s.run)] as const),
      ...steps.filter((s) => s.with?.['role-to-assume']).map((s) => ['workflow role-to-assume', String(s.with['role-to-assume'])] as const),
    ];
    const arns = written.flatMap(([where, text]) => (text.match(/arn:[\w-]*:[\w-]*:/g) ?? []).map((arn) => [where, arn] as const));
    expect(arns.length).toBeGreaterThanOrEqual(3 * 2);
    // Every mismatch at once: where, what is written, what the partition needs.
    const problems = arns.filter(([, arn]) => !arn.startsWith(`arn:${partition}:`)).map(([where, arn]) => `${where}: ${arn} (needs arn:${partition}:)`);

    const push = steps.find((s) => String(s.run ?? '').includes('push-image.sh'))!;
    const exportLine = String(push.run).split('\n').find((l) => l.includes('IMAGE_REPO_URI='))!;
    const r = spawnSync('bash', ['-c', `${exportLine}\nprintf %s "$IMAGE_REPO_URI"`], { encoding: 'utf8', env: { PATH: process.env.PATH, REGISTRY_ACCOUNT: ACCOUNT, AWS_REGION: region, REPOSITORY: push.env.REPOSITORY } });
    const registry = `${ACCOUNT}.dkr.ecr.${region}.${domainSuffix}/svc`;
    if (r.stdout !== registry) problems.push(`workflow IMAGE_REPO_URI: ${r.stdout} (needs ${registry})`);
    expect([...new Set(problems)], region).toEqual([]);
  });
});
