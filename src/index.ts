export { AwsPipelineProject } from './project';
export type { AwsPipelineProjectOptions } from './project';
export { AwsPipeline } from './components/aws-pipeline';
export * from './model';

import { reportUncaughtInProjenrc, runningProjenrc } from './cli/errors';

// `npx projen` runs `tsx .projenrc.ts`, and a generated .projenrc.ts is the user's (written once, never upgraded):
// so the library it imports makes our uncaught errors one line there, instead of Node's stack trace (src/cli/errors.ts).
if (runningProjenrc()) reportUncaughtInProjenrc();
