/**
 * cdk-nag's AwsSolutions checks, and the findings we accept, each with the
 * reason a reviewer gets. Findings are acknowledged on the stack, one id at
 * a time (cdk-nag 3 has no prefix match): what is not listed here fails.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { App, CfnElement, Stage } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { PipelineConfig } from '../model/config';
import { needsImage } from '../model/layout';

/** Runs the AwsSolutions checks when `app` synthesizes: a finding not acknowledged stops the synth. */
export function addPipelineChecks(app: App | Stage): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

const GRANT_REASON =
  'an aws-cdk-lib grant (bucket.grantReadWrite, key.grantEncryptDecrypt, repository.grantPullPush) on one resource of this stack: the wildcard spans the actions of that resource, nothing else';

/** Findings from aws-cdk-lib's own grants and service roles, the same for every stack. */
const FIXED: ReadonlyArray<readonly [string, string]> = [
  ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'].map(
    (a) => [`AwsSolutions-IAM5[Action::${a}]`, GRANT_REASON] as const,
  ),
  ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]', 'instances are reached through Session Manager instead of SSH; this is the AWS-maintained minimal policy for it'],
  ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRole]', 'the CodeDeploy service role policy AWS documents for EC2 deployment groups (Auto Scaling, ELB and tag lookups on the group)'],
  ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS]', 'the CodeDeploy service role policy AWS documents for ECS blue/green deployments'],
  ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]', 'the CodeDeploy service role policy AWS documents for Lambda deployments'],
  ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'Lambda\'s own minimal policy: write the function\'s logs'],
  ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers]', 'the infrastructure role policy AWS documents for ECS blue/green, linear and canary deployments: ECS changes the listener rules\' weights and the target groups'],
  ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]', 'Lambda\'s own minimal policy for a function in a VPC (its network interfaces and logs): the ECS validation hook reaches the test listener from the VPC'],
  ['AwsSolutions-AS3', 'no scaling notifications: the stack\'s topic is KMS-encrypted, and Auto Scaling publishes with its service-linked role, which the key policy cannot name before the account\'s first Auto Scaling group creates it; failed deployments and alarms notify through the topic'],
  ['AwsSolutions-CFR1', 'a public site served in every country; add geoRestriction to the distribution where the business needs it'],
  ['AwsSolutions-CFR2', 'a static site serves files and takes no input; attach a WAF web ACL (webAclId, in us-east-1) when it does'],
  ['AwsSolutions-CFR4', 'without a custom domain the distribution uses CloudFront\'s default certificate, which sets the viewer TLS floor; add domainNames and a certificate to enforce TLS_V1_2_2021'],
];

/** Where `Resource::*` is the only form AWS accepts, by construct path. */
const NO_RESOURCE_LEVEL: ReadonlyArray<readonly [RegExp, (c: PipelineConfig) => boolean, string]> = [
  [/\/Build\/Role\/DefaultPolicy$/, (c) => needsImage(c), 'ecr:GetAuthorizationToken has no resource-level permissions (AWS requires Resource *); image pushes are scoped to the repository'],
  [/\/(Ecs|Existing)-[a-z0-9]+\/DeployActionRole\/DefaultPolicy$/, (c) => c.target === 'ecs', 'the CodeDeploy-to-ECS deploy action calls ecs:RegisterTaskDefinition, which has no resource-level permissions; it passes only the service\'s two task roles'],
  [/\/(Ecs|Existing)-[a-z0-9]+\/Deploy\/Role\/DefaultPolicy$/, (c) => c.target === 'ecs', 'scripts/deploy/ecs.sh registers the task definition (ecs:RegisterTaskDefinition has no resource-level permissions); it passes only the service\'s two task roles and updates only its service'],
  [/\/TaskExecutionRole\/DefaultPolicy$/, (c) => c.target === 'ecs', 'the task execution role logs in to ECR to pull the image (ecr:GetAuthorizationToken has no resource-level permissions); the pull itself is scoped to the service\'s repository'],
  [/\/GitHubDeploy-[a-z0-9]+\/DefaultPolicy$/, (c) => c.target === 'ecs' || needsImage(c), 'the workflow registers task definitions (ecs:RegisterTaskDefinition) and logs in to ECR (ecr:GetAuthorizationToken): neither has resource-level permissions'],
  [/\/Function\/ServiceRole\/DefaultPolicy$/, (c) => c.target === 'lambda' && needsImage(c), 'ecr:GetAuthorizationToken (to pull the function image) has no resource-level permissions'],
];

function ref(stack: Stack, c: IConstruct | undefined): string | undefined {
  const child = c?.node.defaultChild as CfnElement | undefined;
  return child ? stack.getLogicalId(child) : undefined;
}

/** Acknowledges what this stack's grants produce; resources are named by their logical ids, as cdk-nag reports them. */
export function acknowledgeFindings(stack: Stack, config: PipelineConfig): void {
  const v = Validations.of(stack);
  for (const c of stack.node.findAll()) {
    for (const [path, applies, reason] of NO_RESOURCE_LEVEL) {
      if (applies(config) && path.test(c.node.path)) Validations.of(c).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason });
    }
  }
  for (const [id, reason] of FIXED) v.acknowledge({ id, reason });
  if (config.target === 'ec2' || config.target === 'ecs') {
    // The load balancers' security groups: open to the internet on the listener ports, and on nothing else.
    v.acknowledge({
      id: 'AwsSolutions-EC23',
      reason: config.certificateArn
        ? 'each internet-facing load balancer is the service\'s public entry point: open to the internet on 443 (HTTPS with the given ACM certificate, TLS 1.2 and 1.3 only) and on 80, which only redirects to 443; the blue/green test listener is not open to the internet; targets accept traffic from the load balancer only'
        : 'each internet-facing load balancer is the service\'s public entry point: open to the internet on 80, plain HTTP, because no certificateArn is given (with one, 443 serves HTTPS and 80 only redirects to it); the blue/green test listener is not open to the internet; targets accept traffic from the load balancer only',
    });
  }
  // cdk-nag names an environment-agnostic stack's pseudo parameters like this.
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  // ARNs the stack formats itself take its partition: a literal where the Region is known and the feature flag
  // @aws-cdk/core:enablePartitionLiterals is on (generated repos' cdk.json sets it), else the pseudo parameter.
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  for (const c of stack.node.findAll()) {
    const id = ref(stack, c);
    if (!id) continue;
    const type = (c.node.defaultChild as { cfnResourceType?: string }).cfnResourceType;
    if (type === 'AWS::S3::Bucket') {
      v.acknowledge(
        { id: `AwsSolutions-IAM5[Resource::<${id}.Arn>/*]`, reason: `objects of this stack's bucket ${c.node.path} only` },
        { id: `AwsSolutions-IAM5[Resource::<${id}.Arn>/revisions/*]`, reason: 'the CodeDeploy revisions GitHub Actions puts in the artifact bucket' },
      );
    } else if (type === 'AWS::CodeBuild::Project') {
      v.acknowledge(
        { id: `AwsSolutions-IAM5[Resource::arn:${partition}:logs:${region}:${account}:log-group:/aws/codebuild/<${id}>:*]`, reason: 'the log streams of this CodeBuild project' },
        { id: `AwsSolutions-IAM5[Resource::arn:${partition}:codebuild:${region}:${account}:report-group/<${id}>-*]`, reason: 'the test report groups of this CodeBuild project' },
      );
    } else if (type === 'AWS::Lambda::Function') {
      v.acknowledge({ id: `AwsSolutions-IAM5[Resource::<${id}.Arn>:*]`, reason: 'the versions and alias of this stack\'s function' });
    }
  }
  if (config.target === 'ecs') {
    for (const p of config.plans) {
      v.acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${partition}:logs:${region}:${account}:log-group:${p.names.logGroup}:*]`,
        reason: `the log streams of the ${p.environment} tasks' own log group (awslogs creates the group if an existing environment lacks it)`,
      });
    }
  }
  for (const { environment, existing: target } of config.plans) {
    if (target?.bucketName) {
      v.acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::${target.bucketName}/*]`, reason: `the objects of the existing ${environment} site bucket the S3 deploy action writes` });
    }
    if (target?.functionName) {
      v.acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:${partition}:lambda:${region}:${account}:function:${target.functionName}:*]`, reason: `the versions and alias of the existing ${environment} function` });
    }
  }
  v.acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::aws-codedeploy-${region}/latest/*]`, reason: 'the CodeDeploy agent installer, read from AWS\'s regional bucket' });
}
