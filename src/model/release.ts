/**
 * How each kind of deployment is released, for both CI backends: what the
 * build makes and hands on, which script deploys an environment, with which
 * variables, and how long it may take. CodePipeline (buildspec.yml and the
 * stack's deploy actions) and GitHub Actions (the workflow) both read this
 * table; a new target is one more entry, and the compiler checks every
 * switch on the kind.
 */
import type { PipelineConfig } from './config';
import { APP_DIR, DEPLOY_DIR, EC2_HOOKS, HOOKS_DIR, needsImage } from './layout';
import { DEPLOY_MARGIN_MINUTES, ecsNativeWaitMinutes } from './matrix';
import type { Deployment } from './matrix';
import type { EnvironmentPlan } from './plan';
import { TOOLCHAINS } from './toolchains';

export interface Release {
  /** What the deploy reads, as paths (or globs) from the repo root after the build: buildspec artifacts and GitHub's release archive. */
  readonly files: readonly string[];
  /** Where `files` are relative to, when not the repo root (the S3 site's built folder). */
  readonly baseDirectory?: string;
  /** The build, in the app folder, after lint and unit tests. */
  readonly build: readonly string[];
  /** The deploy script (in the release) GitHub Actions runs, and CodeBuild deploy actions where CodePipeline has no standard action. */
  readonly script?: string;
  /** CodePipeline deploys with a CodeBuild action running `script` (no standard action does this deploy right). */
  readonly codeBuildDeploy: boolean;
  /** The most a deployment can take: its traffic-shifting window and hook timeouts, plus a margin. */
  readonly waitMinutes: number;
}

/** Minutes added to every deployment window: task or instance start, alarms' evaluation, CodeDeploy's own steps. */
const MARGIN = DEPLOY_MARGIN_MINUTES;

/** The Auto Scaling group's largest size (the EC2 target): the hosts a rolling deployment goes through. */
export const EC2_MAX_HOSTS = 4;

/** What ECS blue/green keeps the old tasks for after traffic moved (CodeDeploy's termination wait). */
export const ECS_TERMINATION_WAIT_MINUTES = 10;

const script = (name: string) => `${DEPLOY_DIR}/${name}`;

/** Minutes CodeDeploy takes to move all traffic: canary shifts once after the interval, linear ten times. */
function shiftMinutes(c: Pick<PipelineConfig, 'strategy' | 'interval'>): number {
  if (c.strategy === 'canary') return c.interval ?? 0;
  if (c.strategy === 'linear') return 10 * (c.interval ?? 0);
  return 0;
}

/** The taskdef file of one environment (rendered by the build from taskdef.json). */
export function taskdefFile(environment: string): string {
  return `taskdef-${environment}.json`;
}

/** The zip a Lambda deploy uploads (built in the app folder). */
export const LAMBDA_PACKAGE = `${APP_DIR}/function.zip`;

export function releaseOf(c: PipelineConfig): Release {
  const tc = TOOLCHAINS[c.runtime];
  const d: Deployment = c.deployment;
  switch (d.kind) {
    case 'codedeploy-server': {
      const hostsAtOnce = { 'CodeDeployDefault.OneAtATime': 1, 'CodeDeployDefault.HalfAtATime': EC2_MAX_HOSTS / 2 }[d.config] ?? EC2_MAX_HOSTS;
      const perHost = EC2_HOOKS.reduce((sum, h) => sum + h.timeout, 0) / 60;
      return {
        files: ['appspec.yml', ...[...EC2_HOOKS.map((h) => h.script), 'common.sh'].map((s) => `${HOOKS_DIR}/${s}`), `${APP_DIR}/**/*`, script('ec2.sh'), script('wait-deployment.sh')],
        build: tc.build,
        script: script('ec2.sh'),
        codeBuildDeploy: false,
        waitMinutes: Math.ceil((EC2_MAX_HOSTS / hostsAtOnce) * perHost) + MARGIN,
      };
    }
    case 'codedeploy-ecs':
      return {
        files: ['appspec.yml', ...c.environments.map(taskdefFile), 'imageDetail.json', script('ecs.sh'), script('wait-deployment.sh')],
        build: tc.build,
        script: script('ecs.sh'),
        codeBuildDeploy: false,
        waitMinutes: shiftMinutes(c) + ECS_TERMINATION_WAIT_MINUTES + MARGIN,
      };
    case 'ecs-rolling':
      return {
        files: [...c.environments.map(taskdefFile), 'imageDetail.json', script('ecs.sh')],
        build: tc.build,
        script: script('ecs.sh'),
        codeBuildDeploy: true,
        waitMinutes: 30,
      };
    case 'ecs-native':
      // CodePipeline: a CodeBuild action runs ecs.sh, as for rolling: ECS's standard deploy action would copy the
      // service's running revision (the stack's stand-in command included) instead of registering taskdef.json.
      return {
        files: [...c.environments.map(taskdefFile), 'imageDetail.json', script('ecs.sh')],
        build: tc.build,
        script: script('ecs.sh'),
        codeBuildDeploy: true,
        waitMinutes: ecsNativeWaitMinutes(c.strategy, c.interval ?? 0),
      };
    case 'codedeploy-lambda': {
      const zip = needsImage(c) ? undefined : tc.lambda;
      return {
        files: ['appspec.yml', zip ? LAMBDA_PACKAGE : 'imageDetail.json', script('lambda.sh'), script('wait-deployment.sh')],
        build: zip ? zip.package : tc.build,
        script: script('lambda.sh'),
        codeBuildDeploy: true,
        waitMinutes: shiftMinutes(c) + MARGIN,
      };
    }
    case 's3-deploy':
      return { files: ['**/*'], baseDirectory: `${APP_DIR}/dist`, build: tc.build, codeBuildDeploy: false, script: script('s3-site.sh'), waitMinutes: MARGIN };
    default: {
      const never: never = d;
      throw new Error(`no release for ${JSON.stringify(never)}`);
    }
  }
}

/** The deploy scripts a configuration's repo carries. */
export function deployScripts(c: PipelineConfig): string[] {
  const scripts = new Set<string>();
  const r = releaseOf(c);
  if (r.script) scripts.add(r.script);
  for (const f of r.files) if (f.startsWith(`${DEPLOY_DIR}/`)) scripts.add(f);
  if (needsImage(c)) scripts.add(script('push-image.sh'));
  if (c.deployment.kind === 'codedeploy-ecs' || c.deployment.kind === 'ecs-rolling' || c.deployment.kind === 'ecs-native') scripts.add(script('render-taskdef.sh'));
  return [...scripts].sort();
}

/**
 * The variables the deploy script of one environment reads that are known before anything runs (both backends
 * set them; values only a run knows, such as a stack output or the image, each backend adds).
 */
export function deployVariables(c: PipelineConfig, p: EnvironmentPlan): Record<string, string> {
  const n = p.names;
  const wait = { WAIT_MINUTES: String(releaseOf(c).waitMinutes) };
  const d = c.deployment;
  switch (d.kind) {
    case 'codedeploy-server':
      return { APPLICATION_NAME: n.application, DEPLOYMENT_GROUP_NAME: n.deploymentGroup, DEPLOYMENT_CONFIG: d.config, ...wait };
    case 'codedeploy-ecs':
      return { CLUSTER: n.cluster, SERVICE: n.service, APPLICATION_NAME: n.application, DEPLOYMENT_GROUP_NAME: n.deploymentGroup, ...wait };
    case 'ecs-rolling':
    case 'ecs-native':
      return { CLUSTER: n.cluster, SERVICE: n.service, ...wait };
    case 'codedeploy-lambda': {
      const zip = needsImage(c) ? undefined : TOOLCHAINS[c.runtime].lambda;
      return {
        FUNCTION_NAME: n.function,
        ALIAS: n.alias,
        APPLICATION_NAME: n.application,
        DEPLOYMENT_GROUP_NAME: n.deploymentGroup,
        ...(n.beforeAllowTrafficHook && n.afterAllowTrafficHook ? { BEFORE_ALLOW_TRAFFIC_HOOK: n.beforeAllowTrafficHook, AFTER_ALLOW_TRAFFIC_HOOK: n.afterAllowTrafficHook } : {}),
        ...(zip ? { LAMBDA_RUNTIME: zip.runtime, LAMBDA_HANDLER: zip.handler, LAMBDA_PACKAGE } : {}),
        ...wait,
      };
    }
    case 's3-deploy':
      return {};
    default: {
      const never: never = d;
      throw new Error(`no deploy variables for ${JSON.stringify(never)}`);
    }
  }
}

/** The arguments of the taskdef rendering for one environment: family, log group, and the roles' ARNs in its account. */
export function taskdefArguments(c: Pick<PipelineConfig, 'partition'>, p: EnvironmentPlan, account: string): [string, string, string, string] {
  const role = (name: string) => `arn:${c.partition.partition}:iam::${account}:role/${name}`;
  return [p.names.taskFamily, p.names.logGroup, role(p.names.executionRole), role(p.names.taskRole)];
}
