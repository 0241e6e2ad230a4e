/**
 * The AWS calls each principal of a pipeline stack makes, and calls it must
 * never be able to make, as data: per principal kind and, for the deployers,
 * per deployment kind (src/model/matrix.ts). test/constructs/iam.test.ts
 * resolves each `on` to ARNs from the synthesized template and asks the IAM
 * simulator (test/support/iam-sim.ts) for a decision.
 *
 * Every entry names what makes the call: a line of a deploy script
 * (templates/scripts/deploy/*.sh.ejs), of the buildspec
 * (src/render/buildspec.ts), of the workflow (src/render/workflow.ts), or
 * the AWS documentation of the service that calls on the principal's behalf.
 */
import type { Deployment } from '../../src/model/matrix';

export type DeploymentKind = Deployment['kind'];

/**
 * A resource, resolved by the test against the stack. Environment resources
 * are those of the principal's environment (or every environment, for a
 * principal that serves them all); `env: 'other'` takes every other one.
 */
export type Ref =
  // Actions that take no resource (the Resource element must be '*').
  | 'any'
  // Shared by the stack.
  | 'stack' // the stack's id (cloudformation:DescribeStacks)
  | 'pipeline'
  | 'artifactBucket'
  | 'artifactObject' // an object a pipeline execution writes (<pipeline>/<artifact>/<key>)
  | 'revisionObject' // revisions/<sha>.zip, where GitHub Actions puts CodeDeploy revisions
  | 'artifactKey'
  | 'repository' // the service's ECR repository
  | 'topic' // the approval's notification topic
  | 'parameter' // each parameter-store reference of the buildspec
  | 'secret' // each secrets-manager reference of the buildspec (the secret's ARN, with AWS's 6-character suffix)
  // The principal's own: its pipeline action's configuration, its CodeBuild project, its function.
  | 'actionRoles' // every role the pipeline's actions take
  | 'connection' // the source action's CodeConnections connection
  | 'projectConnection' // the connection a CodeBuild project's source authenticates with (Source.Auth, CODECONNECTIONS)
  | 'codecommitRepository'
  | 'sourceBucket'
  | 'sourceObject'
  | 'project' // the CodeBuild project a CodeBuild action starts
  | 'projectLogStream' // a stream of the CodeBuild project's own log group
  | 'unitTestReports' // report group <project>-unit-tests (buildspec reports: unit-tests)
  | 'integrationTestReports' // report group <project>-integration-tests
  | 'functionLogStream' // a stream of the Lambda function's own log group
  | 'flowLogStream'
  | 'defaultSecurityGroup' // the VPC's default security group
  | 'foreignSecurityGroup'
  // One environment's.
  | 'service'
  | 'taskSet'
  | 'taskDefinition' // the next revision of the environment's family
  | 'executionRole'
  | 'taskRole'
  | 'containerLogGroup' // the ARN CreateLogGroup is evaluated on: log-group:<name>:log-stream:
  | 'containerLogStream'
  | 'application'
  | 'deploymentGroup'
  | 'deploymentConfig'
  | 'alarm' // one of the deployment group's alarms
  | 'fleet' // the Auto Scaling group
  | 'targetGroup'
  | 'listener' // the production listener CodeDeploy moves (ECS blue/green)
  | 'function'
  | 'alias'
  | 'functionRole'
  | 'preHook'
  | 'postHook'
  | 'ecsHook' // the ECS native validation hook function (the service's lifecycle hook target)
  | 'siteBucket'
  | 'siteObject'
  | 'distribution'
  | 'crossAccountRole' // <name>-deploy in the environment's own account
  // Not the stack's: a principal must be denied these.
  | 'adminRole' // arn:aws:iam::<account>:role/admin
  | 'foreignAccountRole' // arn:aws:iam::<environment's account>:role/admin
  | 'foreignService' // a service of the same name in another cluster
  | 'foreignFunction'
  | 'foreignDeploymentGroup'
  | 'foreignBucketObject'
  | 'foreignRepository'
  | 'foreignParameter'
  | 'foreignSecret'
  | 'foreignProject'
  | 'foreignPipeline'
  | 'foreignTopic'
  | 'foreignLogStream';

/** What holds for a principal; a call applies when all its `only` hold and none of its `unless`. */
export type Variant =
  | 'image' // the target runs the image the pipeline builds (ECS, container Lambda)
  | 'zip' // a Lambda function from a zip
  | 'ecs'
  | 'codedeploy' // a CodeDeploy deployment group deploys the environment (EC2, ECS blue/green, Lambda)
  | 'first' // the first environment (it builds and pushes the image)
  | 'reports' // the toolchain writes unit-test reports (TOOLCHAINS[runtime].reportFiles)
  | 'distribution' // the S3 site has the stack's CloudFront distribution (not an existing bucket)
  | 'crossAccount'; // the environment is in another account, deployed through its role

export interface Call {
  readonly action: string;
  readonly on: Ref;
  /** The same resource of every other environment. */
  readonly env?: 'other';
  readonly context?: Readonly<Record<string, string>>;
  readonly only?: readonly Variant[];
  readonly unless?: readonly Variant[];
  /** What makes (or must never make) the call. */
  readonly by: string;
}

const TO_TASKS = { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } as const;
const TO_LAMBDA = { 'iam:PassedToService': 'lambda.amazonaws.com' } as const;

// ---------------------------------------------------------------------------------------------
// Deploy scripts (templates/scripts/deploy/*.sh.ejs): the same script runs in CodeBuild and in
// GitHub Actions, as the deploy project's role or the environment's GitHub role.
// ---------------------------------------------------------------------------------------------

/** push-image.sh APP_DIR: the first environment (and the CodeBuild build) builds and pushes this commit's image. */
export const PUSH_IMAGE: readonly Call[] = [
  // push-image.sh: exists() { aws ecr describe-images --repository-name "$repository" --image-ids "imageTag=$IMAGE_TAG"; }
  { action: 'ecr:DescribeImages', on: 'repository', by: 'push-image.sh: aws ecr describe-images' },
  // push-image.sh: aws ecr get-login-password | docker login (GetAuthorizationToken takes no resource)
  { action: 'ecr:GetAuthorizationToken', on: 'any', by: 'push-image.sh: aws ecr get-login-password' },
  // push-image.sh: docker push "$uri". The calls a push makes, per
  // https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html (which also lists ecr:BatchGetImage)
  { action: 'ecr:BatchCheckLayerAvailability', on: 'repository', by: 'push-image.sh: docker push (image-push-iam)' },
  { action: 'ecr:InitiateLayerUpload', on: 'repository', by: 'push-image.sh: docker push (image-push-iam)' },
  { action: 'ecr:UploadLayerPart', on: 'repository', by: 'push-image.sh: docker push (image-push-iam)' },
  { action: 'ecr:CompleteLayerUpload', on: 'repository', by: 'push-image.sh: docker push (image-push-iam)' },
  { action: 'ecr:PutImage', on: 'repository', by: 'push-image.sh: docker push (image-push-iam)' },
  { action: 'ecr:BatchGetImage', on: 'repository', by: 'push-image.sh: docker push (image-push-iam)' },
];

/** push-image.sh --existing: a later environment only checks that the first one pushed the image. */
export const CHECK_IMAGE: readonly Call[] = [
  // push-image.sh: exists || { echo "$uri was not pushed ..."; exit 1; }
  { action: 'ecr:DescribeImages', on: 'repository', by: 'push-image.sh --existing: aws ecr describe-images' },
];

/** A later environment pushes nothing: tags are immutable and the first environment's image is the release. */
export const NO_PUSH: readonly Call[] = [
  { action: 'ecr:PutImage', on: 'repository', by: 'push-image.sh --existing pushes nothing' },
  { action: 'ecr:InitiateLayerUpload', on: 'repository', by: 'push-image.sh --existing pushes nothing' },
  { action: 'ecr:CompleteLayerUpload', on: 'repository', by: 'push-image.sh --existing pushes nothing' },
];

/** ecs.sh, both kinds: registers taskdef-ENV.json (rendered by render-taskdef.sh, which calls nothing) with the image. */
const ECS_REGISTER: readonly Call[] = [
  // ecs.sh: aws ecs register-task-definition --cli-input-json "file://$rendered"
  { action: 'ecs:RegisterTaskDefinition', on: 'taskDefinition', by: 'ecs.sh: aws ecs register-task-definition' },
  // The task definition names executionRoleArn and taskRoleArn: registering it passes both roles to ECS tasks
  // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html, "iam:PassRole";
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
  { action: 'iam:PassRole', on: 'executionRole', context: TO_TASKS, by: 'ecs.sh: register-task-definition passes executionRoleArn' },
  { action: 'iam:PassRole', on: 'taskRole', context: TO_TASKS, by: 'ecs.sh: register-task-definition passes taskRoleArn' },
];

/**
 * Starting and following a CodeDeploy deployment (ecs.sh blue/green, lambda.sh, ec2.sh). CreateDeployment
 * registers the revision it is given on the application and reads the group's deployment configuration
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/auth-and-access-control-permissions-reference.html:
 * CreateDeployment on the deployment group, Register/GetApplicationRevision on the application,
 * GetDeploymentConfig on the configuration).
 */
const CODEDEPLOY_DEPLOY: readonly Call[] = [
  { action: 'codedeploy:CreateDeployment', on: 'deploymentGroup', by: 'aws deploy create-deployment' },
  { action: 'codedeploy:RegisterApplicationRevision', on: 'application', by: 'aws deploy create-deployment (registers the revision)' },
  { action: 'codedeploy:GetApplicationRevision', on: 'application', by: 'aws deploy create-deployment (reads the revision)' },
  { action: 'codedeploy:GetDeploymentConfig', on: 'deploymentConfig', by: "aws deploy create-deployment (the group's configuration)" },
  // wait-deployment.sh: aws deploy get-deployment --deployment-id "$id" (authorized on the deployment's group)
  { action: 'codedeploy:GetDeployment', on: 'deploymentGroup', by: 'wait-deployment.sh: aws deploy get-deployment' },
];

/** What each deployment kind's script calls (releaseOf(config).script). */
export const DEPLOY_SCRIPT: Readonly<Record<DeploymentKind, readonly Call[]>> = {
  'codedeploy-server': [
    // ec2.sh: aws deploy push --s3-location "s3://$REVISION_BUCKET/$REVISION_KEY" (REVISION_KEY is revisions/<sha>.zip)
    { action: 's3:PutObject', on: 'revisionObject', by: 'ec2.sh: aws deploy push (upload)' },
    // The artifact bucket is SSE-KMS: a put needs GenerateDataKey, a multipart put Decrypt too
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#aws-managed-customer-managed-keys).
    { action: 'kms:GenerateDataKey', on: 'artifactKey', by: 'ec2.sh: aws deploy push (SSE-KMS put)' },
    { action: 'kms:Decrypt', on: 'artifactKey', by: 'ec2.sh: aws deploy push (SSE-KMS multipart put)' },
    // ec2.sh: aws deploy push ... registers the uploaded revision on the application
    { action: 'codedeploy:RegisterApplicationRevision', on: 'application', by: 'ec2.sh: aws deploy push (register)' },
    // ec2.sh: aws deploy create-deployment --deployment-config-name "$DEPLOYMENT_CONFIG"; bash wait-deployment.sh "$id"
    ...CODEDEPLOY_DEPLOY.map((c) => ({ ...c, by: `ec2.sh: ${c.by}` })),
  ],
  'codedeploy-ecs': [
    ...ECS_REGISTER,
    // ecs.sh (APPLICATION_NAME set): aws deploy create-deployment --revision AppSpecContent; exec wait-deployment.sh
    ...CODEDEPLOY_DEPLOY.map((c) => ({ ...c, by: `ecs.sh: ${c.by}` })),
  ],
  'ecs-rolling': [
    ...ECS_REGISTER,
    // ecs.sh: aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --task-definition "$arn"
    { action: 'ecs:UpdateService', on: 'service', by: 'ecs.sh: aws ecs update-service' },
    // ecs.sh: state="$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" ...)"
    { action: 'ecs:DescribeServices', on: 'service', by: 'ecs.sh: aws ecs describe-services' },
  ],
  // ECS's own blue/green, canary, linear: ecs.sh in CodeBuild, and amazon-ecs-deploy-task-definition in GitHub Actions,
  // whose README lists exactly these calls (RegisterTaskDefinition, iam:PassRole, UpdateService, DescribeServices).
  'ecs-native': [
    ...ECS_REGISTER,
    { action: 'ecs:UpdateService', on: 'service', by: 'ecs.sh / amazon-ecs-deploy-task-definition: UpdateService' },
    { action: 'ecs:DescribeServices', on: 'service', by: 'ecs.sh / amazon-ecs-deploy-task-definition: DescribeServices (waits, then checks rolloutState)' },
  ],
  'codedeploy-lambda': [
    // lambda.sh (zip): aws lambda update-function-configuration --runtime "$LAMBDA_RUNTIME" --handler "$LAMBDA_HANDLER"
    { action: 'lambda:UpdateFunctionConfiguration', on: 'function', only: ['zip'], by: 'lambda.sh: aws lambda update-function-configuration' },
    // lambda.sh: aws lambda update-function-code --zip-file | --image-uri
    { action: 'lambda:UpdateFunctionCode', on: 'function', by: 'lambda.sh: aws lambda update-function-code' },
    // lambda.sh: aws lambda wait function-updated-v2 ("This waiter uses GetFunction API",
    // https://docs.aws.amazon.com/cli/latest/reference/lambda/wait/function-updated-v2.html)
    { action: 'lambda:GetFunction', on: 'function', by: 'lambda.sh: aws lambda wait function-updated-v2 (GetFunction)' },
    // lambda.sh (image): "For a function defined as a container image, the user permission to access the image must
    // be configured in Amazon ECR" (https://docs.aws.amazon.com/lambda/latest/dg/permissions-user-function.html)
    { action: 'ecr:BatchGetImage', on: 'repository', only: ['image'], by: 'lambda.sh: update-function-code --image-uri (Lambda checks the caller may read the image)' },
    { action: 'ecr:GetDownloadUrlForLayer', on: 'repository', only: ['image'], by: 'lambda.sh: update-function-code --image-uri (Lambda checks the caller may read the image)' },
    // lambda.sh: target="$(aws lambda publish-version --function-name "$FUNCTION_NAME" ...)"
    { action: 'lambda:PublishVersion', on: 'function', by: 'lambda.sh: aws lambda publish-version' },
    // lambda.sh: current="$(aws lambda get-alias --function-name "$FUNCTION_NAME" --name "$ALIAS" ...)"
    { action: 'lambda:GetAlias', on: 'alias', by: 'lambda.sh: aws lambda get-alias' },
    // lambda.sh: aws deploy create-deployment --revision AppSpecContent; bash wait-deployment.sh "$id"
    ...CODEDEPLOY_DEPLOY.map((c) => ({ ...c, by: `lambda.sh: ${c.by}` })),
  ],
  's3-deploy': [
    // s3-site.sh: aws s3 sync "$site" "s3://$SITE_BUCKET" --delete (lists the bucket, puts new files, deletes old ones;
    // https://docs.aws.amazon.com/cli/latest/reference/s3/sync.html)
    { action: 's3:ListBucket', on: 'siteBucket', by: 's3-site.sh: aws s3 sync (ListObjectsV2)' },
    { action: 's3:PutObject', on: 'siteObject', by: 's3-site.sh: aws s3 sync (upload)' },
    { action: 's3:DeleteObject', on: 'siteObject', by: 's3-site.sh: aws s3 sync --delete' },
    // s3-site.sh: aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" (when the stack made one)
    { action: 'cloudfront:CreateInvalidation', on: 'distribution', only: ['distribution'], by: 's3-site.sh: aws cloudfront create-invalidation' },
  ],
};

/** What a deployer of one environment must never do, per deployment kind (GitHub roles, deploy projects, deploy action roles). */
export const DEPLOY_FORBIDDEN: Readonly<Record<DeploymentKind, readonly Call[]>> = {
  'codedeploy-server': [
    { action: 'codedeploy:CreateDeployment', on: 'deploymentGroup', env: 'other', by: "deploys another environment's group" },
    { action: 'codedeploy:CreateDeployment', on: 'foreignDeploymentGroup', by: 'deploys a group not of this stack' },
    // ec2.sh writes revisions/ only; the pipeline's own artifacts are not the deployer's to write.
    { action: 's3:PutObject', on: 'artifactObject', by: 'writes pipeline artifacts (revisions/* only)' },
    { action: 's3:PutObject', on: 'foreignBucketObject', by: 'writes another bucket' },
  ],
  'codedeploy-ecs': [
    { action: 'codedeploy:CreateDeployment', on: 'deploymentGroup', env: 'other', by: "deploys another environment's group" },
    { action: 'codedeploy:CreateDeployment', on: 'foreignDeploymentGroup', by: 'deploys a group not of this stack' },
    { action: 'iam:PassRole', on: 'adminRole', context: TO_TASKS, by: 'passes a role other than svc-ecs-execution/svc-ecs-task' },
    { action: 'iam:PassRole', on: 'taskRole', context: TO_LAMBDA, by: 'passes the task role to a service other than ecs-tasks' },
    { action: 'ecs:UpdateService', on: 'service', by: 'bypasses CodeDeploy (blue/green services are CODE_DEPLOY-controlled)' },
    { action: 's3:PutObject', on: 'foreignBucketObject', by: 'writes another bucket' },
  ],
  'ecs-rolling': [
    { action: 'ecs:UpdateService', on: 'service', env: 'other', by: "updates another environment's service" },
    { action: 'ecs:UpdateService', on: 'foreignService', by: "updates another cluster's service" },
    { action: 'iam:PassRole', on: 'adminRole', context: TO_TASKS, by: 'passes a role other than svc-ecs-execution/svc-ecs-task' },
    { action: 'iam:PassRole', on: 'taskRole', context: TO_LAMBDA, by: 'passes the task role to a service other than ecs-tasks' },
    { action: 's3:PutObject', on: 'foreignBucketObject', by: 'writes another bucket' },
  ],
  'ecs-native': [
    { action: 'ecs:UpdateService', on: 'service', env: 'other', by: "updates another environment's service" },
    { action: 'ecs:UpdateService', on: 'foreignService', by: "updates another cluster's service" },
    { action: 'iam:PassRole', on: 'adminRole', context: TO_TASKS, by: 'passes a role other than svc-ecs-execution/svc-ecs-task' },
    { action: 'iam:PassRole', on: 'taskRole', context: TO_LAMBDA, by: 'passes the task role to a service other than ecs-tasks' },
    { action: 's3:PutObject', on: 'foreignBucketObject', by: 'writes another bucket' },
    // Nothing of CodeDeploy: ECS runs the deployment.
    { action: 'codedeploy:CreateDeployment', on: 'foreignDeploymentGroup', by: 'starts a CodeDeploy deployment (ECS runs this one)' },
    { action: 'codedeploy:GetDeployment', on: 'foreignDeploymentGroup', by: 'reads CodeDeploy deployments (ECS runs this one)' },
  ],
  'codedeploy-lambda': [
    { action: 'lambda:UpdateFunctionCode', on: 'function', env: 'other', by: "updates another environment's function" },
    { action: 'lambda:UpdateFunctionCode', on: 'foreignFunction', by: 'updates a function not of this stack' },
    { action: 'codedeploy:CreateDeployment', on: 'deploymentGroup', env: 'other', by: "deploys another environment's group" },
    { action: 'codedeploy:CreateDeployment', on: 'foreignDeploymentGroup', by: 'deploys a group not of this stack' },
    // lambda.sh changes code, runtime and handler, never the function's role.
    { action: 'iam:PassRole', on: 'functionRole', context: TO_LAMBDA, by: "changes the function's execution role" },
    { action: 'iam:PassRole', on: 'adminRole', context: TO_LAMBDA, by: 'passes any role to Lambda' },
    { action: 's3:PutObject', on: 'foreignBucketObject', by: 'writes another bucket' },
  ],
  's3-deploy': [
    { action: 's3:PutObject', on: 'siteObject', env: 'other', by: "writes another environment's site" },
    { action: 's3:DeleteObject', on: 'siteObject', env: 'other', by: "deletes from another environment's site" },
    { action: 'cloudfront:CreateInvalidation', on: 'distribution', env: 'other', only: ['distribution'], by: "invalidates another environment's distribution" },
    { action: 's3:PutObject', on: 'foreignBucketObject', by: 'writes another bucket' },
  ],
};

// ---------------------------------------------------------------------------------------------
// GitHub Actions (src/render/workflow.ts): the role svc-github-<env> each deploy job assumes.
// ---------------------------------------------------------------------------------------------

/** The workflow's own calls before the deploy script, per deployment kind. */
export const WORKFLOW: Readonly<Record<DeploymentKind, readonly Call[]>> = {
  // stackOutputs(): aws cloudformation describe-stacks --stack-name "$STACK" (the revision bucket)
  'codedeploy-server': [{ action: 'cloudformation:DescribeStacks', on: 'stack', by: 'workflow: Stack outputs (describe-stacks)' }],
  // stackOutputs(): the site bucket and distribution
  's3-deploy': [{ action: 'cloudformation:DescribeStacks', on: 'stack', by: 'workflow: Stack outputs (describe-stacks)' }],
  'codedeploy-ecs': [],
  'ecs-rolling': [],
  'ecs-native': [],
  'codedeploy-lambda': [],
};

/** imageStep(): push-image.sh APP_DIR in the first environment, push-image.sh --existing in later ones. */
const GITHUB_IMAGE: readonly Call[] = [
  ...PUSH_IMAGE.map((c): Call => ({ ...c, only: ['image', 'first'] })),
  ...CHECK_IMAGE.map((c): Call => ({ ...c, unless: ['first'], only: ['image'] })),
];

export function githubNeeded(kind: DeploymentKind): Call[] {
  return [...WORKFLOW[kind], ...GITHUB_IMAGE, ...DEPLOY_SCRIPT[kind]];
}

export function githubForbidden(kind: DeploymentKind): Call[] {
  return [
    ...DEPLOY_FORBIDDEN[kind],
    // A later environment's role only checks the image (production never pushes).
    ...NO_PUSH.map((c): Call => ({ ...c, only: ['image'], unless: ['first'] })),
    // A deployer builds nothing: it reads no build secret.
    { action: 'ssm:GetParameters', on: 'foreignParameter', by: 'reads a parameter it was not given' },
    { action: 'secretsmanager:GetSecretValue', on: 'foreignSecret', by: 'reads a secret it was not given' },
  ];
}

// ---------------------------------------------------------------------------------------------
// CodeBuild projects: the build (svc-build), the integration tests (svc-build-integration), the
// deploy projects (svc-deploy-<env>) of the kinds CodePipeline deploys with a script.
// ---------------------------------------------------------------------------------------------

/**
 * Every CodeBuild project in a CodePipeline action: its log, its input artifact
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html: CreateLogStream and
 * PutLogEvents on the project's log group; GetObject on the pipeline's artifact bucket; the artifact key).
 */
const CODEBUILD_BASE: readonly Call[] = [
  { action: 'logs:CreateLogStream', on: 'projectLogStream', by: "CodeBuild: the build's log stream" },
  { action: 'logs:PutLogEvents', on: 'projectLogStream', by: "CodeBuild: the build's log" },
  { action: 's3:GetObject', on: 'artifactObject', by: 'CodeBuild: the input artifact' },
  { action: 'kms:Decrypt', on: 'artifactKey', by: 'CodeBuild: the input artifact (SSE-KMS)' },
];

/** CodeBuild test reports (https://docs.aws.amazon.com/codebuild/latest/userguide/test-permissions.html). */
const REPORTS = (on: Ref, only: readonly Variant[] = []): Call[] =>
  ['codebuild:CreateReportGroup', 'codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases'].map((action) => ({
    action,
    on,
    ...(only.length ? { only } : {}),
    by: 'buildspec reports: (CodeBuild test reports)',
  }));

/** svc-build: buildspec.yml (src/render/buildspec.ts). */
export const BUILD_PROJECT: readonly Call[] = [
  ...CODEBUILD_BASE,
  // artifacts: the output artifact CodePipeline hands to the deploy stages
  { action: 's3:PutObject', on: 'artifactObject', by: 'buildspec artifacts: (the output artifact)' },
  { action: 'kms:GenerateDataKey', on: 'artifactKey', by: 'buildspec artifacts: (SSE-KMS put)' },
  // reports: unit-tests (tc.reportFiles)
  ...REPORTS('unitTestReports', ['reports']),
  // post_build: bash scripts/deploy/push-image.sh "$APP_DIR"
  ...PUSH_IMAGE.map((c): Call => ({ ...c, only: ['image'], by: `buildspec post_build: ${c.by}` })),
  // post_build (ecs): ACCOUNT_ID="$(aws sts get-caller-identity --query Account --output text)" (needs no permission)
  { action: 'sts:GetCallerIdentity', on: 'any', only: ['ecs'], by: 'buildspec post_build: aws sts get-caller-identity' },
  // env: parameter-store: / secrets-manager: CodeBuild resolves them as the project's role when the build starts
  // (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.parameter-store, .secrets-manager)
  { action: 'ssm:GetParameters', on: 'parameter', by: 'buildspec env: parameter-store:' },
  { action: 'secretsmanager:GetSecretValue', on: 'secret', by: 'buildspec env: secrets-manager:' },
];

/** What no CodeBuild project of the build stage does: it builds, it deploys nothing. */
export const BUILD_FORBIDDEN: readonly Call[] = [
  { action: 'ssm:GetParameters', on: 'foreignParameter', by: 'reads a parameter the buildspec does not name' },
  { action: 'secretsmanager:GetSecretValue', on: 'foreignSecret', by: 'reads a secret the buildspec does not name' },
  { action: 's3:PutObject', on: 'foreignBucketObject', by: 'writes another bucket' },
  { action: 'ecr:PutImage', on: 'foreignRepository', by: 'pushes to another repository' },
  { action: 'iam:PassRole', on: 'executionRole', context: TO_TASKS, only: ['ecs'], by: 'the build registers no task definition' },
  { action: 'iam:PassRole', on: 'adminRole', context: TO_TASKS, by: 'passes a role' },
  { action: 'ecs:UpdateService', on: 'service', only: ['ecs'], by: 'the build deploys nothing' },
  { action: 'codedeploy:CreateDeployment', on: 'deploymentGroup', only: ['codedeploy'], by: 'the build deploys nothing' },
  { action: 'lambda:UpdateFunctionCode', on: 'function', only: ['zip'], by: 'the build deploys nothing' },
  { action: 'lambda:UpdateFunctionCode', on: 'function', only: ['image'], unless: ['ecs'], by: 'the build deploys nothing' },
];

/** svc-build-integration: buildspec-integration.yml (renderIntegrationBuildspec). */
export const INTEGRATION_PROJECT: readonly Call[] = [
  ...CODEBUILD_BASE,
  // reports: integration-tests
  ...REPORTS('integrationTestReports'),
];

export const INTEGRATION_FORBIDDEN: readonly Call[] = [
  ...BUILD_FORBIDDEN,
  // A test action has no output artifact.
  { action: 's3:PutObject', on: 'artifactObject', by: 'the test action writes no artifact' },
  { action: 'ecr:PutImage', on: 'repository', only: ['image'], by: 'the integration tests push no image' },
];

/**
 * svc-pr: buildspec-pr.yml (renderPrBuildspec), started by the repository's webhook. CodeBuild clones the pull
 * request and reports its status through the connection (CodeBuild User Guide, GitHub App / GitLab / Bitbucket
 * connections: the service role needs codeconnections:GetConnectionToken and GetConnection on the connection).
 */
export const PR_PROJECT: readonly Call[] = [
  { action: 'logs:CreateLogStream', on: 'projectLogStream', by: "CodeBuild: the build's log stream" },
  { action: 'logs:PutLogEvents', on: 'projectLogStream', by: "CodeBuild: the build's log" },
  { action: 'codeconnections:GetConnectionToken', on: 'projectConnection', by: 'CodeBuild: clones the pull request through the connection' },
  { action: 'codeconnections:GetConnection', on: 'projectConnection', by: 'CodeBuild: reads the connection it clones with' },
  ...REPORTS('unitTestReports', ['reports']),
];

/** A pull request's code runs with this role: it reads no secret, touches no artifact, pushes nothing and deploys nothing. */
export const PR_FORBIDDEN: readonly Call[] = [
  ...BUILD_FORBIDDEN,
  { action: 'ssm:GetParameters', on: 'parameter', by: "reads the release build's parameters" },
  { action: 'secretsmanager:GetSecretValue', on: 'secret', by: "reads the release build's secrets" },
  { action: 's3:GetObject', on: 'artifactObject', by: "reads the pipeline's artifacts" },
  { action: 's3:PutObject', on: 'artifactObject', by: "writes the pipeline's artifacts" },
  { action: 'kms:Decrypt', on: 'artifactKey', by: "decrypts with the pipeline's key" },
  { action: 'ecr:PutImage', on: 'repository', only: ['image'], by: 'pushes an image' },
  { action: 'ecr:InitiateLayerUpload', on: 'repository', only: ['image'], by: 'pushes an image' },
  { action: 'ecr:GetAuthorizationToken', on: 'any', by: 'logs in to ECR' },
  { action: 'codepipeline:StartPipelineExecution', on: 'pipeline', by: 'starts a release' },
  { action: 'codeconnections:UseConnection', on: 'projectConnection', by: 'acts on the repository beyond cloning it (UseConnection is the pipeline source action\'s)' },
  { action: 'ecs:RegisterTaskDefinition', on: 'any', only: ['ecs'], by: 'registers a task definition' },
];

/**
 * svc-deploy-<env> (releaseOf(config).codeBuildDeploy): the deploy script with deployVariables(config, plan); in
 * another account (DEPLOY_ROLE_ARN set), ecs.sh first assumes that account's role and calls everything as it.
 */
export function deployProjectNeeded(kind: DeploymentKind): Call[] {
  return [
    ...CODEBUILD_BASE,
    // ecs.sh: aws sts assume-role --role-arn "$DEPLOY_ROLE_ARN"
    { action: 'sts:AssumeRole', on: 'crossAccountRole', only: ['crossAccount'], by: 'ecs.sh: aws sts assume-role --role-arn "$DEPLOY_ROLE_ARN"' },
    ...DEPLOY_SCRIPT[kind].map((c): Call => ({ ...c, unless: [...(c.unless ?? []), 'crossAccount'] })),
  ];
}

export function deployProjectForbidden(kind: DeploymentKind): Call[] {
  return [
    ...DEPLOY_FORBIDDEN[kind].map((c): Call => ({ ...c, unless: [...(c.unless ?? []), 'crossAccount'] })),
    // The pipeline's build pushed the image: a deploy project pushes none.
    { action: 'ecr:PutImage', on: 'repository', only: ['image'], by: 'a deploy project pushes no image' },
    { action: 'ssm:GetParameters', on: 'foreignParameter', by: 'reads a parameter it was not given' },
    // In another account: that account's role and nothing else there (identity policy; that account's resource policies are not this stack's).
    { action: 'sts:AssumeRole', on: 'foreignAccountRole', only: ['crossAccount'], by: "assumes another of the production account's roles" },
    { action: 'ecs:UpdateService', on: 'service', only: ['crossAccount'], by: 'acts in the production account without its deploy role' },
    { action: 'iam:PassRole', on: 'executionRole', context: TO_TASKS, only: ['crossAccount'], by: "passes the production account's roles itself" },
  ];
}

// ---------------------------------------------------------------------------------------------
// CodePipeline: the pipeline role and the role of each action.
// ---------------------------------------------------------------------------------------------

/** The pipeline role (https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html#how-to-custom-role). */
export const PIPELINE: readonly Call[] = [
  // With a role per action, the pipeline assumes each of them.
  { action: 'sts:AssumeRole', on: 'actionRoles', by: "CodePipeline: each action's role" },
  // The artifact store.
  { action: 's3:GetObject', on: 'artifactObject', by: 'CodePipeline: the artifact store' },
  { action: 's3:PutObject', on: 'artifactObject', by: 'CodePipeline: the artifact store' },
  { action: 'kms:Decrypt', on: 'artifactKey', by: 'CodePipeline: the artifact store (SSE-KMS)' },
  { action: 'kms:GenerateDataKey', on: 'artifactKey', by: 'CodePipeline: the artifact store (SSE-KMS)' },
];

export const PIPELINE_FORBIDDEN: readonly Call[] = [
  { action: 'sts:AssumeRole', on: 'adminRole', by: 'assumes a role that is not one of its actions' },
  { action: 's3:PutObject', on: 'foreignBucketObject', by: 'writes another bucket' },
];

/** The events role that starts the pipeline (CodeCommit and S3 sources trigger through EventBridge). */
export const PIPELINE_EVENTS: readonly Call[] = [
  // https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-trigger-source-repo-changes-cfn.html (StartPipelineExecution on the pipeline)
  { action: 'codepipeline:StartPipelineExecution', on: 'pipeline', by: 'EventBridge rule: starts the pipeline' },
];

export const PIPELINE_EVENTS_FORBIDDEN: readonly Call[] = [{ action: 'codepipeline:StartPipelineExecution', on: 'foreignPipeline', by: 'starts another pipeline' }];

/** The source action's role, per provider (CodePipeline action reference, "Service role permissions"). */
export const SOURCE_ACTION: Readonly<Record<'connection' | 'codecommit' | 's3', readonly Call[]>> = {
  connection: [
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html: UseConnection.
    // The connection here is arn:aws:codeconnections:... (the console creates those since July 2024): "When specifying a
    // resource in the IAM policy, the service prefix needs to match that of the resource"
    // (https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html).
    { action: 'codeconnections:UseConnection', on: 'connection', by: 'CodeStarSourceConnection action: UseConnection (prefix of the ARN)' },
    { action: 's3:PutObject', on: 'artifactObject', by: 'source action: the source artifact' },
    { action: 'kms:GenerateDataKey', on: 'artifactKey', by: 'source action: the source artifact (SSE-KMS)' },
  ],
  codecommit: [
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeCommit.html
    { action: 'codecommit:GetBranch', on: 'codecommitRepository', by: 'CodeCommit source action' },
    { action: 'codecommit:GetCommit', on: 'codecommitRepository', by: 'CodeCommit source action' },
    { action: 'codecommit:UploadArchive', on: 'codecommitRepository', by: 'CodeCommit source action' },
    { action: 'codecommit:GetUploadArchiveStatus', on: 'codecommitRepository', by: 'CodeCommit source action' },
    { action: 's3:PutObject', on: 'artifactObject', by: 'source action: the source artifact' },
    { action: 'kms:GenerateDataKey', on: 'artifactKey', by: 'source action: the source artifact (SSE-KMS)' },
  ],
  s3: [
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html
    { action: 's3:GetObject', on: 'sourceObject', by: 'S3 source action: source.zip' },
    { action: 's3:GetObjectVersion', on: 'sourceObject', by: 'S3 source action: source.zip' },
    { action: 's3:GetBucketVersioning', on: 'sourceBucket', by: 'S3 source action: the versioned source bucket' },
    { action: 's3:PutObject', on: 'artifactObject', by: 'source action: the source artifact' },
    { action: 'kms:GenerateDataKey', on: 'artifactKey', by: 'source action: the source artifact (SSE-KMS)' },
  ],
};

/** A CodeBuild action (build, integration tests, script deploys): https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html */
export const CODEBUILD_ACTION: readonly Call[] = [
  { action: 'codebuild:StartBuild', on: 'project', by: 'CodeBuild action: starts its project' },
  { action: 'codebuild:BatchGetBuilds', on: 'project', by: 'CodeBuild action: follows the build' },
];

export const CODEBUILD_ACTION_FORBIDDEN: readonly Call[] = [{ action: 'codebuild:StartBuild', on: 'foreignProject', by: 'starts another project' }];

/** The manual approval: notifies the (KMS-encrypted) topic (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html). */
export const APPROVAL_ACTION: readonly Call[] = [
  { action: 'sns:Publish', on: 'topic', by: 'Manual approval: notification' },
  { action: 'kms:GenerateDataKey', on: 'artifactKey', by: 'Manual approval: the topic is SSE-KMS' },
  { action: 'kms:Decrypt', on: 'artifactKey', by: 'Manual approval: the topic is SSE-KMS' },
];

export const APPROVAL_FORBIDDEN: readonly Call[] = [{ action: 'sns:Publish', on: 'foreignTopic', by: 'publishes to another topic' }];

/** The deploy actions CodePipeline runs itself (no script), per provider. */
export const DEPLOY_ACTION: Readonly<Record<'CodeDeploy' | 'CodeDeployToECS' | 'S3', readonly Call[]>> = {
  // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeDeploy.html
  CodeDeploy: CODEDEPLOY_DEPLOY.map((c) => ({ ...c, by: `CodeDeploy action: ${c.by.replace(/^aws deploy |^wait-deployment.sh: aws deploy /, '')}` })),
  // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html: the action reads
  // appspec.yml, taskdef-ENV.json and imageDetail.json from the input artifact, registers the task definition
  // (passing its roles) and starts the deployment.
  CodeDeployToECS: [
    { action: 's3:GetObject', on: 'artifactObject', by: 'CodeDeployToECS action: the input artifact' },
    { action: 'kms:Decrypt', on: 'artifactKey', by: 'CodeDeployToECS action: the input artifact (SSE-KMS)' },
    ...ECS_REGISTER.map((c) => ({ ...c, by: c.by.replace('ecs.sh: aws ecs register-task-definition', 'CodeDeployToECS action: RegisterTaskDefinition').replace('ecs.sh: register-task-definition', 'CodeDeployToECS action: RegisterTaskDefinition') })),
    ...CODEDEPLOY_DEPLOY.map((c) => ({ ...c, by: `CodeDeployToECS action: ${c.by}` })),
  ],
  // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html (extract: true)
  S3: [
    { action: 's3:GetObject', on: 'artifactObject', by: 'S3 deploy action: the input artifact' },
    { action: 'kms:Decrypt', on: 'artifactKey', by: 'S3 deploy action: the input artifact (SSE-KMS)' },
    { action: 's3:PutObject', on: 'siteObject', by: 'S3 deploy action: extracts the site into the bucket' },
  ],
};

// ---------------------------------------------------------------------------------------------
// Service roles of the deployments and the runtime roles.
// ---------------------------------------------------------------------------------------------

/** CodeDeploy's service role per compute platform (the AWS-managed policy the stack attaches, and the CDK grants). */
export const CODEDEPLOY_SERVICE: Readonly<Record<'codedeploy-server' | 'codedeploy-ecs' | 'codedeploy-lambda', readonly Call[]>> = {
  // https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html (AWSCodeDeployRole):
  // lifecycle hooks on the Auto Scaling group, the instances, the load balancer's target group, the alarms.
  'codedeploy-server': [
    { action: 'autoscaling:PutLifecycleHook', on: 'fleet', by: 'CodeDeploy (EC2): lifecycle hook on the group' },
    { action: 'autoscaling:CompleteLifecycleAction', on: 'fleet', by: 'CodeDeploy (EC2): new instances' },
    { action: 'ec2:DescribeInstances', on: 'any', by: 'CodeDeploy (EC2): the group instances' },
    { action: 'elasticloadbalancing:DeregisterTargets', on: 'targetGroup', by: 'CodeDeploy (EC2): takes an instance out of the target group' },
    { action: 'elasticloadbalancing:RegisterTargets', on: 'targetGroup', by: 'CodeDeploy (EC2): puts it back' },
    { action: 'cloudwatch:DescribeAlarms', on: 'alarm', by: "CodeDeploy: the group's alarms (rollback)" },
  ],
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/codedeploy_IAM_role.html (AWSCodeDeployRoleForECS)
  'codedeploy-ecs': [
    { action: 'ecs:DescribeServices', on: 'service', by: 'CodeDeploy (ECS): the service' },
    { action: 'ecs:CreateTaskSet', on: 'taskSet', by: 'CodeDeploy (ECS): the green task set' },
    { action: 'ecs:UpdateServicePrimaryTaskSet', on: 'service', by: 'CodeDeploy (ECS): moves the service to green' },
    { action: 'ecs:DeleteTaskSet', on: 'taskSet', by: 'CodeDeploy (ECS): removes blue' },
    { action: 'elasticloadbalancing:ModifyListener', on: 'listener', by: 'CodeDeploy (ECS): shifts the production listener' },
    { action: 'iam:PassRole', on: 'executionRole', context: TO_TASKS, by: "CodeDeploy (ECS): the task set's roles" },
    { action: 'iam:PassRole', on: 'taskRole', context: TO_TASKS, by: "CodeDeploy (ECS): the task set's roles" },
    { action: 'cloudwatch:DescribeAlarms', on: 'alarm', by: "CodeDeploy: the group's alarms (rollback)" },
  ],
  // https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html
  // (AWSCodeDeployRoleForLambdaLimited) plus the hooks, which the stack names CodeDeployHook_-free (svc-<env>-pre-hook).
  'codedeploy-lambda': [
    { action: 'lambda:GetAlias', on: 'alias', by: 'CodeDeploy (Lambda): reads the alias' },
    { action: 'lambda:UpdateAlias', on: 'alias', by: 'CodeDeploy (Lambda): shifts the alias' },
    { action: 'lambda:InvokeFunction', on: 'preHook', by: 'CodeDeploy (Lambda): BeforeAllowTraffic hook' },
    { action: 'lambda:InvokeFunction', on: 'postHook', by: 'CodeDeploy (Lambda): AfterAllowTraffic hook' },
    { action: 'cloudwatch:DescribeAlarms', on: 'alarm', by: "CodeDeploy: the group's alarms (rollback)" },
  ],
};

export const CODEDEPLOY_SERVICE_FORBIDDEN: Readonly<Record<'codedeploy-server' | 'codedeploy-ecs' | 'codedeploy-lambda', readonly Call[]>> = {
  'codedeploy-server': [
    // The instances read revisions; CodeDeploy's role does not.
    { action: 's3:GetObject', on: 'revisionObject', by: 'CodeDeploy (EC2) reads no revision' },
    { action: 's3:PutObject', on: 'artifactObject', by: 'writes the artifact bucket' },
  ],
  // AWSCodeDeployRoleForECS allows iam:PassRole on every role, to ecs-tasks only; the service is what it may not pass to.
  'codedeploy-ecs': [
    { action: 'iam:PassRole', on: 'taskRole', context: TO_LAMBDA, by: 'passes the task role to a service other than ecs-tasks' },
    { action: 'ecs:UpdateService', on: 'service', by: 'updates the service itself (it moves task sets)' },
  ],
  'codedeploy-lambda': [
    { action: 'lambda:InvokeFunction', on: 'preHook', env: 'other', by: "runs another environment's hook" },
    { action: 'lambda:InvokeFunction', on: 'foreignFunction', by: 'invokes a function that is not a hook' },
  ],
};

/** svc-ecs-execution: AmazonECSTaskExecutionRolePolicy's calls, on this service's repository and log groups. */
export const TASK_EXECUTION: readonly Call[] = [
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html (AmazonECSTaskExecutionRolePolicy)
  { action: 'ecr:GetAuthorizationToken', on: 'any', by: 'ECS agent: pulls the image (AmazonECSTaskExecutionRolePolicy)' },
  { action: 'ecr:BatchCheckLayerAvailability', on: 'repository', by: 'ECS agent: pulls the image (AmazonECSTaskExecutionRolePolicy)' },
  { action: 'ecr:GetDownloadUrlForLayer', on: 'repository', by: 'ECS agent: pulls the image (AmazonECSTaskExecutionRolePolicy)' },
  { action: 'ecr:BatchGetImage', on: 'repository', by: 'ECS agent: pulls the image (AmazonECSTaskExecutionRolePolicy)' },
  { action: 'logs:CreateLogStream', on: 'containerLogStream', by: 'awslogs driver (AmazonECSTaskExecutionRolePolicy)' },
  { action: 'logs:PutLogEvents', on: 'containerLogStream', by: 'awslogs driver (AmazonECSTaskExecutionRolePolicy)' },
  // taskdef.json: "awslogs-create-group": "true" makes the driver call CreateLogGroup, which CloudWatch Logs evaluates on
  // arn:aws:logs:<region>:<account>:log-group:<name>:log-stream: (the resource of the AccessDenied the driver reports,
  // e.g. github.com/terraform-aws-modules/terraform-aws-ecs/pull/145); log-group permissions are granted on the ARN with
  // the trailing :* (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html).
  { action: 'logs:CreateLogGroup', on: 'containerLogGroup', by: 'taskdef.json: awslogs-create-group' },
];

export const TASK_EXECUTION_FORBIDDEN: readonly Call[] = [
  { action: 'ecr:PutImage', on: 'repository', by: 'pushes images' },
  { action: 'ecr:BatchGetImage', on: 'foreignRepository', by: 'pulls from another repository' },
  { action: 'logs:PutLogEvents', on: 'foreignLogStream', by: 'writes another log group' },
  { action: 'ecs:UpdateService', on: 'service', by: 'deploys' },
  { action: 'iam:PassRole', on: 'taskRole', context: TO_TASKS, by: 'passes roles' },
];

/** svc-ecs-task: what the app runs as. The sample app calls no AWS API: no image, no deploy, no artifact access. */
export const TASK: readonly Call[] = [];

export const TASK_FORBIDDEN: readonly Call[] = [
  { action: 'ecr:GetAuthorizationToken', on: 'any', by: 'the task role has no ECR permission' },
  { action: 'ecr:BatchGetImage', on: 'repository', by: 'the task role has no ECR permission' },
  { action: 'ecr:PutImage', on: 'repository', by: 'the task role has no ECR permission' },
  { action: 'ecr:DescribeImages', on: 'repository', by: 'the task role has no ECR permission' },
  { action: 'ecs:RegisterTaskDefinition', on: 'taskDefinition', by: 'the task role has no deploy permission' },
  { action: 'ecs:UpdateService', on: 'service', by: 'the task role has no deploy permission' },
  { action: 'iam:PassRole', on: 'executionRole', context: TO_TASKS, by: 'the task role has no deploy permission' },
  { action: 'codedeploy:CreateDeployment', on: 'deploymentGroup', only: ['codedeploy'], by: 'the task role has no deploy permission' },
  { action: 's3:GetObject', on: 'artifactObject', by: 'the task role reads no artifact' },
  { action: 'logs:CreateLogGroup', on: 'containerLogGroup', by: "the task role writes no logs (the execution role's job)" },
];

/** The EC2 instance role: the CodeDeploy agent downloads the revision (https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-iam-instance-profile.html). */
export const INSTANCE: readonly Call[] = [
  // GitHub Actions' revisions (ec2.sh) and CodePipeline's (the build's output artifact)
  { action: 's3:GetObject', on: 'revisionObject', by: 'CodeDeploy agent: the revision (GitHub Actions)' },
  { action: 's3:GetObject', on: 'artifactObject', by: 'CodeDeploy agent: the revision (CodePipeline)' },
  { action: 'kms:Decrypt', on: 'artifactKey', by: 'CodeDeploy agent: the revision (SSE-KMS)' },
];

export const INSTANCE_FORBIDDEN: readonly Call[] = [
  { action: 's3:PutObject', on: 'revisionObject', by: 'instances write no revision' },
  { action: 's3:GetObject', on: 'foreignBucketObject', by: 'reads another bucket' },
  { action: 'codedeploy:CreateDeployment', on: 'deploymentGroup', by: 'instances deploy nothing' },
];

/** A Lambda function's own role: its log (AWSLambdaBasicExecutionRole). */
export const FUNCTION: readonly Call[] = [
  // https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
  { action: 'logs:CreateLogStream', on: 'functionLogStream', by: 'Lambda: the function log' },
  { action: 'logs:PutLogEvents', on: 'functionLogStream', by: 'Lambda: the function log' },
];

export const FUNCTION_FORBIDDEN: readonly Call[] = [
  { action: 'lambda:UpdateFunctionCode', on: 'function', by: 'the function deploys nothing' },
  { action: 'ecr:PutImage', on: 'repository', only: ['image'], by: 'the function pushes nothing' },
  { action: 's3:GetObject', on: 'artifactObject', by: 'the function reads no artifact' },
];

/**
 * The traffic hooks (hookCode in src/constructs/targets/lambda.ts): invoke the function, then report to CodeDeploy.
 * codedeploy:PutLifecycleEventHookExecutionStatus is not listed: the harness's action data gives it no resource type,
 * so a grant on the deployment group is simulated as a denial (see the test's report).
 */
export const PRE_HOOK: readonly Call[] = [
  // InvokeCommand({ FunctionName, Qualifier: '$LATEST' }): the new code, before traffic (the unqualified ARN)
  { action: 'lambda:InvokeFunction', on: 'function', by: 'BeforeAllowTraffic hook: invokes $LATEST' },
  ...FUNCTION.map((c) => ({ ...c, by: `hook: ${c.by}` })),
];

export const POST_HOOK: readonly Call[] = [
  // InvokeCommand({ FunctionName, Qualifier: 'live' })
  { action: 'lambda:InvokeFunction', on: 'alias', by: 'AfterAllowTraffic hook: invokes the alias' },
  ...FUNCTION.map((c) => ({ ...c, by: `hook: ${c.by}` })),
];

export const HOOK_FORBIDDEN: readonly Call[] = [
  { action: 'lambda:InvokeFunction', on: 'function', env: 'other', by: "invokes another environment's function" },
  { action: 'lambda:UpdateAlias', on: 'alias', by: 'shifts traffic itself' },
  { action: 'lambda:UpdateFunctionCode', on: 'function', by: 'deploys' },
];

/** The VPC flow logs' role (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html). */
export const FLOW_LOGS: readonly Call[] = [
  { action: 'logs:CreateLogStream', on: 'flowLogStream', by: 'VPC flow logs: a stream per interface' },
  { action: 'logs:PutLogEvents', on: 'flowLogStream', by: 'VPC flow logs' },
];

/**
 * The role of the custom resource that empties the VPC's default security group (aws-cdk-lib, feature flag
 * @aws-cdk/aws-ec2:restrictDefaultSecurityGroup, which generated repos' cdk.json sets): it revokes the group's rules.
 */
export const DEFAULT_SG_RESTRICTER: readonly Call[] = ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress'].map(
  (a) => ({ action: `ec2:${a}`, on: 'defaultSecurityGroup', by: 'the default security group restricter: removes the rules of the VPC\'s default group' }) as const,
);

export const DEFAULT_SG_RESTRICTER_FORBIDDEN: readonly Call[] = [
  { action: 'ec2:RevokeSecurityGroupIngress', on: 'foreignSecurityGroup', by: 'changes a security group other than the default one' },
  { action: 'ec2:AuthorizeSecurityGroupIngress', on: 'foreignSecurityGroup', by: 'opens a security group other than the default one' },
  { action: 's3:GetObject', on: 'artifactObject', by: 'reads artifacts' },
];

export const FLOW_LOGS_FORBIDDEN: readonly Call[] = [
  { action: 'logs:PutLogEvents', on: 'foreignLogStream', by: 'writes another log group' },
  { action: 's3:GetObject', on: 'artifactObject', by: 'reads artifacts' },
];

// ---------------------------------------------------------------------------------------------
// ECS's own blue/green, canary, linear (--ecs-engine ecs): the roles aws-cdk-lib makes for the service.
// ---------------------------------------------------------------------------------------------

/**
 * The infrastructure role ECS shifts traffic with (AlternateTarget's role, managed policy
 * AmazonECSInfrastructureRolePolicyForLoadBalancers; "Amazon ECS infrastructure IAM role for load balancers").
 */
export const ECS_INFRASTRUCTURE: readonly Call[] = [
  { action: 'elasticloadbalancing:DescribeRules', on: 'any', by: 'ECS: reads the production and test rules' },
  { action: 'elasticloadbalancing:DescribeTargetHealth', on: 'any', by: 'ECS: the new tasks\' health' },
  { action: 'elasticloadbalancing:RegisterTargets', on: 'targetGroup', by: 'ECS: registers the new tasks' },
  { action: 'elasticloadbalancing:DeregisterTargets', on: 'targetGroup', by: 'ECS: deregisters the old tasks' },
  { action: 'elasticloadbalancing:ModifyListener', on: 'listener', by: 'ECS: the production listener' },
];

export const ECS_INFRASTRUCTURE_FORBIDDEN: readonly Call[] = [
  { action: 'ecs:UpdateService', on: 'service', by: 'deploys' },
  { action: 'lambda:InvokeFunction', on: 'ecsHook', by: 'runs the hook (the hook role does)' },
  { action: 'iam:PassRole', on: 'adminRole', context: TO_TASKS, by: 'passes roles' },
  { action: 's3:GetObject', on: 'artifactObject', by: 'reads pipeline artifacts' },
];

/** The hook role ECS invokes the validation hook with ("Permissions required for Lambda functions in Amazon ECS blue/green deployments"). */
export const ECS_HOOK_INVOKE: readonly Call[] = [
  { action: 'lambda:InvokeFunction', on: 'ecsHook', by: 'ECS: POST_TEST_TRAFFIC_SHIFT hook' },
];

export const ECS_HOOK_INVOKE_FORBIDDEN: readonly Call[] = [
  { action: 'lambda:InvokeFunction', on: 'ecsHook', env: 'other', by: "invokes another environment's hook" },
  { action: 'lambda:InvokeFunction', on: 'foreignFunction', by: 'invokes any function' },
  { action: 'ecs:UpdateService', on: 'service', by: 'deploys' },
];

/** The validation hook function itself (hooks/ecs-validate): logs, and its network interfaces in the VPC. */
export const ECS_HOOK: readonly Call[] = [
  ...FUNCTION,
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html (AWSLambdaVPCAccessExecutionRole)
  { action: 'ec2:CreateNetworkInterface', on: 'any', by: 'Lambda in a VPC: the function\'s network interface' },
];

export const ECS_HOOK_FORBIDDEN: readonly Call[] = [
  { action: 'ecs:UpdateService', on: 'service', by: 'the hook only answers; it deploys nothing' },
  { action: 'lambda:InvokeFunction', on: 'foreignFunction', by: 'invokes functions' },
  { action: 's3:GetObject', on: 'artifactObject', by: 'reads pipeline artifacts' },
  { action: 'iam:PassRole', on: 'adminRole', context: TO_TASKS, by: 'passes roles' },
];
