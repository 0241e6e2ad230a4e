/**
 * The checked model of a pipeline. `resolveConfig` is the one place that
 * fills defaults and validates: every emitted file is rendered from its
 * result, and a value it accepts cannot break YAML, JSON or shell.
 */
import * as names from './aws-names';
import { CI_SYSTEMS, CONNECTION_SOURCES, ECS_ENGINES, RUNTIMES, SOURCES, STRATEGIES, TARGETS } from './catalog';
import type { CiSystem, EcsEngine, Runtime, Source, Strategy, Target } from './catalog';
import { usesCodePipeline } from './layout';
import { ciRefusal, defaultInterval, deploymentOf, engineRefusal, intervalRefusal, prBuildsRefusal, refusal } from './matrix';
import type { Deployment } from './matrix';
import { nearest } from './nearest';
import { OPTION_SPECS } from './options';
import type { ExistingTarget, OptionKey, PipelineOptions } from './options';
import { planEnvironments } from './plan';
import type { EnvironmentPlan } from './plan';
import { PARTITIONS_WITHOUT_CLOUDFRONT_OAC, partitionOf, REGIONS, REGIONS_WITHOUT_CODEBUILD } from './regions';
import type { Partition } from './regions';
import { optionsSchema, schemaProblem } from './schema';

/**
 * A refused option: `option` is the key, the message says what to change. The message names options as the CLI
 * takes them (`--interval`); `inProjenrc()` says the same with the properties of `.projenrc.ts` (`interval`).
 */
export class ConfigError extends Error {
  constructor(
    readonly option: OptionKey | 'combination',
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }

  /** The message as `.projenrc.ts` (or a preset) reads: properties where the CLI would name flags. */
  public inProjenrc(): string {
    return propertyNames(this.message);
  }
}

/** A JSON string (a value quoted in a message, left as it is), or a flag of the option table, or `--no-` and one. */
const MESSAGE_TOKEN = /("(?:[^"\\]|\\.)*")|(?<![\w-])--(no-)?([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?![\w-])/g;

/**
 * A message in the CLI's words with each option flag replaced by its property (`--health-check-path` → `healthCheckPath`,
 * `--no-approval` → `approval: false`). Quoted values are kept as they are; flags that are not options (`--yes`) too.
 * Every message (this file's, the matrix's, a preset's) is written once, in flags, and read in either place.
 */
export function propertyNames(message: string): string {
  return message
    .replace(MESSAGE_TOKEN, (whole, quoted: string | undefined, no: string | undefined, flag: string) => {
      if (quoted !== undefined) return whole;
      const spec = OPTION_SPECS.find((o) => o.flag === flag);
      if (!spec || (no && spec.type !== 'boolean')) return whole;
      return no ? `${spec.key}: false` : spec.key;
    })
    .replace('(every option: docs/options.md)', '(every option: node_modules/create-aws-pipeline/docs/options.md)');
}

/** The strategy each target uses when none is given: the safest AWS offers there. */
export const DEFAULT_STRATEGY: Readonly<Record<Target, Strategy>> = {
  'ec2': 'one-at-a-time',
  'ecs': 'blue-green',
  'lambda': 'canary',
  's3-site': 'all-at-once',
};

/**
 * The ECS engine of a blue-green, canary or linear deployment whose options do not name one: CodeDeploy, the only
 * engine before `ecsEngine` existed, so a `.projenrc.ts` written then keeps its deployment on upgrade.
 */
export const ABSENT_ECS_ENGINE: EcsEngine = 'codedeploy';

/**
 * The engine new repos get (written into their `.projenrc.ts`): ECS's own, which AWS recommends over CodeDeploy
 * ("We recommend that you use the Amazon ECS blue/green deployment", Amazon ECS Developer Guide).
 */
export const NEW_REPO_ECS_ENGINE: EcsEngine = 'ecs';

/** Every default, in one place. */
export const DEFAULTS = {
  runtime: 'node' as Runtime,
  source: 'github' as Source,
  target: 'ecs' as Target,
  ci: 'codepipeline' as CiSystem,
  repositoryOwner: 'your-org',
  branch: 'main',
  region: 'us-east-1',
  environments: ['staging', 'production'] as readonly string[],
  approval: true,
  healthCheckPath: '/health',
  port: 8080,
  owner: 'unowned',
  errorThreshold: 5,
  latencyThresholdMs: 1000,
} as const;

export interface ResourceNames {
  readonly pipeline: string;
  readonly buildProject: string;
  /** The CodeBuild project that builds pull requests (CodePipeline with pull-request builds on). */
  readonly prBuildProject: string;
  readonly deployApplication: string;
  readonly stack: string;
  readonly ecrRepository: string;
  readonly lambdaFunction: string;
  readonly ecsCluster: string;
  readonly ecsService: string;
}

export interface PipelineConfig {
  readonly name: string;
  /** The service's folder, relative to the repository's root: "." or a normalized relative path such as "services/api". */
  readonly path: string;
  readonly runtime: Runtime;
  readonly source: Source;
  readonly target: Target;
  readonly strategy: Strategy;
  readonly interval?: number;
  /** Who runs the ECS deployment (the ecs target only; a rolling update is always ECS's). */
  readonly ecsEngine?: EcsEngine;
  readonly ci: CiSystem;
  readonly repository: string;
  readonly branch: string;
  readonly region: string;
  /** The region's partition: ARN prefix and endpoint domain for the names files write out. */
  readonly partition: Partition;
  readonly account?: string;
  readonly environments: readonly string[];
  readonly approval: boolean;
  /** Pull requests into the release branch are built and tested, never deployed (src/model/pr-builds.ts says by what). */
  readonly prBuilds: boolean;
  readonly healthCheckPath: string;
  readonly port: number;
  /** The ACM certificate the load balancers serve HTTPS with (HTTP redirected to it). */
  readonly certificateArn?: string;
  /** Build variables by reference (never values): name -> SSM parameter path. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Build variables by reference: name -> `secret-id[:json-key]`. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Customer-managed KMS keys of those parameters and secrets. */
  readonly secretsKeys: readonly string[];
  readonly deployment: Deployment;
  readonly names: ResourceNames;
  /** Environments deployed to existing targets. */
  readonly existing: Readonly<Record<string, ExistingTarget>>;
  readonly productionAccount?: string;
  readonly githubOidcProviderArn?: string;
  /** The Owner tag. */
  readonly owner: string;
  /** Tags beside Project, Owner, Environment and ManagedBy. */
  readonly tags: Readonly<Record<string, string>>;
  readonly errorThreshold: number;
  readonly latencyThresholdMs: number;
  /** The preset these answers follow (set by resolveWithPreset). */
  readonly preset?: AppliedPreset;
  /** Each environment's account and names, in deployment order: what the stack creates and every file refers to. */
  readonly plans: readonly EnvironmentPlan[];
}

/** A preset as applied: where it comes from and what it decided. */
export interface AppliedPreset {
  /** As written in .projenrc.ts: a path relative to the repo, or a package name. */
  readonly ref: string;
  readonly name: string;
  /** The values the preset gives (its defaults, locked or not): not written to .projenrc.ts, so its upgrades reach the repo. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly locked: readonly string[];
  /** The installed version of a package preset. */
  readonly version?: string;
}

/** AWS tag rules: keys 1-127, values 0-255 characters (ECR's limits, the strictest of the tagged resources) of letters, digits, spaces and _ . : / = + - @; no aws: prefix. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const RESERVED_TAGS = ['Project', 'Owner', 'Environment', 'ManagedBy'];

function resolveTags(tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags ?? {})) {
    check('tags', k.length >= 1 && k.length <= 127 && TAG_TEXT.test(k) && !k.toLowerCase().startsWith('aws:'), `invalid tag key ${JSON.stringify(k)}: use 1-127 letters, digits, spaces and _ . : / = + - @, not starting with aws:`);
    check('tags', typeof v === 'string' && v.length <= 255 && TAG_TEXT.test(v), `invalid value of tag ${k}: use up to 255 letters, digits, spaces and _ . : / = + - @`);
    check('tags', !RESERVED_TAGS.includes(k), `tag ${k} is set by the stack (${RESERVED_TAGS.join(', ')}): ${k === 'Owner' ? 'use --owner' : 'choose another key'}`);
    out[k] = v;
  }
  return out;
}

const SERVICE_NAME = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
const SERVICE_NAME_MAX = 40;

/** Undefined for a valid service name, otherwise the whole message. */
export function serviceNameProblem(name: string): string | undefined {
  if (name.length >= 2 && name.length <= SERVICE_NAME_MAX && SERVICE_NAME.test(name)) return undefined;
  return `invalid name ${JSON.stringify(name)}: use 2-${SERVICE_NAME_MAX} lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit (it names the pipeline, CodeBuild, CodeDeploy, ECR and S3 resources), e.g. --name my-service`;
}

/** A directory name turned into the nearest valid service name ("" when nothing is left). */
export function suggestServiceName(dirName: string): string {
  const s = dirName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return s.slice(0, SERVICE_NAME_MAX).replace(/-+$/, '');
}

/** How users name an option: its flag, or for options of `.projenrc.ts` only, the property. */
function flagOf(key: OptionKey): string {
  const spec = OPTION_SPECS.find((s) => s.key === key);
  return spec ? `--${spec.flag}` : key;
}

function oneOf<T extends string>(key: OptionKey, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(key, `invalid ${flagOf(key)} ${JSON.stringify(value)}: use one of ${allowed.join(', ')}`);
}

function check(key: OptionKey, ok: boolean, message: string): void {
  if (!ok) throw new ConfigError(key, message);
}

const HEALTH_PATH = /^(?!.*\/\.{1,2}(?:\/|$))(?:\/[A-Za-z0-9._~-]+)+$/;
const BRANCH = /^(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)[A-Za-z0-9][A-Za-z0-9._/-]{0,99}(?<![./])$/;
const ENVIRONMENT = /^[a-z][a-z0-9]{0,11}$/;
const CONNECTION_REPOSITORY = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+$/;
const CODECOMMIT_REPOSITORY = /^[A-Za-z0-9_.-]{1,100}$/;

function resolveRepository(source: Source, repository: string | undefined, name: string, owner: string | undefined): string {
  if (source === 's3') {
    check('repository', repository === undefined, '--repository does not apply to an S3 source (the pipeline reads source.zip from its source bucket): remove it');
    return '';
  }
  if (source === 'codecommit') {
    const repo = repository ?? name;
    check('repository', CODECOMMIT_REPOSITORY.test(repo) && !repo.endsWith('.git'), `invalid --repository ${JSON.stringify(repo)}: a CodeCommit repository name is 1-100 letters, digits, . _ and -, without .git`);
    return repo;
  }
  check('repositoryOwner', owner === undefined || /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/.test(owner), `invalid --repository-owner ${JSON.stringify(owner)}: use letters, digits, . _ - (a GitLab group may have subgroups: group/subgroup)`);
  const repo = repository ?? `${owner ?? DEFAULTS.repositoryOwner}/${name}`;
  const form = source === 'gitlab' ? 'group/project (subgroups allowed)' : 'owner/repo';
  const ok = CONNECTION_REPOSITORY.test(repo) && (source === 'gitlab' || repo.split('/').length === 2) && !repo.endsWith('.git') && repo.length <= 200;
  check('repository', ok, `invalid --repository ${JSON.stringify(repo)}: use the form ${form} of the ${source} repository, e.g. my-org/${name}`);
  return repo;
}

/** A folder name: letters, digits, . _ - (no `..`, `.git` or `node_modules`: checked apart). */
const PATH_SEGMENT = /^[A-Za-z0-9._-]{1,100}$/;
const RESERVED_SEGMENTS = ['.', '..', '.git', 'node_modules'];

/**
 * Undefined for a valid service folder (`.`, or a normalized relative POSIX path whose every segment is a plain folder
 * name), otherwise the whole message. Such a path stays inside the repository by construction: no segment is `..`,
 * it is not absolute and has no backslash.
 */
export function servicePathProblem(path: string): string | undefined {
  if (path === '.') return undefined;
  const segments = path.split('/');
  const ok = path.length <= 200 && segments.every((s) => PATH_SEGMENT.test(s) && !RESERVED_SEGMENTS.includes(s));
  if (ok) return undefined;
  return `invalid --path ${JSON.stringify(path)}: use a folder inside the repo, relative to its root, with / between folder names of letters, digits, . _ - (no .., ./, trailing /, .git or node_modules), e.g. --path services/api`;
}

const VARIABLE = /^[A-Z_][A-Z0-9_]{0,63}$/;
const PARAMETER_PATH = /^\/[A-Za-z0-9_.\-/]{1,1010}$/;
const SECRET_REF = /^[A-Za-z0-9/_+=.@\-]{1,512}(?::[A-Za-z0-9_.\-]{1,128})?$|^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@\-]+(?::[A-Za-z0-9_.\-]{1,128})?$/;
const RESERVED_VARIABLES = ['APP_DIR', 'SERVICE_DIR', 'SERVICE_NAME', 'CONTAINER_NAME', 'IMAGE_TAG', 'IMAGE_REPO_URI'];

/** `NAME=reference` pairs -> a map; the reference must match `ref`, the name be a shell variable name. */
function references(key: 'parameters' | 'secrets', list: readonly string[] | undefined, ref: RegExp, form: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    const name = item.slice(0, eq);
    const value = item.slice(eq + 1);
    check(key, eq > 0 && VARIABLE.test(name) && ref.test(value), `invalid --${key} entry ${JSON.stringify(item)}: use ${form}, NAME in capitals, digits and _`);
    check(key, !RESERVED_VARIABLES.includes(name) && !(name in out), `invalid --${key} entry ${JSON.stringify(item)}: ${name} is taken; choose another name`);
    out[name] = value;
  }
  return out;
}

/** The fields an existing target of this deployment kind must name. */
const EXISTING_FIELDS: Record<Deployment['kind'], ReadonlyArray<keyof ExistingTarget>> = {
  'codedeploy-server': ['applicationName', 'deploymentGroupName'],
  'codedeploy-ecs': ['applicationName', 'deploymentGroupName', 'clusterName', 'serviceName'],
  'codedeploy-lambda': ['applicationName', 'deploymentGroupName', 'functionName'],
  'ecs-rolling': ['clusterName', 'serviceName'],
  'ecs-native': ['clusterName', 'serviceName'],
  's3-deploy': ['bucketName'],
};

const EXISTING_RULES: Record<keyof ExistingTarget, names.NameCheck> = {
  applicationName: names.codeDeployName,
  deploymentGroupName: names.codeDeployName,
  clusterName: names.ecsName,
  serviceName: names.ecsName,
  functionName: names.lambdaFunctionName,
  bucketName: names.s3BucketName,
};

function resolveExisting(
  existing: PipelineOptions['existing'],
  environments: readonly string[],
  deployment: Deployment,
): Record<string, ExistingTarget> {
  const out: Record<string, ExistingTarget> = {};
  for (const [env, target] of Object.entries(existing ?? {})) {
    check('existing', environments.includes(env), `invalid existing target ${JSON.stringify(env)}: name one of the environments (${environments.join(', ')})`);
    const wanted = EXISTING_FIELDS[deployment.kind];
    for (const field of wanted) {
      check('existing', typeof target[field] === 'string', `invalid existing target ${env}: a ${deployment.kind} target needs ${wanted.join(', ')}`);
    }
    for (const field of Object.keys(target) as Array<keyof ExistingTarget>) {
      check('existing', wanted.includes(field), `invalid existing target ${env}: ${field} does not apply to a ${deployment.kind} target (it takes ${wanted.join(', ')})`);
      const problem = EXISTING_RULES[field](String(target[field]));
      check('existing', !problem, `invalid existing target ${env}: ${field} ${JSON.stringify(target[field])} ${problem}`);
    }
    out[env] = { ...target };
  }
  return out;
}

function resourceNames(name: string, pipelineName: string | undefined): ResourceNames {
  const stack = name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('') + 'Pipeline';
  const result: ResourceNames = {
    pipeline: pipelineName ?? name,
    buildProject: `${name}-build`,
    prBuildProject: `${name}-pr`,
    deployApplication: name,
    stack,
    ecrRepository: name,
    lambdaFunction: name,
    ecsCluster: name,
    ecsService: name,
  };
  const rules: Array<[keyof ResourceNames, string, names.NameCheck]> = [
    ['pipeline', 'CodePipeline name', names.pipelineName],
    ['buildProject', 'CodeBuild project name', names.codeBuildProjectName],
    ['prBuildProject', 'CodeBuild project name', names.codeBuildProjectName],
    ['deployApplication', 'CodeDeploy application name', names.codeDeployName],
    ['stack', 'CloudFormation stack name', names.stackName],
    ['ecrRepository', 'ECR repository name', names.ecrRepositoryName],
    ['lambdaFunction', 'Lambda function name', names.lambdaFunctionName],
    ['ecsCluster', 'ECS cluster name', names.ecsName],
  ];
  for (const [key, what, rule] of rules) {
    const problem = rule(result[key]);
    if (problem) {
      const option: OptionKey = key === 'pipeline' && pipelineName !== undefined ? 'pipelineName' : 'name';
      throw new ConfigError(option, `invalid ${flagOf(option)}: the ${what} ${JSON.stringify(result[key])} ${problem}`);
    }
  }
  return result;
}

/** The options' shape, by the schema: types, choices and unknown keys (values are checked after). */
function checkShape(options: unknown): void {
  const problem = schemaProblem(optionsSchema, options);
  if (!problem) return;
  const key = problem.path[0] as OptionKey | undefined;
  if (key === undefined) throw new ConfigError('name', `invalid options: ${problem.message}`);
  if (problem.unknownKey !== undefined && problem.path.length === 1) {
    const near = nearest(problem.unknownKey, Object.keys(optionsSchema.entries));
    throw new ConfigError(key, `unknown option ${JSON.stringify(problem.unknownKey)}${near ? `: did you mean ${near}?` : ''} (every option: docs/options.md)`);
  }
  const value = (options as Record<string, unknown>)[key];
  const spec = OPTION_SPECS.find((s) => s.key === key);
  if (spec?.choices && problem.path.length === 1) {
    throw new ConfigError(key, `invalid ${flagOf(key)} ${JSON.stringify(value)}: use one of ${spec.choices.map((c) => c.value).join(', ')}`);
  }
  throw new ConfigError(key, `invalid ${flagOf(key)}: ${problem.message}`);
}

/** Fill defaults and check everything; throws a `ConfigError` that says what to change. */
export function resolveConfig(options: PipelineOptions): PipelineConfig {
  checkShape(options);
  const nameProblem = serviceNameProblem(String(options.name ?? ''));
  if (nameProblem) throw new ConfigError('name', nameProblem);
  const name = options.name;

  const path = options.path ?? '.';
  const pathWhy = servicePathProblem(String(path));
  if (pathWhy) throw new ConfigError('path', pathWhy);

  const runtime = oneOf('runtime', options.runtime, RUNTIMES, DEFAULTS.runtime);
  const source = oneOf('source', options.source, SOURCES, DEFAULTS.source);
  const target = oneOf('target', options.target, TARGETS, DEFAULTS.target);
  const strategy = oneOf('strategy', options.strategy, STRATEGIES, DEFAULT_STRATEGY[target]);
  const ci = oneOf('ci', options.ci, CI_SYSTEMS, DEFAULTS.ci);

  const why = refusal({ runtime, target, strategy });
  if (why) {
    // Refused whatever the strategy (a Dockerfile on EC2): the strategy, often a default, is not named.
    const anyStrategy = STRATEGIES.every((s) => refusal({ runtime, target, strategy: s }) === why);
    throw new ConfigError('combination', `${runtime} on ${target}${anyStrategy ? '' : ` with ${strategy}`} is not supported: ${why}`);
  }
  const givenEngine = options.ecsEngine === undefined ? undefined : oneOf('ecsEngine', options.ecsEngine, ECS_ENGINES, ABSENT_ECS_ENGINE);
  const engineWhy = engineRefusal({ runtime, target, strategy, engine: givenEngine });
  if (engineWhy) throw new ConfigError('ecsEngine', engineWhy);
  const rolling = strategy === 'all-at-once' || strategy === 'half-at-a-time';
  const ecsEngine: EcsEngine | undefined = target !== 'ecs' ? undefined : rolling ? 'ecs' : givenEngine ?? ABSENT_ECS_ENGINE;
  const ciWhy = ciRefusal(ci, source);
  if (ciWhy) throw new ConfigError('ci', ciWhy);

  check('interval', options.interval === undefined || Number.isInteger(options.interval), `invalid --interval ${options.interval}: give whole minutes`);
  const intervalWhy = intervalRefusal(target, strategy, options.interval, ecsEngine);
  if (intervalWhy) throw new ConfigError('interval', intervalWhy);
  const interval = options.interval ?? defaultInterval(target, strategy);

  const repository = resolveRepository(source, options.repository, name, options.repositoryOwner);

  const branch = options.branch ?? DEFAULTS.branch;
  check('branch', BRANCH.test(branch), `invalid --branch ${JSON.stringify(branch)}: use a git branch name of letters, digits, . _ - and /, e.g. main`);

  const region = options.region ?? DEFAULTS.region;
  check('region', REGIONS.includes(region), `unknown --region ${JSON.stringify(region)}: use an AWS Region code such as us-east-1 or eu-west-1`);

  const account = options.account;
  check('account', account === undefined || /^\d{12}$/.test(account), `invalid --account ${JSON.stringify(account)}: an AWS account id is exactly 12 digits`);

  const environments = options.environments ?? DEFAULTS.environments;
  check('environments', environments.length >= 1 && environments.length <= 5, 'invalid --environments: give 1-5 names, the last being production, e.g. staging,production');
  for (const env of environments) {
    check('environments', ENVIRONMENT.test(env), `invalid environment ${JSON.stringify(env)}: use 1-12 lowercase letters and digits, starting with a letter, e.g. staging`);
  }
  check('environments', new Set(environments).size === environments.length, 'invalid --environments: each name may appear once');

  const approval = options.approval ?? DEFAULTS.approval;
  check('approval', typeof approval === 'boolean', 'invalid --approval: give true or false');

  // On by default where the source has pull requests; asked for where it has none, refused in one line.
  check('prBuilds', options.prBuilds === undefined || typeof options.prBuilds === 'boolean', 'invalid --pr-builds: give true or false');
  const prBuildsWhy = prBuildsRefusal(source);
  if (options.prBuilds === true && prBuildsWhy) throw new ConfigError('prBuilds', `--pr-builds: ${prBuildsWhy}`);
  const prBuilds = options.prBuilds ?? !prBuildsWhy;

  const healthCheckPath = options.healthCheckPath ?? DEFAULTS.healthCheckPath;
  check('healthCheckPath', HEALTH_PATH.test(healthCheckPath) && healthCheckPath.length <= 128, `invalid --health-check-path ${JSON.stringify(healthCheckPath)}: use a URL path of up to 128 letters, digits and . _ ~ - /, starting with / and not ending with it, e.g. /health`);

  const port = options.port ?? DEFAULTS.port;
  check('port', Number.isInteger(port) && port >= 1024 && port <= 65535, `invalid --port ${port}: use 1024-65535 (the app runs as a non-root user), e.g. 8080`);

  const parameters = references('parameters', options.parameters, PARAMETER_PATH, 'NAME=/parameter/path, e.g. DB_HOST=/my-service/db-host');
  const secrets = references('secrets', options.secrets, SECRET_REF, 'NAME=secret-id or NAME=secret-id:json-key, e.g. DB_PASSWORD=my-service/db:password');
  for (const n of Object.keys(secrets)) check('secrets', !(n in parameters), `invalid --secrets entry: ${n} is also a parameter; choose another name`);
  const secretsKeys = [...(options.secretsKeys ?? [])];
  for (const k of secretsKeys) {
    check('secretsKeys', /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/.test(k), `invalid --secrets-keys entry ${JSON.stringify(k)}: use a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key-id>`);
  }
  check('secretsKeys', secretsKeys.length === 0 || Object.keys(parameters).length + Object.keys(secrets).length > 0, '--secrets-keys decrypts --parameters or --secrets: give those too, or remove it');
  for (const [key, refs] of [['parameters', parameters], ['secrets', secrets]] as const) {
    check(
      key,
      ci === 'codepipeline' || Object.keys(refs).length === 0,
      `--${key} work with --ci codepipeline only: GitHub Actions builds run on pull requests without AWS credentials, so they cannot read Parameter Store or Secrets Manager; keep such values in GitHub secrets (env: in the workflow), or use --ci codepipeline`,
    );
  }

  const resources = resourceNames(name, options.pipelineName);
  const deployment = deploymentOf({ runtime, target, strategy, ...(ecsEngine ? { engine: ecsEngine } : {}) }, interval);
  const existing = resolveExisting(options.existing, environments, deployment);
  regionCheck(region, target, ci);
  const githubOidcProviderArn = options.githubOidcProviderArn;
  check(
    'githubOidcProviderArn',
    githubOidcProviderArn === undefined || /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(githubOidcProviderArn),
    `invalid githubOidcProviderArn ${JSON.stringify(githubOidcProviderArn)}: use arn:aws:iam::<12-digit account>:oidc-provider/token.actions.githubusercontent.com`,
  );
  const productionAccount = options.productionAccount;
  if (productionAccount !== undefined) {
    const production = environments[environments.length - 1];
    check('productionAccount', /^\d{12}$/.test(productionAccount), `invalid --production-account ${JSON.stringify(productionAccount)}: an AWS account id is exactly 12 digits`);
    check('productionAccount', deployment.kind !== 'codedeploy-lambda', 'productionAccount works with ec2, ecs and s3-site targets, whose deploy actions take a role in that account; a Lambda release runs in CodeBuild in the pipeline\'s account');
    check('productionAccount', production in existing, `productionAccount needs an existing ${production} target (the stack creates targets in its own account only): add existing.${production}`);
  }

  const certificateArn = options.certificateArn;
  if (certificateArn !== undefined) {
    const { partition } = partitionOf(region);
    const form = `arn:${partition}:acm:${region}:<12-digit account>:certificate/<certificate id>`;
    const arn = new RegExp(`^arn:${partition}:acm:${region}:(\\d{12}):certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`).exec(String(certificateArn));
    check('certificateArn', arn !== null, `invalid --certificate-arn ${JSON.stringify(certificateArn)}: use an ACM certificate in ${region}, the Region of the load balancers: ${form}`);
    check('certificateArn', account === undefined || arn![1] === account, `invalid --certificate-arn: the certificate is in account ${arn![1]}, the load balancers in ${account}; use a certificate of ${account}`);
    check('certificateArn', target === 'ec2' || target === 'ecs', `--certificate-arn serves HTTPS on the load balancers of the ec2 and ecs targets; ${target} has none: remove it`);
    check('certificateArn', environments.some((e) => !(e in existing)), '--certificate-arn serves HTTPS on the load balancers the stack creates, and every environment is existing: remove it');
  }

  const owner = options.owner ?? DEFAULTS.owner;
  check('owner', typeof owner === 'string' && owner.length >= 1 && owner.length <= 255 && TAG_TEXT.test(owner), `invalid --owner ${JSON.stringify(owner)}: the Owner tag takes 1-255 letters, digits, spaces and _ . : / = + - @`);
  const tags = resolveTags(options.tags);
  const errorThreshold = options.errorThreshold ?? DEFAULTS.errorThreshold;
  check('errorThreshold', Number.isFinite(errorThreshold) && errorThreshold > 0, `invalid --error-threshold ${errorThreshold}: give a positive number`);
  const latencyThresholdMs = options.latencyThresholdMs ?? DEFAULTS.latencyThresholdMs;
  check('latencyThresholdMs', Number.isFinite(latencyThresholdMs) && latencyThresholdMs > 0, `invalid --latency-threshold-ms ${latencyThresholdMs}: give a positive number`);

  const plans = planEnvironments({ name, environments, existing, account, productionAccount, deployApplication: resources.deployApplication, ecsCluster: resources.ecsCluster });
  checkPlanNames(plans);

  return {
    name,
    path,
    runtime,
    source,
    target,
    strategy,
    ci,
    repository,
    branch,
    region,
    partition: partitionOf(region),
    environments: [...environments],
    approval,
    prBuilds,
    healthCheckPath,
    port,
    parameters,
    secrets,
    secretsKeys,
    deployment,
    names: resources,
    existing,
    owner,
    tags,
    errorThreshold,
    latencyThresholdMs,
    plans,
    ...(productionAccount !== undefined ? { productionAccount } : {}),
    ...(githubOidcProviderArn !== undefined ? { githubOidcProviderArn } : {}),
    ...(certificateArn !== undefined ? { certificateArn } : {}),
    ...(interval !== undefined ? { interval } : {}),
    ...(ecsEngine !== undefined ? { ecsEngine } : {}),
    ...(account !== undefined ? { account } : {}),
  };
}

/**
 * The Region has every resource type the stack creates there (src/model/regions.ts says from where). The stack has
 * CodeBuild projects exactly where CodePipeline runs (its build and deploy actions); GitHub Actions runs its own.
 */
function regionCheck(region: string, target: Target, ci: CiSystem): void {
  const { partition } = partitionOf(region);
  check('region', !(target === 's3-site' && PARTITIONS_WITHOUT_CLOUDFRONT_OAC.includes(partition)), `--target s3-site is not available in ${region}: its CloudFront distribution reads the bucket through origin access control, which the ${partition} partition does not have; choose a Region of the aws partition, or another target`);
  check('region', !(REGIONS_WITHOUT_CODEBUILD.includes(region) && usesCodePipeline({ ci })), `--region ${region} has no CodeBuild (CloudFormation there has no AWS::CodeBuild::Project), which CodePipeline builds and deploys with: choose another Region, or --ci github-actions`);
}

/** Every name the plans give must be one AWS accepts (the longest service and environment names included). */
function checkPlanNames(plans: readonly EnvironmentPlan[]): void {
  for (const p of plans) {
    const n = p.names;
    const rules: Array<[string | undefined, string, names.NameCheck]> = [
      [n.beforeAllowTrafficHook, 'Lambda function name', names.lambdaFunctionName],
      [n.afterAllowTrafficHook, 'Lambda function name', names.lambdaFunctionName],
      [p.existing ? undefined : n.function, 'Lambda function name', names.lambdaFunctionName],
      [n.githubRole, 'IAM role name', names.iamRoleName],
      [n.executionRole, 'IAM role name', names.iamRoleName],
      [n.taskRole, 'IAM role name', names.iamRoleName],
      [n.deployProject, 'CodeBuild project name', names.codeBuildProjectName],
      [n.deploymentGroup, 'CodeDeploy deployment group name', names.codeDeployName],
      [n.service, 'ECS service name', names.ecsName],
      [n.taskFamily, 'ECS task definition family', names.ecsName],
    ];
    for (const [value, what, rule] of rules) {
      const problem = value === undefined ? undefined : rule(value);
      if (problem) throw new ConfigError('name', `invalid --name with environment ${p.environment}: the ${what} ${JSON.stringify(value)} ${problem}; choose a shorter name`);
    }
  }
}

/** True when the source reaches CodePipeline through a CodeConnections connection. */
export function usesConnection(config: Pick<PipelineConfig, 'source'>): boolean {
  return CONNECTION_SOURCES.includes(config.source);
}
