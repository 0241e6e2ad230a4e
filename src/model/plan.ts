/**
 * One plan per environment: where it runs and every name that one file
 * defines and another uses. The CDK constructs create resources with these
 * names, and the renderers (buildspec, appspec, taskdef, workflow, docs)
 * refer to them, so the two cannot disagree.
 */
import type { ExistingTarget } from './options';

/** The Lambda alias CodeDeploy shifts. */
export const LAMBDA_ALIAS = 'live';

/** The ALB port of the test listener CodeDeploy uses before it moves production traffic (ECS blue/green). */
export const TEST_LISTENER_PORT = 8443;

/** Names that belong to one environment. */
export interface EnvironmentNames {
  /** CodeDeploy application (EC2, ECS blue/green, Lambda). */
  readonly application: string;
  readonly deploymentGroup: string;
  /** ECS. */
  readonly cluster: string;
  readonly service: string;
  readonly taskFamily: string;
  readonly logGroup: string;
  readonly container: string;
  readonly executionRole: string;
  readonly taskRole: string;
  /** Lambda. */
  readonly function: string;
  readonly alias: string;
  /** The CodeDeploy traffic hooks the stack creates; absent for an existing function (its appspec has no hooks). */
  readonly beforeAllowTrafficHook?: string;
  readonly afterAllowTrafficHook?: string;
  /** The CodeBuild project of a deploy that runs a script (Lambda, ECS rolling). */
  readonly deployProject: string;
  /** The role GitHub Actions assumes for this environment. */
  readonly githubRole: string;
  /** The role the pipeline's deploy actions take in another account (cross-account production). */
  readonly crossAccountRole?: string;
  /** An existing site bucket. */
  readonly siteBucket?: string;
}

/** CloudFormation output keys of the pipeline stack that the workflow reads. */
export interface EnvironmentOutputs {
  readonly siteBucket: string;
  readonly distributionId: string;
}

export interface EnvironmentPlan {
  readonly environment: string;
  readonly index: number;
  /** The first environment builds and pushes the image; later ones reuse it. */
  readonly first: boolean;
  /** The last environment: behind the approval. */
  readonly production: boolean;
  /** The 12-digit account, where known (`account`, or `productionAccount` for production). */
  readonly account?: string;
  /** Deployed through a role in another account. */
  readonly crossAccount: boolean;
  /** The target already exists: the stack creates nothing for it. */
  readonly existing?: ExistingTarget;
  readonly names: EnvironmentNames;
  readonly outputs: EnvironmentOutputs;
}

/** The stack-wide output keys. */
export const OUTPUT_KEYS = { revisionBucket: 'RevisionBucket', sourceBucket: 'SourceBucketName' } as const;

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface PlanInput {
  readonly name: string;
  readonly environments: readonly string[];
  readonly existing: Readonly<Record<string, ExistingTarget>>;
  readonly account?: string;
  readonly productionAccount?: string;
  readonly deployApplication: string;
  readonly ecsCluster: string;
}

/** The plan of every environment, in deployment order. */
export function planEnvironments(c: PlanInput): EnvironmentPlan[] {
  const last = c.environments.length - 1;
  return c.environments.map((environment, index) => {
    const production = index === last;
    const crossAccount = production && c.productionAccount !== undefined;
    const account = crossAccount ? c.productionAccount : c.account;
    const existing = c.existing[environment];
    const own = `${c.name}-${environment}`;
    const fn = existing?.functionName ?? own;
    const names: EnvironmentNames = {
      application: existing?.applicationName ?? c.deployApplication,
      deploymentGroup: existing?.deploymentGroupName ?? own,
      cluster: existing?.clusterName ?? c.ecsCluster,
      service: existing?.serviceName ?? own,
      taskFamily: own,
      logGroup: `/ecs/${own}`,
      container: c.name,
      executionRole: `${c.name}-ecs-execution`,
      taskRole: `${c.name}-ecs-task`,
      function: fn,
      alias: LAMBDA_ALIAS,
      ...(existing ? {} : { beforeAllowTrafficHook: `${own}-pre-hook`, afterAllowTrafficHook: `${own}-post-hook` }),
      deployProject: `${c.name}-deploy-${environment}`,
      githubRole: `${c.name}-github-${environment}`,
      ...(crossAccount ? { crossAccountRole: `${c.name}-deploy` } : {}),
      ...(existing?.bucketName ? { siteBucket: existing.bucketName } : {}),
    };
    return {
      environment,
      index,
      first: index === 0,
      production,
      ...(account !== undefined ? { account } : {}),
      crossAccount,
      ...(existing ? { existing } : {}),
      names,
      outputs: { siteBucket: `SiteBucket${capitalized(environment)}`, distributionId: `DistributionId${capitalized(environment)}` },
    };
  });
}
