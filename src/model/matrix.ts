/**
 * Which runtime / target / strategy combinations AWS supports, and how each
 * valid one deploys. Every refusal carries AWS's reason; every valid
 * combination names the deployment it becomes. This is the only place that
 * knows; the CLI lists it, the generator and the CDK constructs read it.
 */
import { CI_SYSTEMS, ECS_ENGINES, RUNTIMES, SOURCES, STRATEGIES, TARGETS } from './catalog';
import type { CiSystem, EcsEngine, Runtime, Source, Strategy, Target } from './catalog';

export interface Combination {
  readonly runtime: Runtime;
  readonly target: Target;
  readonly strategy: Strategy;
  /** Who runs an ECS deployment (the ecs target only). @default "codedeploy" for blue-green, canary and linear */
  readonly engine?: EcsEngine;
}

/** ECS's own deployment strategies (AWS::ECS::Service DeploymentConfiguration.Strategy) this generator uses. */
export type EcsNativeStrategy = 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

/** How a valid combination is deployed. */
export type Deployment =
  | { readonly kind: 'codedeploy-server'; readonly config: string }
  | { readonly kind: 'codedeploy-ecs'; readonly config: string }
  | { readonly kind: 'ecs-rolling'; readonly minimumHealthyPercent: number; readonly maximumPercent: number }
  /**
   * ECS's own blue/green, linear or canary deployment (ECS deployment controller): `stepPercent` of the traffic
   * moves, then `stepBakeMinutes` pass before the next step (linear) or the rest (canary); after all traffic
   * moved, the old tasks stay `bakeMinutes` (the rollback window).
   */
  | {
    readonly kind: 'ecs-native';
    readonly strategy: EcsNativeStrategy;
    readonly stepPercent?: number;
    readonly stepBakeMinutes?: number;
    readonly bakeMinutes: number;
  }
  | { readonly kind: 'codedeploy-lambda'; readonly config: string }
  | { readonly kind: 's3-deploy' };

/**
 * The traffic-shifting intervals (minutes) of CodeDeploy's predefined
 * canary and linear configurations; each shifts 10 percent of traffic.
 */
export const TRAFFIC_INTERVALS: Readonly<Record<'ecs' | 'lambda', Readonly<Record<'canary' | 'linear', readonly number[]>>>> = {
  lambda: { canary: [5, 10, 15, 30], linear: [1, 2, 3, 10] },
  ecs: { canary: [5, 15], linear: [1, 3] },
};

/**
 * ECS native: the percent each canary or linear step shifts. CodeDeploy's predefined ECS configurations all shift
 * 10 percent, so `--strategy canary|linear --interval N` means the same with either engine.
 */
export const ECS_NATIVE_STEP_PERCENT = 10;

/** ECS native: minutes the old tasks stay after all traffic moved (BakeTimeInMinutes), as CodeDeploy's termination wait. */
export const ECS_NATIVE_BAKE_MINUTES = 10;

/** Minutes added to every deployment window: task start, alarms' evaluation, the engine's own steps. */
export const DEPLOY_MARGIN_MINUTES = 15;

/**
 * The longest ECS native deployment window (minutes) a release may wait for: a GitHub-hosted deploy job runs at
 * most 360 minutes (its timeout is the window + 15) and amazon-ecs-deploy-task-definition's wait-for-minutes stops at 360.
 */
export const ECS_NATIVE_MAX_WAIT_MINUTES = 345;

/** Minutes ECS native takes to move all traffic: canary waits once, linear after each step but the last (ECS does not bake after 100 percent). */
export function ecsNativeShiftMinutes(strategy: Strategy, interval: number): number {
  if (strategy === 'canary') return interval;
  if (strategy === 'linear') return (100 / ECS_NATIVE_STEP_PERCENT - 1) * interval;
  return 0;
}

/** ECS native's whole window: shifting, the bake, and the margin. */
export function ecsNativeWaitMinutes(strategy: Strategy, interval: number): number {
  return ecsNativeShiftMinutes(strategy, interval) + ECS_NATIVE_BAKE_MINUTES + DEPLOY_MARGIN_MINUTES;
}

/** The intervals (whole minutes, from 1) ECS native takes for canary or linear: those whose window fits ECS_NATIVE_MAX_WAIT_MINUTES. */
export function ecsNativeIntervalRange(strategy: 'canary' | 'linear'): { readonly min: number; readonly max: number } {
  let max = 1;
  while (ecsNativeWaitMinutes(strategy, max + 1) <= ECS_NATIVE_MAX_WAIT_MINUTES) max++;
  return { min: 1, max };
}

/**
 * What AWS documents about ECS's own strategies that a reader of the matrix may expect to be refused, and is not
 * (or is, and why): rendered into docs/matrix.md. Sources: the Amazon ECS Developer Guide pages named.
 */
export const ECS_ENGINE_NOTES: readonly string[] = [
  'AWS recommends ECS\'s own blue/green deployment over CodeDeploy\'s ("We recommend that you use the Amazon ECS blue/green deployment", Amazon ECS Developer Guide, "CodeDeploy blue/green deployments for Amazon ECS"): new repos get `--ecs-engine ecs` for blue-green, canary and linear.',
  'Load balancers: ECS native blue/green works with an Application or Network Load Balancer; linear and canary were ALB-only at launch (October 2025) and work with an NLB since February 2026, with a 10-minute delay ECS adds to each traffic shift on an NLB. The stack always creates an ALB, so every strategy is offered with both engines.',
  'Service Connect: ECS native blue/green, linear and canary support Service Connect ("Service Connect resources for Amazon ECS blue/green, linear, and canary deployments"). Cloud Map service discovery alone gets no managed traffic shifting. The stack does not use either, so nothing is refused for it.',
  'Rolling (all-at-once, half-at-a-time) is always ECS\'s own rolling update: `--ecs-engine ecs` is accepted there and changes nothing, `--ecs-engine codedeploy` is refused (CodeDeploy does not run rolling updates on ECS). Targets other than ecs refuse the option.',
  `Interval: with \`--ecs-engine ecs\`, canary shifts ${ECS_NATIVE_STEP_PERCENT} percent, then the rest after the interval; linear shifts ${ECS_NATIVE_STEP_PERCENT} percent per interval (ECS bakes after each step but the last); the old tasks then stay ${ECS_NATIVE_BAKE_MINUTES} minutes. The interval may be any whole number of minutes whose whole window (with ${DEPLOY_MARGIN_MINUTES} minutes of margin) fits ${ECS_NATIVE_MAX_WAIT_MINUTES} minutes: a GitHub-hosted deploy job runs at most 6 hours.`,
  'The deploy: CodePipeline runs scripts/deploy/ecs.sh in CodeBuild (it registers the environment\'s taskdef.json, updates the service and waits for ECS\'s rollout to complete or fail), not CodePipeline\'s standard ECS action, which copies the service\'s running task definition (the stack\'s stand-in command included) and waits at most 60 minutes; GitHub Actions runs amazon-ecs-deploy-task-definition without its CodeDeploy inputs. No appspec.yml and no CodeDeploy resources.',
  'Known CDK issue aws/aws-cdk#36649: ECS rewrites the production listener rule\'s weights on every deployment; a later `cdk deploy` that changes that rule resets them. The stack keeps the rule\'s definition fixed (tested), so a stack update leaves it alone.',
];

/** The reason the engine is refused for the combination, or undefined (an absent engine is never refused). */
export function engineRefusal(c: Combination): string | undefined {
  if (c.engine === undefined) return undefined;
  if (c.target !== 'ecs') return `--ecs-engine chooses who runs an ECS deployment; ${c.target} has no ECS service: remove it`;
  if ((c.strategy === 'all-at-once' || c.strategy === 'half-at-a-time') && c.engine === 'codedeploy') {
    return `${c.strategy} on ECS is ECS's own rolling update (the service's minimumHealthyPercent and maximumPercent); CodeDeploy does not run rolling updates on ECS: use --ecs-engine ecs, or remove it`;
  }
  return undefined;
}

interface Rule {
  readonly applies: (c: Combination) => boolean;
  readonly reason: string;
}

const RULES: readonly Rule[] = [
  {
    applies: (c) => c.target === 's3-site' && c.runtime !== 'node',
    reason:
      'an S3 static site serves files and runs no server code, so it has no runtime of its own; the site is built with Node.js: use --runtime node',
  },
  {
    applies: (c) => c.target === 's3-site' && c.strategy !== 'all-at-once',
    reason:
      'the CodePipeline S3 deploy action copies the site to its bucket in one step; S3 has no rolling, blue/green or traffic shifting: use --strategy all-at-once',
  },
  {
    applies: (c) => c.target === 'ec2' && c.runtime === 'container',
    reason:
      'CodeDeploy on EC2 installs files and runs hook scripts, it does not run container images: use --target ecs or --target lambda for a Dockerfile',
  },
  {
    applies: (c) => c.target === 'ec2' && (c.strategy === 'canary' || c.strategy === 'linear'),
    reason:
      'CodeDeploy shifts traffic by canary or linear steps only on the Lambda and ECS compute platforms; EC2 deployments are sized by healthy hosts: use all-at-once, one-at-a-time or half-at-a-time',
  },
  {
    applies: (c) => c.target === 'ec2' && c.strategy === 'blue-green',
    reason:
      'CodeDeploy blue/green on EC2 copies the Auto Scaling group and terminates the original, which the CloudFormation stack owns: the stack drifts on the first deployment and its next update works on a group that no longer exists (CloudFormation supports blue/green deployment groups on the Lambda platform only); use one-at-a-time or half-at-a-time on EC2, or --target ecs --strategy blue-green',
  },
  {
    applies: (c) => c.target === 'lambda' && (c.strategy === 'one-at-a-time' || c.strategy === 'half-at-a-time'),
    reason:
      'Lambda has no in-place rolling deployment: CodeDeploy shifts alias traffic between function versions; use all-at-once, canary or linear',
  },
  {
    applies: (c) => c.target === 'lambda' && c.strategy === 'blue-green',
    reason:
      'every Lambda deployment is already blue/green (alias traffic moves from the old version to the new one); choose how the traffic moves: all-at-once, canary or linear',
  },
  {
    applies: (c) => c.target === 'ecs' && c.strategy === 'one-at-a-time',
    reason:
      'ECS rolling updates are sized by minimumHealthyPercent and maximumPercent of the service, not one task at a time: use half-at-a-time (a rolling update at 50 percent healthy) or all-at-once',
  },
];

/** AWS's reason for refusing the combination, or undefined when it is valid. */
export function refusal(c: Combination): string | undefined {
  return RULES.find((r) => r.applies(c))?.reason;
}

/** The reason GitHub Actions cannot build from this source, or undefined. */
export function ciRefusal(ci: CiSystem, source: Source): string | undefined {
  if (ci !== 'codepipeline' && source !== 'github') {
    return `GitHub Actions runs only in repositories hosted on GitHub, not on ${source}: use --source github or --ci codepipeline`;
  }
  return undefined;
}

/**
 * The reason pull-request builds are refused with this source, or undefined. CodePipeline's pull-request triggers
 * take CodeConnections sources only (PipelineTriggerDeclaration: "only supported for the CodeStarSourceConnection
 * action type"), and CodeBuild's webhooks GitHub, GitHub Enterprise, GitLab and Bitbucket.
 */
export function prBuildsRefusal(source: Source): string | undefined {
  if (source === 's3') {
    return 'an S3 source has no pull requests (the pipeline builds the source.zip uploaded to its bucket): remove --pr-builds, or use --source github, gitlab or bitbucket';
  }
  if (source === 'codecommit') {
    return 'CodePipeline pull-request triggers and CodeBuild webhooks work with GitHub, GitLab and Bitbucket (through CodeConnections), not CodeCommit: remove --pr-builds, or use --source github, gitlab or bitbucket';
  }
  return undefined;
}

/** The traffic interval used when none is given: the shortest AWS offers. */
export function defaultInterval(target: Target, strategy: Strategy): number | undefined {
  if ((target === 'ecs' || target === 'lambda') && (strategy === 'canary' || strategy === 'linear')) {
    return TRAFFIC_INTERVALS[target][strategy][0];
  }
  return undefined;
}

/**
 * The reason an interval is refused for a valid combination, or undefined.
 * `interval` is ignored (and must be absent) where nothing shifts by time.
 */
export function intervalRefusal(target: Target, strategy: Strategy, interval: number | undefined, engine?: EcsEngine): string | undefined {
  const fallback = defaultInterval(target, strategy);
  if (fallback === undefined) {
    return interval === undefined
      ? undefined
      : `--interval applies only to canary and linear deployments on ecs or lambda, not to ${strategy} on ${target}: remove it`;
  }
  if (target === 'ecs' && engine === 'ecs') {
    const { min, max } = ecsNativeIntervalRange(strategy as 'canary' | 'linear');
    if (interval !== undefined && (interval < min || interval > max)) {
      return `ECS's ${strategy} deployment with --interval ${interval} takes ${ecsNativeWaitMinutes(strategy, interval)} minutes with its ${ECS_NATIVE_BAKE_MINUTES}-minute bake, more than the ${ECS_NATIVE_MAX_WAIT_MINUTES} a deploy job can wait: use --interval ${min}-${max}`;
    }
    return undefined;
  }
  const allowed = TRAFFIC_INTERVALS[target as 'ecs' | 'lambda'][strategy as 'canary' | 'linear'];
  if (interval !== undefined && !allowed.includes(interval)) {
    const minutes = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}` : `${allowed[0]}`;
    // A canary shifts once and then the rest; a linear deployment shifts every interval.
    const shift = strategy === 'canary' ? `shift 10 percent, then the rest after ${minutes}` : `shift 10 percent every ${minutes}`;
    return `CodeDeploy's ${target} ${strategy} configurations ${shift} minutes: use --interval ${allowed.join(' | ')}`;
  }
  return undefined;
}

/** How a valid combination deploys. Throws for a refused combination. */
export function deploymentOf(c: Combination, interval?: number): Deployment {
  const why = refusal(c) ?? engineRefusal(c);
  if (why) throw new Error(`${c.runtime} on ${c.target} with ${c.strategy} is not supported: ${why}`);
  const minutes = interval ?? defaultInterval(c.target, c.strategy);
  if (c.target === 'ecs' && c.engine === 'ecs' && (c.strategy === 'blue-green' || c.strategy === 'canary' || c.strategy === 'linear')) {
    if (c.strategy === 'blue-green') return { kind: 'ecs-native', strategy: 'BLUE_GREEN', bakeMinutes: ECS_NATIVE_BAKE_MINUTES };
    return {
      kind: 'ecs-native',
      strategy: c.strategy === 'canary' ? 'CANARY' : 'LINEAR',
      stepPercent: ECS_NATIVE_STEP_PERCENT,
      stepBakeMinutes: minutes!,
      bakeMinutes: ECS_NATIVE_BAKE_MINUTES,
    };
  }
  switch (c.target) {
    case 'ec2':
      return {
        kind: 'codedeploy-server',
        config: {
          'all-at-once': 'CodeDeployDefault.AllAtOnce',
          'one-at-a-time': 'CodeDeployDefault.OneAtATime',
          'half-at-a-time': 'CodeDeployDefault.HalfAtATime',
        }[c.strategy as 'all-at-once'],
      };
    case 'ecs':
      if (c.strategy === 'all-at-once') return { kind: 'ecs-rolling', minimumHealthyPercent: 100, maximumPercent: 200 };
      if (c.strategy === 'half-at-a-time') return { kind: 'ecs-rolling', minimumHealthyPercent: 50, maximumPercent: 100 };
      if (c.strategy === 'canary') return { kind: 'codedeploy-ecs', config: `CodeDeployDefault.ECSCanary10Percent${minutes}Minutes` };
      if (c.strategy === 'linear') return { kind: 'codedeploy-ecs', config: `CodeDeployDefault.ECSLinear10PercentEvery${minutes}Minutes` };
      return { kind: 'codedeploy-ecs', config: 'CodeDeployDefault.ECSAllAtOnce' };
    case 'lambda':
      if (c.strategy === 'canary') return { kind: 'codedeploy-lambda', config: `CodeDeployDefault.LambdaCanary10Percent${minutes}Minutes` };
      if (c.strategy === 'linear') {
        const every = minutes === 1 ? '1Minute' : `${minutes}Minutes`;
        return { kind: 'codedeploy-lambda', config: `CodeDeployDefault.LambdaLinear10PercentEvery${every}` };
      }
      return { kind: 'codedeploy-lambda', config: 'CodeDeployDefault.LambdaAllAtOnce' };
    case 's3-site':
      return { kind: 's3-deploy' };
  }
}

/** Every runtime x target x strategy, in catalog order. */
export function allCombinations(): Combination[] {
  return RUNTIMES.flatMap((runtime) =>
    TARGETS.flatMap((target) => STRATEGIES.map((strategy) => ({ runtime, target, strategy }))),
  );
}

export interface MatrixListing {
  /** `intervals`: the minutes a canary/linear deployment takes (CodeDeploy: its predefined list; ECS native: every whole minute from min to max). */
  readonly valid: ReadonlyArray<Combination & { readonly deployment: string; readonly intervals?: readonly number[]; readonly intervalRange?: { readonly min: number; readonly max: number } }>;
  readonly refused: ReadonlyArray<Combination & { readonly reason: string }>;
  readonly sources: Readonly<Record<CiSystem, readonly Source[]>>;
}

/** The engines a combination is listed with: each engine on ECS (an ECS rolling update only with its own), none elsewhere. */
function enginesOf(c: Combination): ReadonlyArray<EcsEngine | undefined> {
  return c.target === 'ecs' && !refusal(c) ? ECS_ENGINES : [undefined];
}

/** How a deployment reads in the matrix. */
export function deploymentLabel(d: Deployment): string {
  switch (d.kind) {
    case 'ecs-rolling':
      return `ECS rolling update (minimumHealthyPercent ${d.minimumHealthyPercent}, maximumPercent ${d.maximumPercent})`;
    case 'ecs-native':
      return d.strategy === 'BLUE_GREEN'
        ? `ECS blue/green (BLUE_GREEN, bake ${d.bakeMinutes} min)`
        : `ECS ${d.strategy} (${d.stepPercent} percent, then the interval; bake ${d.bakeMinutes} min)`;
    case 's3-deploy':
      return 'CodePipeline S3 deploy action';
    default:
      return d.config;
  }
}

/** The whole matrix as data: what `--list-combinations --json` prints. */
export function listMatrix(): MatrixListing {
  const valid: Array<MatrixListing['valid'][number]> = [];
  const refused: Array<MatrixListing['refused'][number]> = [];
  for (const base of allCombinations()) {
    for (const engine of enginesOf(base)) {
      const c: Combination = engine ? { ...base, engine } : base;
      const reason = refusal(c) ?? engineRefusal(c);
      if (reason) {
        refused.push({ ...c, reason });
        continue;
      }
      const shifts = defaultInterval(c.target, c.strategy) !== undefined;
      const native = engine === 'ecs' && shifts;
      const intervals = shifts && !native ? { intervals: TRAFFIC_INTERVALS[c.target as 'ecs'][c.strategy as 'canary'] } : {};
      const range = native ? { intervalRange: ecsNativeIntervalRange(c.strategy as 'canary') } : {};
      valid.push({ ...c, deployment: deploymentLabel(deploymentOf(c)), ...intervals, ...range });
    }
  }
  const sources = Object.fromEntries(CI_SYSTEMS.map((ci) => [ci, SOURCES.filter((s) => !ciRefusal(ci, s))]));
  return { valid, refused, sources: sources as unknown as MatrixListing['sources'] };
}
