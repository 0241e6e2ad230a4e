/**
 * The pipeline stack for every valid combination: synthesized in-process,
 * the resources the combination must have asserted with
 * aws-cdk-lib/assertions, and cdk-nag's AwsSolutions checks with no finding
 * left unacknowledged. Sources rotate across the combinations so every
 * provider is covered.
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { repoApp } from './app';
import { AwsPipelineStack, DOCS_PATHS } from '../../src/constructs';
import { listMatrix, releaseOf, SOURCES } from '../../src/model';
import { wrongNodeMentions } from '../support/node-mentions';

const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

function synth(options: Record<string, unknown>) {
  const app = repoApp();
  const stack = new AwsPipelineStack(app, 'Stack', { name: 'svc', account: '123456789012', connectionArn: CONNECTION, ...options } as never);
  const template = Template.fromStack(stack);
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.resourceLogicalId}`));
  return { stack, template, findings };
}

const combos = listMatrix().valid.map((c, i) => ({ ...c, source: SOURCES[i % SOURCES.length] }));

describe.each(combos.map((c) => [`${c.runtime} ${c.target} ${c.strategy}${c.engine ? ` (engine ${c.engine})` : ''} from ${c.source}`, c] as const))('%s', (_label, c) => {
  it('synthesizes a V2 pipeline with what the combination needs, and passes cdk-nag', () => {
    const repository = ['github', 'gitlab', 'bitbucket'].includes(c.source) ? { repository: 'acme/svc' } : {};
    const { stack, template, findings } = synth({ runtime: c.runtime, target: c.target, strategy: c.strategy, source: c.source, ...repository, ...(c.engine ? { ecsEngine: c.engine } : {}) });
    expect(findings).toEqual([]);
    // A clean synth, with the repo's feature flags: no warning or info from aws-cdk-lib (minHealthyPercent, deployment
    // alarms by Ref, minimumProtocolVersion without a certificate...), nothing for `cdk synth` to print.
    const notes = Annotations.fromStack(stack);
    expect([...notes.findWarning('*', Match.anyValue()), ...notes.findInfo('*', Match.anyValue())].map((m) => `${m.id}: ${String(m.entry.data)}`)).toEqual([]);
    const config = stack.config;
    // Functions, deploy actions and hosts name the model's one Node.js version (src/model/node-version.ts).
    expect(wrongNodeMentions({ template: JSON.stringify(template.toJSON()) })).toEqual([]);

    // The pipeline: V2, source, build, staging, approval, production.
    const pipelines = template.findResources('AWS::CodePipeline::Pipeline');
    const [pipeline] = Object.values(pipelines) as Array<{ Properties: Record<string, any> }>;
    expect(pipeline.Properties.PipelineType).toBe('V2');
    const stages = pipeline.Properties.Stages as Array<{ Name: string; Actions: Array<{ Name: string; RunOrder: number; ActionTypeId: { Provider: string; Category: string } }> }>;
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Build', 'Deploy-staging', 'Deploy-production']);
    const production = stages[3].Actions;
    expect(production[0]).toMatchObject({ Name: 'Approve', RunOrder: 1, ActionTypeId: { Category: 'Approval' } });
    expect(production[1].RunOrder).toBe(2);
    expect(stages[2].Actions.map((a) => a.ActionTypeId.Category)).not.toContain('Approval');
    const sourceProvider = { github: 'CodeStarSourceConnection', gitlab: 'CodeStarSourceConnection', bitbucket: 'CodeStarSourceConnection', codecommit: 'CodeCommit', s3: 'S3' }[c.source];
    expect(stages[0].Actions[0].ActionTypeId.Provider).toBe(sourceProvider);
    const integration = (c.target === 'ec2' || c.target === 'ecs') && (c.runtime === 'node' || c.runtime === 'python');
    expect(stages[1].Actions.map((a) => `${a.Name}/${a.ActionTypeId.Category}/${a.RunOrder}`)).toEqual(['BuildAndTest/Build/1', ...(integration ? ['IntegrationTests/Test/1'] : [])]);
    if (sourceProvider === 'CodeStarSourceConnection') {
      expect(pipeline.Properties.Triggers).toEqual([
        { ProviderType: 'CodeStarSourceConnection', GitConfiguration: { SourceActionName: 'Source', Push: [{ Branches: { Includes: ['main'] }, FilePaths: { Excludes: DOCS_PATHS } }] } },
      ]);
    }

    // Artifacts: customer-managed key with rotation, versioned, TLS-only, private.
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });

    // Build: the repo's buildspec, privileged only for images.
    const image = c.target === 'ecs' || (c.target === 'lambda' && c.runtime === 'container');
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Name: 'svc-build',
      Source: Match.objectLike({ BuildSpec: 'buildspec.yml' }),
      Environment: Match.objectLike({ Image: 'aws/codebuild/standard:8.0', PrivilegedMode: image }),
    });

    // Failures reach the topic.
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.codepipeline'], detail: { pipeline: ['svc'], state: ['FAILED'] } }),
    });

    // The deployment: configuration, alarms, automatic rollback.
    const d = config.deployment;
    // The release table says which deploys run their script in a CodeBuild action; the stack agrees.
    expect(production[1].ActionTypeId.Provider === 'CodeBuild').toBe(releaseOf(config).codeBuildDeploy);
    if (d.kind === 'codedeploy-server' || d.kind === 'codedeploy-ecs' || d.kind === 'codedeploy-lambda') {
      const groups = template.findResources('AWS::CodeDeploy::DeploymentGroup');
      expect(Object.keys(groups)).toHaveLength(2);
      for (const g of Object.values(groups) as Array<{ Properties: Record<string, any> }>) {
        expect(g.Properties.AutoRollbackConfiguration).toMatchObject({ Enabled: true });
        expect(g.Properties.AutoRollbackConfiguration.Events).toEqual(expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']));
        expect(g.Properties.AlarmConfiguration.Enabled).toBe(true);
        expect(g.Properties.AlarmConfiguration.Alarms.length).toBeGreaterThanOrEqual(2);
        expect(JSON.stringify(g.Properties.DeploymentConfigName)).toContain(d.config);
      }
      if (d.kind === 'codedeploy-server') {
        // In place, on an Auto Scaling group from a launch template (no launch configuration, no blue/green copy of the group).
        expect(JSON.stringify(template.findResources('AWS::CodeDeploy::DeploymentGroup'))).not.toContain('BLUE_GREEN');
        template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { LaunchTemplate: Match.objectLike({ LaunchTemplateId: Match.anyValue() }) });
        expect(template.findResources('AWS::AutoScaling::LaunchConfiguration')).toEqual({});
      }
      if (d.kind === 'codedeploy-ecs') {
        template.hasResourceProperties('AWS::ECS::Service', { DeploymentController: { Type: 'CODE_DEPLOY' } });
        expect(production[1].ActionTypeId.Provider).toBe('CodeDeployToECS');
      }
      if (d.kind === 'codedeploy-lambda') template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live' });
    } else if (d.kind === 'ecs-rolling') {
      template.hasResourceProperties('AWS::ECS::Service', {
        DeploymentController: { Type: 'ECS' },
        DeploymentConfiguration: Match.objectLike({
          MinimumHealthyPercent: d.minimumHealthyPercent,
          MaximumPercent: d.maximumPercent,
          Alarms: Match.objectLike({ Enable: true, Rollback: true }),
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        }),
      });
      // scripts/deploy/ecs.sh in a CodeBuild action: the release registers taskdef.json, not a copy of the stand-in.
      expect(production[1].ActionTypeId.Provider).toBe('CodeBuild');
      template.hasResourceProperties('AWS::CodeBuild::Project', { Name: 'svc-deploy-production', Source: Match.objectLike({ BuildSpec: Match.stringLikeRegexp('bash scripts/deploy/ecs.sh taskdef-production.json') }) });
    } else if (d.kind === 'ecs-native') {
      // ECS runs the deployment: its strategy, step, bake, alarms that roll back, the two listener rules and the hook.
      template.hasResourceProperties('AWS::ECS::Service', {
        DeploymentController: { Type: 'ECS' },
        DeploymentConfiguration: Match.objectLike({
          Strategy: d.strategy,
          BakeTimeInMinutes: d.bakeMinutes,
          Alarms: Match.objectLike({ Enable: true, Rollback: true }),
          ...(d.strategy === 'LINEAR' ? { LinearConfiguration: { StepPercent: d.stepPercent, StepBakeTimeInMinutes: d.stepBakeMinutes } } : {}),
          ...(d.strategy === 'CANARY' ? { CanaryConfiguration: { CanaryPercent: d.stepPercent, CanaryBakeTimeInMinutes: d.stepBakeMinutes } } : {}),
          LifecycleHooks: [Match.objectLike({ LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] })],
        }),
        LoadBalancers: [Match.objectLike({
          AdvancedConfiguration: Match.objectLike({ AlternateTargetGroupArn: Match.anyValue(), ProductionListenerRule: Match.anyValue(), TestListenerRule: Match.anyValue(), RoleArn: Match.anyValue() }),
        })],
      });
      expect(d.stepBakeMinutes).toBe(config.interval);
      // Per environment: the production and the test listener rule.
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 2 * config.environments.length);
      // No CodeDeploy: no application, deployment group or config, and no CodeDeploy call in any policy.
      const json = JSON.stringify(template.toJSON());
      expect(Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type).filter((t) => t.startsWith('AWS::CodeDeploy::'))).toEqual([]);
      expect(json).not.toMatch(/codedeploy:/);
      expect(production[1].ActionTypeId.Provider).toBe('CodeBuild');
      template.hasResourceProperties('AWS::CodeBuild::Project', { Name: 'svc-deploy-production', Source: Match.objectLike({ BuildSpec: Match.stringLikeRegexp('bash scripts/deploy/ecs.sh taskdef-production.json') }) });
    } else {
      expect(production[1].ActionTypeId.Provider).toBe('S3');
      template.hasResourceProperties('AWS::CloudFront::Distribution', Match.objectLike({}));
    }
    if (image) template.hasResourceProperties('AWS::ECR::Repository', { LifecyclePolicy: Match.anyValue(), ImageScanningConfiguration: { ScanOnPush: true } });

    // No AdministratorAccess anywhere.
    expect(JSON.stringify(template.toJSON())).not.toContain('AdministratorAccess');
  });
});

describe('bad input fails synthesis before CloudFormation would', () => {
  it.each([
    [{ connectionArn: 'arn:aws:codeconnections:us-east-1:123:connection/x' }, /invalid connectionArn .*use arn:aws:codeconnections:<region>:<12-digit account>:connection\/<uuid>/],
    [{ connectionArn: 'arn:aws:codeconnections:mars-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' }, /unknown region mars-east-1/],
    [{ account: '12345' }, /invalid --account "12345": an AWS account id is exactly 12 digits/],
    [{ region: 'us-middle-1' }, /unknown --region "us-middle-1"/],
    [{ errorThreshold: -1 }, /invalid --error-threshold -1/],
    [{ buildCache: 'disk' }, /invalid buildCache "disk": use local or s3/],
    [{ target: 'lambda', strategy: 'half-at-a-time' }, /Lambda has no in-place rolling deployment/],
  ])('%j', (options, message) => {
    expect(() => new AwsPipelineStack(repoApp(), 'Stack', { name: 'svc', ...options } as never)).toThrow(message);
  });

  it('without a connection ARN, asks for one as a stack parameter with the ARN pattern', () => {
    const app = repoApp();
    const stack = new AwsPipelineStack(app, 'Stack', { name: 'svc' });
    Template.fromStack(stack).hasParameter('ConnectionArn', { Type: 'String', AllowedPattern: Match.stringLikeRegexp('codeconnections') });
    // An environment-agnostic stack passes cdk-nag too.
    expect(new AwsSolutionsChecks(app).validateScope(stack).violations).toEqual([]);
  });
});

describe('HTTPS on the load balancers', () => {
  const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0';
  type Resource = { Type: string; Properties: Record<string, any> };
  const ofType = (template: Template, type: string) => Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);
  const listeners = (template: Template) => ofType(template, 'AWS::ElasticLoadBalancingV2::Listener');
  const ingress = (template: Template) =>
    ofType(template, 'AWS::EC2::SecurityGroup').flatMap(([, r]) => (r.Properties.SecurityGroupIngress ?? []) as Array<{ CidrIp?: string; FromPort: number }>).filter((i) => i.CidrIp === '0.0.0.0/0').map((i) => i.FromPort);

  it.each([
    ['ecs blue/green', { target: 'ecs', strategy: 'blue-green' }],
    ['ecs rolling', { target: 'ecs', strategy: 'all-at-once' }],
    ['ec2', { target: 'ec2' }],
  ])('%s: with a certificate, HTTPS on 443 with a TLS 1.2+ policy serves the app, and 80 redirects to it', (_label, options) => {
    const { template, findings } = synth({ ...options, certificateArn: CERTIFICATE });
    expect(findings).toEqual([]);
    const all = listeners(template);
    const https = all.filter(([, l]) => l.Properties.Port === 443);
    const http = all.filter(([, l]) => l.Properties.Port === 80);
    expect(https).toHaveLength(2);
    expect(http).toHaveLength(2);
    for (const [, l] of https) {
      expect(l.Properties).toMatchObject({ Protocol: 'HTTPS', Certificates: [{ CertificateArn: CERTIFICATE }], SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
      expect(l.Properties.DefaultActions[0].Type).toBe('forward');
    }
    for (const [, l] of http) {
      expect(l.Properties).toMatchObject({ Protocol: 'HTTP', DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }] });
    }
    expect([...new Set(ingress(template))].sort()).toEqual([443, 80]);
    // Production traffic is the HTTPS listener's: CodeDeploy's production route, or the listener the targets are registered with.
    const httpsIds = https.map(([id]) => id);
    if (options.strategy === 'blue-green') {
      for (const [, g] of ofType(template, 'AWS::CodeDeploy::DeploymentGroup')) {
        const pair = g.Properties.BlueGreenDeploymentConfiguration ? g.Properties.LoadBalancerInfo.TargetGroupPairInfoList[0] : undefined;
        expect(httpsIds).toContain(pair.ProdTrafficRoute.ListenerArns[0].Ref);
        expect(pair.TestTrafficRoute.ListenerArns[0].Ref).not.toMatch(/Https/);
      }
    } else {
      for (const [, r] of ofType(template, 'AWS::ElasticLoadBalancingV2::ListenerRule')) expect(httpsIds).toContain(r.Properties.ListenerArn.Ref);
    }
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const environment of ['Staging', 'Production']) expect(JSON.stringify(outputs[`ServiceUrl${environment}`].Value)).toMatch(/^\{"Fn::Join":\["",\["https:\/\/",/);
  });

  it('without a certificate, HTTP on 80 serves the app, and the service URL says http', () => {
    const { template } = synth({ target: 'ecs' });
    const all = listeners(template);
    expect(all.map(([, l]) => l.Properties.Port).filter((p) => p === 443)).toEqual([]);
    expect(all.filter(([, l]) => l.Properties.Port === 80).every(([, l]) => l.Properties.DefaultActions[0].Type === 'forward')).toBe(true);
    expect([...new Set(ingress(template))]).toEqual([80]);
    expect(JSON.stringify((template.toJSON().Outputs as Record<string, { Value: unknown }>).ServiceUrlProduction.Value)).toContain('"http://"');
  });
});

describe('build variables by reference', () => {
  it('lets the build role read exactly the parameters and secrets its buildspec names, and decrypt with their named key through SSM and Secrets Manager only', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    const { template, findings } = synth({ target: 'ec2', parameters: ['DB_HOST=/svc/db-host'], secrets: ['DB_PASSWORD=svc/db:password', 'API=arn:aws:secretsmanager:us-east-1:123456789012:secret:api-AbCdEf:token'], secretsKeys: [key] });
    expect(findings).toEqual([]);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const of = (action: string) => statements.filter((st: any) => [st.Action].flat().includes(action));
    expect(JSON.stringify(of('ssm:GetParameters').map((st: any) => st.Resource))).toContain(':parameter/svc/db-host');
    const secrets = JSON.stringify(of('secretsmanager:GetSecretValue').map((st: any) => st.Resource));
    expect(secrets).toContain(':secret:svc/db-??????');
    expect(secrets).toContain('arn:aws:secretsmanager:us-east-1:123456789012:secret:api-AbCdEf');
    expect(secrets).not.toContain(':token');
    const decrypt = of('kms:Decrypt').find((st: any) => st.Resource === key || (Array.isArray(st.Resource) && st.Resource.includes(key)));
    expect(decrypt.Condition).toEqual({ StringEquals: { 'kms:ViaService': ['ssm.us-east-1.amazonaws.com', 'secretsmanager.us-east-1.amazonaws.com'] } });
  });
});

describe('build cache', () => {
  it('is local by default (with Docker layers for images), or in the artifact bucket', () => {
    synth({ target: 'ecs' }).template.hasResourceProperties('AWS::CodeBuild::Project', { Name: 'svc-build', Cache: { Type: 'LOCAL', Modes: ['LOCAL_CUSTOM_CACHE', 'LOCAL_DOCKER_LAYER_CACHE'] } });
    const s3cache = synth({ target: 'ec2', buildCache: 's3' });
    expect(s3cache.findings).toEqual([]);
    s3cache.template.hasResourceProperties('AWS::CodeBuild::Project', { Name: 'svc-build', Cache: Match.objectLike({ Type: 'S3', Location: Match.anyValue() }) });
  });
});

describe('existing targets', () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, string>, string]> = [
    ['ec2', { target: 'ec2' }, { applicationName: 'legacy', deploymentGroupName: 'legacy-prod' }, 'CodeDeploy'],
    ['ecs blue/green', { target: 'ecs', strategy: 'canary' }, { applicationName: 'legacy', deploymentGroupName: 'legacy-prod', clusterName: 'main', serviceName: 'legacy' }, 'CodeDeployToECS'],
    ['ecs rolling', { target: 'ecs', strategy: 'all-at-once' }, { clusterName: 'main', serviceName: 'legacy' }, 'CodeBuild'],
    ['s3 site', { target: 's3-site' }, { bucketName: 'legacy-site-bucket' }, 'S3'],
    ['lambda', { target: 'lambda' }, { applicationName: 'legacy', deploymentGroupName: 'legacy-prod', functionName: 'legacy-fn' }, 'CodeBuild'],
  ];
  it.each(cases)('%s: production deploys to the named target, staging is created', (_label, options, existing, provider) => {
    const { template, findings } = synth({ ...options, existing: { production: existing } });
    expect(findings).toEqual([]);
    const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline')) as Array<{ Properties: Record<string, any> }>;
    const deploy = pipeline.Properties.Stages[3].Actions[1];
    expect(deploy.ActionTypeId.Provider).toBe(provider);
    const configuration = JSON.stringify(deploy.Configuration);
    for (const [field, value] of Object.entries(existing)) {
      if (!['applicationName', 'functionName', 'clusterName', 'serviceName'].includes(field) && provider !== 'CodeBuild') expect(configuration).toContain(value);
    }
    // Only staging's target is created.
    const groups = Object.keys(template.findResources('AWS::CodeDeploy::DeploymentGroup'));
    if (provider.startsWith('CodeDeploy') || (provider === 'CodeBuild' && options.target === 'lambda')) expect(groups).toHaveLength(1);
    if (options.target === 'ecs') expect(Object.keys(template.findResources('AWS::ECS::Service'))).toHaveLength(1);
  });

  it('production in another account: its deploy action takes that account\'s role, which may read the artifacts', () => {
    const { template, findings } = synth({ target: 'ecs', strategy: 'blue-green', productionAccount: '210987654321', existing: { production: { applicationName: 'svc', deploymentGroupName: 'svc-production', clusterName: 'svc', serviceName: 'svc-production' } } });
    expect(findings).toEqual([]);
    const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline')) as Array<{ Properties: Record<string, any> }>;
    expect(JSON.stringify(pipeline.Properties.Stages[3].Actions[1].RoleArn)).toContain(':iam::210987654321:role/svc-deploy');
    expect(JSON.stringify(pipeline.Properties.Stages[2].Actions[0].RoleArn ?? '')).not.toContain('210987654321');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      // The partition is a literal where the Region is known (@aws-cdk/core:enablePartitionLiterals, in generated repos' cdk.json).
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { AWS: Match.arrayWith(['arn:aws:iam::210987654321:role/svc-deploy']) } })]) },
    });
  });
});

describe.each(listMatrix().valid.map((c) => [`${c.runtime} ${c.target} ${c.strategy}`, c] as const))('GitHub Actions: %s', (_label, c) => {
  it('creates no CodePipeline, an OIDC role per GitHub environment restricted to the repository, and passes cdk-nag', () => {
    const { template, findings } = synth({ runtime: c.runtime, target: c.target, strategy: c.strategy, ci: 'github-actions', repository: 'acme/svc' });
    expect(findings).toEqual([]);
    expect(template.findResources('AWS::CodePipeline::Pipeline')).toEqual({});
    expect(template.findResources('AWS::CodeBuild::Project', { Properties: { Name: 'svc-build' } })).toEqual({});
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
    for (const environment of ['staging', 'production']) {
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: `svc-github-${environment}`,
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                  'token.actions.githubusercontent.com:sub': `repo:acme/svc:environment:${environment}`,
                },
              },
            }),
          ],
        },
      });
    }
    const outputs = Object.keys(template.toJSON().Outputs ?? {});
    expect(outputs).toEqual(expect.arrayContaining(['GitHubRoleStaging', 'GitHubRoleProduction']));
    if (c.target === 's3-site') expect(outputs).toEqual(expect.arrayContaining(['SiteBucketStaging', 'DistributionIdProduction']));
    if (c.target === 'ec2') expect(outputs).toContain('RevisionBucket');
  });
});

describe('GitHub Actions beside CodePipeline', () => {
  it('keeps the pipeline and adds the roles; an existing OIDC provider is used, not created', () => {
    const { template, findings } = synth({ ci: 'both', repository: 'acme/svc', githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' });
    expect(findings).toEqual([]);
    expect(Object.keys(template.findResources('AWS::CodePipeline::Pipeline'))).toHaveLength(1);
    expect(template.findResources('AWS::IAM::OIDCProvider')).toEqual({});
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'svc-github-production' });
  });

  it('leaves production\'s role to the production account', () => {
    const { template } = synth({
      ci: 'github-actions',
      repository: 'acme/svc',
      target: 'ec2',
      productionAccount: '210987654321',
      existing: { production: { applicationName: 'svc', deploymentGroupName: 'svc-production' } },
    });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'svc-github-staging' });
    expect(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'svc-github-production' } })).toEqual({});
  });
});
