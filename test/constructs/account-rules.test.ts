/**
 * What an AWS account accepts, checked on the synthesized stack of every
 * valid combination (with the longest service and environment names and the
 * longest tags the model accepts) and of the S3 site in every Region:
 * launch templates, never launch configurations (accounts created since
 * October 2024 cannot create those); CodeDeploy blue/green only on the Lambda
 * and ECS compute platforms; alarms only on metrics their Region publishes;
 * every name and tag within AWS's limits. EC2 blue/green is refused by the
 * model, with the reason. The limits here are AWS's own (CloudFormation
 * resource reference), written out independently of src/model/aws-names.ts.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoApp } from './app';
import { AwsPipelineStack } from '../../src/constructs';
import { ConfigError, listMatrix, REGIONS, resolveConfig, RUNTIMES, serviceNameProblem } from '../../src/model';
import { CfnResolver } from '../support/cfn-resolve';
import type { CfnTemplate } from '../support/cfn-resolve';
import { regionTakes } from '../support/region-rule';

const ACCOUNT = '123456789012';
const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

/** The longest names the model accepts: a 40-character service, 12-character environments. */
const LONG_NAME = `a${'b'.repeat(38)}c`;
const LONG_ENVIRONMENTS = ['stagingenvir', 'productionen'];
/** The longest tag the model accepts, and the longest Owner. */
const LONG_TAGS = { [`k${'e'.repeat(125)}y`]: 'v'.repeat(255) };
const LONG_OWNER = `team-${'o'.repeat(250)}`;

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

interface Synthesized {
  readonly resources: Record<string, Resource>;
  readonly region: string;
  readonly stackName: string;
  readonly resolver: CfnResolver;
}

function synth(options: Record<string, unknown>, context: Record<string, unknown> = {}): Synthesized {
  const app = repoApp({ context });
  const stack = new AwsPipelineStack(app, 'Stack', { name: 'svc', account: ACCOUNT, connectionArn: CONNECTION, ...options } as never);
  const template = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true }).toJSON();
  return {
    resources: template.Resources,
    region: stack.region,
    stackName: stack.stackName,
    resolver: new CfnResolver(template as CfnTemplate, { account: ACCOUNT, region: stack.region, stackName: stack.stackName }),
  };
}

const ofType = (s: Synthesized, type: string) => Object.entries(s.resources).filter(([, r]) => r.Type === type);

/** The logical id a Ref or Fn::GetAtt points at. */
function refOf(value: unknown): string {
  const v = value as { 'Ref'?: string; 'Fn::GetAtt'?: [string, string] };
  if (typeof v?.Ref === 'string') return v.Ref;
  if (Array.isArray(v?.['Fn::GetAtt'])) return v['Fn::GetAtt'][0];
  throw new Error(`not a Ref or Fn::GetAtt: ${JSON.stringify(value)}`);
}

/** Every logical id a value refers to (Ref, Fn::GetAtt, anywhere inside it), pseudo parameters aside. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref.startsWith('AWS::') ? [] : [v.Ref];
  if (Array.isArray(v['Fn::GetAtt'])) return [v['Fn::GetAtt'][0] as string];
  return Object.values(v).flatMap(refsIn);
}

// ---------------------------------------------------------------- the rules

/** Launch templates only: no resource of a type new accounts cannot create; each Auto Scaling group launches from a template of the stack. */
function launchTemplatesOnly(s: Synthesized): number {
  expect(ofType(s, 'AWS::AutoScaling::LaunchConfiguration')).toEqual([]);
  const groups = ofType(s, 'AWS::AutoScaling::AutoScalingGroup');
  for (const [id, group] of groups) {
    expect(group.Properties?.LaunchConfigurationName, id).toBeUndefined();
    const template = group.Properties?.LaunchTemplate ?? group.Properties?.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
    expect(template, `${id} launches from a launch template`).toBeDefined();
    expect(s.resources[refOf(template.LaunchTemplateId)]?.Type, id).toBe('AWS::EC2::LaunchTemplate');
    // Scaling notifications to the stack's KMS-encrypted topic would need Auto Scaling's service-linked role in the
    // key policy, which cannot name it before the account's first group exists: none are configured.
    expect(group.Properties?.NotificationConfigurations, `${id} notifies no encrypted topic`).toBeUndefined();
  }
  return groups.length;
}

/** CodeDeploy blue/green (DeploymentStyle BLUE_GREEN) only where the application's compute platform has it: Lambda and ECS, which have nothing else. */
function blueGreenWhereSupported(s: Synthesized): Record<string, number> {
  const platforms: Record<string, number> = {};
  for (const [id, group] of ofType(s, 'AWS::CodeDeploy::DeploymentGroup')) {
    const app = s.resources[refOf(group.Properties!.ApplicationName)];
    expect(app.Type, id).toBe('AWS::CodeDeploy::Application');
    const platform = app.Properties?.ComputePlatform ?? 'Server';
    const type = group.Properties!.DeploymentStyle?.DeploymentType ?? 'IN_PLACE';
    expect(type, `${id} on ${platform}`).toBe(platform === 'Server' ? 'IN_PLACE' : 'BLUE_GREEN');
    platforms[platform] = (platforms[platform] ?? 0) + 1;
  }
  return platforms;
}

/** The Regions a namespace's metrics are published in: CloudFront's in US East (N. Virginia) only, the others in every Region. */
const METRIC_REGIONS: Record<string, (region: string) => boolean> = {
  'AWS/ApplicationELB': () => true,
  'AWS/Lambda': () => true,
  'AWS/CloudFront': (region) => region === 'us-east-1',
};

/** Every alarm watches a metric its Region (the stack's) publishes, with dimensions naming resources of the stack. */
function alarmsOnPublishedMetrics(s: Synthesized): string[] {
  const namespaces: string[] = [];
  for (const [id, alarm] of ofType(s, 'AWS::CloudWatch::Alarm')) {
    const p = alarm.Properties!;
    const metrics: Array<{ Namespace: string; Dimensions?: Array<{ Name: string; Value: unknown }> }> = p.Namespace
      ? [{ Namespace: p.Namespace, Dimensions: p.Dimensions }]
      : (p.Metrics as Array<{ MetricStat?: { Metric: { Namespace: string; Dimensions?: Array<{ Name: string; Value: unknown }> } } }>).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
    expect(metrics.length, id).toBeGreaterThan(0);
    for (const m of metrics) {
      expect(Object.keys(METRIC_REGIONS), `${id}: a namespace this test knows`).toContain(m.Namespace);
      expect(METRIC_REGIONS[m.Namespace](s.region), `${id}: ${m.Namespace} metrics in ${s.region}`).toBe(true);
      for (const d of m.Dimensions ?? []) {
        const refs = refsIn(d.Value);
        if (typeof d.Value !== 'string') expect(refs.length, `${id}: dimension ${d.Name} names a resource`).toBeGreaterThan(0);
        for (const ref of refs) expect(s.resources[ref], `${id}: dimension ${d.Name} names ${ref}`).toBeDefined();
      }
      namespaces.push(m.Namespace);
    }
  }
  return namespaces;
}

type NameRule = readonly [type: string, property: string, valid: RegExp, limit: string];

/** AWS's limits on the names the stack sets (a name left to CloudFormation is generated within them). */
const NAME_RULES: readonly NameRule[] = [
  ['AWS::Lambda::Function', 'FunctionName', /^[A-Za-z0-9_-]{1,64}$/, '1-64 letters, digits, - _'],
  ['AWS::Lambda::Alias', 'Name', /^[A-Za-z0-9_-]{1,128}$/, '1-128 letters, digits, - _'],
  ['AWS::IAM::Role', 'RoleName', /^[\w+=,.@-]{1,64}$/, '1-64 characters'],
  ['AWS::IAM::Policy', 'PolicyName', /^[\w+=,.@-]{1,128}$/, '1-128 characters'],
  ['AWS::IAM::InstanceProfile', 'InstanceProfileName', /^[\w+=,.@-]{1,128}$/, '1-128 characters'],
  ['AWS::CodeDeploy::Application', 'ApplicationName', /^.{1,100}$/, '1-100 characters'],
  ['AWS::CodeDeploy::DeploymentGroup', 'DeploymentGroupName', /^.{1,100}$/, '1-100 characters'],
  ['AWS::ECS::Cluster', 'ClusterName', /^[A-Za-z0-9_-]{1,255}$/, '1-255 letters, digits, - _'],
  ['AWS::ECS::Service', 'ServiceName', /^[A-Za-z0-9_-]{1,255}$/, '1-255 letters, digits, - _'],
  ['AWS::ECS::TaskDefinition', 'Family', /^[A-Za-z0-9_-]{1,255}$/, '1-255 letters, digits, - _'],
  ['AWS::CodeBuild::Project', 'Name', /^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$/, '2-150 letters, digits, - _'],
  ['AWS::CodePipeline::Pipeline', 'Name', /^[A-Za-z0-9.@_-]{1,100}$/, '1-100 letters, digits, . @ - _'],
  ['AWS::Logs::LogGroup', 'LogGroupName', /^[.\-_/#A-Za-z0-9]{1,512}$/, '1-512 characters'],
  ['AWS::ECR::Repository', 'RepositoryName', /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, '2-256 lowercase'],
  ['AWS::S3::Bucket', 'BucketName', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, '3-63 lowercase'],
  ['AWS::SNS::Topic', 'TopicName', /^[A-Za-z0-9_-]{1,256}$/, '1-256 characters'],
  ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'Name', /^[A-Za-z0-9-]{1,32}$/, '1-32 characters'],
  ['AWS::ElasticLoadBalancingV2::TargetGroup', 'Name', /^[A-Za-z0-9-]{1,32}$/, '1-32 characters'],
  ['AWS::EC2::LaunchTemplate', 'LaunchTemplateName', /^[A-Za-z0-9().\-/_]{3,128}$/, '3-128 characters'],
  ['AWS::AutoScaling::AutoScalingGroup', 'AutoScalingGroupName', /^.{1,255}$/, '1-255 characters'],
  ['AWS::CloudWatch::Alarm', 'AlarmName', /^.{1,255}$/, '1-255 characters'],
  ['AWS::Events::Rule', 'Name', /^[.\-_A-Za-z0-9]{1,64}$/, '1-64 characters'],
];

/** Every name the stack sets is within AWS's limits; returns the names checked, by type. */
function namesWithinLimits(s: Synthesized): Record<string, string[]> {
  expect(s.stackName, 'the stack name').toMatch(/^[A-Za-z][A-Za-z0-9-]{0,127}$/);
  const checked: Record<string, string[]> = {};
  for (const [type, property, valid, limit] of NAME_RULES) {
    for (const [id, r] of ofType(s, type)) {
      const value = r.Properties?.[property];
      if (value === undefined) continue;
      const name = typeof value === 'string' ? value : s.resolver.resolveString(value);
      expect(name, `${id}: ${type} ${property} must be ${limit}`).toMatch(valid);
      (checked[`${type} ${property}`] ??= []).push(name);
    }
  }
  return checked;
}

/** Tags: at most 50 a resource, keys 1-127 characters not starting with aws:, values up to 255 (ECR's limits, the strictest), wherever a Tags property is. */
function tagsWithinLimits(s: Synthesized): number {
  let count = 0;
  const visit = (where: string, value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(`${where}[${i}]`, v));
    if (value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Tags') {
        const pairs: Array<[unknown, unknown]> = Array.isArray(v) ? v.map((t: { Key: unknown; Value: unknown }) => [t.Key, t.Value]) : Object.entries(v as object);
        expect(pairs.length, `${where}.Tags: at most 50`).toBeLessThanOrEqual(50);
        for (const [key, val] of pairs) {
          expect(typeof key, `${where}.Tags key`).toBe('string');
          expect((key as string).length, `${where}.Tags key ${String(key)}`).toBeGreaterThanOrEqual(1);
          expect((key as string).length, `${where}.Tags key ${String(key).slice(0, 20)}...`).toBeLessThanOrEqual(127);
          expect(key as string, where).not.toMatch(/^aws:/i);
          if (typeof val === 'string') expect(val.length, `${where}.Tags ${String(key).slice(0, 20)}...`).toBeLessThanOrEqual(255);
          count++;
        }
      } else {
        visit(`${where}.${k}`, v);
      }
    }
  };
  for (const [id, r] of Object.entries(s.resources)) visit(id, r.Properties);
  return count;
}

// ---------------------------------------------------------------- every combination, with the longest names

describe('the longest names', () => {
  it('are the longest the model accepts: one more character is refused', () => {
    expect(serviceNameProblem(LONG_NAME)).toBeUndefined();
    expect(serviceNameProblem(`${LONG_NAME}d`)).toMatch(/2-40/);
    expect(resolveConfig({ name: LONG_NAME, environments: LONG_ENVIRONMENTS, tags: LONG_TAGS, owner: LONG_OWNER }).environments).toEqual(LONG_ENVIRONMENTS);
    expect(() => resolveConfig({ name: 'svc', environments: ['stagingenvir', 'productionenv'] })).toThrow(/1-12 lowercase/);
    expect(() => resolveConfig({ name: 'svc', tags: { [`${Object.keys(LONG_TAGS)[0]}x`]: 'v' } })).toThrow(ConfigError);
    expect(() => resolveConfig({ name: 'svc', tags: { k: `${'v'.repeat(255)}x` } })).toThrow(ConfigError);
    expect(() => resolveConfig({ name: 'svc', owner: `${LONG_OWNER}x` })).toThrow(ConfigError);
  });
});

describe.each(listMatrix().valid.map((c) => [`${c.runtime} ${c.target} ${c.strategy}`, c] as const))('%s, longest names', (_label, c) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ name: LONG_NAME, environments: LONG_ENVIRONMENTS, tags: LONG_TAGS, owner: LONG_OWNER, runtime: c.runtime, target: c.target, strategy: c.strategy, ci: 'both' });
  });

  it('launches instances from launch templates only', () => {
    expect(launchTemplatesOnly(s)).toBe(c.target === 'ec2' ? LONG_ENVIRONMENTS.length : 0);
  });

  it('deploys blue/green with CodeDeploy only on the Lambda and ECS platforms, in place on EC2', () => {
    const expected: Record<string, Record<string, number>> = {
      'ec2': { Server: LONG_ENVIRONMENTS.length },
      'lambda': { Lambda: LONG_ENVIRONMENTS.length },
      'ecs': c.strategy === 'all-at-once' || c.strategy === 'half-at-a-time' ? {} : { ECS: LONG_ENVIRONMENTS.length },
      's3-site': {},
    };
    expect(blueGreenWhereSupported(s)).toEqual(expected[c.target]);
  });

  it('alarms only on metrics the stack\'s Region publishes', () => {
    const namespaces = alarmsOnPublishedMetrics(s);
    const expected = { 'ec2': 'AWS/ApplicationELB', 'ecs': 'AWS/ApplicationELB', 'lambda': 'AWS/Lambda', 's3-site': 'AWS/CloudFront' }[c.target];
    expect(new Set(namespaces)).toEqual(new Set([expected]));
  });

  it('sets names and tags within AWS\'s limits', () => {
    const checked = namesWithinLimits(s);
    const required = {
      'ec2': ['AWS::CodeDeploy::DeploymentGroup DeploymentGroupName'],
      'ecs': ['AWS::ECS::Service ServiceName', 'AWS::ECS::Cluster ClusterName', 'AWS::ECS::TaskDefinition Family', 'AWS::Logs::LogGroup LogGroupName'],
      'lambda': ['AWS::Lambda::Function FunctionName', 'AWS::CodeDeploy::DeploymentGroup DeploymentGroupName'],
      's3-site': [],
    }[c.target];
    for (const key of ['AWS::IAM::Role RoleName', 'AWS::CodeBuild::Project Name', 'AWS::CodePipeline::Pipeline Name', ...required]) {
      expect(checked[key], key).toBeDefined();
    }
    // The longest names reach the resources: every environment's GitHub role carries both.
    for (const env of LONG_ENVIRONMENTS) expect(checked['AWS::IAM::Role RoleName']).toContain(`${LONG_NAME}-github-${env}`);
    expect(checked['AWS::CodePipeline::Pipeline Name']).toEqual([LONG_NAME]);
    // Project, Owner, ManagedBy, Environment and the long tag.
    expect(tagsWithinLimits(s)).toBeGreaterThan(0);
    const longTag = Object.keys(LONG_TAGS)[0];
    const pipeline = Object.values(s.resources).find((r) => r.Type === 'AWS::CodePipeline::Pipeline')!;
    expect(pipeline.Properties!.Tags).toContainEqual({ Key: longTag, Value: LONG_TAGS[longTag] });
    expect(pipeline.Properties!.Tags).toContainEqual({ Key: 'Owner', Value: LONG_OWNER });
  });
});

// ---------------------------------------------------------------- the S3 site in every Region

/** The Regions the model takes the S3 site in (the others it refuses: test/constructs/regions.test.ts). */
const siteRegions = REGIONS.filter((region) => regionTakes({ target: 's3-site', region }));

describe.each(siteRegions.map((r) => [r]))('the S3 site in %s', (region) => {
  it('synthesizes within the account rules, with CloudFront alarms only where CloudFront publishes its metrics', () => {
    // With CloudFormation's own validation, as the repo's cdk.json has it: every Region the model takes synthesizes.
    const s = synth({ target: 's3-site', region });
    expect(s.region).toBe(region);
    expect(ofType(s, 'AWS::CloudFront::Distribution')).toHaveLength(2);
    expect(launchTemplatesOnly(s)).toBe(0);
    expect(blueGreenWhereSupported(s)).toEqual({});
    expect(alarmsOnPublishedMetrics(s)).toEqual(region === 'us-east-1' ? ['AWS/CloudFront', 'AWS/CloudFront'] : []);
    expect(Object.keys(namesWithinLimits(s))).toContain('AWS::CodePipeline::Pipeline Name');
    expect(tagsWithinLimits(s)).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- EC2 blue/green

describe('EC2 blue/green', () => {
  const ec2Runtimes = RUNTIMES.filter((r) => r !== 'container');

  it.each(ec2Runtimes.map((r) => [r]))('is refused for %s by the model, naming the Auto Scaling group', (runtime) => {
    let error: unknown;
    try {
      resolveConfig({ name: 'svc', runtime, target: 'ec2', strategy: 'blue-green' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('combination');
    expect((error as Error).message).toMatch(/Auto Scaling group/);
    // The stack takes its options through the same model.
    expect(() => synth({ runtime, target: 'ec2', strategy: 'blue-green' })).toThrow(/Auto Scaling group/);
  });

  it('is listed as refused in the matrix, for every runtime, and never as valid', () => {
    const { valid, refused } = listMatrix();
    expect(valid.filter((c) => c.target === 'ec2' && c.strategy === 'blue-green')).toEqual([]);
    const listed = refused.filter((c) => c.target === 'ec2' && c.strategy === 'blue-green');
    expect(listed.map((c) => c.runtime).sort()).toEqual([...RUNTIMES].sort());
    for (const c of listed.filter((x) => x.runtime !== 'container')) expect(c.reason, c.runtime).toMatch(/Auto Scaling group/);
  });
});
