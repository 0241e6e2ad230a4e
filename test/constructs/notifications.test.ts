/**
 * Failure notifications: the EventBridge rule publishes to the encrypted
 * topic through a role that only this stack's rule, in this account, can
 * take (aws:SourceArn and aws:SourceAccount on its trust policy); the
 * topic's and the key's policies grant events.amazonaws.com nothing. AWS
 * documents that neither of those policies can carry the condition instead:
 * "You can't use Condition blocks in Amazon SNS topic policies for
 * EventBridge" (EventBridge User Guide, resource-based policies, Amazon SNS
 * permissions); "Adding the aws:SourceAccount, aws:SourceArn, and
 * aws:SourceOrgID to a AWS KMS policy is not supported for
 * EventBridge-to-encrypted topics" (SNS Developer Guide, key management).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { repoApp } from './app';
import { AwsPipelineStack } from '../../src/constructs';
import type { CfnTemplate } from '../support/cfn-resolve';
import { IamModel } from '../support/iam-sim';

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const CONNECTION = `arn:aws:codeconnections:us-east-1:${ACCOUNT}:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;

function synth(options: Record<string, unknown>) {
  const stack = new AwsPipelineStack(repoApp(), 'Stack', { name: 'svc', account: ACCOUNT, connectionArn: CONNECTION, ...options } as never);
  const t = Template.fromStack(stack).toJSON() as CfnTemplate;
  return { t, m: new IamModel(t) };
}

describe.each([
  ['ecs blue/green from GitHub', { target: 'ecs' }],
  ['ec2 from S3', { target: 'ec2', source: 's3' }],
  ['lambda from GitHub, GitHub Actions beside', { target: 'lambda', ci: 'both', repository: 'acme/svc' }],
])('pipeline failure notifications, %s', (_label, options) => {
  it('reach the topic through a role only this stack\'s rule can take; the topic and key policies grant EventBridge nothing', async () => {
    const { t, m } = synth(options);
    const [ruleId] = Object.keys(t.Resources).filter((id) => t.Resources[id].Type === 'AWS::Events::Rule' && JSON.stringify(t.Resources[id].Properties?.EventPattern).includes('aws.codepipeline'));
    const rule = t.Resources[ruleId].Properties as { Targets: Array<{ Arn: unknown; RoleArn?: unknown }> };
    const topic = m.arnOf('Notifications');
    const key = m.arnOf('ArtifactKey');
    expect(rule.Targets).toHaveLength(1);
    expect(m.resolver.resolveString(rule.Targets[0].Arn as never)).toBe(topic);
    expect(rule.Targets[0].RoleArn, 'the target publishes with a role').toBeDefined();
    const ruleArn = m.arnOf(ruleId);
    expect(ruleArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/svc-pipeline-failed`);
    const role = m.roles.find((r) => r.arn === m.resolver.resolveString(rule.Targets[0].RoleArn as never));
    expect(role).toBeDefined();

    const events = 'events.amazonaws.com';
    const as = (arn: string, account = ACCOUNT) => ({ 'aws:SourceArn': arn, 'aws:SourceAccount': account });
    expect(
      await Promise.all([
        m.canAssume(events, role!, as(ruleArn)),
        m.canAssume(events, role!, as(`arn:aws:events:us-east-1:${ACCOUNT}:rule/another-rule`)),
        m.canAssume(events, role!, as(`arn:aws:events:us-east-1:${OTHER_ACCOUNT}:rule/svc-pipeline-failed`, OTHER_ACCOUNT)),
        m.canAssume(events, role!),
        m.canAssume('codebuild.amazonaws.com', role!, as(ruleArn)),
      ]),
    ).toEqual(['Allowed', 'ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied']);

    // The role publishes to this topic (the key's data keys included) and nowhere else.
    expect(
      await Promise.all([
        m.can(role!, 'sns:Publish', topic),
        m.can(role!, 'kms:GenerateDataKey', key),
        m.can(role!, 'kms:Decrypt', key),
        m.can(role!, 'sns:Publish', `arn:aws:sns:us-east-1:${ACCOUNT}:other`),
        m.can(role!, 'sns:Publish', topic, { 'aws:SecureTransport': 'false' }),
        m.can(role!, 'kms:ScheduleKeyDeletion', key),
      ]),
    ).toEqual(['Allowed', 'Allowed', 'Allowed', 'ImplicitlyDenied', 'ExplicitlyDenied', 'ImplicitlyDenied']);

    // EventBridge itself, any rule's, gets nothing from the topic's or the key's own policy.
    expect(JSON.stringify(m.resourcePolicyFor(topic))).not.toContain(events);
    expect(JSON.stringify(m.resourcePolicyFor(key))).not.toContain(events);
    expect(
      await Promise.all([
        m.canService(events, 'sns:Publish', topic, as(ruleArn)),
        m.canService(events, 'kms:GenerateDataKey', key, as(ruleArn)),
      ]),
    ).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });
});
