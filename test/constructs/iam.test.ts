/**
 * Least privilege, simulated: for every valid combination, every role the
 * pipeline stack creates may make the calls its job needs, on the resources
 * of its environment (ARNs resolved from the synthesized template), and is
 * denied the calls it must never make. What each principal needs and must
 * not do is data: test/support/needed-calls.ts, each entry with the script
 * line, buildspec or workflow step, or AWS document that requires it.
 *
 * Principals are found from the template, not by name: the pipeline's
 * RoleArn and each action's, each CodeBuild project's ServiceRole, each
 * deployment group's ServiceRoleArn, the instance profile of each fleet's
 * launch template, each function's Role, the flow log's role, the GitHub
 * roles svc-github-<env>, the ECS roles svc-ecs-execution/svc-ecs-task. A
 * role the test cannot place fails the coverage test.
 *
 * Each stack is synthesized once; its checks run concurrently. Failures are
 * collected per test and compared to [] so one run lists all of them.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoApp } from './app';
import { AwsPipelineStack } from '../../src/constructs';
import { listMatrix, SOURCES } from '../../src/model';
import type { PipelineConfig } from '../../src/model/config';
import { needsImage } from '../../src/model/layout';
import type { EnvironmentPlan } from '../../src/model/plan';
import { prBuildRunner } from '../../src/model/pr-builds';
import { TOOLCHAINS } from '../../src/model/toolchains';
import type { Json } from '../support/cfn-resolve';
import { decisionOf, IamModel, type CfnTemplate, type Context, type Decision, type IamRole } from '../support/iam-sim';
import * as N from '../support/needed-calls';
import type { Call, DeploymentKind, Ref, Variant } from '../support/needed-calls';

const ACCOUNT = '123456789012';
const PRODUCTION_ACCOUNT = '210987654321';
const THIRD_ACCOUNT = '111122223333';
const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const GITHUB = 'token.actions.githubusercontent.com';
const REPOSITORY = 'your-org/svc';
const oidc = (environment: string, repository = REPOSITORY): Context => ({ [`${GITHUB}:sub`]: `repo:${repository}:environment:${environment}`, [`${GITHUB}:aud`]: 'sts.amazonaws.com' });

// -------------------------------------------------------------------------------------------------
// The combinations: every valid one (sources rotating as in pipeline-stack.test.ts; GitHub sources
// also run GitHub Actions, so both kinds of deployer exist), plus the cases the rotation misses.
// -------------------------------------------------------------------------------------------------

interface Case {
  readonly label: string;
  readonly props: Record<string, unknown>;
}

const matrixCases: Case[] = listMatrix().valid.map((c, i) => {
  const source = SOURCES[i % SOURCES.length];
  const ci = source === 'github' ? 'both' : 'codepipeline';
  return {
    label: `${c.runtime} ${c.target} ${c.strategy}${c.engine ? ` engine ${c.engine}` : ''} from ${source} (${ci})`,
    props: { runtime: c.runtime, target: c.target, strategy: c.strategy, source, ci, ...(c.engine ? { ecsEngine: c.engine } : {}) },
  };
});

const CROSS_BLUE_GREEN = 'cross-account production: node ecs blue-green from github (both)';
const CROSS_ROLLING = 'cross-account production: node ecs all-at-once (rolling) from github (both)';

const extraCases: Case[] = [
  // HTTPS: CodeDeploy shifts traffic on the HTTPS production listener.
  {
    label: 'node ecs blue-green from github (both) over HTTPS',
    props: { runtime: 'node', target: 'ecs', strategy: 'blue-green', source: 'github', ci: 'both', certificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0` },
  },
  // The rotation gives the S3 site a GitLab source: its GitHub roles are checked here.
  { label: 'node s3-site all-at-once from github (both)', props: { runtime: 'node', target: 's3-site', strategy: 'all-at-once', source: 'github', ci: 'both' } },
  // Pull-request builds beside a build with parameters and secrets: the pull request's role reads neither.
  {
    label: 'node lambda canary from github (codepipeline) with parameters, secrets and pull-request builds',
    props: { runtime: 'node', target: 'lambda', strategy: 'canary', source: 'github', ci: 'codepipeline', parameters: ['DB_HOST=/svc/db-host'], secrets: ['DB_PASSWORD=svc/db:password'] },
  },
  // The build reads exactly the parameters and secrets its buildspec names.
  {
    label: 'node ec2 one-at-a-time from s3 (codepipeline) with parameters and secrets',
    props: { runtime: 'node', target: 'ec2', strategy: 'one-at-a-time', source: 's3', ci: 'codepipeline', parameters: ['DB_HOST=/svc/db-host'], secrets: ['DB_PASSWORD=svc/db:password'] },
  },
  {
    label: CROSS_BLUE_GREEN,
    props: {
      runtime: 'node',
      target: 'ecs',
      strategy: 'blue-green',
      source: 'github',
      ci: 'both',
      productionAccount: PRODUCTION_ACCOUNT,
      existing: { production: { applicationName: 'svc', deploymentGroupName: 'svc-production', clusterName: 'svc', serviceName: 'svc-production' } },
    },
  },
  {
    label: CROSS_ROLLING,
    props: {
      runtime: 'node',
      target: 'ecs',
      strategy: 'all-at-once',
      source: 'github',
      ci: 'both',
      productionAccount: PRODUCTION_ACCOUNT,
      existing: { production: { clusterName: 'svc', serviceName: 'svc-production' } },
    },
  },
];

const cases = [...matrixCases, ...extraCases];

// -------------------------------------------------------------------------------------------------
// Synthesis (once per case) and the principals found in the template.
// -------------------------------------------------------------------------------------------------

type Kind =
  | 'pipeline'
  | 'pipeline-events'
  | 'notification-events'
  | 'source-action'
  | 'build-action'
  | 'test-action'
  | 'approval-action'
  | 'deploy-action'
  | 'build-project'
  | 'integration-project'
  | 'pr-project'
  | 'deploy-project'
  | 'codedeploy-service'
  | 'task-execution'
  | 'task'
  | 'instance'
  | 'function'
  | 'pre-hook'
  | 'post-hook'
  | 'flow-logs'
  | 'default-sg-restricter'
  | 'ecs-infrastructure'
  | 'ecs-hook-invoke'
  | 'ecs-hook'
  | 'github';

type Group = 'pipeline' | 'codebuild' | 'runtime' | 'github';

/**
 * The failure rule's role. EventBridge publishes with it (EventBridge User Guide, resource-based policies:
 * "For Lambda, Amazon SNS, and Amazon SQS resources, EventBridge can use either an IAM execution role or a
 * resource-based policy"); publishing to a topic encrypted with a customer managed key takes the key's
 * kms:GenerateDataKey and kms:Decrypt (SNS Developer Guide, key management).
 */
const NOTIFICATION_EVENTS: readonly Call[] = [
  { action: 'sns:Publish', on: 'topic', by: 'EventBridge rule <name>-pipeline-failed: publishes a failed execution or stage' },
  { action: 'kms:GenerateDataKey', on: 'artifactKey', by: 'sns:Publish to the topic encrypted with the stack\'s key' },
  { action: 'kms:Decrypt', on: 'artifactKey', by: 'sns:Publish to the topic encrypted with the stack\'s key' },
];
const NOTIFICATION_EVENTS_FORBIDDEN: readonly Call[] = [
  { action: 'sns:Publish', on: 'foreignTopic', by: 'publishes to another topic' },
  { action: 'codepipeline:StartPipelineExecution', on: 'pipeline', by: 'starts the pipeline' },
];

const GROUP: Record<Kind, Group> = {
  'pipeline': 'pipeline',
  'pipeline-events': 'pipeline',
  'notification-events': 'pipeline',
  'source-action': 'pipeline',
  'build-action': 'pipeline',
  'test-action': 'pipeline',
  'approval-action': 'pipeline',
  'deploy-action': 'pipeline',
  'build-project': 'codebuild',
  'integration-project': 'codebuild',
  'pr-project': 'codebuild',
  'deploy-project': 'codebuild',
  'codedeploy-service': 'runtime',
  'task-execution': 'runtime',
  'task': 'runtime',
  'instance': 'runtime',
  'function': 'runtime',
  'pre-hook': 'runtime',
  'post-hook': 'runtime',
  'flow-logs': 'runtime',
  'default-sg-restricter': 'runtime',
  'ecs-infrastructure': 'runtime',
  'ecs-hook-invoke': 'runtime',
  'ecs-hook': 'runtime',
  'github': 'github',
};

interface Action {
  readonly stage: string;
  readonly name: string;
  readonly category: string;
  readonly provider: string;
  readonly roleArn: string;
  readonly configuration: Record<string, Json>;
}

interface Principal {
  readonly kind: Kind;
  readonly role: IamRole;
  /** What the report calls it: the role's name, or its logical id when CloudFormation names it. */
  readonly label: string;
  /** The environments whose resources it acts on. */
  readonly plans: readonly EnvironmentPlan[];
  /** Its own environment, for one environment's principals. */
  readonly plan?: EnvironmentPlan;
  readonly action?: Action;
  readonly projectName?: string;
  /** Logical id of its own log group (CodeBuild project, function, flow logs). */
  readonly logGroup?: string;
  readonly needed: readonly Call[];
  readonly forbidden: readonly Call[];
  /** Who may assume it, and who may not. */
  readonly trust: ReadonlyArray<{ who: string | IamRole; context?: Context }>;
  readonly distrust: ReadonlyArray<{ who: string | IamRole; context?: Context }>;
}

interface Synth {
  readonly label: string;
  readonly config: PipelineConfig;
  readonly m: IamModel;
  readonly t: CfnTemplate;
  readonly actions: readonly Action[];
  readonly principals: readonly Principal[];
  /** Roles of the template no principal accounts for. */
  readonly unplaced: readonly string[];
  readonly synthMs: number;
}

const synthCache = new Map<string, Synth>();

function synthOnce(c: Case): Synth {
  const cached = synthCache.get(c.label);
  if (cached) return cached;
  const start = performance.now();
  const stack = new AwsPipelineStack(repoApp(), 'Stack', { name: 'svc', account: ACCOUNT, connectionArn: CONNECTION, ...c.props } as never);
  const t = Template.fromStack(stack).toJSON() as CfnTemplate;
  const m = new IamModel(t);
  const config = stack.config;
  const actions = pipelineActions(m, t);
  const principals = findPrincipals(m, t, config, actions);
  const placed = new Set(principals.map((p) => p.role.logicalId));
  const s: Synth = { label: c.label, config, m, t, actions, principals, unplaced: m.roles.filter((r) => !placed.has(r.logicalId)).map((r) => `${r.logicalId} (${r.name})`), synthMs: performance.now() - start };
  synthCache.set(c.label, s);
  return s;
}

const isRecord = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: Json | undefined): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const props = (t: CfnTemplate, id: string): Record<string, Json> => t.Resources[id]?.Properties ?? {};

/** The logical id a Ref or Fn::GetAtt points at. */
function targetOf(v: Json | undefined): string | undefined {
  if (!isRecord(v)) return undefined;
  if (typeof v.Ref === 'string') return v.Ref;
  const att = v['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  if (typeof att === 'string') return att.split('.')[0];
  return undefined;
}

const idsOfType = (t: CfnTemplate, type: string) => Object.keys(t.Resources).filter((id) => t.Resources[id].Type === type);

/** A resolved string property, or undefined when it does not resolve to one. */
function str(m: IamModel, v: Json | undefined): string | undefined {
  if (v === undefined) return undefined;
  try {
    return m.resolver.resolveString(v);
  } catch {
    return undefined;
  }
}

function pipelineActions(m: IamModel, t: CfnTemplate): Action[] {
  return idsOfType(t, 'AWS::CodePipeline::Pipeline').flatMap((id) =>
    list(props(t, id).Stages).flatMap((stage) => {
      if (!isRecord(stage)) return [];
      return list(stage.Actions).flatMap((a): Action[] => {
        if (!isRecord(a) || !isRecord(a.ActionTypeId)) return [];
        return [
          {
            stage: String(stage.Name),
            name: String(a.Name),
            category: String(a.ActionTypeId.Category),
            provider: String(a.ActionTypeId.Provider),
            roleArn: m.resolver.resolveString(a.RoleArn as Json, `${id} ${String(stage.Name)}/${String(a.Name)}.RoleArn`),
            configuration: isRecord(a.Configuration) ? a.Configuration : {},
          },
        ];
      });
    }),
  );
}

const roleByArn = (m: IamModel, arn: string | undefined) => (arn === undefined ? undefined : m.roles.find((r) => r.arn === arn));
const roleByName = (m: IamModel, name: string) => m.roles.find((r) => r.name === name);

function findPrincipals(m: IamModel, t: CfnTemplate, config: PipelineConfig, actions: readonly Action[]): Principal[] {
  const out: Principal[] = [];
  const all = config.plans;
  const kind: DeploymentKind = config.deployment.kind;
  const planOfStage = (stage: string) => all.find((p) => stage === `Deploy-${p.environment}`);
  const planOfGroup = (groupName: string | undefined) => all.find((p) => !p.existing && p.names.deploymentGroup === groupName);
  const serviceRole = (service: string) => ({ who: service });
  const labelOf = (r: IamRole) => (r.name.startsWith('Stack-') ? r.logicalId : r.name);
  const add = (p: Omit<Principal, 'label'>) => out.push({ ...p, label: labelOf(p.role) });
  const notTrusted = (service: string) => [{ who: service === 'codebuild.amazonaws.com' ? 'lambda.amazonaws.com' : 'codebuild.amazonaws.com' }];

  // CodePipeline: the pipeline role, then each action's (those in this account).
  let pipelineRole: IamRole | undefined;
  for (const id of idsOfType(t, 'AWS::CodePipeline::Pipeline')) {
    const role = roleByArn(m, str(m, props(t, id).RoleArn));
    if (!role) continue;
    pipelineRole = role;
    add({ kind: 'pipeline', role, plans: all, needed: N.PIPELINE, forbidden: N.PIPELINE_FORBIDDEN, trust: [serviceRole('codepipeline.amazonaws.com')], distrust: notTrusted('codepipeline.amazonaws.com') });
  }
  for (const a of actions) {
    const role = roleByArn(m, a.roleArn);
    if (!role) continue; // another account's role (cross-account production): checked through the pipeline role's AssumeRole
    const plan = planOfStage(a.stage);
    const base = { role, action: a, trust: pipelineRole ? [{ who: pipelineRole }] : [], distrust: [{ who: 'codebuild.amazonaws.com' }] };
    if (a.category === 'Source') {
      const provider = a.provider === 'CodeStarSourceConnection' ? 'connection' : a.provider === 'CodeCommit' ? 'codecommit' : 's3';
      add({ ...base, kind: 'source-action', plans: all, needed: N.SOURCE_ACTION[provider], forbidden: [{ action: 's3:PutObject', on: 'foreignBucketObject', by: 'writes another bucket' }] });
    } else if (a.category === 'Approval') {
      add({ ...base, kind: 'approval-action', plans: all, needed: N.APPROVAL_ACTION, forbidden: N.APPROVAL_FORBIDDEN });
    } else if (a.provider === 'CodeBuild') {
      const k: Kind = plan ? 'deploy-action' : a.category === 'Test' ? 'test-action' : 'build-action';
      add({ ...base, kind: k, plans: plan ? [plan] : all, ...(plan ? { plan } : {}), needed: N.CODEBUILD_ACTION, forbidden: N.CODEBUILD_ACTION_FORBIDDEN });
    } else if (plan && (a.provider === 'CodeDeploy' || a.provider === 'CodeDeployToECS' || a.provider === 'S3')) {
      add({ ...base, kind: 'deploy-action', plans: [plan], plan, needed: N.DEPLOY_ACTION[a.provider], forbidden: N.DEPLOY_FORBIDDEN[kind] });
    }
  }
  // The rule that sends failures to the topic publishes with its own role, which only that rule, in this account, may take.
  const topicArn = m.arnOf('Notifications');
  const publishers = new Map<string, string>();
  for (const id of idsOfType(t, 'AWS::Events::Rule')) {
    for (const target of list(props(t, id).Targets)) {
      const roleArn = isRecord(target) && str(m, target.Arn) === topicArn ? str(m, target.RoleArn) : undefined;
      if (roleArn) publishers.set(roleArn, m.arnOf(id));
    }
  }
  for (const role of m.rolesOfService('events.amazonaws.com')) {
    const ruleArn = publishers.get(role.arn);
    if (ruleArn) {
      const from = (arn: string, account = m.account): Context => ({ 'aws:SourceArn': arn, 'aws:SourceAccount': account });
      add({
        kind: 'notification-events',
        role,
        plans: all,
        needed: NOTIFICATION_EVENTS,
        forbidden: NOTIFICATION_EVENTS_FORBIDDEN,
        trust: [{ who: 'events.amazonaws.com', context: from(ruleArn) }],
        distrust: [
          { who: 'events.amazonaws.com' },
          { who: 'events.amazonaws.com', context: from(ruleArn.replace(/rule\/.*$/, 'rule/another-rule')) },
          { who: 'events.amazonaws.com', context: from(ruleArn.replace(`:${m.account}:`, `:${THIRD_ACCOUNT}:`), THIRD_ACCOUNT) },
          ...notTrusted('events.amazonaws.com'),
        ],
      });
      continue;
    }
    add({ kind: 'pipeline-events', role, plans: all, needed: N.PIPELINE_EVENTS, forbidden: N.PIPELINE_EVENTS_FORBIDDEN, trust: [serviceRole('events.amazonaws.com')], distrust: notTrusted('events.amazonaws.com') });
  }

  // CodeBuild projects, by name.
  for (const id of idsOfType(t, 'AWS::CodeBuild::Project')) {
    const p = props(t, id);
    const name = str(m, p.Name) ?? id;
    const role = roleByArn(m, str(m, p.ServiceRole));
    if (!role) continue;
    const logs = isRecord(p.LogsConfig) && isRecord(p.LogsConfig.CloudWatchLogs) ? targetOf(p.LogsConfig.CloudWatchLogs.GroupName) : undefined;
    const base = { role, projectName: name, ...(logs ? { logGroup: logs } : {}), trust: [serviceRole('codebuild.amazonaws.com')], distrust: notTrusted('codebuild.amazonaws.com') };
    const plan = all.find((pl) => pl.names.deployProject === name);
    if (name === config.names.buildProject) add({ ...base, kind: 'build-project', plans: all, needed: N.BUILD_PROJECT, forbidden: N.BUILD_FORBIDDEN });
    else if (name === `${config.names.buildProject}-integration`) add({ ...base, kind: 'integration-project', plans: all, needed: N.INTEGRATION_PROJECT, forbidden: N.INTEGRATION_FORBIDDEN });
    else if (name === config.names.prBuildProject) add({ ...base, kind: 'pr-project', plans: all, needed: N.PR_PROJECT, forbidden: N.PR_FORBIDDEN });
    else if (plan) add({ ...base, kind: 'deploy-project', plans: [plan], plan, needed: N.deployProjectNeeded(kind), forbidden: N.deployProjectForbidden(kind) });
  }

  // CodeDeploy: each group's service role; an EC2 group's fleet gives the instance role.
  for (const id of idsOfType(t, 'AWS::CodeDeploy::DeploymentGroup')) {
    const p = props(t, id);
    const plan = planOfGroup(str(m, p.DeploymentGroupName));
    const role = roleByArn(m, str(m, p.ServiceRoleArn));
    if (!plan || !role || kind === 'ecs-rolling' || kind === 'ecs-native' || kind === 's3-deploy') continue;
    add({ kind: 'codedeploy-service', role, plans: [plan], plan, needed: N.CODEDEPLOY_SERVICE[kind], forbidden: N.CODEDEPLOY_SERVICE_FORBIDDEN[kind], trust: [serviceRole('codedeploy.amazonaws.com')], distrust: notTrusted('codedeploy.amazonaws.com') });
    for (const asg of list(p.AutoScalingGroups).map(targetOf)) {
      const lt = asg && isRecord(props(t, asg).LaunchTemplate) ? targetOf((props(t, asg).LaunchTemplate as Record<string, Json>).LaunchTemplateId) : undefined;
      const data = lt ? props(t, lt).LaunchTemplateData : undefined;
      const profile = isRecord(data) && isRecord(data.IamInstanceProfile) ? targetOf(data.IamInstanceProfile.Arn) : undefined;
      for (const r of profile ? list(props(t, profile).Roles).map(targetOf) : []) {
        const instance = m.roles.find((x) => x.logicalId === r);
        if (instance) add({ kind: 'instance', role: instance, plans: [plan], plan, needed: N.INSTANCE, forbidden: N.INSTANCE_FORBIDDEN, trust: [serviceRole('ec2.amazonaws.com')], distrust: notTrusted('ec2.amazonaws.com') });
      }
    }
  }

  // ECS: the two roles every task definition of this account names (the plan's names).
  const ecsPlans = all.filter((p) => config.target === 'ecs' && !p.crossAccount);
  if (ecsPlans.length) {
    const execution = roleByName(m, ecsPlans[0].names.executionRole);
    const task = roleByName(m, ecsPlans[0].names.taskRole);
    const localPlans = ecsPlans.filter((p) => !p.existing);
    if (execution) add({ kind: 'task-execution', role: execution, plans: localPlans, needed: N.TASK_EXECUTION, forbidden: N.TASK_EXECUTION_FORBIDDEN, trust: [serviceRole('ecs-tasks.amazonaws.com')], distrust: notTrusted('ecs-tasks.amazonaws.com') });
    if (task) add({ kind: 'task', role: task, plans: localPlans, needed: N.TASK, forbidden: N.TASK_FORBIDDEN, trust: [serviceRole('ecs-tasks.amazonaws.com')], distrust: notTrusted('ecs-tasks.amazonaws.com') });
  }

  // Lambda: each environment's function and hooks, by name.
  for (const id of idsOfType(t, 'AWS::Lambda::Function')) {
    const p = props(t, id);
    const name = str(m, p.FunctionName);
    const role = roleByArn(m, str(m, p.Role));
    const logs = isRecord(p.LoggingConfig) ? targetOf(p.LoggingConfig.LogGroup) : undefined;
    // A function without a name is none of these (an environment with no hooks has no hook names either).
    if (!role || name === undefined) continue;
    for (const plan of all) {
      const base = { role, plans: [plan], plan, ...(logs ? { logGroup: logs } : {}), trust: [serviceRole('lambda.amazonaws.com')], distrust: notTrusted('lambda.amazonaws.com') };
      if (name === plan.names.function && !plan.existing) add({ ...base, kind: 'function', needed: N.FUNCTION, forbidden: N.FUNCTION_FORBIDDEN });
      if (name === plan.names.beforeAllowTrafficHook) add({ ...base, kind: 'pre-hook', needed: N.PRE_HOOK, forbidden: N.HOOK_FORBIDDEN });
      if (name === plan.names.afterAllowTrafficHook) add({ ...base, kind: 'post-hook', needed: N.POST_HOOK, forbidden: N.HOOK_FORBIDDEN });
    }
  }

  // ECS's own deployments: per service, the infrastructure role, the hook role, and the hook function's role.
  for (const id of idsOfType(t, 'AWS::ECS::Service')) {
    const p = props(t, id);
    const plan = all.find((pl) => str(m, p.ServiceName) === pl.names.service);
    const deployment = isRecord(p.DeploymentConfiguration) ? p.DeploymentConfiguration : {};
    const hook = list(deployment.LifecycleHooks)[0];
    const advanced = list(p.LoadBalancers).map((lb) => (isRecord(lb) && isRecord(lb.AdvancedConfiguration) ? lb.AdvancedConfiguration : undefined)).find(Boolean);
    if (!plan || !isRecord(hook) || !advanced) continue;
    const ecsService = { plans: [plan], plan, trust: [serviceRole('ecs.amazonaws.com')], distrust: notTrusted('ecs.amazonaws.com') };
    const infrastructure = roleByArn(m, str(m, advanced.RoleArn));
    if (infrastructure) add({ ...ecsService, kind: 'ecs-infrastructure', role: infrastructure, needed: N.ECS_INFRASTRUCTURE, forbidden: N.ECS_INFRASTRUCTURE_FORBIDDEN });
    const invoke = roleByArn(m, str(m, hook.RoleArn));
    if (invoke) add({ ...ecsService, kind: 'ecs-hook-invoke', role: invoke, needed: N.ECS_HOOK_INVOKE, forbidden: N.ECS_HOOK_INVOKE_FORBIDDEN });
    const fn = targetOf(hook.HookTargetArn);
    const fnProps = fn ? props(t, fn) : {};
    const fnRole = roleByArn(m, str(m, fnProps.Role));
    const logs = isRecord(fnProps.LoggingConfig) ? targetOf(fnProps.LoggingConfig.LogGroup) : undefined;
    if (fnRole) add({ kind: 'ecs-hook', role: fnRole, plans: [plan], plan, ...(logs ? { logGroup: logs } : {}), needed: N.ECS_HOOK, forbidden: N.ECS_HOOK_FORBIDDEN, trust: [serviceRole('lambda.amazonaws.com')], distrust: notTrusted('lambda.amazonaws.com') });
  }

  // The VPC's flow logs.
  for (const id of idsOfType(t, 'AWS::EC2::FlowLog')) {
    const role = roleByArn(m, str(m, props(t, id).DeliverLogsPermissionArn));
    const logs = targetOf(props(t, id).LogGroupName);
    if (role) add({ kind: 'flow-logs', role, plans: all, ...(logs ? { logGroup: logs } : {}), needed: N.FLOW_LOGS, forbidden: N.FLOW_LOGS_FORBIDDEN, trust: [serviceRole('vpc-flow-logs.amazonaws.com')], distrust: notTrusted('vpc-flow-logs.amazonaws.com') });
  }

  // The custom resource that empties the VPC's default security group: its provider function's role.
  for (const id of idsOfType(t, 'Custom::VpcRestrictDefaultSG')) {
    const handler = targetOf(props(t, id).ServiceToken);
    const role = handler ? roleByArn(m, str(m, props(t, handler).Role)) : undefined;
    if (role) add({ kind: 'default-sg-restricter', role, plans: all, needed: N.DEFAULT_SG_RESTRICTER, forbidden: N.DEFAULT_SG_RESTRICTER_FORBIDDEN, trust: [serviceRole('lambda.amazonaws.com')], distrust: notTrusted('lambda.amazonaws.com') });
  }

  // GitHub Actions: one role per environment of this account, assumable from that GitHub environment only.
  for (const plan of all) {
    const role = roleByName(m, plan.names.githubRole);
    if (!role) continue;
    const others = all.filter((p) => p !== plan).map((p) => ({ who: GITHUB, context: oidc(p.environment, config.repository) }));
    add({
      kind: 'github',
      role,
      plans: [plan],
      plan,
      needed: N.githubNeeded(kind),
      forbidden: N.githubForbidden(kind),
      trust: [{ who: GITHUB, context: oidc(plan.environment, config.repository) }],
      distrust: [...others, { who: GITHUB, context: oidc(plan.environment, 'someone-else/svc') }],
    });
  }
  return out;
}

// -------------------------------------------------------------------------------------------------
// Resolving a Ref to ARNs, for one principal.
// -------------------------------------------------------------------------------------------------

class Unresolved extends Error {}

function variantsOf(s: Synth, p: Principal): Set<Variant> {
  const c = s.config;
  const v = new Set<Variant>();
  if (needsImage(c)) v.add('image');
  if (c.target === 'lambda' && !needsImage(c)) v.add('zip');
  if (c.target === 'ecs') v.add('ecs');
  if ('config' in c.deployment) v.add('codedeploy');
  if (p.plan?.first ?? true) v.add('first');
  if (TOOLCHAINS[c.runtime].reportFiles.length > 0) v.add('reports');
  if (c.target === 's3-site' && !p.plan?.existing) v.add('distribution');
  if (p.plan?.crossAccount) v.add('crossAccount');
  return v;
}

const applies = (call: Call, v: Set<Variant>) => (call.only ?? []).every((x) => v.has(x)) && !(call.unless ?? []).some((x) => v.has(x));

/** The first resource of the type whose resolved property is the value. */
function findBy(s: Synth, type: string, prop: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return idsOfType(s.t, type).find((id) => str(s.m, props(s.t, id)[prop]) === value);
}

function accountOf(s: Synth, plan: EnvironmentPlan): string {
  return plan.account ?? s.m.account;
}

function envRef(s: Synth, plan: EnvironmentPlan, ref: Ref): string | undefined {
  const { m, config } = s;
  const n = plan.names;
  const region = m.resolver.region;
  const account = accountOf(s, plan);
  const d = config.deployment;
  const group = findBy(s, 'AWS::CodeDeploy::DeploymentGroup', 'DeploymentGroupName', n.deploymentGroup);
  const groupProps = group ? props(s.t, group) : {};
  const fn = findBy(s, 'AWS::Lambda::Function', 'FunctionName', n.function);
  const functionArn = fn ? m.arnOf(fn) : `arn:aws:lambda:${region}:${account}:function:${n.function}`;
  const ecs = config.target === 'ecs';
  const codedeploy = d.kind === 'codedeploy-server' || d.kind === 'codedeploy-ecs' || d.kind === 'codedeploy-lambda';
  switch (ref) {
    case 'service': {
      if (!ecs) return undefined;
      const id = findBy(s, 'AWS::ECS::Service', 'ServiceName', n.service);
      return id ? m.arnOf(id) : `arn:aws:ecs:${region}:${account}:service/${n.cluster}/${n.service}`;
    }
    case 'taskSet': {
      const service = envRef(s, plan, 'service');
      return service && `${service.replace(':service/', ':task-set/')}/ecs-svc/1234567890123456789`;
    }
    case 'taskDefinition': {
      if (!ecs) return undefined;
      const id = findBy(s, 'AWS::ECS::TaskDefinition', 'Family', n.taskFamily);
      // A release registers the family's next revision.
      return (id ? m.arnOf(id) : `arn:aws:ecs:${region}:${account}:task-definition/${n.taskFamily}:1`).replace(/:\d+$/, ':2');
    }
    case 'executionRole':
    case 'taskRole': {
      if (!ecs) return undefined;
      const name = ref === 'executionRole' ? n.executionRole : n.taskRole;
      const local = plan.crossAccount ? undefined : roleByName(m, name);
      return local ? local.arn : `arn:aws:iam::${account}:role/${name}`;
    }
    case 'containerLogGroup': {
      if (!ecs) return undefined;
      // The ARN CloudWatch Logs evaluates CreateLogGroup on (a concrete ARN: the simulator matches a pattern like
      // the group's own ARN, log-group:<name>:*, if any resource it covers is allowed).
      const id = findBy(s, 'AWS::Logs::LogGroup', 'LogGroupName', n.logGroup);
      return `${id ? m.arnOf(id).replace(/:\*$/, '') : `arn:aws:logs:${region}:${account}:log-group:${n.logGroup}`}:log-stream:`;
    }
    case 'containerLogStream': {
      const id = ecs ? findBy(s, 'AWS::Logs::LogGroup', 'LogGroupName', n.logGroup) : undefined;
      // awslogs-stream-prefix/container/task-id
      return id ? m.logStreamArn(id, `${n.container}/${n.container}/0123456789abcdef0123456789abcdef`) : undefined;
    }
    case 'application': {
      if (!codedeploy) return undefined;
      const id = findBy(s, 'AWS::CodeDeploy::Application', 'ApplicationName', n.application);
      return id && !plan.existing ? m.arnOf(id) : `arn:aws:codedeploy:${region}:${account}:application:${n.application}`;
    }
    case 'deploymentGroup':
      if (!codedeploy) return undefined;
      return group && !plan.existing ? m.arnOf(group) : `arn:aws:codedeploy:${region}:${account}:deploymentgroup:${n.application}/${n.deploymentGroup}`;
    case 'deploymentConfig':
      // The predefined configurations (CodeDeployDefault.*), named in the account that uses them.
      return 'config' in d ? `arn:aws:codedeploy:${region}:${account}:deploymentconfig:${d.config}` : undefined;
    case 'alarm': {
      const alarm = isRecord(groupProps.AlarmConfiguration) ? list(groupProps.AlarmConfiguration.Alarms)[0] : undefined;
      const name = isRecord(alarm) ? str(m, alarm.Name) : undefined;
      return name && `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;
    }
    case 'fleet': {
      const asg = targetOf(list(groupProps.AutoScalingGroups)[0]);
      return asg && m.arnOf(asg);
    }
    case 'ecsHook': {
      const service = findBy(s, 'AWS::ECS::Service', 'ServiceName', n.service);
      const deployment = service ? props(s.t, service).DeploymentConfiguration : undefined;
      const hook = isRecord(deployment) ? list(deployment.LifecycleHooks)[0] : undefined;
      const hookFn = isRecord(hook) ? targetOf(hook.HookTargetArn) : undefined;
      return hookFn && m.arnOf(hookFn);
    }
    case 'targetGroup': {
      if (d.kind === 'ecs-native') {
        const service = findBy(s, 'AWS::ECS::Service', 'ServiceName', n.service);
        const lb = service ? list(props(s.t, service).LoadBalancers)[0] : undefined;
        const tg = isRecord(lb) ? targetOf(lb.TargetGroupArn) : undefined;
        return tg && m.arnOf(tg);
      }
      const info = isRecord(groupProps.LoadBalancerInfo) ? list(groupProps.LoadBalancerInfo.TargetGroupInfoList)[0] : undefined;
      const tg = isRecord(info) ? targetOf(info.Name) : undefined;
      return tg && m.arnOf(tg);
    }
    case 'listener': {
      if (d.kind === 'ecs-native') {
        const service = findBy(s, 'AWS::ECS::Service', 'ServiceName', n.service);
        const lb = service ? list(props(s.t, service).LoadBalancers)[0] : undefined;
        const rule = isRecord(lb) && isRecord(lb.AdvancedConfiguration) ? targetOf(lb.AdvancedConfiguration.ProductionListenerRule) : undefined;
        return rule ? str(m, props(s.t, rule).ListenerArn) : undefined;
      }
      const pair = isRecord(groupProps.LoadBalancerInfo) ? list(groupProps.LoadBalancerInfo.TargetGroupPairInfoList)[0] : undefined;
      const route = isRecord(pair) && isRecord(pair.ProdTrafficRoute) ? list(pair.ProdTrafficRoute.ListenerArns)[0] : undefined;
      return str(m, route);
    }
    case 'function':
      return config.target === 'lambda' ? functionArn : undefined;
    case 'alias': {
      if (config.target !== 'lambda') return undefined;
      const id = idsOfType(s.t, 'AWS::Lambda::Alias').find((a) => str(m, props(s.t, a).Name) === n.alias && targetOf(props(s.t, a).FunctionName) === fn);
      return id ? m.arnOf(id) : `${functionArn}:${n.alias}`;
    }
    case 'functionRole':
      return fn ? str(m, props(s.t, fn).Role) : undefined;
    case 'preHook':
    case 'postHook': {
      const name = ref === 'preHook' ? n.beforeAllowTrafficHook : n.afterAllowTrafficHook;
      const id = findBy(s, 'AWS::Lambda::Function', 'FunctionName', name);
      return id && m.arnOf(id);
    }
    case 'siteBucket':
    case 'siteObject': {
      if (config.target !== 's3-site') return undefined;
      const bucket = str(m, (s.t.Outputs?.[plan.outputs.siteBucket] as Record<string, Json> | undefined)?.Value) ?? n.siteBucket;
      return bucket && (ref === 'siteBucket' ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/index.html`);
    }
    case 'distribution': {
      const id = str(m, (s.t.Outputs?.[plan.outputs.distributionId] as Record<string, Json> | undefined)?.Value);
      const lid = idsOfType(s.t, 'AWS::CloudFront::Distribution').find((x) => m.resolver.ref(x) === id);
      return lid && m.arnOf(lid);
    }
    case 'crossAccountRole':
      return n.crossAccountRole && `arn:aws:iam::${account}:role/${n.crossAccountRole}`;
    case 'foreignAccountRole':
      return `arn:aws:iam::${account}:role/admin`;
    case 'foreignService':
      return ecs ? `arn:aws:ecs:${region}:${account}:service/other/${n.service}` : undefined;
    case 'foreignDeploymentGroup':
      return codedeploy || d.kind === 'ecs-native' ? `arn:aws:codedeploy:${region}:${account}:deploymentgroup:${n.application}/other` : undefined;
    default:
      throw new Unresolved(`${ref} is not an environment resource`);
  }
}

const ENV_REFS = new Set<Ref>([
  'service', 'taskSet', 'taskDefinition', 'executionRole', 'taskRole', 'containerLogGroup', 'containerLogStream', 'application', 'deploymentGroup', 'deploymentConfig',
  'alarm', 'fleet', 'targetGroup', 'listener', 'function', 'alias', 'functionRole', 'preHook', 'postHook', 'ecsHook', 'siteBucket', 'siteObject', 'distribution', 'crossAccountRole',
  'foreignAccountRole', 'foreignService', 'foreignDeploymentGroup',
]);

/** A reference that may resolve to nothing (a buildspec without parameters names none). */
const MAY_BE_EMPTY = new Set<Ref>(['parameter', 'secret']);

function resolveRef(s: Synth, p: Principal, call: Call): string[] {
  const { m, config } = s;
  const region = m.resolver.region;
  const account = m.account;
  if (ENV_REFS.has(call.on)) {
    const plans = call.env === 'other' ? config.plans.filter((pl) => !p.plans.includes(pl)) : p.plans;
    if (plans.length === 0) throw new Unresolved(`no ${call.env === 'other' ? 'other ' : ''}environment for ${call.on}`);
    return plans.map((pl) => {
      const arn = envRef(s, pl, call.on);
      if (!arn) throw new Unresolved(`${call.on} of ${pl.environment} is not in the template`);
      return arn;
    });
  }
  const bucket = () => m.arnOf('Artifacts');
  const logStream = (id: string | undefined, stream: string) => {
    if (!id) throw new Unresolved(`${p.label} has no log group of its own`);
    return m.logStreamArn(id, stream);
  };
  const cfg = (key: string) => {
    const v = p.action ? str(m, p.action.configuration[key]) : undefined;
    if (!v) throw new Unresolved(`${p.label}: no ${key} in its action's configuration`);
    return v;
  };
  switch (call.on) {
    case 'any':
      return ['*'];
    case 'stack':
      return [m.resolver.stackId];
    case 'pipeline':
      return [m.arnOf((_id, r) => r.Type === 'AWS::CodePipeline::Pipeline')];
    case 'artifactBucket':
      return [bucket()];
    case 'artifactObject':
      // <pipeline name>/<artifact name>/<key>, as CodePipeline names its artifacts
      return [`${bucket()}/${config.names.pipeline}/Build/Ab12Cd3`];
    case 'revisionObject':
      return [`${bucket()}/revisions/0123456789abcdef0123456789abcdef01234567.zip`];
    case 'artifactKey':
      return [m.arnOf('ArtifactKey')];
    case 'repository':
      return [m.arnOf((_id, r) => r.Type === 'AWS::ECR::Repository')];
    case 'topic':
      return [p.action ? cfg('NotificationArn') : m.arnOf('Notifications')];
    case 'parameter':
      return Object.values(config.parameters).map((path) => `arn:aws:ssm:${region}:${account}:parameter/${path.replace(/^\//, '')}`);
    case 'secret':
      // A secret's ARN ends in a dash and six random characters.
      return Object.values(config.secrets).map((ref) => (ref.startsWith('arn:') ? ref.split(':').slice(0, 7).join(':') : `arn:aws:secretsmanager:${region}:${account}:secret:${ref.split(':')[0]}-AbCdEf`));
    case 'actionRoles':
      return [...new Set(s.actions.map((a) => a.roleArn))];
    case 'connection':
      return [cfg('ConnectionArn')];
    case 'projectConnection': {
      const id = m.logicalId((_id, r) => r.Type === 'AWS::CodeBuild::Project' && str(m, (r.Properties ?? {}).Name) === p.projectName);
      const source = props(s.t, id).Source;
      const auth = isRecord(source) ? source.Auth : undefined;
      const arn = isRecord(auth) ? str(m, auth.Resource) : undefined;
      if (!arn) throw new Unresolved(`${p.label}: its project authenticates with no connection`);
      return [arn];
    }
    case 'codecommitRepository':
      return [`arn:aws:codecommit:${region}:${account}:${cfg('RepositoryName')}`];
    case 'sourceBucket':
      return [`arn:aws:s3:::${cfg('S3Bucket')}`];
    case 'sourceObject':
      return [`arn:aws:s3:::${cfg('S3Bucket')}/${cfg('S3ObjectKey')}`];
    case 'project':
      return [`arn:aws:codebuild:${region}:${account}:project/${cfg('ProjectName')}`];
    case 'projectLogStream':
      return [logStream(p.logGroup, `${p.projectName ?? 'project'}/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`)];
    case 'unitTestReports':
    case 'integrationTestReports':
      return [`arn:aws:codebuild:${region}:${account}:report-group/${p.projectName}-${call.on === 'unitTestReports' ? 'unit-tests' : 'integration-tests'}`];
    case 'functionLogStream':
      return [logStream(p.logGroup, '2025/01/01/[$LATEST]0123456789abcdef0123456789abcdef')];
    case 'flowLogStream':
      return [logStream(p.logGroup, 'eni-0123456789abcdef0-all')];
    case 'defaultSecurityGroup': {
      const [vpc] = idsOfType(s.t, 'AWS::EC2::VPC');
      if (!vpc) throw new Unresolved(`${p.label}: the stack has no VPC`);
      return [`arn:aws:ec2:${region}:${account}:security-group/${str(m, { 'Fn::GetAtt': [vpc, 'DefaultSecurityGroup'] })}`];
    }
    case 'foreignSecurityGroup':
      return [`arn:aws:ec2:${region}:${account}:security-group/sg-0123456789abcdef0`];
    case 'adminRole':
      return [`arn:aws:iam::${account}:role/admin`];
    case 'foreignFunction':
      return [`arn:aws:lambda:${region}:${account}:function:other`];
    case 'foreignBucketObject':
      return ['arn:aws:s3:::some-other-bucket/abc.zip'];
    case 'foreignRepository':
      return [`arn:aws:ecr:${region}:${account}:repository/other`];
    case 'foreignParameter':
      return [`arn:aws:ssm:${region}:${account}:parameter/svc/not-given`];
    case 'foreignSecret':
      return [`arn:aws:secretsmanager:${region}:${account}:secret:svc/not-given-AbCdEf`];
    case 'foreignProject':
      return [`arn:aws:codebuild:${region}:${account}:project/other`];
    case 'foreignPipeline':
      return [`arn:aws:codepipeline:${region}:${account}:other`];
    case 'foreignTopic':
      return [`arn:aws:sns:${region}:${account}:other`];
    case 'foreignLogStream':
      return [`arn:aws:logs:${region}:${account}:log-group:/other/group:log-stream:x`];
    default:
      throw new Unresolved(`${call.on}: not resolvable here`);
  }
}

// -------------------------------------------------------------------------------------------------
// Deciding.
// -------------------------------------------------------------------------------------------------

const accountOfArn = (arn: string) => {
  const a = arn.split(':')[4];
  return a && /^\d{12}$/.test(a) ? a : undefined;
};

/**
 * Whether the role's identity policies allow the call, on a resource in another account: that account's
 * resource policies (trust policies, its services' policies) are not this stack's, so only what the stack
 * grants is decided (the request is evaluated as if in the role's own account).
 */
async function identityOnly(m: IamModel, role: IamRole, action: string, resource: string, context: Context): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: `arn:aws:sts::${m.account}:assumed-role/${role.name}/iam-sim`,
      action,
      resource: { resource, accountId: m.account },
      contextVariables: { 'aws:SecureTransport': 'true', 'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': m.account, ...context },
    },
    identityPolicies: role.policies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  return decisionOf(await runSimulation(simulation, {}), `${role.logicalId} ${action} ${resource} (identity policies)`);
}

/**
 * Whether a principal of another account (a session of one of its roles) may call the action on this stack's
 * resource: its own identity policy is taken to allow it, so the resource's policy decides.
 */
async function externalCan(m: IamModel, principal: string, action: string, resource: string): Promise<Decision> {
  const account = accountOfArn(principal) ?? m.account;
  const simulation: Simulation = {
    request: {
      principal,
      action,
      resource: { resource, accountId: accountOfArn(resource) ?? m.account },
      contextVariables: { 'aws:SecureTransport': 'true', 'aws:PrincipalAccount': account, 'aws:PrincipalArn': principal.replace(/^arn:aws:sts::(\d+):assumed-role\/([^/]+)\/.*$/, 'arn:aws:iam::$1:role/$2') },
    },
    identityPolicies: [{ name: 'their-own', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: m.resourcePolicyFor(resource),
  };
  return decisionOf(await runSimulation(simulation, {}), `${principal} ${action} ${resource}`);
}

function decide(m: IamModel, role: IamRole, action: string, resource: string, context: Context): Promise<Decision> {
  const account = accountOfArn(resource);
  return account && account !== m.account ? identityOnly(m, role, action, resource, context) : m.can(role, action, resource, context);
}

// -------------------------------------------------------------------------------------------------
// Checks and the record the report is made from.
// -------------------------------------------------------------------------------------------------

type Expected = 'Allowed' | 'Denied';

interface Check {
  readonly p: Principal;
  readonly expected: Expected;
  /** action, resource and context, for the report. */
  readonly what: string;
  readonly signature: string;
  readonly run: () => Promise<Decision>;
}

interface KindStats {
  principals: number;
  allowed: number;
  denied: number;
  failed: number;
  actions: Set<string>;
}

const stats = new Map<Kind, KindStats>();
const failureSignatures = new Map<string, Set<string>>();
const extraCounts = { allowed: 0, denied: 0 };
const timings = { synthMs: 0, checkMs: 0 };

function statsOf(kind: Kind): KindStats {
  let k = stats.get(kind);
  if (!k) stats.set(kind, (k = { principals: 0, allowed: 0, denied: 0, failed: 0, actions: new Set() }));
  return k;
}

function checksOf(s: Synth, p: Principal): { checks: Check[]; problems: string[] } {
  const checks: Check[] = [];
  const problems: string[] = [];
  const v = variantsOf(s, p);
  const make = (expected: Expected, calls: readonly Call[]) => {
    for (const call of calls) {
      if (!applies(call, v)) continue;
      let arns: string[];
      try {
        arns = resolveRef(s, p, call);
      } catch (e) {
        if (!(e instanceof Unresolved)) throw e;
        problems.push(`${p.kind} ${p.label}: ${call.action} on ${call.on}${call.env ? ` (${call.env} env)` : ''}: ${e.message} [${call.by}]`);
        continue;
      }
      if (arns.length === 0 && !MAY_BE_EMPTY.has(call.on)) problems.push(`${p.kind} ${p.label}: ${call.action} on ${call.on}: resolves to nothing [${call.by}]`);
      for (const arn of arns) {
        const context: Context = { ...(call.context ?? {}) };
        const ctx = Object.keys(context).length ? ` ${JSON.stringify(context)}` : '';
        checks.push({
          p,
          expected,
          what: `${call.action} on ${arn}${ctx} [${call.by}]`,
          signature: `${p.kind} | ${call.action} on ${call.on}${call.env ? ' (other env)' : ''}${ctx} | expected ${expected} | ${call.by}`,
          run: () => decide(s.m, p.role, call.action, arn, context),
        });
      }
    }
  };
  make('Allowed', p.needed);
  make('Denied', p.forbidden);
  for (const [expected, list_] of [['Allowed', p.trust], ['Denied', p.distrust]] as const) {
    for (const { who, context } of list_) {
      const whoLabel = typeof who === 'string' ? `${who}${context ? ` ${String(context[`${GITHUB}:sub`] ?? context['aws:SourceArn'])}` : ''}` : who.logicalId;
      checks.push({
        p,
        expected,
        what: `sts:AssumeRole* by ${whoLabel} [trust policy]`,
        signature: `${p.kind} | assumed by ${typeof who === 'string' ? who : 'the pipeline role'} | expected ${expected} | trust policy`,
        run: () => s.m.canAssume(who, p.role, context ?? {}),
      });
    }
  }
  return { checks, problems };
}

/** Runs the principals' checks concurrently; returns every check whose decision is not the expected one. */
async function verify(s: Synth, principals: readonly Principal[]): Promise<{ failures: string[]; counted: number }> {
  const start = performance.now();
  const all = principals.map((p) => checksOf(s, p));
  const checks = all.flatMap((x) => x.checks);
  const failures = all.flatMap((x) => x.problems);
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        return { c, decision: (await c.run()) as string };
      } catch (e) {
        return { c, decision: `error: ${(e as Error).message.slice(0, 300)}` };
      }
    }),
  );
  for (const p of principals) statsOf(p.kind).principals++;
  for (const { c, decision } of results) {
    const k = statsOf(c.p.kind);
    k[c.expected === 'Allowed' ? 'allowed' : 'denied']++;
    k.actions.add(c.what.split(' ')[0]);
    const ok = c.expected === 'Allowed' ? decision === 'Allowed' : decision === 'ImplicitlyDenied' || decision === 'ExplicitlyDenied';
    if (!ok) {
      k.failed++;
      failures.push(`${c.p.kind} ${c.p.label}: ${c.what}: expected ${c.expected}, got ${decision}`);
      const combos = failureSignatures.get(c.signature) ?? new Set<string>();
      combos.add(s.label);
      failureSignatures.set(c.signature, combos);
    }
  }
  timings.checkMs += performance.now() - start;
  return { failures, counted: checks.length };
}

// -------------------------------------------------------------------------------------------------
// The tests.
// -------------------------------------------------------------------------------------------------

describe.each(cases.map((c) => [c.label, c] as const))('%s', (_label, c) => {
  let s: Synth;
  beforeAll(() => {
    s = synthOnce(c);
    timings.synthMs += s.synthMs;
  });
  const ofGroup = (g: Group) => s.principals.filter((p) => GROUP[p.kind] === g);

  it('every role the stack creates is a principal checked here', () => {
    expect(s.unplaced).toEqual([]);
    const kinds = new Set(s.principals.map((p) => p.kind));
    // What every stack has; the rest depends on the combination.
    for (const k of ['pipeline', 'source-action', 'build-action', 'approval-action', 'build-project'] as const) expect(kinds).toContain(k);
    // Pull-request builds in CodeBuild (CodePipeline from GitHub, GitLab or Bitbucket) have their own role, checked here.
    expect(kinds.has('pr-project')).toBe(prBuildRunner(s.config) === 'codebuild');
    if (s.config.ci !== 'codepipeline') expect(s.principals.filter((p) => p.kind === 'github').map((p) => p.role.name)).toEqual(s.config.plans.filter((p) => !p.crossAccount).map((p) => p.names.githubRole));
  });

  it('the pipeline role and its action roles make exactly their calls', async () => {
    const { failures, counted } = await verify(s, ofGroup('pipeline'));
    expect(counted).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it('the CodeBuild projects (build, integration tests, deploys) make exactly their calls', async () => {
    const { failures, counted } = await verify(s, ofGroup('codebuild'));
    expect(counted).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it('the deployment service roles and the runtime roles (ECS tasks, instances, functions, hooks) make exactly their calls', async () => {
    if (s.config.target === 's3-site') {
      // CloudFront serves the bucket: no compute, no VPC, no CodeDeploy, so no service or runtime role.
      expect(ofGroup('runtime')).toEqual([]);
      for (const service of ['codedeploy.amazonaws.com', 'ecs-tasks.amazonaws.com', 'ec2.amazonaws.com', 'lambda.amazonaws.com', 'vpc-flow-logs.amazonaws.com']) expect(s.m.rolesOfService(service)).toEqual([]);
      return;
    }
    const { failures, counted } = await verify(s, ofGroup('runtime'));
    expect(counted).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it('the GitHub deploy roles, one per environment, make exactly their calls', async () => {
    const github = ofGroup('github');
    if (s.config.ci === 'codepipeline') {
      // CodePipeline alone: no OIDC provider, no GitHub role.
      expect(github).toEqual([]);
      expect(s.m.roles.filter((r) => r.name.includes('-github-'))).toEqual([]);
      return;
    }
    const { failures, counted } = await verify(s, github);
    expect(counted).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});

describe('build references (parameter-store, secrets-manager)', () => {
  const label = 'node ec2 one-at-a-time from s3 (codepipeline) with parameters and secrets';

  it('the build role reads exactly the parameter and the secret its buildspec names', async () => {
    const s = synthOnce(cases.find((c) => c.label === label) as Case);
    expect(s.config.parameters).toEqual({ DB_HOST: '/svc/db-host' });
    expect(s.config.secrets).toEqual({ DB_PASSWORD: 'svc/db:password' });
    const build = (s.principals.find((p) => p.kind === 'build-project') as Principal).role;
    const ssm = (path: string) => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/${path}`;
    const secret = (name: string) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-AbCdEf`;
    const results = await Promise.all([
      s.m.can(build, 'ssm:GetParameters', ssm('svc/db-host')),
      s.m.can(build, 'secretsmanager:GetSecretValue', secret('svc/db')),
      s.m.can(build, 'ssm:GetParameters', ssm('svc/db-hostname')),
      s.m.can(build, 'ssm:GetParameters', ssm('other/db-host')),
      s.m.can(build, 'secretsmanager:GetSecretValue', secret('svc/db-admin')),
      s.m.can(build, 'secretsmanager:GetSecretValue', secret('other/db')),
    ]);
    extraCounts.allowed += 2;
    extraCounts.denied += 4;
    expect(results).toEqual(['Allowed', 'Allowed', 'ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });
});

describe('cross-account production', () => {
  const find = (label: string) => cases.find((c) => c.label === label) as Case;
  const productionRole = (name: string) => `arn:aws:sts::${PRODUCTION_ACCOUNT}:assumed-role/${name}/session`;

  it.each([CROSS_BLUE_GREEN, CROSS_ROLLING])('%s: the production account pulls the image, and no other account does', async (label) => {
    const s = synthOnce(find(label));
    const repository = s.m.arnOf((_id, r) => r.Type === 'AWS::ECR::Repository');
    expect(s.m.resourcePolicyFor(repository)).toBeDefined();
    const results = await Promise.all([
      // The production account's task execution role pulls (its identity policy allows it; the repository policy must too).
      externalCan(s.m, productionRole('svc-ecs-execution'), 'ecr:BatchGetImage', repository),
      externalCan(s.m, productionRole('svc-ecs-execution'), 'ecr:GetDownloadUrlForLayer', repository),
      externalCan(s.m, productionRole('svc-ecs-execution'), 'ecr:PutImage', repository),
      externalCan(s.m, productionRole('svc-ecs-execution'), 'ecr:InitiateLayerUpload', repository),
      externalCan(s.m, `arn:aws:sts::${THIRD_ACCOUNT}:assumed-role/svc-ecs-execution/session`, 'ecr:BatchGetImage', repository),
    ]);
    extraCounts.allowed += 2;
    extraCounts.denied += 3;
    expect(results).toEqual(['Allowed', 'Allowed', 'ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  it.each([CROSS_BLUE_GREEN, CROSS_ROLLING])("%s: the production account's deploy role reads the artifacts, writes none", async (label) => {
    const s = synthOnce(find(label));
    const object = `${s.m.arnOf('Artifacts')}/${s.config.names.pipeline}/Build/Ab12Cd3`;
    const key = s.m.arnOf('ArtifactKey');
    const results = await Promise.all([
      externalCan(s.m, productionRole('svc-deploy'), 's3:GetObject', object),
      externalCan(s.m, productionRole('svc-deploy'), 'kms:Decrypt', key),
      externalCan(s.m, productionRole('svc-deploy'), 's3:PutObject', object),
      externalCan(s.m, `arn:aws:sts::${THIRD_ACCOUNT}:assumed-role/svc-deploy/session`, 's3:GetObject', object),
    ]);
    extraCounts.allowed += 2;
    extraCounts.denied += 2;
    expect(results).toEqual(['Allowed', 'Allowed', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  it(`${CROSS_ROLLING}: svc-deploy-production assumes ${PRODUCTION_ACCOUNT}'s svc-deploy and nothing else there`, async () => {
    const s = synthOnce(find(CROSS_ROLLING));
    const project = s.principals.find((p) => p.kind === 'deploy-project' && p.plan?.production);
    expect(project?.projectName).toBe('svc-deploy-production');
    const role = (project as Principal).role;
    const results = await Promise.all([
      identityOnly(s.m, role, 'sts:AssumeRole', `arn:aws:iam::${PRODUCTION_ACCOUNT}:role/svc-deploy`, {}),
      identityOnly(s.m, role, 'sts:AssumeRole', `arn:aws:iam::${PRODUCTION_ACCOUNT}:role/admin`, {}),
      identityOnly(s.m, role, 'ecs:UpdateService', `arn:aws:ecs:us-east-1:${PRODUCTION_ACCOUNT}:service/svc/svc-production`, {}),
      identityOnly(s.m, role, 'ecs:RegisterTaskDefinition', `arn:aws:ecs:us-east-1:${PRODUCTION_ACCOUNT}:task-definition/svc-production:2`, {}),
      identityOnly(s.m, role, 'iam:PassRole', `arn:aws:iam::${PRODUCTION_ACCOUNT}:role/svc-ecs-execution`, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' }),
    ]);
    extraCounts.allowed += 1;
    extraCounts.denied += 4;
    expect(results).toEqual(['Allowed', 'ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  it(`${CROSS_BLUE_GREEN}: the pipeline takes ${PRODUCTION_ACCOUNT}'s svc-deploy for production's action, and no other role there`, async () => {
    const s = synthOnce(find(CROSS_BLUE_GREEN));
    const deploy = s.actions.find((a) => a.stage === 'Deploy-production' && a.category === 'Deploy');
    expect(deploy?.roleArn).toBe(`arn:aws:iam::${PRODUCTION_ACCOUNT}:role/svc-deploy`);
    const pipeline = s.principals.find((p) => p.kind === 'pipeline') as Principal;
    const results = await Promise.all([
      identityOnly(s.m, pipeline.role, 'sts:AssumeRole', `arn:aws:iam::${PRODUCTION_ACCOUNT}:role/svc-deploy`, {}),
      identityOnly(s.m, pipeline.role, 'sts:AssumeRole', `arn:aws:iam::${PRODUCTION_ACCOUNT}:role/admin`, {}),
    ]);
    extraCounts.allowed += 1;
    extraCounts.denied += 1;
    expect(results).toEqual(['Allowed', 'ImplicitlyDenied']);
  });

  it.each([CROSS_BLUE_GREEN, CROSS_ROLLING])("%s: production's GitHub role is the production account's, not this stack's", (label) => {
    const s = synthOnce(find(label));
    expect(s.m.roles.map((r) => r.name)).toContain('svc-github-staging');
    expect(s.m.roles.map((r) => r.name)).not.toContain('svc-github-production');
  });
});

afterAll(() => {
  const rows = [...stats.entries()].sort(([a], [b]) => a.localeCompare(b));
  const sum = (f: (k: KindStats) => number) => rows.reduce((n, [, k]) => n + f(k), 0);
  const total = { principals: sum((k) => k.principals), allowed: sum((k) => k.allowed), denied: sum((k) => k.denied), failed: sum((k) => k.failed) };
  const lines = [
    `IAM simulation: ${synthCache.size} stacks (synthesis ${Math.round(timings.synthMs)} ms, checks ${Math.round(timings.checkMs)} ms)`,
    'kind | principals | needed calls checked | denials checked | failures | actions',
    ...rows.map(([kind, k]) => `${kind} | ${k.principals} | ${k.allowed} | ${k.denied} | ${k.failed} | ${[...k.actions].sort().join(' ')}`),
    `explicit tests (build references, cross-account) | - | ${extraCounts.allowed} | ${extraCounts.denied} | - |`,
    `total | ${total.principals} | ${total.allowed + extraCounts.allowed} | ${total.denied + extraCounts.denied} | ${total.failed} |`,
  ];
  if (failureSignatures.size) {
    lines.push('', `failing expectations (${failureSignatures.size}), with the combinations where they fail:`);
    for (const [sig, combos] of [...failureSignatures.entries()].sort()) lines.push(`- ${sig} — ${combos.size} stack(s): ${[...combos].slice(0, 4).join('; ')}${combos.size > 4 ? '; ...' : ''}`);
  }
  // eslint-disable-next-line no-console
  console.log(lines.join('\n'));
});
