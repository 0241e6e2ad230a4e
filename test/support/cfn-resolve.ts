/**
 * Resolves a synthesized CloudFormation template's intrinsics to the concrete
 * values CloudFormation would produce, for tests: one account, one region, the
 * `aws` partition, one stack name. Physical names are the explicit name
 * property when the template sets one (RoleName, BucketName, FunctionName...),
 * otherwise a deterministic generated name `<stack>-<LogicalId>-gen`
 * (lowercase where AWS only allows lowercase). ARNs and ids have AWS's real
 * formats; the random parts (KMS key ids, load balancer suffixes, sg-...) are
 * derived from the logical id, so they are stable from one run to the next.
 *
 * Resolution is lazy: only the values asked for are resolved. An intrinsic,
 * resource type or attribute this resolver does not model throws a
 * CfnResolveError naming it; nothing is guessed.
 */
import { createHash } from 'node:crypto';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
  readonly Condition?: string;
  readonly [key: string]: Json | undefined;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: Json; readonly [key: string]: Json | undefined }>;
  readonly Conditions?: Record<string, Json>;
  readonly Mappings?: Record<string, Record<string, Record<string, Json>>>;
  readonly Outputs?: Record<string, Json>;
  readonly [key: string]: unknown;
}

export interface ResolveEnv {
  /** 123456789012 unless given. */
  readonly account?: string;
  /** us-east-1 unless given. */
  readonly region?: string;
  /** Stack unless given (the id the tests give AwsPipelineStack). */
  readonly stackName?: string;
  /** Values of template parameters; a parameter not listed takes its Default. */
  readonly parameters?: Record<string, string | string[]>;
  /** What Fn::GetAZs returns; without it, Fn::GetAZs throws (the list depends on the account). */
  readonly availabilityZones?: string[];
  /** Values for Fn::ImportValue, by export name. */
  readonly imports?: Record<string, string>;
}

export class CfnResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CfnResolveError';
  }
}

/** AWS::NoValue: removed from the object or list that holds it. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
type Resolved = Json | typeof NO_VALUE;

/** What a resource type's Ref, attributes and ARN need. */
interface Ctx {
  readonly id: string;
  readonly props: Record<string, Json>;
  readonly name: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** A stable hex string of the given length derived from the logical id (and a salt). */
  hex(length: number, salt?: string): string;
  /** A stable id of uppercase letters and digits. */
  alnum(length: number, salt?: string): string;
  /** A stable UUID. */
  uuid(salt?: string): string;
  /** A property resolved to a string; throws if it is missing. */
  str(prop: string): string;
  /** A property resolved, or undefined if absent. */
  opt(prop: string): Json | undefined;
}

interface TypeSpec {
  /** The property that names the resource, if the type has one. */
  readonly nameProp?: string;
  /** AWS allows only lowercase names (S3 buckets, ECR repositories). */
  readonly lowercase?: boolean;
  /** Ref's value; 'name' (the physical name) unless given. */
  readonly ref?: (c: Ctx) => Json;
  /** The resource's ARN, for GetAtt Arn and for arnOf. */
  readonly arn?: (c: Ctx) => string;
  /** Fn::GetAtt attributes other than Arn. */
  readonly attrs?: Record<string, (c: Ctx) => Json>;
}

const base = (c: Ctx, service: string, rest: string, region = c.region, account = c.account) => `arn:${c.partition}:${service}:${region}:${account}:${rest}`;
const pathOf = (c: Ctx) => (c.opt('Path') as string | undefined) ?? '/';
const id = (prefix: string) => (c: Ctx) => `${prefix}-${c.hex(17)}`;
const lastSegment = (value: string, separator: string) => value.slice(value.lastIndexOf(separator) + 1);

/** A Lambda function name from a name, a full ARN or a partial ARN (account:function:name). */
export function lambdaFunctionName(value: string): string {
  const parts = value.split(':');
  const i = parts.indexOf('function');
  return i >= 0 ? parts[i + 1] : parts[0];
}

/** The qualifier (alias or version) of a qualified Lambda function ARN or name:qualifier. */
export function lambdaQualifier(value: string): string | undefined {
  const parts = value.split(':');
  const i = parts.indexOf('function');
  if (i >= 0) return parts[i + 2];
  return parts.length === 2 ? parts[1] : undefined;
}

const S3_DASH_WEBSITE_REGIONS = new Set(['us-east-1', 'us-west-1', 'us-west-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'eu-west-1', 'sa-east-1', 'us-gov-west-1']);

function loadBalancerArn(c: Ctx): string {
  const kind = c.opt('Type') === 'network' ? 'net' : c.opt('Type') === 'gateway' ? 'gwy' : 'app';
  return base(c, 'elasticloadbalancing', `loadbalancer/${kind}/${c.name}/${c.hex(16)}`);
}

const TYPES: Record<string, TypeSpec> = {
  // IAM
  'AWS::IAM::Role': {
    nameProp: 'RoleName',
    arn: (c) => `arn:${c.partition}:iam::${c.account}:role${pathOf(c)}${c.name}`,
    attrs: { RoleId: (c) => `AROA${c.alnum(17)}` },
  },
  'AWS::IAM::Policy': {},
  'AWS::IAM::RolePolicy': { nameProp: 'PolicyName' },
  'AWS::IAM::ManagedPolicy': {
    nameProp: 'ManagedPolicyName',
    ref: (c) => `arn:${c.partition}:iam::${c.account}:policy${pathOf(c)}${c.name}`,
    arn: (c) => `arn:${c.partition}:iam::${c.account}:policy${pathOf(c)}${c.name}`,
    attrs: { PolicyArn: (c) => `arn:${c.partition}:iam::${c.account}:policy${pathOf(c)}${c.name}`, PolicyId: (c) => `ANPA${c.alnum(17)}` },
  },
  'AWS::IAM::InstanceProfile': {
    nameProp: 'InstanceProfileName',
    arn: (c) => `arn:${c.partition}:iam::${c.account}:instance-profile${pathOf(c)}${c.name}`,
  },
  'AWS::IAM::OIDCProvider': {
    ref: (c) => `arn:${c.partition}:iam::${c.account}:oidc-provider/${c.str('Url').replace(/^https:\/\//, '')}`,
    arn: (c) => `arn:${c.partition}:iam::${c.account}:oidc-provider/${c.str('Url').replace(/^https:\/\//, '')}`,
  },
  // Storage, keys, images
  'AWS::S3::Bucket': {
    nameProp: 'BucketName',
    lowercase: true,
    arn: (c) => `arn:${c.partition}:s3:::${c.name}`,
    attrs: {
      DomainName: (c) => `${c.name}.s3.amazonaws.com`,
      RegionalDomainName: (c) => `${c.name}.s3.${c.region}.amazonaws.com`,
      DualStackDomainName: (c) => `${c.name}.s3.dualstack.${c.region}.amazonaws.com`,
      WebsiteURL: (c) => `http://${c.name}.s3-website${S3_DASH_WEBSITE_REGIONS.has(c.region) ? '-' : '.'}${c.region}.amazonaws.com`,
    },
  },
  'AWS::S3::BucketPolicy': {},
  'AWS::KMS::Key': {
    ref: (c) => c.uuid(),
    arn: (c) => base(c, 'kms', `key/${c.uuid()}`),
    attrs: { KeyId: (c) => c.uuid() },
  },
  'AWS::KMS::Alias': { nameProp: 'AliasName', arn: (c) => base(c, 'kms', c.name) },
  'AWS::ECR::Repository': {
    nameProp: 'RepositoryName',
    lowercase: true,
    arn: (c) => base(c, 'ecr', `repository/${c.name}`),
    attrs: { RepositoryUri: (c) => `${c.account}.dkr.ecr.${c.region}.amazonaws.com/${c.name}` },
  },
  // ECS
  'AWS::ECS::Cluster': { nameProp: 'ClusterName', arn: (c) => base(c, 'ecs', `cluster/${c.name}`) },
  'AWS::ECS::Service': {
    nameProp: 'ServiceName',
    ref: (c) => serviceArn(c),
    arn: (c) => serviceArn(c),
    attrs: { Name: (c) => c.name, ServiceArn: (c) => serviceArn(c) },
  },
  'AWS::ECS::TaskDefinition': {
    nameProp: 'Family',
    // A task definition's ARN names one revision; the first is 1.
    ref: (c) => base(c, 'ecs', `task-definition/${c.name}:1`),
    arn: (c) => base(c, 'ecs', `task-definition/${c.name}:1`),
    attrs: { TaskDefinitionArn: (c) => base(c, 'ecs', `task-definition/${c.name}:1`) },
  },
  // Lambda
  'AWS::Lambda::Function': { nameProp: 'FunctionName', arn: (c) => base(c, 'lambda', `function:${c.name}`) },
  'AWS::Lambda::Version': {
    // A stack's version resource publishes the function's first version.
    ref: (c) => base(c, 'lambda', `function:${lambdaFunctionName(c.str('FunctionName'))}:1`),
    arn: (c) => base(c, 'lambda', `function:${lambdaFunctionName(c.str('FunctionName'))}:1`),
    attrs: { Version: () => '1', FunctionArn: (c) => base(c, 'lambda', `function:${lambdaFunctionName(c.str('FunctionName'))}:1`) },
  },
  'AWS::Lambda::Alias': {
    ref: (c) => base(c, 'lambda', `function:${lambdaFunctionName(c.str('FunctionName'))}:${c.str('Name')}`),
    arn: (c) => base(c, 'lambda', `function:${lambdaFunctionName(c.str('FunctionName'))}:${c.str('Name')}`),
    attrs: { AliasArn: (c) => base(c, 'lambda', `function:${lambdaFunctionName(c.str('FunctionName'))}:${c.str('Name')}`) },
  },
  'AWS::Lambda::Permission': {},
  // Delivery
  'AWS::CodeDeploy::Application': { nameProp: 'ApplicationName', arn: (c) => base(c, 'codedeploy', `application:${c.name}`) },
  'AWS::CodeDeploy::DeploymentGroup': {
    nameProp: 'DeploymentGroupName',
    arn: (c) => base(c, 'codedeploy', `deploymentgroup:${c.str('ApplicationName')}/${c.name}`),
  },
  'AWS::CodeDeploy::DeploymentConfig': { nameProp: 'DeploymentConfigName', arn: (c) => base(c, 'codedeploy', `deploymentconfig:${c.name}`) },
  'AWS::CodeBuild::Project': { nameProp: 'Name', arn: (c) => base(c, 'codebuild', `project/${c.name}`) },
  'AWS::CodePipeline::Pipeline': { nameProp: 'Name', arn: (c) => base(c, 'codepipeline', c.name), attrs: { Version: () => '1' } },
  'AWS::CodeStarConnections::Connection': {
    ref: (c) => base(c, 'codestar-connections', `connection/${c.uuid()}`),
    arn: (c) => base(c, 'codestar-connections', `connection/${c.uuid()}`),
    attrs: { ConnectionArn: (c) => base(c, 'codestar-connections', `connection/${c.uuid()}`) },
  },
  // Logs, notifications, alarms, events
  'AWS::Logs::LogGroup': { nameProp: 'LogGroupName', arn: (c) => base(c, 'logs', `log-group:${c.name}:*`) },
  'AWS::Logs::ResourcePolicy': { nameProp: 'PolicyName' },
  'AWS::SNS::Topic': {
    nameProp: 'TopicName',
    ref: (c) => base(c, 'sns', c.name),
    arn: (c) => base(c, 'sns', c.name),
    attrs: { TopicArn: (c) => base(c, 'sns', c.name), TopicName: (c) => c.name },
  },
  'AWS::SNS::TopicPolicy': {},
  'AWS::SNS::Subscription': { ref: (c) => `${c.str('TopicArn')}:${c.uuid()}`, arn: (c) => `${c.str('TopicArn')}:${c.uuid()}` },
  'AWS::CloudWatch::Alarm': { nameProp: 'AlarmName', arn: (c) => base(c, 'cloudwatch', `alarm:${c.name}`) },
  'AWS::Events::Rule': {
    nameProp: 'Name',
    arn: (c) => {
      const bus = c.opt('EventBusName');
      const busName = typeof bus === 'string' && bus !== 'default' ? `${lastSegment(bus, '/')}/` : '';
      return base(c, 'events', `rule/${busName}${c.name}`);
    },
  },
  'AWS::SSM::Parameter': { nameProp: 'Name', arn: (c) => base(c, 'ssm', `parameter/${c.name.replace(/^\//, '')}`), attrs: { Type: (c) => c.str('Type'), Value: (c) => c.str('Value') } },
  // Load balancing
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    nameProp: 'Name',
    ref: loadBalancerArn,
    arn: loadBalancerArn,
    attrs: {
      LoadBalancerArn: loadBalancerArn,
      LoadBalancerFullName: (c) => loadBalancerArn(c).split(':loadbalancer/')[1],
      LoadBalancerName: (c) => c.name,
      DNSName: (c) => `${c.opt('Scheme') === 'internal' ? 'internal-' : ''}${c.name}-${parseInt(c.hex(8), 16)}.${c.region}.elb.amazonaws.com`,
      SecurityGroups: (c) => c.opt('SecurityGroups') ?? [],
    },
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    nameProp: 'Name',
    ref: (c) => base(c, 'elasticloadbalancing', `targetgroup/${c.name}/${c.hex(16)}`),
    arn: (c) => base(c, 'elasticloadbalancing', `targetgroup/${c.name}/${c.hex(16)}`),
    attrs: {
      TargetGroupArn: (c) => base(c, 'elasticloadbalancing', `targetgroup/${c.name}/${c.hex(16)}`),
      TargetGroupFullName: (c) => `targetgroup/${c.name}/${c.hex(16)}`,
      TargetGroupName: (c) => c.name,
    },
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    ref: (c) => listenerArn(c),
    arn: (c) => listenerArn(c),
    attrs: { ListenerArn: (c) => listenerArn(c) },
  },
  'AWS::ElasticLoadBalancingV2::ListenerRule': {
    ref: (c) => `${c.str('ListenerArn').replace(':listener/', ':listener-rule/')}/${c.hex(16)}`,
    arn: (c) => `${c.str('ListenerArn').replace(':listener/', ':listener-rule/')}/${c.hex(16)}`,
    attrs: { RuleArn: (c) => `${c.str('ListenerArn').replace(':listener/', ':listener-rule/')}/${c.hex(16)}` },
  },
  // CloudFront
  'AWS::CloudFront::Distribution': {
    ref: (c) => `E${c.alnum(13)}`,
    arn: (c) => `arn:${c.partition}:cloudfront::${c.account}:distribution/E${c.alnum(13)}`,
    attrs: { Id: (c) => `E${c.alnum(13)}`, DomainName: (c) => `d${c.alnum(13).toLowerCase()}.cloudfront.net` },
  },
  'AWS::CloudFront::OriginAccessControl': { ref: (c) => `E${c.alnum(13)}`, attrs: { Id: (c) => `E${c.alnum(13)}` } },
  'AWS::CloudFront::CloudFrontOriginAccessIdentity': {
    ref: (c) => `E${c.alnum(13)}`,
    attrs: { Id: (c) => `E${c.alnum(13)}`, S3CanonicalUserId: (c) => c.hex(64) },
  },
  // Auto Scaling and EC2
  'AWS::AutoScaling::AutoScalingGroup': {
    nameProp: 'AutoScalingGroupName',
    arn: (c) => base(c, 'autoscaling', `autoScalingGroup:${c.uuid()}:autoScalingGroupName/${c.name}`),
  },
  'AWS::AutoScaling::LaunchConfiguration': {
    nameProp: 'LaunchConfigurationName',
    arn: (c) => base(c, 'autoscaling', `launchConfiguration:${c.uuid()}:launchConfigurationName/${c.name}`),
  },
  'AWS::EC2::LaunchTemplate': {
    nameProp: 'LaunchTemplateName',
    ref: id('lt'),
    arn: (c) => base(c, 'ec2', `launch-template/lt-${c.hex(17)}`),
    attrs: { LaunchTemplateId: id('lt'), LatestVersionNumber: () => '1', DefaultVersionNumber: () => '1' },
  },
  'AWS::EC2::SecurityGroup': {
    ref: id('sg'),
    arn: (c) => base(c, 'ec2', `security-group/sg-${c.hex(17)}`),
    attrs: { GroupId: id('sg'), VpcId: (c) => c.str('VpcId') },
  },
  'AWS::EC2::VPC': {
    ref: id('vpc'),
    arn: (c) => base(c, 'ec2', `vpc/vpc-${c.hex(17)}`),
    attrs: { VpcId: id('vpc'), CidrBlock: (c) => c.str('CidrBlock'), DefaultSecurityGroup: (c) => `sg-${c.hex(17, 'default-sg')}`, DefaultNetworkAcl: (c) => `acl-${c.hex(17, 'default-acl')}` },
  },
  'AWS::EC2::Subnet': {
    ref: id('subnet'),
    arn: (c) => base(c, 'ec2', `subnet/subnet-${c.hex(17)}`),
    attrs: { SubnetId: id('subnet'), AvailabilityZone: (c) => c.str('AvailabilityZone'), VpcId: (c) => c.str('VpcId') },
  },
  'AWS::EC2::RouteTable': { ref: id('rtb'), arn: (c) => base(c, 'ec2', `route-table/rtb-${c.hex(17)}`), attrs: { RouteTableId: id('rtb') } },
  'AWS::EC2::InternetGateway': { ref: id('igw'), arn: (c) => base(c, 'ec2', `internet-gateway/igw-${c.hex(17)}`), attrs: { InternetGatewayId: id('igw') } },
  'AWS::EC2::NatGateway': { ref: id('nat'), arn: (c) => base(c, 'ec2', `natgateway/nat-${c.hex(17)}`), attrs: { NatGatewayId: id('nat') } },
  'AWS::EC2::EIP': {
    // Ref is the public address; a documentation range (RFC 5737) address.
    ref: (c) => `203.0.113.${parseInt(c.hex(2), 16) % 254 + 1}`,
    attrs: { AllocationId: id('eipalloc'), PublicIp: (c) => `203.0.113.${parseInt(c.hex(2), 16) % 254 + 1}` },
  },
  'AWS::EC2::SubnetRouteTableAssociation': { ref: id('rtbassoc') },
  'AWS::EC2::SecurityGroupIngress': { ref: id('sgr') },
  'AWS::EC2::SecurityGroupEgress': { ref: id('sgr') },
  'AWS::EC2::FlowLog': { ref: id('fl') },
  'AWS::EC2::Route': {},
  'AWS::EC2::VPCGatewayAttachment': {},
};

function serviceArn(c: Ctx): string {
  const cluster = c.opt('Cluster');
  const clusterName = typeof cluster === 'string' ? lastSegment(cluster, '/') : 'default';
  return base(c, 'ecs', `service/${clusterName}/${c.name}`);
}

function listenerArn(c: Ctx): string {
  return `${c.str('LoadBalancerArn').replace(':loadbalancer/', ':listener/')}/${c.hex(16)}`;
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

export class CfnResolver {
  readonly account: string;
  readonly region: string;
  readonly partition = 'aws';
  readonly stackName: string;
  readonly stackId: string;

  constructor(
    readonly template: CfnTemplate,
    private readonly env: ResolveEnv = {},
  ) {
    this.account = env.account ?? '123456789012';
    this.region = env.region ?? 'us-east-1';
    this.stackName = env.stackName ?? 'Stack';
    this.stackId = `arn:${this.partition}:cloudformation:${this.region}:${this.account}:stack/${this.stackName}/${uuidFrom(`${this.stackName}/stack-id`)}`;
  }

  /** Every logical id of the given resource type whose Condition (if any) holds. */
  logicalIdsOfType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([lid, r]) => r.Type === type && this.exists(lid))
      .map(([lid]) => lid);
  }

  resource(logicalId: string): CfnResource {
    const r = this.template.Resources[logicalId];
    if (!r) throw new CfnResolveError(`no resource ${logicalId} in the template`);
    return r;
  }

  /** Whether the resource is created (its Condition, if any, holds). */
  exists(logicalId: string): boolean {
    const r = this.resource(logicalId);
    return r.Condition === undefined || this.condition(r.Condition);
  }

  /** Resolves every intrinsic in a value; AWS::NoValue entries are dropped. */
  resolve(value: Json, where = ''): Json {
    const r = this.resolveInner(value, where);
    if (r === NO_VALUE) throw new CfnResolveError(`${where || 'value'}: resolves to AWS::NoValue`);
    return r;
  }

  /** Resolves a value that must be a string. */
  resolveString(value: Json, where = ''): string {
    const r = this.resolve(value, where);
    if (typeof r !== 'string' && typeof r !== 'number') throw new CfnResolveError(`${where || 'value'}: expected a string, got ${JSON.stringify(r)}`);
    return String(r);
  }

  /** The physical name: the explicit name property, or `<stack>-<LogicalId>-gen`. */
  physicalName(logicalId: string): string {
    const r = this.resource(logicalId);
    const spec = this.spec(logicalId, r);
    const explicit = spec.nameProp ? r.Properties?.[spec.nameProp] : undefined;
    if (explicit !== undefined) return this.resolveString(explicit, `${logicalId}.${spec.nameProp}`);
    const generated = `${this.stackName}-${logicalId}-gen`;
    return spec.lowercase ? generated.toLowerCase() : generated;
  }

  /** Ref of a resource, parameter or pseudo parameter. */
  ref(name: string): Json {
    const r = this.refInner(name);
    if (r === NO_VALUE) throw new CfnResolveError('Ref AWS::NoValue outside a property');
    return r;
  }

  /** Fn::GetAtt; Arn is served for every type with an ARN. */
  getAtt(logicalId: string, attribute: string): Json {
    const r = this.resource(logicalId);
    if (!this.exists(logicalId)) throw new CfnResolveError(`Fn::GetAtt ${logicalId}.${attribute}: the resource's Condition ${r.Condition} is false`);
    const spec = this.spec(logicalId, r);
    const attr = spec.attrs?.[attribute];
    if (attr) return attr(this.ctx(logicalId, r));
    if (attribute === 'Arn' && spec.arn) return spec.arn(this.ctx(logicalId, r));
    throw new CfnResolveError(`Fn::GetAtt ${logicalId}.${attribute}: attribute ${attribute} of ${r.Type} is not modelled (add it to TYPES in test/support/cfn-resolve.ts)`);
  }

  /** The ARN of a resource in the template. */
  arn(logicalId: string): string {
    const r = this.resource(logicalId);
    const spec = this.spec(logicalId, r);
    if (!spec.arn) throw new CfnResolveError(`${logicalId}: ${r.Type} has no ARN in this model`);
    return spec.arn(this.ctx(logicalId, r));
  }

  /** A template condition's value. */
  condition(name: string): boolean {
    const c = this.template.Conditions?.[name];
    if (c === undefined) throw new CfnResolveError(`no condition ${name} in the template`);
    return this.evalCondition(c, `Conditions.${name}`);
  }

  private spec(logicalId: string, r: CfnResource): TypeSpec {
    const spec = TYPES[r.Type];
    if (!spec) throw new CfnResolveError(`${logicalId}: resource type ${r.Type} is not modelled (add it to TYPES in test/support/cfn-resolve.ts)`);
    return spec;
  }

  private ctx(logicalId: string, r: CfnResource): Ctx {
    const props = r.Properties ?? {};
    const seed = `${this.stackName}/${logicalId}`;
    const self = this;
    return {
      id: logicalId,
      props,
      get name() {
        return self.physicalName(logicalId);
      },
      partition: this.partition,
      region: this.region,
      account: this.account,
      hex: (length, salt = '') => hexFrom(`${seed}/${salt}`, length),
      alnum: (length, salt = '') => alnumFrom(`${seed}/${salt}`, length),
      uuid: (salt = '') => uuidFrom(`${seed}/${salt}`),
      str: (prop) => {
        const v = props[prop];
        if (v === undefined) throw new CfnResolveError(`${logicalId} (${r.Type}): property ${prop} is needed and not set`);
        return this.resolveString(v, `${logicalId}.${prop}`);
      },
      opt: (prop) => (props[prop] === undefined ? undefined : this.resolve(props[prop], `${logicalId}.${prop}`)),
    };
  }

  private refInner(name: string): Resolved {
    switch (name) {
      case 'AWS::AccountId':
        return this.account;
      case 'AWS::Region':
        return this.region;
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return this.stackId;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    if (name.startsWith('AWS::')) throw new CfnResolveError(`Ref ${name}: unknown pseudo parameter`);
    const parameter = this.template.Parameters?.[name];
    if (parameter) return this.parameter(name, parameter);
    const r = this.template.Resources[name];
    if (!r) throw new CfnResolveError(`Ref ${name}: no such resource or parameter`);
    if (!this.exists(name)) throw new CfnResolveError(`Ref ${name}: the resource's Condition ${r.Condition} is false`);
    const spec = this.spec(name, r);
    return spec.ref ? spec.ref(this.ctx(name, r)) : this.physicalName(name);
  }

  private parameter(name: string, p: NonNullable<CfnTemplate['Parameters']>[string]): Json {
    const supplied = this.env.parameters?.[name];
    const isList = p.Type.startsWith('List<') || p.Type === 'CommaDelimitedList';
    if (supplied !== undefined) return isList && typeof supplied === 'string' ? supplied.split(',') : supplied;
    if (p.Type.startsWith('AWS::SSM::Parameter::Value<')) {
      throw new CfnResolveError(`Ref ${name}: an SSM parameter type (${p.Type}); its Default ${JSON.stringify(p.Default)} is a parameter name, not the value: pass parameters.${name}`);
    }
    if (p.Default === undefined) throw new CfnResolveError(`Ref ${name}: the parameter has no Default: pass parameters.${name}`);
    return isList && typeof p.Default === 'string' ? p.Default.split(',') : p.Default;
  }

  private resolveInner(value: Json, where: string): Resolved {
    if (Array.isArray(value)) {
      return value.map((v, i) => this.resolveInner(v, `${where}[${i}]`)).filter((v): v is Json => v !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return this.intrinsic(keys[0], value[keys[0]], where);
    const out: { [key: string]: Json } = {};
    for (const k of keys) {
      const v = this.resolveInner(value[k], where ? `${where}.${k}` : k);
      if (v !== NO_VALUE) out[k] = v;
    }
    return out;
  }

  private intrinsic(fn: string, arg: Json, where: string): Resolved {
    const at = `${where || 'value'}: ${fn}`;
    const str = (v: Json, what: string) => this.resolveString(v, `${at} ${what}`);
    const list = (v: Json, what: string): Json[] => {
      const r = this.resolve(v, `${at} ${what}`);
      if (!Array.isArray(r)) throw new CfnResolveError(`${at}: ${what} must be a list, got ${JSON.stringify(r)}`);
      return r;
    };
    switch (fn) {
      case 'Ref':
        if (typeof arg !== 'string') throw new CfnResolveError(`${at}: expects a name`);
        return this.refInner(arg);
      case 'Fn::GetAtt': {
        const [lid, ...attr] = typeof arg === 'string' ? arg.split('.') : Array.isArray(arg) ? arg.map((a, i) => str(a, `argument ${i}`)) : [];
        if (!lid || attr.length === 0) throw new CfnResolveError(`${at}: expects [logicalId, attribute]`);
        return this.getAtt(lid, attr.join('.'));
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new CfnResolveError(`${at}: expects [delimiter, list]`);
        return list(arg[1], 'list').map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : fail(`${at}: cannot join ${JSON.stringify(v)}`))).join(str(arg[0], 'delimiter'));
      }
      case 'Fn::Sub':
        return this.sub(arg, at);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new CfnResolveError(`${at}: expects [index, list]`);
        const index = Number(this.resolve(arg[0], `${at} index`));
        const items = list(arg[1], 'list');
        if (!Number.isInteger(index) || index < 0 || index >= items.length) throw new CfnResolveError(`${at}: index ${index} outside a list of ${items.length}`);
        return items[index];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new CfnResolveError(`${at}: expects [delimiter, string]`);
        return str(arg[1], 'string').split(str(arg[0], 'delimiter'));
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') throw new CfnResolveError(`${at}: expects [condition, then, else]`);
        return this.resolveInner(this.condition(arg[0]) ? arg[1] : arg[2], where);
      }
      case 'Fn::Base64':
        return Buffer.from(str(arg, 'value')).toString('base64');
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) throw new CfnResolveError(`${at}: expects [map, key, key]`);
        const [map, k1, k2] = [str(arg[0], 'map'), str(arg[1], 'first key'), str(arg[2], 'second key')];
        const found = this.template.Mappings?.[map]?.[k1]?.[k2];
        if (found === undefined) {
          if (arg.length === 4 && isObject(arg[3]) && 'DefaultValue' in arg[3]) return this.resolveInner(arg[3].DefaultValue, where);
          throw new CfnResolveError(`${at}: no ${map}.${k1}.${k2} in Mappings`);
        }
        return found;
      }
      case 'Fn::GetAZs': {
        const region = str(arg, 'region') || this.region;
        if (region !== this.region) throw new CfnResolveError(`${at}: only the stack's region ${this.region} is modelled`);
        if (!this.env.availabilityZones) throw new CfnResolveError(`${at}: the zones depend on the account: pass availabilityZones`);
        return this.env.availabilityZones;
      }
      case 'Fn::ImportValue': {
        const name = str(arg, 'export name');
        const v = this.env.imports?.[name];
        if (v === undefined) throw new CfnResolveError(`${at}: no value for export ${name}: pass imports.${name}`);
        return v;
      }
      case 'Fn::Length':
        return list(arg, 'list').length;
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(arg, at));
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        return this.evalCondition({ [fn]: arg }, where);
      default:
        throw new CfnResolveError(`${at}: intrinsic not modelled (add it to test/support/cfn-resolve.ts)`);
    }
  }

  private sub(arg: Json, at: string): string {
    let text: string;
    let vars: { [key: string]: Json } = {};
    if (typeof arg === 'string') text = arg;
    else if (Array.isArray(arg) && typeof arg[0] === 'string' && (arg.length === 1 || (arg.length === 2 && isObject(arg[1])))) [text, vars] = [arg[0], (arg[1] ?? {}) as { [key: string]: Json }];
    else throw new CfnResolveError(`${at}: expects a string or [string, variables]`);
    return text.replace(/\$\{([^}]*)\}/g, (_m, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      const key = name.trim();
      if (key in vars) return this.resolveString(vars[key], `${at} variable ${key}`);
      const dot = key.indexOf('.');
      const v = dot > 0 && !key.startsWith('AWS::') ? this.getAtt(key.slice(0, dot), key.slice(dot + 1)) : this.ref(key);
      if (typeof v !== 'string' && typeof v !== 'number') throw new CfnResolveError(`${at}: \${${key}} is not a string: ${JSON.stringify(v)}`);
      return String(v);
    });
  }

  private evalCondition(c: Json, where: string): boolean {
    if (typeof c === 'boolean') return c;
    if (!isObject(c) || Object.keys(c).length !== 1) throw new CfnResolveError(`${where}: not a condition: ${JSON.stringify(c)}`);
    const [fn, arg] = Object.entries(c)[0];
    const args = () => (Array.isArray(arg) ? arg : fail(`${where}: ${fn} expects a list`));
    switch (fn) {
      case 'Condition':
        return typeof arg === 'string' ? this.condition(arg) : fail(`${where}: Condition expects a name`);
      case 'Fn::Equals': {
        const [a, b] = args().map((v) => this.resolve(v, `${where} Fn::Equals`));
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::And':
        return args().every((v) => this.evalCondition(v, where));
      case 'Fn::Or':
        return args().some((v) => this.evalCondition(v, where));
      case 'Fn::Not':
        return !this.evalCondition(args()[0], where);
      default:
        throw new CfnResolveError(`${where}: ${fn} is not a condition function`);
    }
  }
}

function fail(message: string): never {
  throw new CfnResolveError(message);
}

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

function hexFrom(seed: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += digest(`${seed}#${i}`).toString('hex');
  return out.slice(0, length);
}

function alnumFrom(seed: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let out = '';
  for (let i = 0; out.length < length; i++) for (const byte of digest(`${seed}#${i}`)) out += alphabet[byte % alphabet.length];
  return out.slice(0, length);
}

function uuidFrom(seed: string): string {
  const h = hexFrom(seed, 32);
  // eslint-disable-next-line no-bitwise -- a UUID's variant bits
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

