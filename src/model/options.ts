/**
 * The options of a pipeline as users give them: on the command line, in
 * prompts, in `.projenrc.ts`. Plain strings, numbers and booleans (the
 * project type's options stay jsii-friendly); `resolveConfig` turns them
 * into a checked `PipelineConfig`.
 */
import { CI_CHOICES, ECS_ENGINE_CHOICES, RUNTIME_CHOICES, SOURCE_CHOICES, STRATEGY_CHOICES, TARGET_CHOICES } from './catalog';
import type { Choice } from './catalog';

export interface PipelineOptions {
  /** The service's name: names the package, the pipeline and every AWS resource. */
  readonly name: string;
  /** node | python | java | go | container. @default "node" */
  readonly runtime?: string;
  /** github | gitlab | bitbucket | codecommit | s3. @default "github" */
  readonly source?: string;
  /** ec2 | ecs | lambda | s3-site. @default "ecs" */
  readonly target?: string;
  /** all-at-once | one-at-a-time | half-at-a-time | blue-green | canary | linear. @default - per target: see DEFAULT_STRATEGY */
  readonly strategy?: string;
  /** Minutes between traffic shifts of a canary or linear deployment. @default - the shortest AWS offers */
  readonly interval?: number;
  /**
   * codedeploy | ecs: who runs an ECS blue/green, canary or linear deployment. New repos are written with
   * "ecs" (what AWS recommends); a `.projenrc.ts` without it keeps the engine it was made with.
   * @default "codedeploy" when absent (repos made before this option); the generator writes "ecs"
   */
  readonly ecsEngine?: string;
  /** codepipeline | github-actions | both. @default "codepipeline" */
  readonly ci?: string;
  /** `owner/repo` on GitHub, GitLab or Bitbucket; the repository name on CodeCommit. @default "your-org/<name>" ("<name>" on CodeCommit) */
  readonly repository?: string;
  /** The owner (GitHub/Bitbucket) or group (GitLab) of the repository when `repository` is not given: an org default. @default "your-org" */
  readonly repositoryOwner?: string;
  /** The branch that releases. @default "main" */
  readonly branch?: string;
  /** The AWS Region to deploy to. @default "us-east-1" */
  readonly region?: string;
  /** The 12-digit AWS account to deploy to. @default - the account of the credentials that deploy */
  readonly account?: string;
  /** The environments, in deployment order; the last is production. @default ["staging", "production"] */
  readonly environments?: string[];
  /** A manual approval before the last environment. @default true */
  readonly approval?: boolean;
  /**
   * Build and test every pull request into the release branch, never deploying: a CodeBuild project started by the
   * repository's webhook reports a status on the pull request (CodePipeline), or the workflow's pull_request jobs
   * (GitHub Actions). Needs a source with pull requests: GitHub, GitLab or Bitbucket.
   * @default true with GitHub, GitLab and Bitbucket; false with CodeCommit and S3
   */
  readonly prBuilds?: boolean;
  /** The path the health check requests. @default "/health" */
  readonly healthCheckPath?: string;
  /** The port the app listens on. @default 8080 */
  readonly port?: number;
  /**
   * An ACM certificate (ARN, in the Region deployed to) for the load balancers of the ec2 and ecs targets:
   * they then serve HTTPS on 443 and redirect HTTP on 80 to it. @default - HTTP on 80 only
   */
  readonly certificateArn?: string;
  /**
   * The service's folder in its repository (`services/api`), relative to the repository's root, when the repository holds
   * more than this service (a monorepo): CodeBuild, the triggers and the GitHub Actions workflow look there, and the
   * workflow is written at the repository's root as `.github/workflows/<name>.yml`. See docs/monorepo.md.
   * @default "." (the service is the whole repository)
   */
  readonly path?: string;
  /** The pipeline's name. @default - the service's name */
  readonly pipelineName?: string;
  /** Build variables read from SSM Parameter Store, as `NAME=/parameter/path`. @default [] */
  readonly parameters?: string[];
  /** Build variables read from Secrets Manager, as `NAME=secret-id` or `NAME=secret-id:json-key`. @default [] */
  readonly secrets?: string[];
  /**
   * The customer-managed KMS keys (ARNs) that encrypt those parameters or secrets: the build may decrypt with them
   * through SSM and Secrets Manager only. @default [] (the AWS managed keys, which need no grant)
   */
  readonly secretsKeys?: string[];
  /**
   * Environments whose target already exists: the stack deploys to it instead of creating one.
   * Keys are environment names. @default - the stack creates every target
   */
  readonly existing?: { [environment: string]: ExistingTarget };
  /**
   * The 12-digit account production runs in, when it is not the pipeline's. Production must then be
   * `existing`, and the account must have the role `<name>-deploy` trusting the pipeline's account.
   * @default - the pipeline's account
   */
  readonly productionAccount?: string;
  /**
   * The account's GitHub OIDC provider (token.actions.githubusercontent.com) when it exists already:
   * an account has one per URL. @default - the stack creates it
   */
  readonly githubOidcProviderArn?: string;
  /** Who owns the service: the Owner tag on every resource. @default "unowned" */
  readonly owner?: string;
  /** More tags on every resource (e.g. CostCenter), beside Project, Owner, Environment and ManagedBy. @default {} */
  readonly tags?: { [key: string]: string };
  /** ALB 5xx responses (or Lambda errors) per minute that roll a deployment back. @default 5 */
  readonly errorThreshold?: number;
  /** p99 latency (ms) that rolls a deployment back. @default 1000 */
  readonly latencyThresholdMs?: number;
  /**
   * A golden-path preset: a JSON file (path relative to the repo) or an installed npm package whose
   * org defaults, locked options and allowed choices apply on every synth, so its upgrades reach the repo.
   * @default - none
   */
  readonly preset?: string;
}

/**
 * An existing target, by name. CodeDeploy targets (EC2, ECS blue/green, Lambda) name their
 * application and deployment group (which hold the fleet, load balancer, alarms and rollback);
 * an ECS rolling target its cluster and service; a Lambda target also its function;
 * an S3 site its bucket.
 */
export interface ExistingTarget {
  readonly applicationName?: string;
  readonly deploymentGroupName?: string;
  readonly clusterName?: string;
  readonly serviceName?: string;
  readonly functionName?: string;
  readonly bucketName?: string;
}

export type OptionKey = keyof PipelineOptions;

/** How an option appears on the command line and in prompts. */
export interface OptionSpec {
  readonly key: OptionKey;
  readonly flag: string;
  readonly type: 'string' | 'number' | 'boolean' | 'list';
  readonly description: string;
  readonly choices?: readonly Choice<string>[];
  /** What the prompt asks; options without one are never prompted for. */
  readonly question?: string;
  readonly placeholder?: string;
  /** Asked only when this holds for the answers so far (with their defaults filled in). @default - always */
  readonly askWhen?: (answers: Readonly<Record<string, unknown>>) => boolean;
}

export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'name', flag: 'name', type: 'string', description: 'service name (default: the directory name)', question: 'Service name', placeholder: '<name>' },
  { key: 'runtime', flag: 'runtime', type: 'string', description: 'the language of the app', choices: RUNTIME_CHOICES, question: 'Runtime' },
  { key: 'source', flag: 'source', type: 'string', description: 'where the code lives', choices: SOURCE_CHOICES, question: 'Source provider' },
  { key: 'target', flag: 'target', type: 'string', description: 'where the app runs', choices: TARGET_CHOICES, question: 'Deploy target' },
  { key: 'strategy', flag: 'strategy', type: 'string', description: 'how a release replaces the running version', choices: STRATEGY_CHOICES, question: 'Deployment strategy' },
  {
    key: 'ecsEngine',
    flag: 'ecs-engine',
    type: 'string',
    description: 'who runs an ECS blue/green, canary or linear deployment (new repos: ecs; see docs/matrix.md)',
    choices: ECS_ENGINE_CHOICES,
    question: 'ECS deployment engine',
    askWhen: (a) => (a.target ?? 'ecs') === 'ecs' && ['blue-green', 'canary', 'linear'].includes(String(a.strategy ?? 'blue-green')),
  },
  { key: 'ci', flag: 'ci', type: 'string', description: 'what runs the pipeline', choices: CI_CHOICES, question: 'CI system' },
  { key: 'interval', flag: 'interval', type: 'number', description: 'minutes between canary/linear traffic shifts', placeholder: '<minutes>' },
  { key: 'repository', flag: 'repository', type: 'string', description: 'owner/repo (GitHub, GitLab, Bitbucket) or CodeCommit repository name (default: the origin remote when on that host, else the placeholder your-org/<name>)', placeholder: '<owner/repo>' },
  { key: 'repositoryOwner', flag: 'repository-owner', type: 'string', description: 'owner or group of the default repository <owner>/<name> (default: your-org)', placeholder: '<owner>' },
  { key: 'branch', flag: 'branch', type: 'string', description: 'the branch that releases (default: main)', placeholder: '<branch>' },
  { key: 'region', flag: 'region', type: 'string', description: 'AWS Region (default: us-east-1)', placeholder: '<region>' },
  { key: 'account', flag: 'account', type: 'string', description: '12-digit AWS account id (default: the deploying credentials\' account)', placeholder: '<id>' },
  { key: 'environments', flag: 'environments', type: 'list', description: 'comma-separated, in order; the last is production (default: staging,production)', placeholder: '<a,b>' },
  { key: 'approval', flag: 'approval', type: 'boolean', description: 'manual approval before production (default: on; --no-approval)' },
  { key: 'prBuilds', flag: 'pr-builds', type: 'boolean', description: 'build and test pull requests into the release branch, never deploying (default: on with github, gitlab, bitbucket; --no-pr-builds)' },
  { key: 'healthCheckPath', flag: 'health-check-path', type: 'string', description: 'path of the health check (default: /health)', placeholder: '<path>' },
  { key: 'port', flag: 'port', type: 'number', description: 'port the app listens on (default: 8080)', placeholder: '<port>' },
  { key: 'certificateArn', flag: 'certificate-arn', type: 'string', description: 'ACM certificate ARN: the load balancers (ec2, ecs) serve HTTPS on 443 and redirect HTTP to it (default: HTTP only)', placeholder: '<arn>' },
  { key: 'parameters', flag: 'parameters', type: 'list', description: 'build variables from SSM Parameter Store, NAME=/path,...', placeholder: '<N=/p,..>' },
  { key: 'secrets', flag: 'secrets', type: 'list', description: 'build variables from Secrets Manager, NAME=secret-id[:json-key],...', placeholder: '<N=id,..>' },
  { key: 'secretsKeys', flag: 'secrets-keys', type: 'list', description: 'KMS key ARNs that encrypt those parameters or secrets, when not AWS managed', placeholder: '<arn,..>' },
  { key: 'owner', flag: 'owner', type: 'string', description: 'the Owner tag on every resource (default: unowned)', placeholder: '<team>' },
  { key: 'errorThreshold', flag: 'error-threshold', type: 'number', description: '5xx responses (Lambda: errors) per minute that roll a deployment back (default: 5)', placeholder: '<count>' },
  { key: 'latencyThresholdMs', flag: 'latency-threshold-ms', type: 'number', description: 'p99 latency in ms that rolls a deployment back (default: 1000)', placeholder: '<ms>' },
  { key: 'preset', flag: 'preset', type: 'string', description: 'a golden-path preset: JSON file or installed npm package (see docs/presets.md)', placeholder: '<pkg|path>' },
  { key: 'path', flag: 'path', type: 'string', description: 'the service\'s folder in an existing repo, relative to its root (run at the root), e.g. services/api (default: ., the whole repo; see docs/monorepo.md)', placeholder: '<dir>' },
  { key: 'pipelineName', flag: 'pipeline-name', type: 'string', description: 'CodePipeline name (default: the service name)', placeholder: '<name>' },
];

/** The options the generator asks for when they are not given. */
export const PROMPTED_OPTIONS: readonly OptionSpec[] = OPTION_SPECS.filter((s) => s.question);

/** Whether the prompt (or, without a terminal, the check for missing flags) asks this option, given the answers so far. */
export function isAsked(spec: OptionSpec, answers: Readonly<Record<string, unknown>>): boolean {
  return spec.question !== undefined && (spec.askWhen?.(answers) ?? true);
}
