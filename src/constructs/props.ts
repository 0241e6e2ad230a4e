/** What the pipeline stack takes: the model's options, plus the few values only a deployment knows. */
import type { StackProps } from 'aws-cdk-lib';
import type { PipelineOptions } from '../model/options';

export interface AwsPipelineStackProps extends PipelineOptions, StackProps {
  /**
   * The CodeConnections connection (GitHub, GitLab, Bitbucket sources):
   * `arn:aws:codeconnections:<region>:<account>:connection/<id>` (or the
   * older `codestar-connections`). @default - a `ConnectionArn` stack parameter
   */
  readonly connectionArn?: string;
  /** Who owns the service: the Owner tag. @default "unowned" */
  readonly owner?: string;
  /** Where approval and failure notifications go. @default - no subscription (subscribe to the topics) */
  readonly notificationEmail?: string;
  /** ALB 5xx responses (or Lambda errors) per minute that roll a deployment back. @default 5 */
  readonly errorThreshold?: number;
  /** p99 latency (ms) that rolls a deployment back. @default 1000 */
  readonly latencyThresholdMs?: number;
  /**
   * Where CodeBuild keeps its cache: `local` (on the build host, free, warm only between close builds)
   * or `s3` (under build-cache/ in the artifact bucket, shared by every build). @default "local"
   */
  readonly buildCache?: string;

}
