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
  /** Where approval and failure notifications go. @default - no subscription (subscribe to the topics) */
  readonly notificationEmail?: string;
  /**
   * Where CodeBuild keeps its cache: `local` (on the build host, free, warm only between close builds)
   * or `s3` (under build-cache/ in the artifact bucket, shared by every build). @default "local"
   */
  readonly buildCache?: string;
  /**
   * The folder of the ECS lifecycle hook that validates the test listener (`--ecs-engine ecs`): the generated
   * repo's hooks/ecs-validate, relative to where `cdk` runs. @default - the hook this package ships (assets/ecs-validate-hook)
   */
  readonly ecsHookDir?: string;

}
