/**
 * Which runtime / target / strategy combinations AWS supports, and how each
 * valid one deploys. Every refusal carries AWS's reason; every valid
 * combination names the deployment it becomes. This is the only place that
 * knows; the CLI lists it, the generator and the CDK constructs read it.
 */
import { CI_SYSTEMS, RUNTIMES, SOURCES, STRATEGIES, TARGETS } from './catalog';
import type { CiSystem, Runtime, Source, Strategy, Target } from './catalog';

export interface Combination {
  readonly runtime: Runtime;
  readonly target: Target;
  readonly strategy: Strategy;
}

/** How a valid combination is deployed. */
export type Deployment =
  | { readonly kind: 'codedeploy-server'; readonly config: string }
  | { readonly kind: 'codedeploy-ecs'; readonly config: string }
  | { readonly kind: 'ecs-rolling'; readonly minimumHealthyPercent: number; readonly maximumPercent: number }
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
export function intervalRefusal(target: Target, strategy: Strategy, interval: number | undefined): string | undefined {
  const fallback = defaultInterval(target, strategy);
  if (fallback === undefined) {
    return interval === undefined
      ? undefined
      : `--interval applies only to canary and linear deployments on ecs or lambda, not to ${strategy} on ${target}: remove it`;
  }
  const allowed = TRAFFIC_INTERVALS[target as 'ecs' | 'lambda'][strategy as 'canary' | 'linear'];
  if (interval !== undefined && !allowed.includes(interval)) {
    return `CodeDeploy's ${target} ${strategy} configurations shift 10 percent every ${allowed.join(', ')} minutes: use --interval ${allowed.join(' | ')}`;
  }
  return undefined;
}

/** How a valid combination deploys. Throws for a refused combination. */
export function deploymentOf(c: Combination, interval?: number): Deployment {
  const why = refusal(c);
  if (why) throw new Error(`${c.runtime} on ${c.target} with ${c.strategy} is not supported: ${why}`);
  const minutes = interval ?? defaultInterval(c.target, c.strategy);
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
  readonly valid: ReadonlyArray<Combination & { readonly deployment: string; readonly intervals?: readonly number[] }>;
  readonly refused: ReadonlyArray<Combination & { readonly reason: string }>;
  readonly sources: Readonly<Record<CiSystem, readonly Source[]>>;
}

/** The whole matrix as data: what `--list-combinations --json` prints. */
export function listMatrix(): MatrixListing {
  const valid: Array<MatrixListing['valid'][number]> = [];
  const refused: Array<MatrixListing['refused'][number]> = [];
  for (const c of allCombinations()) {
    const reason = refusal(c);
    if (reason) {
      refused.push({ ...c, reason });
      continue;
    }
    const d = deploymentOf(c);
    const label = 'config' in d ? d.config : d.kind === 'ecs-rolling' ? `ECS rolling update (minimumHealthyPercent ${d.minimumHealthyPercent}, maximumPercent ${d.maximumPercent})` : 'CodePipeline S3 deploy action';
    const intervals = defaultInterval(c.target, c.strategy) === undefined ? undefined : TRAFFIC_INTERVALS[c.target as 'ecs'][c.strategy as 'canary'];
    valid.push({ ...c, deployment: label, ...(intervals ? { intervals } : {}) });
  }
  const sources = Object.fromEntries(CI_SYSTEMS.map((ci) => [ci, SOURCES.filter((s) => !ciRefusal(ci, s))]));
  return { valid, refused, sources: sources as unknown as MatrixListing['sources'] };
}
