/**
 * What the fake AWS endpoint (test/support/fake-aws.ts) does: the in-memory
 * state and one handler per operation. A handler gets the request's
 * parameters by their botocore names and returns the output members by
 * their botocore names (fake-aws-protocol.ts writes them in the service's
 * wire format), or throws an AwsError with the code and HTTP status AWS
 * answers with.
 *
 * The answers follow AWS where a deploy script can tell: Lambda refuses a
 * second update while one is in progress (ResourceConflictException, 409),
 * PublishVersion publishes nothing new when $LATEST has not changed, ECS
 * refuses a task definition update on a CODE_DEPLOY-controlled service,
 * a CodeDeploy deployment that succeeds moves the Lambda alias or the ECS
 * service to the AppSpec's target, ECR answers ImageNotFoundException for
 * a missing tag, and so on.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { AwsError, RawRequest } from './fake-aws-protocol';

// ---------------------------------------------------------------- state

export interface LambdaVersion {
  version: string;
  config: Record<string, any>;
  code?: Buffer;
}

export interface LambdaFunction {
  /** FunctionConfiguration of $LATEST, by AWS's member names. */
  config: Record<string, any>;
  /** The bytes of the last zip uploaded (UpdateFunctionCode ZipFile or S3Bucket/S3Key). */
  code?: Buffer;
  /** Every zip uploaded, in order. */
  codeHistory: Buffer[];
  versions: LambdaVersion[];
  aliases: Record<string, { FunctionVersion: string; Description?: string; RoutingConfig?: any; RevisionId: string }>;
  tags: Record<string, string>;
  /** GetFunction / GetFunctionConfiguration calls still to answer LastUpdateStatus InProgress. */
  inProgressPolls: number;
  /** $LATEST changed since the last published version. */
  changedSincePublish: boolean;
}

export type DeploymentStatus = 'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Ready' | 'Succeeded' | 'Failed' | 'Stopped';

export interface CodeDeployDeployment {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  revision: any;
  description?: string;
  createTime: Date;
  completeTime?: Date;
  /** Statuses GetDeployment answers on successive calls; the last one stays. */
  statuses: DeploymentStatus[];
  /** GetDeployment calls so far. */
  polls: number;
  status: DeploymentStatus;
  errorMessage?: string;
  params: any;
}

export interface DeploymentGroup {
  applicationName: string;
  deploymentGroupName: string;
  deploymentGroupId: string;
  deploymentConfigName: string;
  serviceRoleArn: string;
  computePlatform: 'Server' | 'Lambda' | 'ECS';
  /** ECS: the service the group deploys. */
  ecsServices?: { serviceName: string; clusterName: string }[];
  [extra: string]: any;
}

export interface EcsService {
  /** The Service object by AWS's member names (deployments, counts, taskDefinition, ...). */
  service: Record<string, any>;
  /** DescribeServices calls still to answer the new deployment as not yet stable. */
  settlePolls: number;
}

export interface S3Object {
  body: Buffer;
  etag: string;
  lastModified: Date;
  contentType?: string;
  metadata?: Record<string, string>;
  cacheControl?: string;
  contentEncoding?: string;
}

export interface EcrImage {
  imageDigest: string;
  imageTags: string[];
  imageManifest: string;
  imageManifestMediaType: string;
  imagePushedAt: Date;
  imageSizeInBytes: number;
}

export interface FakeState {
  accountId: string;
  region: string;
  lambda: {
    functions: Record<string, LambdaFunction>;
    /** After each update, how many GetFunction(Configuration) calls answer InProgress (default 0). */
    updatePolls: number;
  };
  codedeploy: {
    applications: Record<string, { applicationName: string; applicationId: string; computePlatform: string; createTime: Date }>;
    /** By `${application}/${group}`. */
    deploymentGroups: Record<string, DeploymentGroup>;
    deployments: Record<string, CodeDeployDeployment>;
    revisions: { applicationName: string; revision: any; description?: string; registerTime: Date }[];
    /** Statuses a new deployment answers on successive GetDeployment calls (default ['Succeeded']). */
    statuses: DeploymentStatus[];
    /** One-shot status sequences, used (and removed) by the next deployments before `statuses`. */
    queued: { statuses: DeploymentStatus[]; errorMessage?: string }[];
  };
  ecs: {
    /** clusters[cluster][service] */
    clusters: Record<string, Record<string, EcsService>>;
    /** Every revision of a family, revision n at index n-1. */
    taskDefinitions: Record<string, { taskDefinition: Record<string, any>; tags?: any[] }[]>;
    /** DescribeServices calls a new ECS deployment stays unstable for (default 0). */
    settlePolls: number;
  };
  ecr: { repositories: Record<string, { imageTagMutability: 'MUTABLE' | 'IMMUTABLE'; images: EcrImage[]; createdAt: Date }> };
  s3: {
    buckets: Record<string, { objects: Record<string, S3Object>; createdAt: Date }>;
    uploads: Record<string, { bucket: string; key: string; parts: Record<number, Buffer>; contentType?: string }>;
  };
  cloudfront: {
    distributions: Record<string, { domainName: string; invalidations: { Id: string; Status: string; CreateTime: Date; InvalidationBatch: any }[] }>;
  };
  cloudformation: { stacks: Record<string, Record<string, any>> };
}

export function emptyState(region: string, accountId: string): FakeState {
  return {
    accountId,
    region,
    lambda: { functions: {}, updatePolls: 0 },
    codedeploy: { applications: {}, deploymentGroups: {}, deployments: {}, revisions: [], statuses: ['Succeeded'], queued: [] },
    ecs: { clusters: {}, taskDefinitions: {}, settlePolls: 0 },
    ecr: { repositories: {} },
    s3: { buckets: {}, uploads: {} },
    cloudfront: { distributions: {} },
    cloudformation: { stacks: {} },
  };
}

export interface HandlerContext {
  state: FakeState;
  raw: RawRequest;
  service: string;
  operation: string;
}

/** Returns the operation's output members (or nothing); throws AwsError for an AWS error. */
export type Handler = (params: any, ctx: HandlerContext) => any;

// ---------------------------------------------------------------- helpers

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const sha256b64 = (b: Buffer) => createHash('sha256').update(b).digest('base64');
const alnum = (n: number) => {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(n), (x) => chars[x % chars.length]).join('');
};
/** Lambda's timestamp format: 2024-01-01T00:00:00.000+0000. */
const lambdaTime = (d = new Date()) => d.toISOString().replace('Z', '+0000');

// ---------------------------------------------------------------- seeding

export function seedLambdaFunction(
  state: FakeState,
  name: string,
  config: Record<string, any> = {},
  opts: { code?: Buffer; versions?: number; aliases?: Record<string, string> } = {},
): LambdaFunction {
  const code = opts.code ?? Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'binary');
  const packageType = config.PackageType ?? (config.ImageUri ? 'Image' : 'Zip');
  const fn: LambdaFunction = {
    config: {
      FunctionName: name,
      FunctionArn: `arn:aws:lambda:${state.region}:${state.accountId}:function:${name}`,
      ...(packageType === 'Zip' ? { Runtime: 'nodejs20.x', Handler: 'index.handler' } : {}),
      Role: `arn:aws:iam::${state.accountId}:role/${name}-role`,
      CodeSize: code.length,
      Description: '',
      Timeout: 3,
      MemorySize: 128,
      LastModified: lambdaTime(),
      CodeSha256: sha256b64(code),
      Version: '$LATEST',
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: randomUUID(),
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: packageType,
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      ...config,
    },
    code: packageType === 'Zip' ? code : undefined,
    codeHistory: [],
    versions: [],
    aliases: {},
    tags: {},
    inProgressPolls: 0,
    changedSincePublish: true,
  };
  state.lambda.functions[name] = fn;
  for (let i = 0; i < (opts.versions ?? 0); i++) publish(state, fn);
  for (const [alias, version] of Object.entries(opts.aliases ?? {})) {
    fn.aliases[alias] = { FunctionVersion: version, RevisionId: randomUUID() };
  }
  return fn;
}

export function seedDeploymentGroup(
  state: FakeState,
  application: string,
  group: string,
  props: Partial<DeploymentGroup> = {},
): DeploymentGroup {
  const computePlatform = props.computePlatform ?? 'Server';
  state.codedeploy.applications[application] ??= {
    applicationName: application,
    applicationId: randomUUID(),
    computePlatform,
    createTime: new Date(),
  };
  const defaultConfig = { Server: 'CodeDeployDefault.OneAtATime', Lambda: 'CodeDeployDefault.LambdaAllAtOnce', ECS: 'CodeDeployDefault.ECSAllAtOnce' }[computePlatform];
  const dg: DeploymentGroup = {
    applicationName: application,
    deploymentGroupName: group,
    deploymentGroupId: randomUUID(),
    deploymentConfigName: defaultConfig,
    serviceRoleArn: `arn:aws:iam::${state.accountId}:role/codedeploy`,
    computePlatform,
    deploymentStyle:
      computePlatform === 'Server'
        ? { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' }
        : { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    ...props,
  };
  state.codedeploy.deploymentGroups[`${application}/${group}`] = dg;
  return dg;
}

export function seedEcsService(state: FakeState, cluster: string, name: string, props: Record<string, any> = {}): EcsService {
  const { region, accountId } = state;
  const desiredCount = props.desiredCount ?? 1;
  if (!props.taskDefinition && !state.ecs.taskDefinitions[name]?.length) {
    // The service runs revision 1 of a family named after it, so a script's register makes revision 2.
    ecs.RegisterTaskDefinition({ family: name, containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/docker/library/nginx:latest', essential: true }] }, { state } as HandlerContext);
  }
  const taskDefinition = taskDefinitionArnOf(state, props.taskDefinition ?? name);
  const now = new Date();
  const svc: EcsService = {
    settlePolls: 0,
    service: {
      serviceArn: `arn:aws:ecs:${region}:${accountId}:service/${cluster}/${name}`,
      serviceName: name,
      clusterArn: `arn:aws:ecs:${region}:${accountId}:cluster/${cluster}`,
      status: 'ACTIVE',
      desiredCount,
      runningCount: desiredCount,
      pendingCount: 0,
      launchType: 'FARGATE',
      taskDefinition,
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 },
      deployments: [ecsDeployment(taskDefinition, desiredCount, true)],
      events: [],
      createdAt: now,
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      ...props,
      ...(props.taskDefinition ? { taskDefinition } : {}),
    },
  };
  if (typeof props.deploymentController === 'string') svc.service.deploymentController = { type: props.deploymentController };
  // A CODE_DEPLOY service's deployments are task sets; DescribeServices shows the primary one.
  state.ecs.clusters[cluster] ??= {};
  state.ecs.clusters[cluster][name] = svc;
  return svc;
}

export function seedEcrImage(
  state: FakeState,
  repository: string,
  tags: string | string[],
  opts: { digest?: string; manifest?: string; sizeInBytes?: number } = {},
): EcrImage {
  const repo = (state.ecr.repositories[repository] ??= { imageTagMutability: 'MUTABLE', images: [], createdAt: new Date() });
  const manifest =
    opts.manifest ??
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1000, digest: `sha256:${createHash('sha256').update(randomBytes(8)).digest('hex')}` },
      layers: [],
    });
  const digest = opts.digest ?? `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  const tagList = typeof tags === 'string' ? [tags] : tags;
  for (const img of repo.images) img.imageTags = img.imageTags.filter((t) => !tagList.includes(t));
  let image = repo.images.find((i) => i.imageDigest === digest);
  if (image) {image.imageTags.push(...tagList);} else {
    image = {
      imageDigest: digest,
      imageTags: [...tagList],
      imageManifest: manifest,
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      imagePushedAt: new Date(),
      imageSizeInBytes: opts.sizeInBytes ?? 52_000_000,
    };
    repo.images.push(image);
  }
  return image;
}

export function seedS3Object(state: FakeState, bucket: string, key: string, body: Buffer | string, contentType?: string): S3Object {
  const b = (state.s3.buckets[bucket] ??= { objects: {}, createdAt: new Date() });
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const obj: S3Object = { body: buf, etag: `"${md5(buf)}"`, lastModified: new Date(), contentType };
  b.objects[key] = obj;
  return obj;
}

export function seedStack(
  state: FakeState,
  name: string,
  outputs: Record<string, string> | { OutputKey: string; OutputValue: string; Description?: string; ExportName?: string }[] = {},
  props: Record<string, any> = {},
): Record<string, any> {
  const stack = {
    StackId: `arn:aws:cloudformation:${state.region}:${state.accountId}:stack/${name}/${randomUUID()}`,
    StackName: name,
    CreationTime: new Date(),
    StackStatus: 'CREATE_COMPLETE',
    DisableRollback: false,
    Outputs: Array.isArray(outputs) ? outputs : Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    Tags: [],
    ...props,
  };
  state.cloudformation.stacks[name] = stack;
  return stack;
}

// ---------------------------------------------------------------- Lambda

function functionArn(state: FakeState, name: string, qualifier?: string) {
  return `arn:aws:lambda:${state.region}:${state.accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

/** FunctionName may be a name, `name:qualifier`, `account:function:name[:q]` or a full ARN. */
function parseFunctionName(raw: string): { name: string; qualifier?: string } {
  const parts = raw.split(':');
  if (raw.startsWith('arn:')) return { name: parts[6], qualifier: parts[7] };
  if (parts[1] === 'function') return { name: parts[2], qualifier: parts[3] };
  return { name: parts[0], qualifier: parts[1] };
}

function getFunction(state: FakeState, raw: string): { fn: LambdaFunction; name: string; qualifier?: string } {
  const { name, qualifier } = parseFunctionName(raw);
  const fn = state.lambda.functions[name];
  if (!fn) throw new AwsError('ResourceNotFoundException', `Function not found: ${functionArn(state, name, qualifier)}`, 404);
  return { fn, name, qualifier };
}

function versionConfig(state: FakeState, fn: LambdaFunction, name: string, qualifier?: string): Record<string, any> {
  if (!qualifier || qualifier === '$LATEST') return { ...fn.config };
  const alias = fn.aliases[qualifier];
  const version = alias ? alias.FunctionVersion : qualifier;
  if (version === '$LATEST') return { ...fn.config, FunctionArn: functionArn(state, name, qualifier) };
  const v = fn.versions.find((x) => x.version === version);
  if (!v) throw new AwsError('ResourceNotFoundException', `Function not found: ${functionArn(state, name, qualifier)}`, 404);
  return { ...v.config, FunctionArn: functionArn(state, name, qualifier) };
}

/** What a GetFunction(Configuration) poll sees: InProgress while polls remain. */
function pollLatest(fn: LambdaFunction): void {
  if (fn.inProgressPolls > 0) {
    fn.config.LastUpdateStatus = 'InProgress';
    fn.inProgressPolls--;
  } else {fn.config.LastUpdateStatus = 'Successful';}
}

function assertNotUpdating(state: FakeState, fn: LambdaFunction): void {
  if (fn.inProgressPolls > 0) {
    throw new AwsError(
      'ResourceConflictException',
      `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(state, fn.config.FunctionName)}`,
      409,
      { Type: 'User' },
    );
  }
}

function checkRevision(fn: LambdaFunction, revisionId?: string): void {
  if (revisionId && revisionId !== fn.config.RevisionId) {
    throw new AwsError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', 412);
  }
}

function startUpdate(state: FakeState, fn: LambdaFunction): Record<string, any> {
  fn.inProgressPolls = state.lambda.updatePolls;
  fn.changedSincePublish = true;
  fn.config.LastModified = lambdaTime();
  fn.config.RevisionId = randomUUID();
  // The update's own answer says InProgress, as AWS's does.
  return { ...fn.config, LastUpdateStatus: 'InProgress', LastUpdateStatusReason: 'The function is being created.', LastUpdateStatusReasonCode: 'Creating' };
}

function publish(state: FakeState, fn: LambdaFunction, description?: string): LambdaVersion {
  const last = fn.versions[fn.versions.length - 1];
  if (last && !fn.changedSincePublish) return last;
  const version = String((last ? Number(last.version) : 0) + 1);
  const name = fn.config.FunctionName;
  const v: LambdaVersion = {
    version,
    code: fn.code,
    config: {
      ...fn.config,
      FunctionArn: functionArn(state, name, version),
      Version: version,
      Description: description ?? fn.config.Description,
      LastUpdateStatus: 'Successful',
      State: 'Active',
      RevisionId: randomUUID(),
    },
  };
  fn.versions.push(v);
  fn.changedSincePublish = false;
  return v;
}

function aliasOutput(state: FakeState, name: string, alias: string, a: LambdaFunction['aliases'][string]) {
  return { AliasArn: functionArn(state, name, alias), Name: alias, FunctionVersion: a.FunctionVersion, Description: a.Description ?? '', RoutingConfig: a.RoutingConfig, RevisionId: a.RevisionId };
}

function isZip(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);
}

const lambda: Record<string, Handler> = {
  GetFunction(p, { state }) {
    const { fn, name, qualifier } = getFunction(state, p.FunctionName);
    const q = p.Qualifier ?? qualifier;
    if (!q || q === '$LATEST') pollLatest(fn);
    const Configuration = versionConfig(state, fn, name, q);
    const Code =
      Configuration.PackageType === 'Image'
        ? { RepositoryType: 'ECR', ImageUri: Configuration.ImageUri ?? fn.config.ImageUri, ResolvedImageUri: Configuration.ImageUri ?? fn.config.ImageUri }
        : { RepositoryType: 'S3', Location: `https://awslambda-${state.region}-tasks.s3.${state.region}.amazonaws.com/snapshots/${state.accountId}/${name}-${randomUUID()}` };
    delete Configuration.ImageUri;
    return { Configuration, Code, Tags: Object.keys(fn.tags).length ? fn.tags : undefined };
  },
  GetFunctionConfiguration(p, { state }) {
    const { fn, name, qualifier } = getFunction(state, p.FunctionName);
    const q = p.Qualifier ?? qualifier;
    if (!q || q === '$LATEST') pollLatest(fn);
    const c = versionConfig(state, fn, name, q);
    delete c.ImageUri;
    return c;
  },
  UpdateFunctionCode(p, { state }) {
    const { fn, name } = getFunction(state, p.FunctionName);
    assertNotUpdating(state, fn);
    checkRevision(fn, p.RevisionId);
    const zipType = fn.config.PackageType !== 'Image';
    if (p.ImageUri !== undefined) {
      if (zipType) throw new AwsError('InvalidParameterValueException', 'Please don\'t provide ImageUri when updating a function with packageType Zip.');
    } else if (!zipType) {
      throw new AwsError('InvalidParameterValueException', 'Please provide ImageUri when updating a function with packageType Image.');
    }
    let code: Buffer | undefined;
    if (p.ZipFile !== undefined) {code = Buffer.from(p.ZipFile, 'base64');} else if (p.S3Bucket !== undefined) {
      const obj = state.s3.buckets[p.S3Bucket]?.objects[p.S3Key];
      if (!obj) {
        throw new AwsError('InvalidParameterValueException', 'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.');
      }
      code = obj.body;
    } else if (p.ImageUri === undefined) {
      throw new AwsError('InvalidParameterValueException', 'Please provide a source for function code.');
    }
    if (code && !isZip(code)) throw new AwsError('InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.');
    if (p.DryRun) return { ...fn.config };
    if (code) {
      fn.code = code;
      fn.codeHistory.push(code);
      fn.config.CodeSize = code.length;
      fn.config.CodeSha256 = sha256b64(code);
    } else {
      fn.config.ImageUri = p.ImageUri;
      fn.config.CodeSha256 = createHash('sha256').update(p.ImageUri).digest('hex');
    }
    if (p.Architectures) fn.config.Architectures = p.Architectures;
    const out = startUpdate(state, fn);
    delete out.ImageUri;
    if (p.Publish) {
      const polls = fn.inProgressPolls;
      const v = publish(state, fn);
      fn.inProgressPolls = polls;
      return { ...v.config, FunctionArn: functionArn(state, name, v.version) };
    }
    return out;
  },
  UpdateFunctionConfiguration(p, { state }) {
    const { fn } = getFunction(state, p.FunctionName);
    assertNotUpdating(state, fn);
    checkRevision(fn, p.RevisionId);
    const { FunctionName: _n, RevisionId: _r, ...changes } = p;
    if (changes.Layers) changes.Layers = changes.Layers.map((Arn: string) => ({ Arn, CodeSize: 0 }));
    Object.assign(fn.config, changes);
    const out = startUpdate(state, fn);
    delete out.ImageUri;
    return out;
  },
  PublishVersion(p, { state }) {
    const { fn } = getFunction(state, p.FunctionName);
    assertNotUpdating(state, fn);
    checkRevision(fn, p.RevisionId);
    if (p.CodeSha256 && p.CodeSha256 !== fn.config.CodeSha256) {
      throw new AwsError('InvalidParameterValueException', `CodeSHA256 (${p.CodeSha256}) is different from current CodeSHA256 in $LATEST (${fn.config.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`);
    }
    const c = { ...publish(state, fn, p.Description).config };
    delete c.ImageUri;
    return c;
  },
  ListVersionsByFunction(p, { state }) {
    const { fn, name } = getFunction(state, p.FunctionName);
    return { Versions: [fn.config, ...fn.versions.map((v) => ({ ...v.config, FunctionArn: functionArn(state, name, v.version) }))] };
  },
  GetAlias(p, { state }) {
    const { fn, name } = getFunction(state, p.FunctionName);
    const a = fn.aliases[p.Name];
    if (!a) throw new AwsError('ResourceNotFoundException', `Alias not found: ${functionArn(state, name, p.Name)}`, 404);
    return aliasOutput(state, name, p.Name, a);
  },
  ListAliases(p, { state }) {
    const { fn, name } = getFunction(state, p.FunctionName);
    return { Aliases: Object.entries(fn.aliases).map(([alias, a]) => aliasOutput(state, name, alias, a)) };
  },
  CreateAlias(p, { state }) {
    const { fn, name } = getFunction(state, p.FunctionName);
    if (fn.aliases[p.Name]) throw new AwsError('ResourceConflictException', `Alias already exists: ${functionArn(state, name, p.Name)}`, 409);
    versionConfig(state, fn, name, p.FunctionVersion);
    fn.aliases[p.Name] = { FunctionVersion: p.FunctionVersion, Description: p.Description, RoutingConfig: p.RoutingConfig, RevisionId: randomUUID() };
    return aliasOutput(state, name, p.Name, fn.aliases[p.Name]);
  },
  UpdateAlias(p, { state }) {
    const { fn, name } = getFunction(state, p.FunctionName);
    const a = fn.aliases[p.Name];
    if (!a) throw new AwsError('ResourceNotFoundException', `Alias not found: ${functionArn(state, name, p.Name)}`, 404);
    if (p.FunctionVersion) {
      versionConfig(state, fn, name, p.FunctionVersion);
      a.FunctionVersion = p.FunctionVersion;
    }
    if (p.Description !== undefined) a.Description = p.Description;
    if (p.RoutingConfig !== undefined) a.RoutingConfig = p.RoutingConfig;
    a.RevisionId = randomUUID();
    return aliasOutput(state, name, p.Name, a);
  },
};

// ---------------------------------------------------------------- CodeDeploy

function getApplication(state: FakeState, name: string) {
  const app = state.codedeploy.applications[name];
  if (!app) throw new AwsError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
  return app;
}

function getGroup(state: FakeState, app: string, group: string): DeploymentGroup {
  getApplication(state, app);
  const dg = state.codedeploy.deploymentGroups[`${app}/${group}`];
  if (!dg) throw new AwsError('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${group}`);
  return dg;
}

function getDeploymentRecord(state: FakeState, id: string): CodeDeployDeployment {
  const d = state.codedeploy.deployments[id];
  if (!d) throw new AwsError('DeploymentDoesNotExistException', `Deployment ${id} does not exist`);
  return d;
}

/** The AppSpec of a deployment: its appSpecContent, string, or the appspec inside the S3 bundle is not read. */
function appSpecOf(revision: any): any {
  const content = revision?.appSpecContent?.content ?? revision?.string?.content;
  if (typeof content !== 'string') return undefined;
  try {
    return parseYaml(content);
  } catch {
    return undefined;
  }
}

/** What a succeeded Lambda or ECS deployment does: the alias or the service moves to the target. */
function applyDeployment(state: FakeState, d: CodeDeployDeployment): void {
  const dg = state.codedeploy.deploymentGroups[`${d.applicationName}/${d.deploymentGroupName}`];
  const spec = appSpecOf(d.revision);
  const resources: any[] = Array.isArray(spec?.Resources) ? spec.Resources : spec?.Resources ? [spec.Resources] : [];
  for (const entry of resources) {
    for (const res of Object.values<any>(entry ?? {})) {
      const props = res?.Properties ?? res?.properties ?? {};
      if (res?.Type === 'AWS::Lambda::Function') {
        const fn = state.lambda.functions[parseFunctionName(String(props.Name)).name];
        const alias = fn?.aliases[String(props.Alias)];
        if (alias && props.TargetVersion !== undefined) {
          alias.FunctionVersion = String(props.TargetVersion);
          alias.RevisionId = randomUUID();
        }
      } else if (res?.Type === 'AWS::ECS::Service' && props.TaskDefinition) {
        for (const target of dg?.ecsServices ?? []) {
          const svc = state.ecs.clusters[target.clusterName]?.[target.serviceName];
          if (!svc) continue;
          const td = taskDefinitionArnOf(state, String(props.TaskDefinition));
          svc.service.taskDefinition = td;
          svc.service.deployments = [ecsDeployment(td, svc.service.desiredCount, true)];
        }
      }
    }
  }
  if (dg) {
    dg.lastSuccessfulDeployment = { deploymentId: d.deploymentId, status: 'Succeeded', endTime: new Date(), createTime: d.createTime };
    dg.targetRevision = d.revision;
  }
}

function deploymentInfo(state: FakeState, d: CodeDeployDeployment) {
  const dg = state.codedeploy.deploymentGroups[`${d.applicationName}/${d.deploymentGroupName}`];
  const done = ['Succeeded', 'Failed', 'Stopped'].includes(d.status);
  return {
    applicationName: d.applicationName,
    deploymentGroupName: d.deploymentGroupName,
    deploymentConfigName: d.deploymentConfigName,
    deploymentId: d.deploymentId,
    revision: d.revision,
    status: d.status,
    errorInformation: d.status === 'Failed' || d.status === 'Stopped' ? { code: d.status === 'Stopped' ? 'MANUAL_STOP' : 'HEALTH_CONSTRAINTS', message: d.errorMessage ?? 'The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.' } : undefined,
    createTime: d.createTime,
    startTime: d.status === 'Created' ? undefined : d.createTime,
    completeTime: done ? (d.completeTime ??= new Date()) : undefined,
    description: d.description,
    creator: 'user',
    computePlatform: dg?.computePlatform ?? 'Server',
    deploymentStyle: dg?.deploymentStyle,
    deploymentOverview: { Pending: 0, InProgress: done ? 0 : 1, Succeeded: d.status === 'Succeeded' ? 1 : 0, Failed: d.status === 'Failed' ? 1 : 0, Skipped: 0, Ready: 0 },
    fileExistsBehavior: d.params.fileExistsBehavior ?? 'DISALLOW',
    ignoreApplicationStopFailures: d.params.ignoreApplicationStopFailures ?? false,
  };
}

function sameRevision(a: any, b: any): boolean {
  if (a?.revisionType !== b?.revisionType) return false;
  if (a.revisionType === 'S3') {
    const x = a.s3Location ?? {};
    const y = b.s3Location ?? {};
    return x.bucket === y.bucket && x.key === y.key && (!y.eTag || !x.eTag || x.eTag === y.eTag) && (!y.version || !x.version || x.version === y.version);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

const codedeploy: Record<string, Handler> = {
  CreateDeployment(p, { state }) {
    const dg = getGroup(state, p.applicationName, p.deploymentGroupName);
    const revision = p.revision ?? dg.targetRevision;
    if (!revision) throw new AwsError('RevisionRequiredException', 'Revision is required.');
    const queued = state.codedeploy.queued.shift();
    const id = `d-${alnum(9)}`;
    state.codedeploy.deployments[id] = {
      deploymentId: id,
      applicationName: p.applicationName,
      deploymentGroupName: p.deploymentGroupName,
      deploymentConfigName: p.deploymentConfigName ?? dg.deploymentConfigName,
      revision,
      description: p.description,
      createTime: new Date(),
      statuses: [...(queued?.statuses ?? state.codedeploy.statuses)],
      errorMessage: queued?.errorMessage,
      polls: 0,
      status: 'Created',
      params: p,
    };
    dg.lastAttemptedDeployment = { deploymentId: id, status: 'Created', createTime: new Date() };
    return { deploymentId: id };
  },
  GetDeployment(p, { state }) {
    const d = getDeploymentRecord(state, p.deploymentId);
    if (!['Succeeded', 'Failed', 'Stopped'].includes(d.status)) {
      const next = d.statuses[Math.min(d.polls, d.statuses.length - 1)] ?? 'Succeeded';
      d.polls++;
      d.status = next;
      if (next === 'Succeeded') applyDeployment(state, d);
    }
    return { deploymentInfo: deploymentInfo(state, d) };
  },
  BatchGetDeployments(p, { state }) {
    return { deploymentsInfo: (p.deploymentIds ?? []).map((id: string) => deploymentInfo(state, getDeploymentRecord(state, id))) };
  },
  ListDeployments(p, { state }) {
    return {
      deployments: Object.values(state.codedeploy.deployments)
        .filter((d) => (!p.applicationName || d.applicationName === p.applicationName) && (!p.deploymentGroupName || d.deploymentGroupName === p.deploymentGroupName))
        .filter((d) => !p.includeOnlyStatuses || p.includeOnlyStatuses.includes(d.status))
        .map((d) => d.deploymentId),
    };
  },
  StopDeployment(p, { state }) {
    const d = getDeploymentRecord(state, p.deploymentId);
    if (['Succeeded', 'Failed', 'Stopped'].includes(d.status)) throw new AwsError('DeploymentAlreadyCompletedException', `Deployment ${d.deploymentId} has already completed.`);
    d.status = 'Stopped';
    d.statuses = ['Stopped'];
    return { status: 'Pending', statusMessage: 'Stop deployment request received' };
  },
  GetApplication(p, { state }) {
    const app = getApplication(state, p.applicationName);
    return { application: { ...app, linkedToGitHub: false } };
  },
  ListApplications(_p, { state }) {
    return { applications: Object.keys(state.codedeploy.applications) };
  },
  GetDeploymentGroup(p, { state }) {
    const dg = getGroup(state, p.applicationName, p.deploymentGroupName);
    return { deploymentGroupInfo: { ...dg } };
  },
  ListDeploymentGroups(p, { state }) {
    getApplication(state, p.applicationName);
    return {
      applicationName: p.applicationName,
      deploymentGroups: Object.values(state.codedeploy.deploymentGroups)
        .filter((g) => g.applicationName === p.applicationName)
        .map((g) => g.deploymentGroupName),
    };
  },
  RegisterApplicationRevision(p, { state }) {
    getApplication(state, p.applicationName);
    const existing = state.codedeploy.revisions.find((r) => r.applicationName === p.applicationName && sameRevision(r.revision, p.revision));
    if (existing) {
      existing.description = p.description;
      existing.revision = p.revision;
    } else {state.codedeploy.revisions.push({ applicationName: p.applicationName, revision: p.revision, description: p.description, registerTime: new Date() });}
    return {};
  },
  GetApplicationRevision(p, { state }) {
    getApplication(state, p.applicationName);
    const r = state.codedeploy.revisions.find((x) => x.applicationName === p.applicationName && sameRevision(x.revision, p.revision));
    if (!r) throw new AwsError('RevisionDoesNotExistException', 'No application revision found for revision.');
    const used = Object.values(state.codedeploy.deployments).filter((d) => d.applicationName === p.applicationName && sameRevision(d.revision, r.revision));
    return {
      applicationName: p.applicationName,
      revision: r.revision,
      revisionInfo: {
        description: r.description,
        deploymentGroups: [...new Set(used.map((d) => d.deploymentGroupName))],
        registerTime: r.registerTime,
        firstUsedTime: used[0]?.createTime,
        lastUsedTime: used[used.length - 1]?.createTime,
      },
    };
  },
};

// ---------------------------------------------------------------- ECS

function clusterName(ref?: string): string {
  if (!ref) return 'default';
  return ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
}

function serviceName(ref: string): string {
  return ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
}

function ecsDeployment(taskDefinition: string, desiredCount: number, settled: boolean): Record<string, any> {
  const now = new Date();
  const id = `ecs-svc/${Array.from(randomBytes(19), (b) => b % 10).join('')}`;
  return {
    id,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount,
    pendingCount: 0,
    runningCount: settled ? desiredCount : 0,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    launchType: 'FARGATE',
    rolloutState: settled ? 'COMPLETED' : 'IN_PROGRESS',
    rolloutStateReason: settled ? `ECS deployment ${id} completed.` : `ECS deployment ${id} in progress.`,
  };
}

/** `family`, `family:rev` or an ARN, to the ARN of that (or the latest ACTIVE) revision; throws when it is not registered. */
function findTaskDefinition(state: FakeState, ref: string): { taskDefinition: Record<string, any>; tags?: any[] } {
  const spec = ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
  const [family, rev] = spec.split(':');
  const revisions = state.ecs.taskDefinitions[family] ?? [];
  const found = rev ? revisions[Number(rev) - 1] : [...revisions].reverse().find((t) => t.taskDefinition.status === 'ACTIVE');
  if (!found) throw new AwsError('ClientException', 'Unable to describe task definition.');
  return found;
}

function taskDefinitionArnOf(state: FakeState, ref: string): string {
  if (ref.startsWith('arn:')) return ref;
  const [family, rev] = ref.split(':');
  const revisions = state.ecs.taskDefinitions[family];
  const n = rev ?? (revisions?.length ? String(revisions.length) : '1');
  return `arn:aws:ecs:${state.region}:${state.accountId}:task-definition/${family}:${n}`;
}

function getService(state: FakeState, cluster: string, ref: string): EcsService {
  const c = state.ecs.clusters[cluster];
  if (!c) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
  const svc = c[serviceName(ref)];
  if (!svc) throw new AwsError('ServiceNotFoundException', 'Service not found.');
  return svc;
}

/** A DescribeServices poll: unstable while polls remain, then the new deployment completes and the old ones drain. */
function pollService(svc: EcsService): Record<string, any> {
  const s = svc.service;
  if (svc.settlePolls > 0) {svc.settlePolls--;} else if (s.deployments.length !== 1 || s.deployments[0].rolloutState !== 'COMPLETED' || s.runningCount !== s.desiredCount) {
    const primary = s.deployments.find((d: any) => d.status === 'PRIMARY') ?? s.deployments[0];
    Object.assign(primary, { runningCount: s.desiredCount, desiredCount: s.desiredCount, pendingCount: 0, rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${primary.id} completed.`, updatedAt: new Date() });
    s.deployments = [primary];
    s.runningCount = s.desiredCount;
    s.pendingCount = 0;
    s.events = [{ id: randomUUID(), createdAt: new Date(), message: `(service ${s.serviceName}) has reached a steady state.` }, ...(s.events ?? [])];
  }
  return { ...s };
}

const ecs: Record<string, Handler> = {
  DescribeServices(p, { state }) {
    const cluster = clusterName(p.cluster);
    const c = state.ecs.clusters[cluster];
    if (!c) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    const services: any[] = [];
    const failures: any[] = [];
    for (const ref of p.services ?? []) {
      const svc = c[serviceName(ref)];
      if (svc) services.push(pollService(svc));
      else failures.push({ arn: `arn:aws:ecs:${state.region}:${state.accountId}:service/${cluster}/${serviceName(ref)}`, reason: 'MISSING' });
    }
    return { services, failures };
  },
  UpdateService(p, { state }) {
    const svc = getService(state, clusterName(p.cluster), p.service);
    const s = svc.service;
    if (s.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    if (s.deploymentController?.type === 'CODE_DEPLOY' && (p.taskDefinition || p.forceNewDeployment)) {
      throw new AwsError(
        'InvalidParameterException',
        'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
      );
    }
    let taskDefinition = s.taskDefinition;
    if (p.taskDefinition) {
      try {
        taskDefinition = findTaskDefinition(state, p.taskDefinition).taskDefinition.taskDefinitionArn;
      } catch {
        throw new AwsError('ClientException', 'TaskDefinition not found.');
      }
    }
    if (p.desiredCount !== undefined) s.desiredCount = p.desiredCount;
    for (const k of ['networkConfiguration', 'platformVersion', 'capacityProviderStrategy', 'deploymentConfiguration', 'healthCheckGracePeriodSeconds', 'enableExecuteCommand', 'loadBalancers']) {
      if (p[k] !== undefined) s[k] = p[k];
    }
    if (taskDefinition !== s.taskDefinition || p.forceNewDeployment) {
      for (const d of s.deployments) d.status = 'ACTIVE';
      s.deployments = [ecsDeployment(taskDefinition, s.desiredCount, false), ...s.deployments];
      s.taskDefinition = taskDefinition;
      svc.settlePolls = state.ecs.settlePolls;
    } else {
      const primary = s.deployments.find((d: any) => d.status === 'PRIMARY');
      if (primary) primary.desiredCount = s.desiredCount;
    }
    return { service: { ...s } };
  },
  RegisterTaskDefinition(p, { state }) {
    const { tags, ...def } = p;
    for (const c of def.containerDefinitions ?? []) {
      if (!c.name) throw new AwsError('ClientException', 'Container.name should not be null or empty.');
      if (!c.image) throw new AwsError('ClientException', 'Container.image should not be null or empty.');
    }
    if (def.requiresCompatibilities?.includes('FARGATE')) {
      if (def.networkMode !== 'awsvpc') throw new AwsError('ClientException', "Fargate only supports network mode 'awsvpc'.");
      if (!def.cpu) throw new AwsError('ClientException', "Fargate requires that 'cpu' be defined at the task level.");
      if (!def.memory) throw new AwsError('ClientException', "Fargate requires that 'memory' be defined at the task level.");
    }
    const revisions = (state.ecs.taskDefinitions[def.family] ??= []);
    const revision = revisions.length + 1;
    const taskDefinition = {
      ...def,
      taskDefinitionArn: `arn:aws:ecs:${state.region}:${state.accountId}:task-definition/${def.family}:${revision}`,
      revision,
      status: 'ACTIVE',
      compatibilities: def.requiresCompatibilities?.includes('FARGATE') ? ['EC2', 'FARGATE'] : ['EC2'],
      requiresAttributes: [],
      registeredAt: new Date(),
      registeredBy: `arn:aws:iam::${state.accountId}:user/fake`,
    };
    revisions.push({ taskDefinition, tags });
    return { taskDefinition, tags };
  },
  DescribeTaskDefinition(p, { state }) {
    const t = findTaskDefinition(state, p.taskDefinition);
    return { taskDefinition: t.taskDefinition, tags: p.include?.includes('TAGS') ? (t.tags ?? []) : undefined };
  },
  ListTaskDefinitions(p, { state }) {
    const all = Object.entries(state.ecs.taskDefinitions)
      .filter(([family]) => !p.familyPrefix || family.startsWith(p.familyPrefix))
      .flatMap(([, revs]) => revs.map((r) => r.taskDefinition))
      .filter((t) => !p.status || t.status === p.status)
      .map((t) => t.taskDefinitionArn);
    return { taskDefinitionArns: p.sort === 'DESC' ? all.reverse() : all };
  },
  DeregisterTaskDefinition(p, { state }) {
    const t = findTaskDefinition(state, p.taskDefinition);
    t.taskDefinition.status = 'INACTIVE';
    t.taskDefinition.deregisteredAt = new Date();
    return { taskDefinition: t.taskDefinition };
  },
};

// ---------------------------------------------------------------- ECR

function getRepository(state: FakeState, name: string) {
  const repo = state.ecr.repositories[name];
  if (!repo) {
    throw new AwsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${state.accountId}'`);
  }
  return repo;
}

function findImage(repo: FakeState['ecr']['repositories'][string], id: { imageTag?: string; imageDigest?: string }): EcrImage | undefined {
  return repo.images.find((i) => (!id.imageTag || i.imageTags.includes(id.imageTag)) && (!id.imageDigest || i.imageDigest === id.imageDigest));
}

const ecr: Record<string, Handler> = {
  GetAuthorizationToken(_p, { state }) {
    return {
      authorizationData: [
        {
          authorizationToken: Buffer.from('AWS:fake-ecr-password').toString('base64'),
          expiresAt: new Date(Date.now() + 12 * 3600_000),
          proxyEndpoint: `https://${state.accountId}.dkr.ecr.${state.region}.amazonaws.com`,
        },
      ],
    };
  },
  DescribeRepositories(p, { state }) {
    const names: string[] = p.repositoryNames ?? Object.keys(state.ecr.repositories);
    return {
      repositories: names.map((name) => {
        const repo = getRepository(state, name);
        return {
          repositoryArn: `arn:aws:ecr:${state.region}:${state.accountId}:repository/${name}`,
          registryId: state.accountId,
          repositoryName: name,
          repositoryUri: `${state.accountId}.dkr.ecr.${state.region}.amazonaws.com/${name}`,
          createdAt: repo.createdAt,
          imageTagMutability: repo.imageTagMutability,
        };
      }),
    };
  },
  DescribeImages(p, { state }) {
    const repo = getRepository(state, p.repositoryName);
    let images = repo.images;
    if (p.imageIds?.length) {
      images = p.imageIds.map((id: any) => {
        const img = findImage(repo, id);
        if (!img) {
          throw new AwsError(
            'ImageNotFoundException',
            `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${p.repositoryName}' in the registry with id '${state.accountId}'`,
          );
        }
        return img;
      });
    }
    const status = p.filter?.tagStatus;
    if (status === 'TAGGED') images = images.filter((i) => i.imageTags.length);
    if (status === 'UNTAGGED') images = images.filter((i) => !i.imageTags.length);
    return {
      imageDetails: images.map((i) => ({
        registryId: state.accountId,
        repositoryName: p.repositoryName,
        imageDigest: i.imageDigest,
        imageTags: i.imageTags.length ? i.imageTags : undefined,
        imageSizeInBytes: i.imageSizeInBytes,
        imagePushedAt: i.imagePushedAt,
        imageManifestMediaType: i.imageManifestMediaType,
        artifactMediaType: 'application/vnd.docker.container.image.v1+json',
      })),
    };
  },
  BatchGetImage(p, { state }) {
    const repo = getRepository(state, p.repositoryName);
    const images: any[] = [];
    const failures: any[] = [];
    for (const id of p.imageIds ?? []) {
      const img = findImage(repo, id);
      if (img) {
        images.push({
          registryId: state.accountId,
          repositoryName: p.repositoryName,
          imageId: { imageDigest: img.imageDigest, imageTag: id.imageTag },
          imageManifest: img.imageManifest,
          imageManifestMediaType: img.imageManifestMediaType,
        });
      } else {
        const tagExists = id.imageTag && repo.images.some((i) => i.imageTags.includes(id.imageTag));
        failures.push({
          imageId: id,
          failureCode: tagExists ? 'ImageTagDoesNotMatchDigest' : 'ImageNotFound',
          failureReason: tagExists ? 'Requested image digest does not match the tag' : 'Requested image not found',
        });
      }
    }
    return { images, failures };
  },
  PutImage(p, { state }) {
    const repo = getRepository(state, p.repositoryName);
    const digest = p.imageDigest ?? `sha256:${createHash('sha256').update(p.imageManifest).digest('hex')}`;
    const existing = repo.images.find((i) => i.imageDigest === digest);
    if (p.imageTag) {
      if (existing?.imageTags.includes(p.imageTag)) {
        throw new AwsError('ImageAlreadyExistsException', `Image with digest '${digest}' and tag '${p.imageTag}' already exists in the repository with name '${p.repositoryName}' in registry with id '${state.accountId}'`);
      }
      if (repo.imageTagMutability === 'IMMUTABLE' && repo.images.some((i) => i.imageTags.includes(p.imageTag))) {
        throw new AwsError('ImageTagAlreadyExistsException', `The image tag '${p.imageTag}' already exists in the '${p.repositoryName}' repository and cannot be overwritten because the repository is immutable.`);
      }
    }
    const img = seedEcrImage(state, p.repositoryName, p.imageTag ? [p.imageTag] : [], { digest, manifest: existing?.imageManifest ?? p.imageManifest });
    return {
      image: {
        registryId: state.accountId,
        repositoryName: p.repositoryName,
        imageId: { imageDigest: img.imageDigest, imageTag: p.imageTag },
        imageManifest: img.imageManifest,
        imageManifestMediaType: p.imageManifestMediaType ?? img.imageManifestMediaType,
      },
    };
  },
};

// ---------------------------------------------------------------- S3

function getBucket(state: FakeState, name: string) {
  const b = state.s3.buckets[name];
  if (!b) throw new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: name });
  return b;
}

function getObject(state: FakeState, bucket: string, key: string, head: boolean): S3Object {
  const obj = getBucket(state, bucket).objects[key];
  if (!obj) throw head ? new AwsError('NotFound', 'Not Found', 404) : new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
  return obj;
}

/** A body sent with `Content-Encoding: aws-chunked` (streaming SigV4), unwrapped. */
function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < body.length) {
    const eol = body.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(body.subarray(i, eol).toString('latin1').split(';')[0], 16);
    if (!size) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function objectBody(p: any, raw: RawRequest): Buffer {
  const body: Buffer = Buffer.isBuffer(p.Body) ? p.Body : Buffer.alloc(0);
  return (raw.headers['content-encoding'] ?? '').includes('aws-chunked') ? decodeChunked(body) : body;
}

function objectHeaders(obj: S3Object) {
  return {
    ContentLength: obj.body.length,
    ContentType: obj.contentType ?? 'binary/octet-stream',
    ETag: obj.etag,
    LastModified: obj.lastModified,
    Metadata: obj.metadata,
    CacheControl: obj.cacheControl,
    ContentEncoding: obj.contentEncoding,
    AcceptRanges: 'bytes',
  };
}

function listKeys(state: FakeState, p: any, after: string | undefined) {
  const bucket = getBucket(state, p.Bucket);
  const prefix = p.Prefix ?? '';
  const max = p.MaxKeys ?? 1000;
  const keys = Object.keys(bucket.objects)
    .filter((k) => k.startsWith(prefix) && (after === undefined || k > after))
    .sort();
  const contents: string[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last: string | undefined;
  for (const k of keys) {
    let common: string | undefined;
    if (p.Delimiter) {
      const at = k.indexOf(p.Delimiter, prefix.length);
      if (at >= 0) common = k.slice(0, at + p.Delimiter.length);
    }
    if (common && prefixes.includes(common)) continue;
    if (contents.length + prefixes.length >= max) {
      truncated = true;
      break;
    }
    if (common) prefixes.push(common);
    else contents.push(k);
    last = k;
  }
  const enc = p.EncodingType === 'url' ? (s: string) => encodeURIComponent(s).replace(/%2F/g, '/') : (s: string) => s;
  return {
    truncated,
    last,
    enc,
    common: {
      Name: p.Bucket,
      Prefix: enc(prefix),
      Delimiter: p.Delimiter ? enc(p.Delimiter) : undefined,
      MaxKeys: max,
      EncodingType: p.EncodingType,
      IsTruncated: truncated,
      Contents: contents.length
        ? contents.map((k) => ({ Key: enc(k), LastModified: bucket.objects[k].lastModified, ETag: bucket.objects[k].etag, Size: bucket.objects[k].body.length, StorageClass: 'STANDARD' }))
        : undefined,
      CommonPrefixes: prefixes.length ? prefixes.map((x) => ({ Prefix: enc(x) })) : undefined,
    },
    count: contents.length + prefixes.length,
  };
}

const s3: Record<string, Handler> = {
  ListBuckets(_p, { state }) {
    return {
      Buckets: Object.entries(state.s3.buckets).map(([Name, b]) => ({ Name, CreationDate: b.createdAt })),
      Owner: { DisplayName: 'fake', ID: 'fake-owner' },
    };
  },
  HeadBucket(p, { state }) {
    if (!state.s3.buckets[p.Bucket]) throw new AwsError('NotFound', 'Not Found', 404);
    return {};
  },
  CreateBucket(p, { state }) {
    if (state.s3.buckets[p.Bucket]) throw new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409);
    state.s3.buckets[p.Bucket] = { objects: {}, createdAt: new Date() };
    return { Location: `/${p.Bucket}` };
  },
  PutObject(p, { state, raw }) {
    const bucket = getBucket(state, p.Bucket);
    const body = objectBody(p, raw);
    const obj: S3Object = { body, etag: `"${md5(body)}"`, lastModified: new Date(), contentType: p.ContentType, metadata: p.Metadata, cacheControl: p.CacheControl, contentEncoding: p.ContentEncoding };
    bucket.objects[p.Key] = obj;
    return { ETag: obj.etag };
  },
  CopyObject(p, { state }) {
    const source = decodeURIComponent(String(p.CopySource).replace(/^\//, '').split('?')[0]);
    const slash = source.indexOf('/');
    const src = getObject(state, source.slice(0, slash), source.slice(slash + 1), false);
    const bucket = getBucket(state, p.Bucket);
    const obj: S3Object = { ...src, lastModified: new Date() };
    if (p.MetadataDirective === 'REPLACE') Object.assign(obj, { contentType: p.ContentType, metadata: p.Metadata, cacheControl: p.CacheControl });
    bucket.objects[p.Key] = obj;
    return { CopyObjectResult: { ETag: obj.etag, LastModified: obj.lastModified } };
  },
  GetObject(p, { state, raw }) {
    const obj = getObject(state, p.Bucket, p.Key, false);
    const range = /^bytes=(\d*)-(\d*)$/.exec(raw.headers.range ?? '');
    if (range) {
      const size = obj.body.length;
      const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      const body = obj.body.subarray(start, end + 1);
      return { ...objectHeaders(obj), Body: body, ContentLength: body.length, ContentRange: `bytes ${start}-${end}/${size}`, __status: 206 };
    }
    return { ...objectHeaders(obj), Body: obj.body };
  },
  HeadObject(p, { state }) {
    return objectHeaders(getObject(state, p.Bucket, p.Key, true));
  },
  ListObjectsV2(p, { state }) {
    const after = p.ContinuationToken ? Buffer.from(p.ContinuationToken, 'base64').toString('utf8') : p.StartAfter;
    const r = listKeys(state, p, after);
    return {
      ...r.common,
      KeyCount: r.count,
      ContinuationToken: p.ContinuationToken,
      NextContinuationToken: r.truncated && r.last ? Buffer.from(r.last).toString('base64') : undefined,
      StartAfter: p.StartAfter ? r.enc(p.StartAfter) : undefined,
    };
  },
  ListObjects(p, { state }) {
    const r = listKeys(state, p, p.Marker);
    return { ...r.common, Marker: p.Marker ?? '', NextMarker: r.truncated && p.Delimiter ? r.last : undefined };
  },
  DeleteObject(p, { state }) {
    delete getBucket(state, p.Bucket).objects[p.Key];
    return {};
  },
  DeleteObjects(p, { state }) {
    const bucket = getBucket(state, p.Bucket);
    const objects: { Key: string }[] = p.Delete?.Objects ?? [];
    for (const o of objects) delete bucket.objects[o.Key];
    return { Deleted: p.Delete?.Quiet ? undefined : objects.map((o) => ({ Key: o.Key })) };
  },
  CreateMultipartUpload(p, { state }) {
    getBucket(state, p.Bucket);
    const UploadId = randomBytes(24).toString('base64url');
    state.s3.uploads[UploadId] = { bucket: p.Bucket, key: p.Key, parts: {}, contentType: p.ContentType };
    return { Bucket: p.Bucket, Key: p.Key, UploadId };
  },
  UploadPart(p, { state, raw }) {
    const up = state.s3.uploads[p.UploadId];
    if (!up) throw new AwsError('NoSuchUpload', 'The specified upload does not exist.', 404);
    const body = objectBody(p, raw);
    up.parts[p.PartNumber] = body;
    return { ETag: `"${md5(body)}"` };
  },
  CompleteMultipartUpload(p, { state }) {
    const up = state.s3.uploads[p.UploadId];
    if (!up) throw new AwsError('NoSuchUpload', 'The specified upload does not exist.', 404);
    const parts: { PartNumber: number }[] = p.MultipartUpload?.Parts ?? [];
    const buffers = parts.map((x) => {
      const b = up.parts[x.PartNumber];
      if (!b) throw new AwsError('InvalidPart', 'One or more of the specified parts could not be found.');
      return b;
    });
    const body = Buffer.concat(buffers);
    const etag = `"${createHash('md5').update(Buffer.concat(buffers.map((b) => createHash('md5').update(b).digest()))).digest('hex')}-${buffers.length}"`;
    getBucket(state, up.bucket).objects[up.key] = { body, etag, lastModified: new Date(), contentType: up.contentType };
    delete state.s3.uploads[p.UploadId];
    return { Location: `http://s3.amazonaws.com/${up.bucket}/${up.key}`, Bucket: up.bucket, Key: up.key, ETag: etag };
  },
  AbortMultipartUpload(p, { state }) {
    delete state.s3.uploads[p.UploadId];
    return {};
  },
};

// ---------------------------------------------------------------- CloudFront, CloudFormation, STS

function getDistribution(state: FakeState, id: string) {
  const d = state.cloudfront.distributions[id];
  if (!d) throw new AwsError('NoSuchDistribution', 'The specified distribution does not exist.', 404);
  return d;
}

const cloudfront: Record<string, Handler> = {
  CreateInvalidation(p, { state }) {
    const d = getDistribution(state, p.DistributionId);
    const batch = p.InvalidationBatch ?? {};
    const items: string[] = batch.Paths?.Items ?? [];
    if (Number(batch.Paths?.Quantity) !== items.length) {
      throw new AwsError('InconsistentQuantities', 'The value of Quantity and the size of Items don\'t match.');
    }
    if (items.some((x) => !x.startsWith('/'))) throw new AwsError('InvalidArgument', 'Your request contains one or more invalid invalidation paths.');
    const inv = { Id: `I${alnum(13)}`, Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: batch };
    d.invalidations.push(inv);
    return { Location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${p.DistributionId}/invalidation/${inv.Id}`, Invalidation: { ...inv } };
  },
  GetInvalidation(p, { state }) {
    const inv = getDistribution(state, p.DistributionId).invalidations.find((i) => i.Id === p.Id);
    if (!inv) throw new AwsError('NoSuchInvalidation', 'The specified invalidation does not exist.', 404);
    inv.Status = 'Completed';
    return { Invalidation: { ...inv } };
  },
  ListInvalidations(p, { state }) {
    const invs = getDistribution(state, p.DistributionId).invalidations;
    return {
      InvalidationList: {
        Marker: '',
        MaxItems: 100,
        IsTruncated: false,
        Quantity: invs.length,
        Items: invs.length ? [...invs].reverse().map((i) => ({ Id: i.Id, CreateTime: i.CreateTime, Status: i.Status })) : undefined,
      },
    };
  },
};

const cloudformation: Record<string, Handler> = {
  DescribeStacks(p, { state }) {
    if (!p.StackName) return { Stacks: Object.values(state.cloudformation.stacks) };
    const stack = Object.values(state.cloudformation.stacks).find((s) => s.StackName === p.StackName || s.StackId === p.StackName);
    if (!stack) throw new AwsError('ValidationError', `Stack with id ${p.StackName} does not exist`);
    return { Stacks: [stack] };
  },
  ListExports(_p, { state }) {
    return {
      Exports: Object.values(state.cloudformation.stacks).flatMap((s) =>
        (s.Outputs ?? []).filter((o: any) => o.ExportName).map((o: any) => ({ ExportingStackId: s.StackId, Name: o.ExportName, Value: o.OutputValue })),
      ),
    };
  },
};

const sts: Record<string, Handler> = {
  GetCallerIdentity(_p, { state }) {
    return { UserId: 'AIDAFAKEAWSUSER', Account: state.accountId, Arn: `arn:aws:iam::${state.accountId}:user/fake` };
  },
};

export const HANDLERS: Record<string, Record<string, Handler>> = { lambda, codedeploy, ecs, ecr, s3, cloudfront, cloudformation, sts };
