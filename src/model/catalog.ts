/**
 * The choices the generator offers, with the words the CLI and the prompts
 * show for them. Adding a runtime, source, target or strategy starts here;
 * `matrix.ts` then says which combinations AWS supports.
 */
import { NODE_MAJOR } from './node-version';

export interface Choice<T extends string> {
  readonly value: T;
  readonly label: string;
  readonly description: string;
}

export const RUNTIMES = ['node', 'python', 'java', 'go', 'container'] as const;
export type Runtime = (typeof RUNTIMES)[number];

export const SOURCES = ['github', 'gitlab', 'bitbucket', 'codecommit', 's3'] as const;
export type Source = (typeof SOURCES)[number];

export const TARGETS = ['ec2', 'ecs', 'lambda', 's3-site'] as const;
export type Target = (typeof TARGETS)[number];

export const STRATEGIES = [
  'all-at-once',
  'one-at-a-time',
  'half-at-a-time',
  'blue-green',
  'canary',
  'linear',
] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const CI_SYSTEMS = ['codepipeline', 'github-actions', 'both'] as const;
export type CiSystem = (typeof CI_SYSTEMS)[number];

/** Who runs an ECS blue/green, canary or linear deployment: CodeDeploy, or ECS's own deployment controller. */
export const ECS_ENGINES = ['codedeploy', 'ecs'] as const;
export type EcsEngine = (typeof ECS_ENGINES)[number];

export const RUNTIME_CHOICES: readonly Choice<Runtime>[] = [
  { value: 'node', label: 'Node.js', description: `Node.js ${NODE_MAJOR} with npm` },
  { value: 'python', label: 'Python', description: 'Python 3.12 with pip' },
  { value: 'java', label: 'Java', description: 'Java 21 (Corretto) with Maven' },
  { value: 'go', label: 'Go', description: 'Go 1.23' },
  { value: 'container', label: 'Any Dockerfile', description: 'a container image built from your Dockerfile' },
];

export const SOURCE_CHOICES: readonly Choice<Source>[] = [
  { value: 'github', label: 'GitHub', description: 'GitHub through an AWS CodeConnections connection' },
  { value: 'gitlab', label: 'GitLab', description: 'GitLab through an AWS CodeConnections connection' },
  { value: 'bitbucket', label: 'Bitbucket', description: 'Bitbucket Cloud through an AWS CodeConnections connection' },
  { value: 'codecommit', label: 'CodeCommit', description: 'an AWS CodeCommit repository' },
  { value: 's3', label: 'Amazon S3', description: 'a zip file in a versioned S3 bucket' },
];

export const TARGET_CHOICES: readonly Choice<Target>[] = [
  { value: 'ec2', label: 'EC2 (CodeDeploy)', description: 'instances in an Auto Scaling group, deployed by CodeDeploy' },
  { value: 'ecs', label: 'ECS Fargate', description: 'an ECS service on Fargate behind an Application Load Balancer' },
  { value: 'lambda', label: 'Lambda', description: 'a Lambda function with a live alias, shifted by CodeDeploy' },
  { value: 's3-site', label: 'S3 static site', description: 'a private S3 bucket behind CloudFront' },
];

export const STRATEGY_CHOICES: readonly Choice<Strategy>[] = [
  { value: 'all-at-once', label: 'All at once', description: 'replace every instance or task, or shift all traffic, in one step' },
  { value: 'one-at-a-time', label: 'Rolling, one at a time', description: 'in place, one instance at a time' },
  { value: 'half-at-a-time', label: 'Rolling, half at a time', description: 'in place, half of the fleet at a time' },
  { value: 'blue-green', label: 'Blue/green', description: 'a new task set (ECS), then all traffic moves to it' },
  { value: 'canary', label: 'Canary', description: 'a slice of traffic first, the rest after an interval' },
  { value: 'linear', label: 'Linear', description: 'equal slices of traffic at equal intervals' },
];

export const CI_CHOICES: readonly Choice<CiSystem>[] = [
  { value: 'codepipeline', label: 'AWS CodePipeline', description: 'CodePipeline V2 with CodeBuild and CodeDeploy' },
  { value: 'github-actions', label: 'GitHub Actions', description: 'GitHub Actions workflows authenticated to AWS by OIDC' },
  { value: 'both', label: 'Both', description: 'CodePipeline and GitHub Actions workflows' },
];

export const ECS_ENGINE_CHOICES: readonly Choice<EcsEngine>[] = [
  { value: 'ecs', label: 'ECS (native)', description: 'ECS\'s own blue/green, canary or linear deployment, with a bake time and a Lambda lifecycle hook (AWS recommends it)' },
  { value: 'codedeploy', label: 'CodeDeploy', description: 'a CodeDeploy deployment group with appspec.yml and its predefined canary/linear configurations' },
];

/** The sources that reach CodePipeline through an AWS CodeConnections connection. */
export const CONNECTION_SOURCES: readonly Source[] = ['github', 'gitlab', 'bitbucket'];
