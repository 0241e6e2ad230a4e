/**
 * What the pipeline adds to a Node.js project, as data: its dependencies, tasks, ignore patterns and files, in the order
 * they are added. Two readers, one source: the AwsPipeline component applies it to a projen project (every synth of a
 * generated repo), and the scaffold (repo-files.ts) writes a new repo from it without loading projen.
 */
import type { PipelineConfig } from '../model/config';
import { APP_DIR, usesCodePipeline, workflowPath } from '../model/layout';
import { PR_BUILDSPEC } from '../model/pr-builds';
import { isPresetPath } from '../model/preset';
import { TOOLCHAINS } from '../model/toolchains';
import { installedVersion, packageVersion } from '../package-info';
import { renderAppFiles } from './app-files';
import { renderAppspec } from './appspec';
import { renderBuildspec, renderIntegrationBuildspec, renderPrBuildspec } from './buildspec';
import { renderCdkApp, renderCdkJson } from './cdk-app';
import { renderDeployScripts } from './deploy-scripts';
import { renderPipelineDocs } from './docs';
import { ECS_HOOK_TEST, renderEcsHookFiles, renderHookScripts } from './hooks';
import { renderTaskdef } from './taskdef';
import { renderWorkflow, workflowYaml } from './workflow';
import { toYaml } from './yaml';

/** projen's task PATH for npm projects, and ours (no `$` inside: projen's shell would expand it in the quotes). */
export const NPX_PATH = '$(npx -c "node --print process.env.PATH")';
export const BIN_PATH =
  '$(node -e "const p = require(\'node:path\'); const bins = []; for (let d = process.cwd(); ; d = p.dirname(d)) { bins.push(p.join(d, \'node_modules\', \'.bin\')); if (p.dirname(d) === d) break; } console.log([...bins, process.env.PATH].join(p.delimiter))")';

/** A file the pipeline writes. */
export type PlannedFile =
  /** projen's JSON file, read-only, rewritten by every synth. */
  | { readonly kind: 'json'; readonly path: string; readonly obj: Record<string, unknown>; readonly marker: boolean }
  /** A managed text file (components/managed-file.ts): merged with the user's edits by every synth. */
  | {
    readonly kind: 'managed';
    readonly path: string;
    readonly contents: string;
    readonly comment: 'hash' | 'html' | 'slash' | 'none';
    readonly executable: boolean;
    readonly atRepoRoot: boolean;
  }
  /** The user's from the first synth on: written only when missing. */
  | { readonly kind: 'sample'; readonly path: string; readonly contents: string };

export interface PlannedTask {
  readonly name: string;
  readonly description: string;
  readonly exec: string;
}

export interface RepoPlan {
  /** Dev dependencies added first (`name@range`): the preset's, then this package. */
  readonly firstDevDeps: readonly string[];
  /** Patterns .gitignore excludes. */
  readonly ignore: readonly string[];
  /** The task PATH, where projen's is NPX_PATH. */
  readonly path: string;
  readonly deps: readonly string[];
  readonly devDeps: readonly string[];
  readonly tasks: readonly PlannedTask[];
  /** Steps of `npx projen test`, in order. */
  readonly testSteps: readonly { readonly exec: string; readonly cwd?: string }[];
  /** In the order they are added (the order of their .gitignore lines). */
  readonly files: readonly PlannedFile[];
}

/** The plan for `config`, in a projen project named `projectName`. */
export function repoPlan(config: PipelineConfig, projectName: string): RepoPlan {
  const c = config;
  const firstDevDeps: string[] = [];
  // A package preset is a dependency of the repo: installing or upgrading it changes what every synth renders.
  if (c.preset?.version && !isPresetPath(c.preset.ref)) firstDevDeps.push(`${c.preset.ref}@^${c.preset.version}`);
  // The package that renders these files; `projen upgrade` brings new templates.
  if (projectName !== 'create-aws-pipeline') firstDevDeps.push(`create-aws-pipeline@^${packageVersion()}`);

  const files: PlannedFile[] = [];
  const managed = (path: string, comment: 'hash' | 'html' | 'slash' | 'none', contents: string, more: { executable?: boolean; atRepoRoot?: boolean } = {}) =>
    files.push({ kind: 'managed', path, contents, comment, executable: more.executable ?? false, atRepoRoot: more.atRepoRoot ?? false });
  const devDeps = ['aws-cdk@^2', 'tsx@^4.23.15'];
  const tasks: PlannedTask[] = [];

  files.push({ kind: 'json', path: 'cdk.json', obj: renderCdkJson() as Record<string, unknown>, marker: false });
  managed('infra/main.ts', 'slash', renderCdkApp(c));
  // What the day-2 commands act on (create-aws-pipeline status|release|approve|reject|retry).
  if (usesCodePipeline(c)) {
    // The SDK the day-2 commands call CodePipeline with.
    devDeps.push(`@aws-sdk/client-codepipeline@^${installedVersion('@aws-sdk/client-codepipeline')}`);
    files.push({ kind: 'json', path: 'aws-pipeline.json', obj: { pipeline: c.names.pipeline, region: c.region, environments: c.environments }, marker: true });
    for (const op of ['status', 'release', 'approve', 'reject', 'retry']) tasks.push({ name: `pipeline:${op}`, description: `create-aws-pipeline ${op}`, exec: `create-aws-pipeline ${op}` });
  }
  tasks.push({ name: 'drift', description: 'Which managed files differ from the templates, without writing (for CI)', exec: 'create-aws-pipeline drift' });
  tasks.push({ name: 'reset', description: 'Return managed files to the template, dropping your edits: npx projen reset FILE', exec: 'create-aws-pipeline reset' });
  // --quiet: the template goes to cdk.out/, not the terminal (`cdk synth` without it prints all of it as YAML).
  tasks.push({ name: 'cdk:synth', description: 'Synthesize the pipeline stack into cdk.out/ (cdk-nag checks run)', exec: 'cdk synth --quiet' });
  tasks.push({ name: 'cdk:deploy', description: 'Deploy the pipeline stack', exec: 'cdk deploy' });

  // The app's unit tests, as the build runs them (the runtime's toolchain, in app/): a failing test fails `npx projen test`.
  const toolchain = TOOLCHAINS[c.runtime];
  const testSteps: { exec: string; cwd?: string }[] = (toolchain.localTest ?? toolchain.test).map((exec) => ({ exec, cwd: APP_DIR }));

  managed('docs/pipeline.md', 'html', renderPipelineDocs(c));
  if (usesCodePipeline(c)) managed('buildspec.yml', 'hash', toYaml(renderBuildspec(c)));
  const integration = renderIntegrationBuildspec(c);
  if (usesCodePipeline(c) && integration) managed('buildspec-integration.yml', 'hash', toYaml(integration));
  const prBuildspec = renderPrBuildspec(c);
  if (prBuildspec) managed(PR_BUILDSPEC, 'hash', toYaml(prBuildspec));
  const workflow = renderWorkflow(c);
  // GitHub reads workflows only at the repository's root: a service in a folder writes its own there, the one file outside its folder.
  if (workflow) managed(workflowPath(c), 'hash', workflowYaml(workflow), { atRepoRoot: c.path !== '.' });
  const appspec = renderAppspec(c);
  if (appspec) managed('appspec.yml', 'hash', toYaml(appspec));
  const taskdef = renderTaskdef(c);
  // JSON has no comments and ECS refuses unknown keys: no marker in taskdef.json.
  if (taskdef) managed('taskdef.json', 'none', `${JSON.stringify(taskdef, null, 2)}\n`);
  for (const [path, script] of Object.entries(renderHookScripts(c))) managed(path, 'hash', script, { executable: !path.endsWith('/common.sh') });
  for (const [path, script] of Object.entries(renderDeployScripts(c))) managed(path, 'hash', script, { executable: true });
  // The ECS validation hook is the user's from the first synth on (to add checks); its tests run with the repo's.
  for (const [path, contents] of Object.entries(renderEcsHookFiles(c))) files.push({ kind: 'sample', path, contents });
  if (c.deployment.kind === 'ecs-native') testSteps.push({ exec: `node --test ${ECS_HOOK_TEST}` });
  // The sample app is the user's from the first synth on.
  for (const [path, contents] of Object.entries(renderAppFiles(c))) files.push({ kind: 'sample', path, contents });

  return {
    firstDevDeps,
    ignore: ['cdk.out/'],
    path: BIN_PATH,
    // They are this package's optional peers (`npm create` installs none of them): the repo installs them, at the versions this release was built with.
    deps: [`aws-cdk-lib@^${installedVersion('aws-cdk-lib')}`, `constructs@^${installedVersion('constructs')}`, `cdk-nag@^${installedVersion('cdk-nag')}`],
    devDeps,
    tasks,
    testSteps,
    files,
  };
}
