/**
 * The placeholders that managed files carry until a build or a deploy fills
 * them in. Every file that writes one and every script or action that
 * replaces it reads it from here.
 */
export const TOKENS = {
  /** appspec.yml (ECS): the task definition CodeDeploy registers (filled by CodeDeploy or scripts/deploy/ecs.sh). */
  taskDefinition: '<TASK_DEFINITION>',
  /** taskdef.json: the image; CodePipeline's CodeDeploy-to-ECS action names it without brackets. */
  image: '<IMAGE1_NAME>',
  imagePlaceholder: 'IMAGE1_NAME',
  /** taskdef.json: filled per environment by scripts/deploy/render-taskdef.sh. */
  family: '<TASK_FAMILY>',
  executionRoleArn: '<EXECUTION_ROLE_ARN>',
  taskRoleArn: '<TASK_ROLE_ARN>',
  logGroup: '<LOG_GROUP>',
  /** appspec.yml (Lambda): filled per environment by scripts/deploy/lambda.sh. */
  functionName: '<FUNCTION_NAME>',
  currentVersion: '<CURRENT_VERSION>',
  targetVersion: '<TARGET_VERSION>',
  beforeAllowTraffic: '<BEFORE_ALLOW_TRAFFIC_HOOK>',
  afterAllowTraffic: '<AFTER_ALLOW_TRAFFIC_HOOK>',
} as const;
