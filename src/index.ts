export { AwsPipelineProject } from './project';
export type { AwsPipelineProjectOptions } from './project';
export { AwsPipeline } from './components/aws-pipeline';
export * from './model';
