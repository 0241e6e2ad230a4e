/**
 * The delivery pipeline of a generated repo: CodePipeline V2 from the
 * chosen source, CodeBuild running the repo's buildspec.yml, then each
 * environment in order (a manual approval before production), deployed to
 * the chosen target with the chosen strategy, alarms that roll back, and
 * failure notifications. The generated app passes the answers from
 * .projenrc.ts; everything here comes from the same model.
 */
import { join } from 'node:path';
import {
  Annotations,
  ArnFormat,
  CfnOutput,
  CfnParameter,
  Duration,
  RemovalPolicy,
  Stack,
  Tags,
  aws_codebuild as codebuild,
  aws_codecommit as codecommit,
  aws_codedeploy as codedeploy,
  aws_codepipeline as codepipeline,
  aws_codepipeline_actions as actions,
  aws_ec2 as ec2,
  aws_ecr as ecr,
  aws_ecs as ecs,
  aws_events as events,
  aws_events_targets as targets_,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  aws_s3 as s3,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BUILD_IMAGE } from './build-image';
import { acknowledgeFindings } from './nag';
import { prBuildProject } from './pr-build';
import type { AwsPipelineStackProps } from './props';
import type { EnvironmentTarget, Shared, TargetFactory } from './shared';
import type { PipelineConfig } from '../model/config';
import { resolveConfig, usesConnection } from '../model/config';
import { DOCS_PATHS, fromRepoRoot, hasIntegrationTests, needsImage, S3_SOURCE_KEY, usesCodePipeline } from '../model/layout';
import type { PipelineOptions } from '../model/options';
import { OUTPUT_KEYS } from '../model/plan';
import type { EnvironmentPlan } from '../model/plan';
import { prBuildRunner } from '../model/pr-builds';
import { placeholderRepositoryWarning } from '../model/repository';
import { optionsSchema } from '../model/schema';
import { packageRoot } from '../package-info';
import { ec2Target } from './targets/ec2';
import { ecsTarget } from './targets/ecs';
import { existingTarget } from './targets/existing';
import { lambdaTarget } from './targets/lambda';
import { s3SiteTarget } from './targets/s3-site';
import { buildCacheProblem, connectionArnProblem } from './validate';

const TARGETS: Record<PipelineConfig['target'], TargetFactory> = {
  'ec2': ec2Target,
  'ecs': ecsTarget,
  'lambda': lambdaTarget,
  's3-site': s3SiteTarget,
};

export { DOCS_PATHS } from '../model/layout';

/**
 * The V2 push trigger: the release branch, not for docs alone. A service in a folder of a bigger repository starts only
 * for changes under that folder: the folder holds every file its pipeline reads (buildspecs, appspec, scripts, the
 * app, the CDK app), so `<path>/**` is the whole of it. CodePipeline takes up to 8 glob patterns each for includes
 * and excludes (GitFilePathFilterCriteria, CodePipeline API Reference); this uses 1 and 2.
 */
function pushFilter(config: PipelineConfig): codepipeline.GitPushFilter {
  if (config.path === '.') return { branchesIncludes: [config.branch], filePathsExcludes: [...DOCS_PATHS] };
  return { branchesIncludes: [config.branch], filePathsIncludes: [`${config.path}/**`], filePathsExcludes: DOCS_PATHS.map((p) => `${config.path}/${p}`) };
}

/** The model's options among the props; the others (connectionArn, notificationEmail, buildCache, StackProps) are the stack's own. */
function modelOptions(props: AwsPipelineStackProps): PipelineOptions {
  return Object.fromEntries(Object.entries(props).filter(([key]) => key in optionsSchema.entries)) as unknown as PipelineOptions;
}

export class AwsPipelineStack extends Stack {
  public readonly config: PipelineConfig;
  /** The CodePipeline, unless GitHub Actions alone runs the releases. */
  public readonly pipeline?: codepipeline.Pipeline;
  /** The CodeBuild project that builds pull requests, when CodePipeline runs and pull-request builds are on. */
  public pullRequestBuild?: codebuild.Project;

  constructor(scope: Construct, id: string, props: AwsPipelineStackProps) {
    const config = resolveConfig(modelOptions(props));
    for (const problem of [
      connectionArnProblem(props.connectionArn),
      buildCacheProblem(props.buildCache),
    ]) {
      if (problem) throw new Error(problem);
    }
    super(scope, id, {
      ...props,
      stackName: props.stackName ?? config.names.stack,
      env: props.env ?? { region: config.region, ...(config.account ? { account: config.account } : {}) },
      description: props.description ?? `${config.name}: delivery pipeline (${config.runtime} on ${config.target}, ${config.strategy})`,
    });
    this.config = config;
    // Said at every cdk synth until the placeholder repository is replaced.
    const placeholder = placeholderRepositoryWarning(config);
    if (placeholder) Annotations.of(this).addWarningV2('create-aws-pipeline:placeholderRepository', placeholder);

    const key = new kms.Key(this, 'ArtifactKey', {
      description: `${config.name} pipeline artifacts and notifications`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront writes its logs with ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const artifactBucket = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      versioned: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'artifacts/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const shared = this.shared(config, key, accessLogs, artifactBucket, props.ecsHookDir);
    const topic = shared.notifications();
    if (props.notificationEmail) topic.addSubscription(new subscriptions.EmailSubscription(props.notificationEmail));

    // One target per environment, named by its plan; CodePipeline and GitHub Actions deploy to the same ones.
    const environmentTargets = config.plans.map((plan) => (plan.existing ? existingTarget(shared, plan) : TARGETS[config.target](shared, plan)));
    for (const target of environmentTargets) for (const [k, v] of Object.entries(target.outputs ?? {})) new CfnOutput(this, k, { value: v });
    if (config.target === 'ec2') new CfnOutput(this, OUTPUT_KEYS.revisionBucket, { value: artifactBucket.bucketName, description: 'where GitHub Actions puts CodeDeploy revisions' });

    if (usesCodePipeline(config)) this.pipeline = this.codePipeline(config, props, shared, key, artifactBucket, accessLogs, environmentTargets);
    if (config.ci !== 'codepipeline') this.githubDeployRoles(config, environmentTargets);

    for (const reader of shared.artifactReaders) {
      artifactBucket.grantRead(reader);
      key.grantDecrypt(reader);
    }

    for (const [k, v] of Object.entries({ ...config.tags, Project: config.name, Owner: config.owner, ManagedBy: 'create-aws-pipeline' })) Tags.of(this).add(k, v);
    config.environments.forEach((environment) => {
      for (const c of this.node.findAll()) if (c.node.path.includes(`-${environment}/`)) Tags.of(c).add('Environment', environment);
    });

    acknowledgeFindings(this, config);
  }

  private codePipeline(
    config: PipelineConfig,
    props: AwsPipelineStackProps,
    shared: Shared,
    key: kms.IKey,
    artifactBucket: s3.IBucket,
    accessLogs: s3.IBucket,
    targets: EnvironmentTarget[],
  ): codepipeline.Pipeline {
    const topic = shared.notifications();
    const pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineName: config.names.pipeline,
      pipelineType: codepipeline.PipelineType.V2,
      artifactBucket,
      restartExecutionOnUpdate: false,
      executionMode: codepipeline.ExecutionMode.QUEUED,
    });

    const source = new codepipeline.Artifact('Source');
    const sourceAction = this.sourceAction(config, props, source, accessLogs);
    pipeline.addStage({ stageName: 'Source', actions: [sourceAction] });
    if (usesConnection(config)) {
      pipeline.addTrigger({
        providerType: codepipeline.ProviderType.CODE_STAR_SOURCE_CONNECTION,
        gitConfiguration: {
          sourceAction,
          pushFilter: [pushFilter(config)],
        },
      });
    }

    const built = new codepipeline.Artifact('Build');
    const cache =
      props.buildCache === 's3'
        ? codebuild.Cache.bucket(artifactBucket, { prefix: 'build-cache' })
        : codebuild.Cache.local(codebuild.LocalCacheMode.CUSTOM, ...(needsImage(config) ? [codebuild.LocalCacheMode.DOCKER_LAYER] : []));
    const project = this.buildProject(config, shared, key, cache);
    const buildActions: codepipeline.IAction[] = [new actions.CodeBuildAction({ actionName: 'BuildAndTest', project, input: source, outputs: [built] })];
    if (hasIntegrationTests(config)) {
      // Beside the build, on the same commit: the sample server started and checked for real.
      const integration = new codebuild.PipelineProject(this, 'IntegrationTests', {
        projectName: `${config.names.buildProject}-integration`,
        description: `${config.name}: integration tests (buildspec-integration.yml)`,
        buildSpec: codebuild.BuildSpec.fromSourceFilename(fromRepoRoot(config, 'buildspec-integration.yml')),
        environment: { buildImage: BUILD_IMAGE, computeType: codebuild.ComputeType.SMALL },
        encryptionKey: key,
        logging: { cloudWatch: { logGroup: new logs.LogGroup(this, 'IntegrationLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }) } },
        timeout: Duration.minutes(20),
      });
      buildActions.push(new actions.CodeBuildAction({ actionName: 'IntegrationTests', project: integration, input: source, type: actions.CodeBuildActionType.TEST }));
    }
    pipeline.addStage({ stageName: 'Build', actions: buildActions });
    // Pull requests: built and tested by a webhook project beside the pipeline, never by it (src/model/pr-builds.ts).
    if (usesConnection(config) && prBuildRunner(config) === 'codebuild') this.pullRequestBuild = prBuildProject(this, config, this.connectionArn(config, props));

    const last = config.environments.length - 1;
    config.plans.forEach((plan, i) => {
      const { environment } = plan;
      const target = targets[i];
      const stageActions: codepipeline.IAction[] = [];
      if (plan.production && config.approval) {
        stageActions.push(
          new actions.ManualApprovalAction({
            actionName: 'Approve',
            notificationTopic: topic,
            additionalInformation: `Release ${config.name} to ${environment}: check ${config.environments.slice(0, last).join(', ') || 'the build'} first.`,
            externalEntityLink: `https://${config.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${config.names.pipeline}/view`,
            timeout: Duration.days(3),
            runOrder: 1,
          }),
        );
      }
      stageActions.push(...target.actions(built, stageActions.length + 1));
      pipeline.addStage({ stageName: `Deploy-${environment}`, actions: stageActions });
    });
    for (const plan of config.plans.filter((p) => p.crossAccount && p.account)) {
      // The other account's deploy role reads the release from the artifact bucket.
      const other = new iam.AccountPrincipal(plan.account);
      artifactBucket.grantRead(other);
      key.grantDecrypt(other);
    }
    this.failureNotifications(config, topic);
    return pipeline;
  }

  /**
   * Failed executions and stages go to the topic. EventBridge publishes with a role only this rule, in this account,
   * may take (aws:SourceArn, aws:SourceAccount on its trust), so the topic's and the key's policies grant
   * events.amazonaws.com nothing: AWS accepts no condition there for EventBridge (no Condition blocks in an SNS topic
   * policy for EventBridge; no aws:SourceArn or aws:SourceAccount in a KMS key policy for EventBridge-to-encrypted
   * topics). The rule is named, so the trust names its ARN without depending on it (the rule depends on the role).
   */
  private failureNotifications(config: PipelineConfig, topic: sns.ITopic): void {
    const ruleName = `${config.name}-pipeline-failed`;
    const ruleArn = this.formatArn({ service: 'events', resource: 'rule', resourceName: ruleName });
    const role = new iam.Role(this, 'PipelineFailedPublisher', {
      description: `EventBridge rule ${ruleName}: publishes to the ${config.name} notifications topic`,
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { ArnEquals: { 'aws:SourceArn': ruleArn }, StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    new events.Rule(this, 'PipelineFailed', {
      ruleName,
      description: `${config.names.pipeline}: an execution or a stage failed`,
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: ['CodePipeline Pipeline Execution State Change', 'CodePipeline Stage Execution State Change'],
        detail: { pipeline: [config.names.pipeline], state: ['FAILED'] },
      },
      // The target grants the role sns:Publish on the topic and the data keys of the topic's key.
      targets: [new targets_.SnsTopic(topic, { role })],
    });
  }

  /**
   * GitHub Actions: the GitHub OIDC provider (created, or imported by ARN) and, per environment in this
   * account, a role only that repository's GitHub environment can assume, allowed to deploy that environment.
   */
  private githubDeployRoles(config: PipelineConfig, targets: EnvironmentTarget[]): void {
    const issuer = 'token.actions.githubusercontent.com';
    const providerArn =
      config.githubOidcProviderArn ?? new iam.OidcProviderNative(this, 'GitHubOidc', { url: `https://${issuer}`, clientIds: ['sts.amazonaws.com'] }).oidcProviderArn;
    config.plans.forEach((plan, i) => {
      const { environment } = plan;
      if (plan.crossAccount) return; // that account provides its own
      const role = new iam.Role(this, `GitHubDeploy-${environment}`, {
        roleName: plan.names.githubRole,
        description: `GitHub Actions of ${config.repository}, environment ${environment}: deploy ${config.name}`,
        maxSessionDuration: Duration.hours(2),
        assumedBy: new iam.WebIdentityPrincipal(providerArn, {
          StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com', [`${issuer}:sub`]: `repo:${config.repository}:environment:${environment}` },
        }),
      });
      targets[i].grantDeploy(role);
      role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [this.stackId] }));
      new CfnOutput(this, `GitHubRole${environment.charAt(0).toUpperCase()}${environment.slice(1)}`, { value: role.roleArn });
    });
  }

  private shared(config: PipelineConfig, key: kms.Key, accessLogs: s3.IBucket, artifactBucket: s3.IBucket, ecsHookDir: string | undefined): Shared {
    const names = config.plans[0].names;
    const once = <T>(make: () => T): (() => T) => {
      let value: T | undefined;
      return () => (value ??= make());
    };
    const scope = this;
    const vpc = once(() => {
      const v = new ec2.Vpc(scope, 'Vpc', { maxAzs: 2, natGateways: 1 });
      v.addFlowLog('FlowLogs', { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(scope, 'FlowLogGroup', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY })) });
      return v;
    });
    const shared: Shared = {
      scope,
      config,
      key,
      accessLogs,
      errorThreshold: config.errorThreshold,
      latencyThresholdMs: config.latencyThresholdMs,
      artifactReaders: [],
      ecsHookDir: ecsHookDir ?? join(packageRoot(), 'assets', 'ecs-validate-hook'),
      artifactBucket: () => artifactBucket,
      accountOf: (plan: EnvironmentPlan) => plan.account ?? scope.account,
      crossAccountRole: (plan: EnvironmentPlan) =>
        plan.names.crossAccountRole && plan.account
          ? iam.Role.fromRoleArn(scope, `DeployRole-${plan.environment}`, scope.formatArn({ service: 'iam', region: '', account: plan.account, resource: 'role', resourceName: plan.names.crossAccountRole }), { mutable: false })
          : undefined,
      vpc,
      repository: once(() => {
        const repository = new ecr.Repository(scope, 'Images', {
          repositoryName: config.names.ecrRepository,
          imageScanOnPush: true,
          // A tag names one commit's image for ever; a retried build reuses it (scripts/deploy/push-image.sh).
          imageTagMutability: ecr.TagMutability.IMMUTABLE,
          encryption: ecr.RepositoryEncryption.KMS,
          encryptionKey: key,
          lifecycleRules: [{ description: 'keep the last 30 images', maxImageCount: 30 }],
          removalPolicy: RemovalPolicy.RETAIN,
        });
        for (const plan of config.plans.filter((p) => p.crossAccount && p.account)) {
          // Tasks in another account pull the image the pipeline pushed; its GitHub job checks the image is there.
          repository.addToResourcePolicy(
            new iam.PolicyStatement({
              principals: [new iam.AccountPrincipal(plan.account)],
              actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability', 'ecr:DescribeImages'],
            }),
          );
          key.grantDecrypt(new iam.AccountPrincipal(plan.account));
        }
        return repository;
      }),
      taskRoles: once(() => {
        const execution = new iam.Role(scope, 'TaskExecutionRole', {
          roleName: names.executionRole,
          assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
          description: `${config.name} tasks: pull the image, write logs`,
        });
        // What AmazonECSTaskExecutionRolePolicy allows, on this service's repository and log groups only.
        shared.repository().grantPull(execution);
        execution.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: config.plans.map((p) => scope.formatArn({ service: 'logs', resource: 'log-group', resourceName: `${p.names.logGroup}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })),
          }),
        );
        const task = new iam.Role(scope, 'TaskRole', { roleName: names.taskRole, assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), description: `${config.name} at run time` });
        return { execution, task };
      }),
      cluster: once(() => new ecs.Cluster(scope, 'Cluster', { clusterName: config.names.ecsCluster, vpc: vpc(), containerInsightsV2: ecs.ContainerInsights.ENABLED })),
      notifications: once(() => new sns.Topic(scope, 'Notifications', { displayName: `${config.name} pipeline`, masterKey: key, enforceSSL: true })),
      serverApplication: once(() => new codedeploy.ServerApplication(scope, 'ServerApplication', { applicationName: config.names.deployApplication })),
      ecsApplication: once(() => new codedeploy.EcsApplication(scope, 'EcsApplication', { applicationName: config.names.deployApplication })),
      lambdaApplication: once(() => new codedeploy.LambdaApplication(scope, 'LambdaApplication', { applicationName: config.names.deployApplication })),
    };
    return shared;
  }

  /** The CodeConnections connection: the prop, or a stack parameter (made once; the source action and the pull-request build share it). */
  private connectionArn(config: PipelineConfig, props: AwsPipelineStackProps): string {
    if (props.connectionArn) return props.connectionArn;
    const existing = this.node.tryFindChild('ConnectionArn') as CfnParameter | undefined;
    return (
      existing ??
      new CfnParameter(this, 'ConnectionArn', {
        description: `The CodeConnections connection to ${config.source} (arn:aws:codeconnections:...:connection/...)`,
        allowedPattern: '^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$',
      })
    ).valueAsString;
  }

  private sourceAction(config: PipelineConfig, props: AwsPipelineStackProps, output: codepipeline.Artifact, accessLogs: s3.IBucket): codepipeline.IAction {
    if (usesConnection(config)) {
      const connectionArn = this.connectionArn(config, props);
      const parts = config.repository.split('/');
      // The action grants codestar-connections:UseConnection; a codeconnections ARN needs its own prefix's action
      // ("the service prefix needs to match that of the resource"), and the stack accepts either form.
      const role = new iam.Role(this, 'SourceActionRole', { assumedBy: new iam.AccountPrincipal(this.account), description: `${config.name}: the pipeline's source action` });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['codeconnections:UseConnection'], resources: [connectionArn] }));
      return new actions.CodeStarConnectionsSourceAction({
        actionName: 'Source',
        role,
        connectionArn,
        owner: parts.slice(0, -1).join('/'),
        repo: parts[parts.length - 1],
        branch: config.branch,
        output,
        triggerOnPush: true,
      });
    }
    if (config.source === 'codecommit') {
      const repository = codecommit.Repository.fromRepositoryName(this, 'Repository', config.repository);
      return new actions.CodeCommitSourceAction({ actionName: 'Source', repository, branch: config.branch, output, trigger: actions.CodeCommitTrigger.EVENTS });
    }
    const bucket = new s3.Bucket(this, 'SourceBucket', {
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'source/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(this, OUTPUT_KEYS.sourceBucket, { value: bucket.bucketName, description: `upload the repo, zipped, as ${S3_SOURCE_KEY} here to start the pipeline` });
    return new actions.S3SourceAction({ actionName: 'Source', bucket, bucketKey: S3_SOURCE_KEY, output, trigger: actions.S3Trigger.EVENTS });
  }

  private buildProject(config: PipelineConfig, shared: Shared, key: kms.IKey, cache: codebuild.Cache): codebuild.PipelineProject {
    const image = needsImage(config);
    const variables: Record<string, codebuild.BuildEnvironmentVariable> = {};
    if (image) variables.IMAGE_REPO_URI = { value: shared.repository().repositoryUri };
    const project = new codebuild.PipelineProject(this, 'Build', {
      projectName: config.names.buildProject,
      description: `${config.name}: lint, unit tests, build${image ? ', image' : ''} (buildspec.yml)`,
      // CodeBuild reads the buildspec from the source's root, the repository's: the service's folder is on the path.
      buildSpec: codebuild.BuildSpec.fromSourceFilename(fromRepoRoot(config, 'buildspec.yml')),
      environment: {
        buildImage: BUILD_IMAGE,
        computeType: config.runtime === 'java' ? codebuild.ComputeType.MEDIUM : codebuild.ComputeType.SMALL,
        // Docker needs privileged mode; nothing else gets it.
        privileged: image,
      },
      environmentVariables: variables,
      encryptionKey: key,
      cache,
      logging: { cloudWatch: { logGroup: new logs.LogGroup(this, 'BuildLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }) } },
      timeout: Duration.minutes(30),
    });
    if (image) {
      // scripts/deploy/push-image.sh: is this commit's image there already? If not, log in and push it.
      shared.repository().grantPullPush(project);
      iam.Grant.addToPrincipal({ grantee: project, actions: ['ecr:DescribeImages'], resourceArns: [shared.repository().repositoryArn] });
    }
    this.grantBuildReferences(config, project);
    return project;
  }

  /** The build reads exactly the parameters and secrets its buildspec names (CodeBuild resolves them as the build role). */
  private grantBuildReferences(config: PipelineConfig, project: codebuild.PipelineProject): void {
    const parameters = Object.values(config.parameters).map((path) => this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: path.replace(/^\//, '') }));
    if (parameters.length) iam.Grant.addToPrincipal({ grantee: project, actions: ['ssm:GetParameters'], resourceArns: parameters });
    const secrets = Object.values(config.secrets).map((ref) => {
      if (ref.startsWith('arn:')) return ref.split(':').slice(0, 7).join(':');
      // A secret named by its name: its ARN ends in a dash and six random characters.
      const id = ref.split(':')[0];
      return this.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${id}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    });
    if (secrets.length) iam.Grant.addToPrincipal({ grantee: project, actions: ['secretsmanager:GetSecretValue'], resourceArns: secrets });
    if (config.secretsKeys.length) {
      // Customer-managed keys: decrypt only as SSM or Secrets Manager resolves the build's references.
      project.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [...config.secretsKeys],
          conditions: { StringEquals: { 'kms:ViaService': [`ssm.${config.region}.${config.partition.dnsSuffix}`, `secretsmanager.${config.region}.${config.partition.dnsSuffix}`] } },
        }),
      );
    }
  }
}
