/**
 * A child process for the fault suite, run with `node --import tsx` on this
 * checkout's src/ (no build needed): `synth <dir> <options JSON>` re-renders
 * a repo as `npx projen` does (post-synth off: nothing to install); `cli
 * <args...>` runs the CLI. The fault hook (CREATE_AWS_PIPELINE_FAULT) comes
 * through the environment.
 */
import { run } from '../../src/cli/main';
import { AwsPipelineProject } from '../../src/project';

const [mode, ...args] = process.argv.slice(2);
if (mode === 'synth') {
  process.env.PROJEN_DISABLE_POST = 'true';
  new AwsPipelineProject({ name: 'svc', ...JSON.parse(args[1] ?? '{}'), outdir: args[0] }).synth();
} else {
  void run(args).then((code) => {
    process.exitCode = code;
  });
}
