export { AwsPipeline } from './aws-pipeline';
