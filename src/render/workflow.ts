/**
 * .github/workflows/pipeline.yml: the GitHub Actions alternative to
 * CodePipeline. Build and unit tests on pull requests and pushes; on the
 * release branch, each environment in order, authenticated to AWS by OIDC
 * (the role the CDK stack creates for that GitHub environment), production
 * behind its GitHub environment's required reviewers. Values reach `run:`
 * scripts through `env:` only; third-party actions are pinned to commits.
 */
import { Document, isScalar, visit } from 'yaml';
import type { PipelineConfig } from '../model/config';
import { TOOLCHAINS } from '../model/toolchains';
import { ACTIONS } from './actions';
import { APP_DIR } from './buildspec';
import { EC2_HOOKS, HOOKS_DIR, needsImage } from './kinds';
import { lambdaDeployCommands, lambdaDeployVariables } from './lambda-deploy';

export const WORKFLOW_PATH = '.github/workflows/pipeline.yml';
const RELEASE = 'release';

type Step = Record<string, unknown>;

/** CloudFormation output keys of the pipeline stack that the workflow reads. */
export function outputKey(kind: 'RevisionBucket' | 'SiteBucket' | 'DistributionId', environment?: string): string {
  return environment ? `${kind}${environment.charAt(0).toUpperCase()}${environment.slice(1)}` : kind;
}

/** The role the CDK stack creates for a GitHub environment (its account: given, or the AWS_ACCOUNT_ID secret). */
export function githubRoleName(c: Pick<PipelineConfig, 'name'>, environment: string): string {
  return `${c.name}-github-${environment}`;
}

function roleArn(c: PipelineConfig, environment: string): string {
  const production = environment === c.environments[c.environments.length - 1];
  const account = (production && c.productionAccount) || c.account || '${{ secrets.AWS_ACCOUNT_ID }}';
  return `arn:aws:iam::${account}:role/${githubRoleName(c, environment)}`;
}

/** Reads stack outputs into step outputs (after the AWS credentials step). */
function stackOutputs(c: PipelineConfig, keys: Record<string, string>): Step {
  return {
    name: 'Stack outputs',
    id: 'stack',
    env: { STACK: c.names.stack },
    run: [
      'outputs="$(aws cloudformation describe-stacks --stack-name "$STACK" --query "Stacks[0].Outputs" --output json)"',
      ...Object.entries(keys).map(([name, key]) => `echo "${name}=$(jq -r '.[] | select(.OutputKey == "${key}") | .OutputValue' <<< "$outputs")" >> "$GITHUB_OUTPUT"`),
    ].join('\n'),
  };
}

const uses = (action: keyof typeof ACTIONS, w?: Record<string, unknown>, extra: Step = {}): Step => ({
  uses: `${action}@${ACTIONS[action].sha}`,
  ...extra,
  ...(w ? { with: w } : {}),
});

function setup(c: PipelineConfig): Step[] {
  switch (c.runtime) {
    case 'node':
      return [uses('actions/setup-node', { 'node-version': '22', cache: 'npm', 'cache-dependency-path': `${APP_DIR}/package-lock.json` })];
    case 'python':
      return [uses('actions/setup-python', { 'python-version': '3.12' })];
    case 'java':
      return [uses('actions/setup-java', { distribution: 'corretto', 'java-version': '21', cache: 'maven' })];
    case 'go':
      return [uses('actions/setup-go', { 'go-version': '1.23', 'cache-dependency-path': `${APP_DIR}/go.mod` })];
    case 'container':
      return [];
  }
}

/** What the deploy jobs receive from the build job. */
function releaseFiles(c: PipelineConfig): string[] | undefined {
  switch (c.deployment.kind) {
    case 'codedeploy-server':
      return ['appspec.yml', `${HOOKS_DIR}/`, `${APP_DIR}/`];
    case 'codedeploy-lambda':
      return needsImage(c) ? undefined : ['appspec.yml', `${APP_DIR}/`];
    case 's3-deploy':
      return [`${APP_DIR}/dist/`];
    default:
      return undefined;
  }
}

function buildJob(c: PipelineConfig): Record<string, unknown> {
  const tc = TOOLCHAINS[c.runtime];
  const build = c.target === 'lambda' && tc.lambdaBuild ? tc.lambdaBuild : tc.build;
  const run = (name: string, commands: readonly string[]): Step[] =>
    commands.length ? [{ name, 'working-directory': APP_DIR, run: commands.join('\n') }] : [];
  const files = releaseFiles(c);
  return {
    name: 'Build and unit tests',
    'runs-on': 'ubuntu-latest',
    'timeout-minutes': 20,
    steps: [
      uses('actions/checkout', { 'persist-credentials': false }),
      ...setup(c),
      ...run('Install', tc.install),
      ...run('Lint', tc.lint),
      ...run('Unit tests', tc.test),
      ...(tc.integrationTest && (c.target === 'ec2' || c.target === 'ecs') ? run('Integration tests', tc.integrationTest) : []),
      ...run('Build', build),
      ...(files ? [uses('actions/upload-artifact', { name: RELEASE, path: files.join('\n'), 'if-no-files-found': 'error', 'retention-days': 7 })] : []),
    ],
  };
}

/** The names the workflow deploys to: the stack's, or the existing target's. */
function targetNames(c: PipelineConfig, environment: string) {
  const e = c.existing[environment] ?? {};
  const group = `${c.name}-${environment}`;
  return {
    application: e.applicationName ?? c.names.deployApplication,
    group: e.deploymentGroupName ?? group,
    cluster: e.clusterName ?? c.names.ecsCluster,
    service: e.serviceName ?? group,
    fn: e.functionName ?? `${c.names.lambdaFunction}-${environment}`,
  };
}

function deploySteps(c: PipelineConfig, environment: string, first: boolean): Step[] {
  const d = c.deployment;
  const n = targetNames(c, environment);
  const group = n.group;
  const image = needsImage(c);
  const imageSteps: Step[] = image
    ? [
        uses('aws-actions/amazon-ecr-login', undefined, { id: 'ecr' }),
        {
          name: first ? 'Build and push the image, tagged with the commit' : 'Use the image the first environment pushed',
          id: 'image',
          env: { REGISTRY: '${{ steps.ecr.outputs.registry }}', REPOSITORY: c.names.ecrRepository },
          run: [
            'uri="$REGISTRY/$REPOSITORY:${GITHUB_SHA::7}"',
            ...(first ? [`docker build --tag "$uri" ${APP_DIR}`, 'docker push "$uri"'] : ['aws ecr describe-images --repository-name "$REPOSITORY" --image-ids "imageTag=${GITHUB_SHA::7}" > /dev/null']),
            'echo "uri=$uri" >> "$GITHUB_OUTPUT"',
          ].join('\n'),
        },
      ]
    : [];
  switch (d.kind) {
    case 'codedeploy-server':
      return [
        stackOutputs(c, { bucket: outputKey('RevisionBucket') }),
        {
          name: `Deploy with CodeDeploy (${d.config})`,
          env: { APPLICATION_NAME: n.application, DEPLOYMENT_GROUP_NAME: group, DEPLOYMENT_CONFIG: d.config, REVISION_BUCKET: '${{ steps.stack.outputs.bucket }}' },
          run: [
            // Artifacts lose the executable bit; CodeDeploy runs the hooks directly.
            `chmod +x ${EC2_HOOKS.map((h) => `${RELEASE}/${HOOKS_DIR}/${h.script}`).join(' ')}`,
            'key="revisions/${GITHUB_SHA}.zip"',
            'aws deploy push --application-name "$APPLICATION_NAME" --s3-location "s3://$REVISION_BUCKET/$key" --source release --ignore-hidden-files',
            'id="$(aws deploy create-deployment --application-name "$APPLICATION_NAME" --deployment-group-name "$DEPLOYMENT_GROUP_NAME" --deployment-config-name "$DEPLOYMENT_CONFIG" --s3-location "bucket=$REVISION_BUCKET,key=$key,bundleType=zip" --query deploymentId --output text)"',
            'echo "CodeDeploy deployment $id"',
            'aws deploy wait deployment-successful --deployment-id "$id"',
          ].join('\n'),
        },
      ];
    case 'ecs-rolling':
    case 'codedeploy-ecs':
      return [
        ...imageSteps,
        {
          name: 'Current task definition',
          env: { CLUSTER: n.cluster, SERVICE: n.service },
          run: [
            'family="$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query "services[0].taskDefinition" --output text)"',
            'aws ecs describe-task-definition --task-definition "$family" --query taskDefinition > task-definition.json',
          ].join('\n'),
        },
        uses('aws-actions/amazon-ecs-render-task-definition', { 'task-definition': 'task-definition.json', 'container-name': c.name, image: '${{ steps.image.outputs.uri }}' }, { id: 'render' }),
        uses('aws-actions/amazon-ecs-deploy-task-definition', {
          'task-definition': '${{ steps.render.outputs.task-definition }}',
          cluster: n.cluster,
          service: n.service,
          'wait-for-service-stability': true,
          ...(d.kind === 'codedeploy-ecs'
            ? { 'codedeploy-appspec': 'appspec.yml', 'codedeploy-application': n.application, 'codedeploy-deployment-group': group }
            : {}),
        }),
      ];
    case 'codedeploy-lambda':
      return [
        ...imageSteps,
        ...(image ? [{ name: 'Image detail', env: { URI: '${{ steps.image.outputs.uri }}' }, run: 'printf \'{"ImageURI":"%s"}\' "$URI" > imageDetail.json' }] : []),
        {
          name: `Publish and shift alias traffic with CodeDeploy (${d.config})`,
          env: {
            FUNCTION_NAME: n.fn,
            APPLICATION_NAME: n.application,
            DEPLOYMENT_GROUP_NAME: group,
            SRC_DIR: image ? '${{ github.workspace }}' : `\${{ github.workspace }}/${RELEASE}`,
            ...lambdaDeployVariables(c),
          },
          run: ['set -euo pipefail', ...lambdaDeployCommands(c)].join('\n'),
        },
      ];
    case 's3-deploy':
      return [
        stackOutputs(c, { bucket: outputKey('SiteBucket', environment), distribution: outputKey('DistributionId', environment) }),
        {
          name: 'Sync the site and invalidate CloudFront',
          env: { SITE_BUCKET: '${{ steps.stack.outputs.bucket }}', DISTRIBUTION_ID: '${{ steps.stack.outputs.distribution }}' },
          run: [`aws s3 sync ${RELEASE} "s3://$SITE_BUCKET" --delete`, '[ -z "$DISTRIBUTION_ID" ] || aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths "/*"'].join('\n'),
        },
      ];
  }
}

function deployJob(c: PipelineConfig, environment: string, i: number): Record<string, unknown> {
  const previous = i === 0 ? 'build' : `deploy-${c.environments[i - 1]}`;
  const files = releaseFiles(c);
  return {
    name: `Deploy to ${environment}`,
    needs: previous,
    if: "github.event_name == 'push' || github.event_name == 'workflow_dispatch'",
    'runs-on': 'ubuntu-latest',
    'timeout-minutes': 90,
    // Required reviewers on this GitHub environment are the manual approval; the AWS role trusts only this environment.
    environment: environment,
    concurrency: { group: `deploy-${environment}`, 'cancel-in-progress': false },
    permissions: { contents: 'read', 'id-token': 'write' },
    steps: [
      uses('actions/checkout', { 'persist-credentials': false }),
      ...(files ? [uses('actions/download-artifact', { name: RELEASE, path: RELEASE })] : []),
      uses('aws-actions/configure-aws-credentials', { 'role-to-assume': roleArn(c, environment), 'aws-region': c.region, 'role-session-name': `${c.name}-${environment}` }),
      ...deploySteps(c, environment, i === 0),
    ],
  };
}

export function renderWorkflow(c: PipelineConfig): Record<string, unknown> | undefined {
  if (c.ci === 'codepipeline') return undefined;
  const jobs: Record<string, unknown> = { build: buildJob(c) };
  c.environments.forEach((env, i) => {
    jobs[`deploy-${env}`] = deployJob(c, env, i);
  });
  return {
    name: 'pipeline',
    on: {
      pull_request: { branches: [c.branch] },
      push: { branches: [c.branch], 'paths-ignore': ['docs/**', '**/*.md'] },
      workflow_dispatch: {},
    },
    permissions: { contents: 'read' },
    concurrency: { group: 'pipeline-${{ github.ref }}', 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
    jobs,
  };
}

/** The workflow as YAML, each pinned `uses:` followed by its version as a comment. */
export function workflowYaml(workflow: Record<string, unknown>): string {
  const doc = new Document(workflow);
  const versions = new Map<string, string>(Object.entries(ACTIONS).map(([name, a]) => [`${name}@${a.sha}`, a.version]));
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value)) {
        const version = versions.get(String(pair.value.value));
        if (version) pair.value.comment = ` ${version}`;
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}
