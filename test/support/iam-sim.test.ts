/**
 * The IAM simulation harness (test/support/iam-sim.ts, cfn-resolve.ts) on
 * real pipeline stacks: the resolver gives AWS's ARN formats, and the
 * simulator's answers for the roles the stacks create are the ones their
 * policies mean (identity policies, AWS-managed policies, bucket and key
 * policies, trust policies with GitHub's OIDC claims). Each stack is
 * synthesized once.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CfnResolveError, CfnResolver, type CfnTemplate } from './cfn-resolve';
import { IamModel } from './iam-sim';
import { AwsPipelineStack } from '../../src/constructs';
import { listMatrix } from '../../src/model';

const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const REPOSITORY = 'your-org/svc';
const GITHUB = 'token.actions.githubusercontent.com';
const oidc = (sub: string) => ({ [`${GITHUB}:sub`]: sub, [`${GITHUB}:aud`]: 'sts.amazonaws.com' });

/** A valid combination's stack (CodePipeline and GitHub Actions both), as an IamModel. */
function model(target: string, strategy: string): IamModel {
  const combo = listMatrix().valid.find((c) => c.target === target && c.strategy === strategy && c.runtime === 'node');
  if (!combo) throw new Error(`${target} ${strategy} is not a valid combination`);
  const stack = new AwsPipelineStack(new App(), 'Stack', {
    name: 'svc',
    account: '123456789012',
    connectionArn: CONNECTION,
    runtime: combo.runtime,
    target: combo.target,
    strategy: combo.strategy,
    source: 'github',
    ci: 'both',
    repository: REPOSITORY,
  } as never);
  return new IamModel(Template.fromStack(stack).toJSON() as CfnTemplate);
}

describe('cfn-resolve', () => {
  const template: CfnTemplate = {
    Parameters: {
      Stage: { Type: 'String', Default: 'staging' },
      Zones: { Type: 'CommaDelimitedList', Default: 'a,b' },
      Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami' },
      Required: { Type: 'String' },
    },
    Conditions: { IsProduction: { 'Fn::Equals': [{ Ref: 'Stage' }, 'production'] }, NotProduction: { 'Fn::Not': [{ Condition: 'IsProduction' }] } },
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'svc-fn' } },
      Topic: { Type: 'AWS::SNS::Topic', Condition: 'IsProduction' },
      Queue: { Type: 'AWS::SQS::Queue' },
    },
  };
  const r = new CfnResolver(template, { parameters: { Required: 'given' } });

  it('resolves Fn::Sub, Join, Select, Split, If, NoValue, pseudo parameters and parameters', () => {
    expect(r.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Fn.Arn}/${Stage}/${!Literal}' })).toBe(
      'arn:aws:x:us-east-1:123456789012:arn:aws:lambda:us-east-1:123456789012:function:svc-fn/staging/${Literal}',
    );
    expect(r.resolve({ 'Fn::Sub': ['${A}-${AWS::StackName}', { A: { Ref: 'Required' } }] })).toBe('given-Stack');
    expect(r.resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('b');
    expect(r.resolve({ 'Fn::Join': ['-', { Ref: 'Zones' }] })).toBe('a-b');
    expect(r.resolve({ 'Fn::If': ['NotProduction', 'yes', 'no'] })).toBe('yes');
    expect(r.resolve({ a: { 'Fn::If': ['IsProduction', 1, { Ref: 'AWS::NoValue' }] }, b: [1, { Ref: 'AWS::NoValue' }] })).toEqual({ b: [1] });
    expect(r.resolve({ Ref: 'AWS::URLSuffix' })).toBe('amazonaws.com');
    expect(r.resolve({ Ref: 'AWS::StackId' })).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/Stack\/[0-9a-f-]{36}$/);
    expect(new CfnResolver(template, { region: 'eu-west-1', account: '210987654321', parameters: { Stage: 'production', Required: 'x' } }).resolve({ 'Fn::If': ['IsProduction', { 'Fn::GetAtt': ['Fn', 'Arn'] }, 'no'] })).toBe(
      'arn:aws:lambda:eu-west-1:210987654321:function:svc-fn',
    );
  });

  it('names resources by their name property, or `<stack>-<LogicalId>-gen` (lowercase where AWS requires)', () => {
    const names = new CfnResolver({
      Resources: {
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/ecs/svc' } },
        Bucket: { Type: 'AWS::S3::Bucket' },
        Repo: { Type: 'AWS::ECR::Repository' },
        Role: { Type: 'AWS::IAM::Role', Properties: { Path: '/deploy/' } },
        Cluster: { Type: 'AWS::ECS::Cluster' },
        Service: { Type: 'AWS::ECS::Service', Properties: { Cluster: { Ref: 'Cluster' }, ServiceName: 'web' } },
        Alias: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:fn', Name: 'live' } },
      },
    });
    expect(names.arn('Logs')).toBe('arn:aws:logs:us-east-1:123456789012:log-group:/ecs/svc:*');
    expect(names.arn('Bucket')).toBe('arn:aws:s3:::stack-bucket-gen');
    expect(names.arn('Repo')).toBe('arn:aws:ecr:us-east-1:123456789012:repository/stack-repo-gen');
    expect(names.arn('Role')).toBe('arn:aws:iam::123456789012:role/deploy/Stack-Role-gen');
    expect(names.ref('Service')).toBe('arn:aws:ecs:us-east-1:123456789012:service/Stack-Cluster-gen/web');
    expect(names.getAtt('Service', 'Name')).toBe('web');
    expect(names.ref('Alias')).toBe('arn:aws:lambda:us-east-1:123456789012:function:fn:live');
  });

  it('throws, naming what, on what it cannot resolve', () => {
    const throws = (value: Parameters<CfnResolver['resolve']>[0], message: RegExp) => expect(() => r.resolve(value)).toThrow(message);
    throws({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, /Fn::Cidr: intrinsic not modelled/);
    throws({ Ref: 'Queue' }, /AWS::SQS::Queue is not modelled/);
    throws({ 'Fn::GetAtt': ['Fn', 'SnapStartResponse'] }, /attribute SnapStartResponse of AWS::Lambda::Function is not modelled/);
    throws({ Ref: 'Topic' }, /Condition IsProduction is false/);
    throws({ Ref: 'Ami' }, /SSM parameter type .* pass parameters.Ami/);
    throws({ 'Fn::GetAZs': '' }, /pass availabilityZones/);
    throws({ Ref: 'Nothing' }, /no such resource or parameter/);
    expect(() => new CfnResolver(template).resolve({ Ref: 'Required' })).toThrow(/no Default: pass parameters.Required/);
    expect(() => r.resolve({ 'Fn::Cidr': [] })).toThrow(CfnResolveError);
  });
});

describe('resource policies from AWS::Lambda::Permission', () => {
  const m = new IamModel({
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'hook' } },
      Rule: { Type: 'AWS::Events::Rule', Properties: { Name: 'nightly' } },
      Invoke: {
        Type: 'AWS::Lambda::Permission',
        Properties: { FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['Rule', 'Arn'] } },
      },
    },
  });

  it('lets the named service invoke the function for the named source only', async () => {
    const fn = m.arnOf('Fn');
    expect(m.arnOf('Rule')).toBe('arn:aws:events:us-east-1:123456789012:rule/nightly');
    expect(await m.canService('events.amazonaws.com', 'lambda:InvokeFunction', fn, { 'aws:SourceArn': m.arnOf('Rule') })).toBe('Allowed');
    expect(await m.canService('events.amazonaws.com', 'lambda:InvokeFunction', fn, { 'aws:SourceArn': 'arn:aws:events:us-east-1:123456789012:rule/other' })).toBe('ImplicitlyDenied');
    expect(await m.canService('sns.amazonaws.com', 'lambda:InvokeFunction', fn, { 'aws:SourceArn': m.arnOf('Rule') })).toBe('ImplicitlyDenied');
    expect(m.resourcePolicyFor(`${fn}:live`)).toEqual(m.resourcePolicyFor(fn));
  });
});

describe('ECS blue/green', () => {
  let m: IamModel;
  beforeAll(() => {
    m = model('ecs', 'blue-green');
  });

  it('names resources with AWS ARN formats', () => {
    expect(m.arnOf('EcsstagingService')).toBe('arn:aws:ecs:us-east-1:123456789012:service/svc/svc-staging');
    expect(m.arnOf('EcsstagingTask')).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/svc-staging:1');
    expect(m.arnOf('Cluster')).toBe('arn:aws:ecs:us-east-1:123456789012:cluster/svc');
    expect(m.arnOf('EcsstagingDeploymentGroup')).toBe('arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:svc/svc-staging');
    expect(m.arnOf('EcsApplication')).toBe('arn:aws:codedeploy:us-east-1:123456789012:application:svc');
    expect(m.arnOf('Images')).toBe('arn:aws:ecr:us-east-1:123456789012:repository/svc');
    expect(m.arnOf('Build')).toBe('arn:aws:codebuild:us-east-1:123456789012:project/svc-build');
    expect(m.arnOf('ArtifactKey')).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m.arnOf('EcsstagingLogs')).toBe(`arn:aws:logs:us-east-1:123456789012:log-group:${m.resolver.physicalName(m.logicalId('EcsstagingLogs'))}:*`);
    expect(m.arnOf('Artifacts')).toMatch(/^arn:aws:s3:::stack-artifacts[0-9a-f]{8}-gen$/);
    expect(m.arnOf('EcsstagingBlue')).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/Stack-EcsstagingBlue[0-9A-F]{8}-gen\/[0-9a-f]{16}$/);
    expect(m.arnOf('EcsstagingLoadBalancerProduction')).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:listener\/app\/Stack-EcsstagingLoadBalancer[0-9A-F]{8}-gen\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    expect(m.arnOf('GitHubOidc')).toBe('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com');
    expect(m.principal('svc-github-staging').arn).toBe('arn:aws:iam::123456789012:role/svc-github-staging');
    expect(m.principal('BuildRole').arn).toMatch(/^arn:aws:iam::123456789012:role\/Stack-BuildRole[0-9A-F]{8}-gen$/);
    // Derived from the logical id: the same in every model of the template.
    expect(new IamModel(m.template).arnOf('ArtifactKey')).toBe(m.arnOf('ArtifactKey'));
  });

  it('finds roles by logical id, name, regex and service, and refuses ambiguity', () => {
    expect(m.principal(/^GitHubDeployproduction/).name).toBe('svc-github-production');
    expect(m.roleOfService('codebuild.amazonaws.com', 'BuildRole').logicalId).toMatch(/^BuildRole/);
    expect(m.rolesOfService('ecs-tasks.amazonaws.com').map((r) => r.logicalId).sort()).toEqual([expect.stringMatching(/^TaskExecutionRole/), expect.stringMatching(/^TaskRole/)]);
    expect(() => m.principal('GitHubDeploy')).toThrow(/matches 2 roles/);
    expect(() => m.principal('NoSuchRole')).toThrow(/no role matches NoSuchRole/);
    expect(() => m.roleOfService('ecs-tasks.amazonaws.com')).toThrow(/2 roles trust ecs-tasks.amazonaws.com/);
  });

  it('the build role writes the artifact bucket with the artifact key, and no other bucket', async () => {
    const build = m.principal('BuildRole');
    const object = `${m.arnOf('Artifacts')}/Stack-Pipeline/BuildOutput/abc.zip`;
    expect(await m.can(build, 's3:PutObject', object)).toBe('Allowed');
    expect(await m.can(build, 'kms:GenerateDataKey', m.arnOf('ArtifactKey'))).toBe('Allowed');
    expect(await m.can(build, 'kms:Decrypt', m.arnOf('ArtifactKey'))).toBe('Allowed');
    expect(await m.can(build, 's3:PutObject', 'arn:aws:s3:::some-other-bucket/abc.zip')).toBe('ImplicitlyDenied');
    expect(await m.can(build, 'kms:GenerateDataKey', 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000')).toBe('ImplicitlyDenied');
    // The image build pushes to the repository.
    expect(await m.can(build, 'ecr:PutImage', m.arnOf('Images'))).toBe('Allowed');
    expect(await m.can(build, 'ecr:GetAuthorizationToken', '*')).toBe('Allowed');
  });

  it("the artifact bucket's policy denies requests without TLS, whatever the identity allows", async () => {
    const object = `${m.arnOf('Artifacts')}/abc.zip`;
    expect(m.resourcePolicyFor(object)?.Statement).toEqual(expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]));
    expect(await m.can('BuildRole', 's3:PutObject', object, { 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
    expect(await m.can('BuildRole', 's3:ListBucket', m.arnOf('Artifacts'))).toBe('Allowed');
    expect(await m.can('BuildRole', 's3:ListBucket', m.arnOf('Artifacts'), { 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
    expect(m.resourcePolicyFor('arn:aws:s3:::some-other-bucket/abc.zip')).toBeUndefined();
  });

  it('EventBridge publishes failures through its own role, only as the failure rule, through TLS, with the key; the topic and key grant it nothing', async () => {
    const topic = m.arnOf('Notifications');
    const key = m.arnOf('ArtifactKey');
    const publisher = m.roleOfService('events.amazonaws.com', 'PipelineFailedPublisher');
    const rule = { 'aws:SourceArn': m.arnOf('PipelineFailed'), 'aws:SourceAccount': '123456789012' };
    expect(await m.canAssume('events.amazonaws.com', publisher, rule)).toBe('Allowed');
    expect(await m.canAssume('events.amazonaws.com', publisher, { ...rule, 'aws:SourceArn': 'arn:aws:events:us-east-1:123456789012:rule/other' })).toBe('ImplicitlyDenied');
    expect(await m.can(publisher, 'sns:Publish', topic)).toBe('Allowed');
    expect(await m.can(publisher, 'sns:Publish', topic, { 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
    expect(await m.can(publisher, 'kms:GenerateDataKey', key)).toBe('Allowed');
    expect(await m.can(publisher, 'kms:ScheduleKeyDeletion', key)).toBe('ImplicitlyDenied');
    expect(await m.canService('events.amazonaws.com', 'sns:Publish', topic)).toBe('ImplicitlyDenied');
    expect(await m.canService('events.amazonaws.com', 'kms:GenerateDataKey', key)).toBe('ImplicitlyDenied');
  });

  it('the task execution role writes its log streams', async () => {
    const exec = m.principal('TaskExecutionRole');
    expect(await m.can(exec, 'logs:CreateLogStream', m.logStreamArn('EcsstagingLogs', 'svc/svc/0123'))).toBe('Allowed');
    expect(await m.can(exec, 'logs:PutLogEvents', m.logStreamArn('EcsproductionLogs', 'svc/svc/0123'))).toBe('Allowed');
    expect(await m.can(exec, 'logs:PutLogEvents', m.logStreamArn('BuildLogs'))).toBe('ImplicitlyDenied');
  });

  it("CodeDeploy's role (AWSCodeDeployRoleForECS) shifts task sets and passes roles only to ECS tasks", async () => {
    const role = m.roleOfService('codedeploy.amazonaws.com', 'EcsstagingDeploymentGroupServiceRole');
    expect(role.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS']);
    expect(await m.can(role, 'ecs:DescribeServices', m.arnOf('EcsstagingService'))).toBe('Allowed');
    expect(await m.can(role, 'ecs:CreateTaskSet', 'arn:aws:ecs:us-east-1:123456789012:task-set/svc/svc-staging/ecs-svc/0123456789')).toBe('Allowed');
    expect(await m.can(role, 'elasticloadbalancing:ModifyListener', m.arnOf('EcsstagingLoadBalancerProduction'))).toBe('Allowed');
    const execArn = m.principal('TaskExecutionRole').arn;
    expect(await m.can(role, 'iam:PassRole', execArn, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' })).toBe('Allowed');
    expect(await m.can(role, 'iam:PassRole', execArn, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe('ImplicitlyDenied');
    expect(await m.can(role, 'ecs:UpdateService', m.arnOf('EcsstagingService'))).toBe('ImplicitlyDenied');
  });

  it('trust policies: the pipeline role assumes its action roles, services their own roles', async () => {
    const actionRole = m.principal('PipelineBuildBuildAndTest');
    expect(await m.canAssume('PipelineRole', actionRole)).toBe('Allowed');
    expect(await m.can('PipelineRole', 'sts:AssumeRole', actionRole.arn)).toBe('Allowed');
    expect(await m.canAssume('BuildRole', actionRole)).toBe('ImplicitlyDenied');
    expect(await m.canAssume('arn:aws:iam::210987654321:role/intruder', actionRole)).toBe('ImplicitlyDenied');
    expect(await m.canAssume('codedeploy.amazonaws.com', 'EcsstagingDeploymentGroupServiceRole')).toBe('Allowed');
    expect(await m.canAssume('codebuild.amazonaws.com', 'EcsstagingDeploymentGroupServiceRole')).toBe('ImplicitlyDenied');
    expect(await m.canAssume('ecs-tasks.amazonaws.com', 'TaskExecutionRole')).toBe('Allowed');
  });

  it('a GitHub deploy role is assumed by its environment only', async () => {
    expect(await m.canAssume(GITHUB, 'svc-github-staging', oidc('repo:your-org/svc:environment:staging'))).toBe('Allowed');
    expect(await m.canAssume(m.arnOf('GitHubOidc'), 'svc-github-staging', oidc('repo:your-org/svc:environment:staging'))).toBe('Allowed');
    expect(await m.canAssume(GITHUB, 'svc-github-staging', oidc('repo:your-org/svc:ref:refs/heads/main'))).toBe('ImplicitlyDenied');
    expect(await m.canAssume(GITHUB, 'svc-github-staging', oidc('repo:your-org/svc:environment:production'))).toBe('ImplicitlyDenied');
    expect(await m.canAssume(GITHUB, 'svc-github-staging', oidc('repo:someone-else/svc:environment:staging'))).toBe('ImplicitlyDenied');
    expect(await m.canAssume(GITHUB, 'svc-github-staging', { [`${GITHUB}:sub`]: 'repo:your-org/svc:environment:staging' })).toBe('ImplicitlyDenied');
    expect(await m.canAssume(GITHUB, 'svc-github-production', oidc('repo:your-org/svc:environment:production'))).toBe('Allowed');
    // The same provider in another account is not the one trusted.
    expect(await m.canAssume('arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com', 'svc-github-staging', oidc('repo:your-org/svc:environment:staging'))).toBe('ImplicitlyDenied');
  });

  it("a GitHub deploy role deploys through its environment's deployment group, not the other's", async () => {
    const staging = m.principal('svc-github-staging');
    expect(await m.can(staging, 'ecs:UpdateService', m.arnOf('EcsproductionService'))).toBe('ImplicitlyDenied');
    expect(await m.can(staging, 'codedeploy:CreateDeployment', m.arnOf('EcsstagingDeploymentGroup'))).toBe('Allowed');
    expect(await m.can(staging, 'codedeploy:CreateDeployment', m.arnOf('EcsproductionDeploymentGroup'))).toBe('ImplicitlyDenied');
    const toTasks = { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' };
    expect(await m.can(staging, 'iam:PassRole', m.principal('TaskRole').arn, toTasks)).toBe('Allowed');
    expect(await m.can(staging, 'iam:PassRole', m.principal('BuildRole').arn, toTasks)).toBe('ImplicitlyDenied');
    expect(await m.can(staging, 'cloudformation:DescribeStacks', m.resolver.stackId)).toBe('Allowed');
  });

  it('refuses a context key that does not apply to the request', async () => {
    await expect(m.can('BuildRole', 's3:PutObject', `${m.arnOf('Artifacts')}/x`, { 'ecs:cluster': 'svc' })).rejects.toThrow(/context ecs:cluster does not apply/);
  });
});

describe('EC2 one at a time', () => {
  let m: IamModel;
  beforeAll(() => {
    m = model('ec2', 'one-at-a-time');
  });

  it('instances read revisions from the artifact bucket and talk to SSM', async () => {
    const instance = m.roleOfService('ec2.amazonaws.com', 'Ec2stagingInstanceRole');
    expect(instance.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    expect(await m.can(instance, 's3:GetObject', `${m.arnOf('Artifacts')}/revisions/abc.zip`)).toBe('Allowed');
    expect(await m.can(instance, 'kms:Decrypt', m.arnOf('ArtifactKey'))).toBe('Allowed');
    expect(await m.can(instance, 's3:PutObject', `${m.arnOf('Artifacts')}/revisions/abc.zip`)).toBe('ImplicitlyDenied');
    expect(await m.can(instance, 'ssm:UpdateInstanceInformation', 'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0')).toBe('Allowed');
    expect(await m.can(instance, 'ssmmessages:OpenControlChannel', '*')).toBe('Allowed');
  });

  it("CodeDeploy's role (AWSCodeDeployRole) drives the Auto Scaling group", async () => {
    const role = m.roleOfService('codedeploy.amazonaws.com', 'Ec2stagingDeploymentGroupRole');
    const asg = m.arnOf('Ec2stagingFleetASG');
    expect(asg).toMatch(/^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/Stack-Ec2stagingFleetASG[0-9A-F]{8}-gen$/);
    expect(await m.can(role, 'autoscaling:CompleteLifecycleAction', asg)).toBe('Allowed');
    expect(await m.can(role, 'ec2:TerminateInstances', 'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0')).toBe('Allowed');
    expect(await m.can(role, 's3:GetObject', `${m.arnOf('Artifacts')}/revisions/abc.zip`)).toBe('ImplicitlyDenied');
  });

  it('the GitHub deploy role uploads revisions and deploys its own group', async () => {
    const staging = m.principal('svc-github-staging');
    expect(await m.can(staging, 's3:PutObject', `${m.arnOf('Artifacts')}/revisions/abc.zip`)).toBe('Allowed');
    expect(await m.can(staging, 's3:PutObject', `${m.arnOf('Artifacts')}/Stack-Pipeline/abc.zip`)).toBe('ImplicitlyDenied');
    expect(await m.can(staging, 'codedeploy:CreateDeployment', m.arnOf('Ec2stagingDeploymentGroup'))).toBe('Allowed');
    expect(await m.can(staging, 'codedeploy:CreateDeployment', m.arnOf('Ec2productionDeploymentGroup'))).toBe('ImplicitlyDenied');
    expect(await m.can(staging, 'codedeploy:GetDeploymentConfig', 'arn:aws:codedeploy:us-east-1:123456789012:deploymentconfig:CodeDeployDefault.OneAtATime')).toBe('Allowed');
  });
});

describe('Lambda canary', () => {
  let m: IamModel;
  beforeAll(() => {
    m = model('lambda', 'canary');
  });

  it('names functions, aliases and versions', () => {
    expect(m.arnOf('LambdastagingFunction')).toBe('arn:aws:lambda:us-east-1:123456789012:function:svc-staging');
    expect(m.arnOf('LambdastagingLive')).toBe('arn:aws:lambda:us-east-1:123456789012:function:svc-staging:live');
    expect(m.arnOf((id, r) => r.Type === 'AWS::Lambda::Version' && id.startsWith('LambdastagingFunctionCurrentVersion'))).toBe('arn:aws:lambda:us-east-1:123456789012:function:svc-staging:1');
  });

  it('the deploy project updates its own function and starts its own deployment', async () => {
    const deploy = m.roleOfService('codebuild.amazonaws.com', 'LambdastagingDeployRole');
    expect(await m.can(deploy, 'lambda:UpdateFunctionCode', m.arnOf('LambdastagingFunction'))).toBe('Allowed');
    expect(await m.can(deploy, 'lambda:PublishVersion', m.arnOf('LambdastagingFunction'))).toBe('Allowed');
    expect(await m.can(deploy, 'lambda:GetAlias', m.arnOf('LambdastagingLive'))).toBe('Allowed');
    expect(await m.can(deploy, 'lambda:UpdateFunctionCode', m.arnOf('LambdaproductionFunction'))).toBe('ImplicitlyDenied');
    expect(await m.can(deploy, 'codedeploy:CreateDeployment', m.arnOf('LambdastagingDeploymentGroup'))).toBe('Allowed');
  });

  it('CodeDeploy (AWSCodeDeployRoleForLambdaLimited and the hooks grant) shifts the alias and runs the hooks', async () => {
    const role = m.roleOfService('codedeploy.amazonaws.com', 'LambdastagingDeploymentGroupServiceRole');
    expect(await m.can(role, 'lambda:UpdateAlias', m.arnOf('LambdastagingLive'))).toBe('Allowed');
    expect(await m.can(role, 'lambda:InvokeFunction', m.arnOf('LambdastagingBeforeAllowTraffic'))).toBe('Allowed');
    expect(await m.can(role, 'lambda:InvokeFunction', m.arnOf('LambdaproductionBeforeAllowTraffic'))).toBe('ImplicitlyDenied');
    const hook = m.principal('LambdastagingBeforeAllowTrafficServiceRole');
    expect(await m.can(hook, 'lambda:InvokeFunction', m.arnOf('LambdastagingLive'))).toBe('Allowed');
    expect(await m.can(hook, 'lambda:InvokeFunction', m.arnOf('LambdaproductionLive'))).toBe('ImplicitlyDenied');
    // AWSLambdaBasicExecutionRole
    expect(await m.can('LambdastagingFunctionServiceRole', 'logs:CreateLogGroup', 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/svc-staging')).toBe('Allowed');
  });

  it('the GitHub deploy role may assume its environment and update its function only', async () => {
    expect(await m.canAssume(GITHUB, 'svc-github-production', oidc('repo:your-org/svc:environment:production'))).toBe('Allowed');
    expect(await m.canAssume(GITHUB, 'svc-github-production', oidc('repo:your-org/svc:ref:refs/heads/main'))).toBe('ImplicitlyDenied');
    const production = m.principal('svc-github-production');
    expect(await m.can(production, 'lambda:UpdateFunctionCode', m.arnOf('LambdaproductionFunction'))).toBe('Allowed');
    expect(await m.can(production, 'lambda:UpdateFunctionCode', m.arnOf('LambdastagingFunction'))).toBe('ImplicitlyDenied');
  });
});

describe('S3 site', () => {
  let m: IamModel;
  beforeAll(() => {
    m = model('s3-site', 'all-at-once');
  });

  it('only its own CloudFront distribution reads the site bucket', async () => {
    const page = `${m.arnOf('SitestagingBucket')}/index.html`;
    const distribution = m.arnOf('SitestagingDistribution');
    expect(distribution).toMatch(/^arn:aws:cloudfront::123456789012:distribution\/E[0-9A-Z]{13}$/);
    expect(await m.canService('cloudfront.amazonaws.com', 's3:GetObject', page, { 'aws:SourceArn': distribution })).toBe('Allowed');
    expect(await m.canService('cloudfront.amazonaws.com', 's3:GetObject', page, { 'aws:SourceArn': m.arnOf('SiteproductionDistribution') })).toBe('ImplicitlyDenied');
    expect(await m.canService('cloudfront.amazonaws.com', 's3:PutObject', page, { 'aws:SourceArn': distribution })).toBe('ImplicitlyDenied');
    expect(await m.canService('cloudfront.amazonaws.com', 's3:GetObject', page, { 'aws:SourceArn': distribution, 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
  });

  it('the GitHub deploy role syncs its bucket and invalidates its distribution', async () => {
    const staging = m.principal('svc-github-staging');
    expect(await m.can(staging, 's3:PutObject', `${m.arnOf('SitestagingBucket')}/index.html`)).toBe('Allowed');
    expect(await m.can(staging, 's3:DeleteObject', `${m.arnOf('SitestagingBucket')}/old.html`)).toBe('Allowed');
    expect(await m.can(staging, 's3:PutObject', `${m.arnOf('SiteproductionBucket')}/index.html`)).toBe('ImplicitlyDenied');
    expect(await m.can(staging, 'cloudfront:CreateInvalidation', m.arnOf('SitestagingDistribution'))).toBe('Allowed');
    expect(await m.can(staging, 'cloudfront:CreateInvalidation', m.arnOf('SiteproductionDistribution'))).toBe('ImplicitlyDenied');
  });
});
