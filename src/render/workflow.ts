/**
 * .github/workflows/pipeline.yml: the GitHub Actions alternative to
 * CodePipeline. Build and unit tests on pull requests (unless prBuilds is off) and pushes; on the
 * release branch, each environment in order, authenticated to AWS by OIDC
 * (the role the CDK stack creates for that GitHub environment), production
 * behind its GitHub environment's required reviewers. Values reach `run:`
 * scripts through `env:` only; third-party actions are pinned to commits.
 */
import { Document, isScalar, visit } from 'yaml';
import { ACTIONS } from './actions';
import type { PipelineConfig } from '../model/config';
import { APP_DIR, DEPLOY_DIR, DOCS_PATHS, fromRepoRoot, hasIntegrationTests, needsImage, workflowPath } from '../model/layout';
import { OUTPUT_KEYS } from '../model/plan';
import type { EnvironmentPlan } from '../model/plan';
import { deployVariables, releaseOf, taskdefArguments, taskdefFile } from '../model/release';
import { TOOLCHAINS } from '../model/toolchains';

/** The workflow of a service that is the whole repository (one in a folder has its own: workflowPath in src/model/layout.ts). */
export const WORKFLOW_PATH = '.github/workflows/pipeline.yml';
const RELEASE = 'release';
const ARCHIVE = 'release.tar';

type Step = Record<string, unknown>;

/** A GitHub expression string literal: in single quotes, a single quote inside doubled. */
export function expressionString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The GitHub role of an environment, in its account (given, or the AWS_ACCOUNT_ID secret). */
function roleArn(c: PipelineConfig, p: EnvironmentPlan): string {
  return `arn:${c.partition.partition}:iam::${p.account ?? '${{ secrets.AWS_ACCOUNT_ID }}'}:role/${p.names.githubRole}`;
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
  const v = TOOLCHAINS[c.runtime].codebuildRuntime;
  switch (c.runtime) {
    case 'node':
      return [uses('actions/setup-node', { 'node-version': v.nodejs, 'cache': 'npm', 'cache-dependency-path': fromRepoRoot(c, `${APP_DIR}/package-lock.json`) })];
    case 'python':
      return [uses('actions/setup-python', { 'python-version': v.python })];
    case 'java':
      return [uses('actions/setup-java', { 'distribution': 'corretto', 'java-version': v.java.replace('corretto', ''), 'cache': 'maven' })];
    case 'go':
      return [uses('actions/setup-go', { 'go-version': v.golang, 'cache-dependency-path': fromRepoRoot(c, `${APP_DIR}/go.mod`) })];
    case 'container':
      return [];
  }
}

/** The build's outputs the deploy jobs receive, as tar arguments (tar keeps the executable bits that artifacts drop); none when the deploy builds an image. */
function releaseArchive(c: PipelineConfig): string | undefined {
  if (needsImage(c)) return undefined;
  const r = releaseOf(c);
  const paths = r.files.map((f) => f.replace(/\/\*\*\/\*$/, '').replace(/^\*\*\/\*$/, '.'));
  return `tar -cf ${ARCHIVE} ${r.baseDirectory ? `-C ${r.baseDirectory} ` : ''}${[...new Set(paths)].join(' ')}`;
}

function buildJob(c: PipelineConfig): Record<string, unknown> {
  const tc = TOOLCHAINS[c.runtime];
  const run = (name: string, commands: readonly string[]): Step[] =>
    // A step's working-directory is from the checkout's root (not from defaults.run), so it names the service's folder.
    commands.length ? [{ name, 'working-directory': fromRepoRoot(c, APP_DIR), 'run': commands.join('\n') }] : [];
  const archive = releaseArchive(c);
  return {
    'name': 'Build and unit tests',
    'runs-on': 'ubuntu-latest',
    'timeout-minutes': 20,
    'steps': [
      uses('actions/checkout', { 'persist-credentials': false }),
      ...setup(c),
      ...run('Install', tc.install),
      ...run('Lint', tc.lint),
      ...run('Unit tests', tc.test),
      ...(hasIntegrationTests(c) && tc.integrationTest ? run('Integration tests', tc.integrationTest) : []),
      ...run('Build', releaseOf(c).build),
      ...(archive
        ? [
          { name: 'Release archive', run: archive },
          uses('actions/upload-artifact', { 'name': RELEASE, 'path': fromRepoRoot(c, ARCHIVE), 'if-no-files-found': 'error', 'retention-days': 7 }),
        ]
        : []),
    ],
  };
}

/** The image of this commit: the first environment builds and pushes it, later ones check it is there. */
function imageStep(c: PipelineConfig, p: EnvironmentPlan): Step {
  return {
    name: p.first ? 'Build and push the image (unless this commit has one)' : 'The image the first environment pushed',
    env: {
      REGISTRY_ACCOUNT: c.account ?? '${{ secrets.AWS_ACCOUNT_ID }}',
      REPOSITORY: c.names.ecrRepository,
      IMAGE_TAG: '${{ github.sha }}',
    },
    run: [
      `export IMAGE_REPO_URI="$REGISTRY_ACCOUNT.dkr.ecr.$AWS_REGION.${c.partition.dnsSuffix}/$REPOSITORY"`,
      `bash ${DEPLOY_DIR}/push-image.sh ${p.first ? APP_DIR : '--existing'}`,
    ].join('\n'),
  };
}

function deploySteps(c: PipelineConfig, p: EnvironmentPlan): Step[] {
  const d = c.deployment;
  const vars = deployVariables(c, p);
  const script = releaseOf(c).script;
  switch (d.kind) {
    case 'codedeploy-server':
      return [
        stackOutputs(c, { bucket: OUTPUT_KEYS.revisionBucket }),
        {
          name: `Deploy with CodeDeploy (${d.config})`,
          env: { ...vars, REVISION_BUCKET: '${{ steps.stack.outputs.bucket }}', REVISION_KEY: 'revisions/${{ github.sha }}.zip' },
          run: `bash ${script} ${RELEASE}`,
        },
      ];
    case 'ecs-rolling':
    case 'codedeploy-ecs':
      return [
        imageStep(c, p),
        {
          name: d.kind === 'ecs-rolling' ? 'Deploy: a rolling update of the service' : `Deploy with CodeDeploy (${d.config})`,
          env: vars,
          run: [
            ...(p.account ? [] : ['ACCOUNT_ID="$(aws sts get-caller-identity --query Account --output text)"']),
            `bash ${DEPLOY_DIR}/render-taskdef.sh ${taskdefArguments(c, p, p.account ?? '$ACCOUNT_ID').map((a) => `"${a}"`).join(' ')} > ${taskdefFile(p.environment)}`,
            `bash ${script} ${taskdefFile(p.environment)}`,
          ].join('\n'),
        },
      ];
    case 'ecs-native':
      return [
        imageStep(c, p),
        {
          name: 'Task definition of this release',
          run: [
            ...(p.account ? [] : ['ACCOUNT_ID="$(aws sts get-caller-identity --query Account --output text)"']),
            `bash ${DEPLOY_DIR}/render-taskdef.sh ${taskdefArguments(c, p, p.account ?? '$ACCOUNT_ID').map((a) => `"${a}"`).join(' ')} > ${taskdefFile(p.environment)}`,
            `sed -i "s|<IMAGE1_NAME>|$(jq -r .ImageURI imageDetail.json)|" ${taskdefFile(p.environment)}`,
          ].join('\n'),
        },
        // ECS runs the deployment (its strategy, bake time, lifecycle hook and alarms); the action registers the task
        // definition, updates the service and waits for it, failing when ECS rolled back. No CodeDeploy inputs.
        uses(
          'aws-actions/amazon-ecs-deploy-task-definition',
          {
            'task-definition': fromRepoRoot(c, taskdefFile(p.environment)),
            'service': vars.SERVICE,
            'cluster': vars.CLUSTER,
            'wait-for-service-stability': true,
            'wait-for-minutes': releaseOf(c).waitMinutes,
          },
          { name: `Deploy: ECS ${d.strategy.toLowerCase().replace('_', '/')}` },
        ),
      ];
    case 'codedeploy-lambda':
      return [
        ...(needsImage(c) ? [imageStep(c, p)] : []),
        {
          name: `Publish and shift alias traffic with CodeDeploy (${d.config})`,
          ...(needsImage(c) ? {} : { 'working-directory': fromRepoRoot(c, RELEASE) }),
          env: vars,
          run: `bash "$GITHUB_WORKSPACE/${fromRepoRoot(c, script!)}"`,
        },
      ];
    case 's3-deploy':
      return [
        stackOutputs(c, p.existing ? { bucket: p.outputs.siteBucket } : { bucket: p.outputs.siteBucket, distribution: p.outputs.distributionId }),
        {
          name: 'Sync the site and invalidate CloudFront',
          env: { SITE_BUCKET: '${{ steps.stack.outputs.bucket }}', ...(p.existing ? {} : { DISTRIBUTION_ID: '${{ steps.stack.outputs.distribution }}' }) },
          run: `bash ${script} ${RELEASE}`,
        },
      ];
    default: {
      const never: never = d;
      throw new Error(`no workflow deploy for ${JSON.stringify(never)}`);
    }
  }
}

function deployJob(c: PipelineConfig, p: EnvironmentPlan): Record<string, unknown> {
  const previous = p.first ? 'build' : `deploy-${c.environments[p.index - 1]}`;
  const archive = releaseArchive(c);
  return {
    'name': `Deploy to ${p.environment}`,
    'needs': previous,
    // Only the release branch deploys, whatever ref a workflow_dispatch names (the environments' deployment branch policies say the same).
    'if': `github.ref == ${expressionString(`refs/heads/${c.branch}`)} && (github.event_name == 'push' || github.event_name == 'workflow_dispatch')`,
    'runs-on': 'ubuntu-latest',
    'timeout-minutes': releaseOf(c).waitMinutes + 15,
    // Required reviewers on this GitHub environment are the manual approval; the AWS role trusts only this environment.
    'environment': p.environment,
    // Per service and environment: two services of one repo deploy side by side, one service's deploys never race.
    'concurrency': { 'group': c.path === '.' ? `deploy-${p.environment}` : `${c.name}-deploy-${p.environment}`, 'cancel-in-progress': false },
    'permissions': { 'contents': 'read', 'id-token': 'write' },
    'steps': [
      uses('actions/checkout', { 'persist-credentials': false }),
      ...(archive
        ? [uses('actions/download-artifact', { name: RELEASE, ...(c.path === '.' ? {} : { path: c.path }) }), { name: 'Unpack the release', run: `mkdir ${RELEASE} && tar -xf ${ARCHIVE} -C ${RELEASE}` }]
        : []),
      uses('aws-actions/configure-aws-credentials', { 'role-to-assume': roleArn(c, p), 'aws-region': c.region, 'role-session-name': `${c.name}-${p.environment}` }),
      ...deploySteps(c, p),
    ],
  };
}

export function renderWorkflow(c: PipelineConfig): Record<string, unknown> | undefined {
  if (c.ci === 'codepipeline') return undefined;
  const jobs: Record<string, unknown> = { build: buildJob(c) };
  for (const p of c.plans) jobs[`deploy-${p.environment}`] = deployJob(c, p);
  if (c.path !== '.') return inFolder(c, jobs);
  return {
    name: 'pipeline',
    on: {
      // Pull requests into the release branch run the build job only: no AWS credentials, no secrets, no deploy.
      ...(c.prBuilds ? { pull_request: { branches: [c.branch] } } : {}),
      push: { 'branches': [c.branch], 'paths-ignore': [...DOCS_PATHS] },
      workflow_dispatch: {},
    },
    permissions: { contents: 'read' },
    concurrency: { 'group': 'pipeline-${{ github.ref }}', 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
    jobs,
  };
}

/**
 * The workflow of a service in a folder of a bigger repository: at the repository's root (GitHub reads workflows only
 * there), named after the service, run for changes to the service's folder (everything its pipeline reads is there)
 * and to the workflow itself, each run in the service's folder, with concurrency groups of its own.
 * GitHub takes `paths` or `paths-ignore` on an event, not both: the docs are left out by `!` patterns after the folder's.
 */
function inFolder(c: PipelineConfig, jobs: Record<string, unknown>): Record<string, unknown> {
  const paths = [`${c.path}/**`, ...DOCS_PATHS.map((p) => `!${c.path}/${p}`), workflowPath(c)];
  return {
    name: c.name,
    on: {
      ...(c.prBuilds ? { pull_request: { branches: [c.branch], paths: [`${c.path}/**`, workflowPath(c)] } } : {}),
      push: { branches: [c.branch], paths },
      workflow_dispatch: {},
    },
    permissions: { contents: 'read' },
    concurrency: { 'group': `${c.name}-\${{ github.ref }}`, 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
    defaults: { run: { 'working-directory': c.path } },
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
