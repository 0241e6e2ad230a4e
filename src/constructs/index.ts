/** The CDK constructs of generated repos: `import { AwsPipelineStack } from 'create-aws-pipeline/constructs'`. */
export { AwsPipelineStack, DOCS_PATHS } from './pipeline-stack';
export { addPipelineChecks } from './nag';
export type { AwsPipelineStackProps } from './props';
export { TEST_LISTENER_PORT } from '../model/plan';
