/** What every target builds on: the stack's config, thresholds and shared resources. */
import type {
  aws_cloudwatch as cloudwatch,
  aws_codedeploy as codedeploy,
  aws_codepipeline as codepipeline,
  aws_ec2 as ec2,
  aws_ecr as ecr,
  aws_ecs as ecs,
  aws_iam as iam,
  aws_kms as kms,
  aws_s3 as s3,
  aws_sns as sns,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { PipelineConfig } from '../model/config';
import type { EnvironmentPlan } from '../model/plan';

export interface Shared {
  readonly scope: Construct;
  readonly config: PipelineConfig;
  readonly key: kms.IKey;
  /** The bucket for S3, load balancer and CloudFront access logs. */
  readonly accessLogs: s3.IBucket;
  readonly errorThreshold: number;
  readonly latencyThresholdMs: number;
  /** Roles that read deployment revisions from the artifact bucket (EC2 instances). */
  readonly artifactReaders: iam.IGrantable[];
  /** The folder of the ECS native validation hook's code. */
  readonly ecsHookDir: string;
  /** Created on first use: a VPC for the targets that need one. */
  vpc(): ec2.IVpc;
  /** Created on first use: the image repository. */
  repository(): ecr.IRepository;
  /** Created on first use: the roles every task definition uses (the build writes them into taskdef.json). */
  taskRoles(): { execution: iam.Role; task: iam.Role };
  /** Created on first use: the ECS cluster. */
  cluster(): ecs.ICluster;
  /** The topic for approvals, failures and fleet events. */
  notifications(): sns.ITopic;
  /** Created on first use: the CodeDeploy application of each compute platform. */
  serverApplication(): codedeploy.IServerApplication;
  ecsApplication(): codedeploy.IEcsApplication;
  lambdaApplication(): codedeploy.ILambdaApplication;
  /** The account an environment runs in. */
  accountOf(plan: EnvironmentPlan): string;
  /** The role another account provides for the pipeline's deploy actions (cross-account production). */
  crossAccountRole(plan: EnvironmentPlan): iam.IRole | undefined;
  /** The artifact bucket (pipeline artifacts, and EC2 revisions pushed by GitHub Actions). */
  artifactBucket(): s3.IBucket;
}

/** One environment's deployment: the pipeline actions and the alarms that roll it back. */
export interface EnvironmentTarget {
  readonly actions: (input: codepipeline.Artifact, runOrder: number) => codepipeline.IAction[];
  readonly alarms: cloudwatch.IAlarm[];
  /** Lets a GitHub Actions role deploy this environment the way the workflow does. */
  readonly grantDeploy: (grantee: iam.IGrantable) => void;
  /** Stack outputs (key -> value): what the workflow reads, and the service's URL. */
  readonly outputs?: Record<string, string>;
}

export type TargetFactory = (shared: Shared, plan: EnvironmentPlan) => EnvironmentTarget;
