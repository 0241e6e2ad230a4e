/**
 * The projen component: everything our pipeline adds to a Node.js project.
 * AwsPipelineProject uses it; an existing projen project adds it in its own
 * `.projenrc.ts`. Managed files carry projen's marker and follow every
 * synth; files the user owns are written once.
 */
import { Component, JsonFile, SampleFile } from 'projen';
import type { javascript } from 'projen';
import { ManagedTextFile, RenderedFiles } from './managed-file';
import type { PipelineConfig } from '../model/config';
import { APP_DIR, usesCodePipeline, workflowPath } from '../model/layout';
import type { PipelineOptions } from '../model/options';
import { PR_BUILDSPEC } from '../model/pr-builds';
import { isPresetPath, presetDirs, resolveWithPreset } from '../model/preset';
import { placeholderRepositoryWarning, placeholderWarned } from '../model/repository';
import { TOOLCHAINS } from '../model/toolchains';
import { installedVersion, packageVersion } from '../package-info';
import { renderAppFiles } from '../render/app-files';
import { renderAppspec } from '../render/appspec';
import { renderBuildspec, renderIntegrationBuildspec, renderPrBuildspec } from '../render/buildspec';
import { renderCdkApp, renderCdkJson } from '../render/cdk-app';
import { renderDeployScripts } from '../render/deploy-scripts';
import { renderPipelineDocs } from '../render/docs';
import { ECS_HOOK_TEST, renderEcsHookFiles, renderHookScripts } from '../render/hooks';
import { renderTaskdef } from '../render/taskdef';
import { renderWorkflow, workflowYaml } from '../render/workflow';
import { toYaml } from '../render/yaml';

/** projen's task PATH for npm projects, and ours (no `$` inside: projen's shell would expand it in the quotes). */
const NPX_PATH = '$(npx -c "node --print process.env.PATH")';
const BIN_PATH = '$(node -e "const p = require(\'node:path\'); const bins = []; for (let d = process.cwd(); ; d = p.dirname(d)) { bins.push(p.join(d, \'node_modules\', \'.bin\')); if (p.dirname(d) === d) break; } console.log([...bins, process.env.PATH].join(p.delimiter))")';

export class AwsPipeline extends Component {
  /** The checked configuration every file is rendered from. */
  public readonly config: PipelineConfig;

  constructor(project: javascript.NodeProject, options: PipelineOptions) {
    super(project, 'AwsPipeline');
    this.config = resolveWithPreset(options, presetDirs(project.outdir));
    const c = this.config;
    // A service in a folder of its repository (docs/monorepo.md): its workflow goes to the repository's root.
    RenderedFiles.of(project).inFolder(c.path);
    // Said at every synth until the placeholder repository is replaced.
    const placeholder = placeholderRepositoryWarning(c);
    if (placeholder && !placeholderWarned.byCli) project.logger.warn(placeholder);
    // A package preset is a dependency of the repo: installing or upgrading it changes what every synth renders.
    if (c.preset?.version && !isPresetPath(c.preset.ref)) project.addDevDeps(`${c.preset.ref}@^${c.preset.version}`);

    // The package that renders these files; `projen upgrade` brings new templates.
    if (project.name !== 'create-aws-pipeline') project.addDevDeps(`create-aws-pipeline@^${packageVersion()}`);
    project.gitignore.exclude('cdk.out/');
    // Every task run (`npx projen` too) evaluates projen's PATH for npm, `npx -c "node --print process.env.PATH"`: an npm
    // start-up, about a second. The same folders (node_modules/.bin of the repo and of its parents, then PATH) from one node.
    if (project.tasks.env.PATH === NPX_PATH) project.tasks.addEnvironment('PATH', BIN_PATH);

    // The CDK app: only wiring; the constructs live in create-aws-pipeline, so upgrades reach them.
    // They are this package's optional peers (`npm create` installs none of them): the repo installs them, at the versions this release was built with.
    project.addDeps(`aws-cdk-lib@^${installedVersion('aws-cdk-lib')}`, `constructs@^${installedVersion('constructs')}`, `cdk-nag@^${installedVersion('cdk-nag')}`);
    project.addDevDeps('aws-cdk@^2', 'tsx@^4.23.15');
    new JsonFile(project, 'cdk.json', { obj: renderCdkJson(), marker: false, readonly: true });
    new ManagedTextFile(project, 'infra/main.ts', { comment: 'slash', contents: renderCdkApp(c) });
    // What the day-2 commands act on (create-aws-pipeline status|release|approve|reject|retry).
    if (usesCodePipeline(c)) {
      // The SDK the day-2 commands call CodePipeline with.
      project.addDevDeps(`@aws-sdk/client-codepipeline@^${installedVersion('@aws-sdk/client-codepipeline')}`);
      new JsonFile(project, 'aws-pipeline.json', { obj: { pipeline: c.names.pipeline, region: c.region, environments: c.environments }, readonly: true });
      for (const op of ['status', 'release', 'approve', 'reject', 'retry']) {
        project.addTask(`pipeline:${op}`, { description: `create-aws-pipeline ${op}`, exec: `create-aws-pipeline ${op}`, receiveArgs: true });
      }
    }
    project.addTask('drift', { description: 'Which managed files differ from the templates, without writing (for CI)', exec: 'create-aws-pipeline drift', receiveArgs: true });
    project.addTask('reset', { description: 'Return managed files to the template, dropping your edits: npx projen reset FILE', exec: 'create-aws-pipeline reset', receiveArgs: true });
    // --quiet: the template goes to cdk.out/, not the terminal (`cdk synth` without it prints all of it as YAML).
    project.addTask('cdk:synth', { description: 'Synthesize the pipeline stack into cdk.out/ (cdk-nag checks run)', exec: 'cdk synth --quiet', receiveArgs: true });
    project.addTask('cdk:deploy', { description: 'Deploy the pipeline stack', exec: 'cdk deploy', receiveArgs: true });

    // The app's unit tests, as the build runs them (the runtime's toolchain, in app/): a failing test fails `npx projen test`.
    const toolchain = TOOLCHAINS[c.runtime];
    for (const command of toolchain.localTest ?? toolchain.test) project.testTask.exec(command, { cwd: APP_DIR });

    new ManagedTextFile(project, 'docs/pipeline.md', { comment: 'html', contents: renderPipelineDocs(c) });

    if (usesCodePipeline(c)) new ManagedTextFile(project, 'buildspec.yml', { comment: 'hash', contents: toYaml(renderBuildspec(c)) });
    const integration = renderIntegrationBuildspec(c);
    if (usesCodePipeline(c) && integration) new ManagedTextFile(project, 'buildspec-integration.yml', { comment: 'hash', contents: toYaml(integration) });
    const prBuildspec = renderPrBuildspec(c);
    if (prBuildspec) new ManagedTextFile(project, PR_BUILDSPEC, { comment: 'hash', contents: toYaml(prBuildspec) });
    const workflow = renderWorkflow(c);
    // GitHub reads workflows only at the repository's root: a service in a folder writes its own there, the one file outside its folder.
    if (workflow) new ManagedTextFile(project, workflowPath(c), { comment: 'hash', contents: workflowYaml(workflow), atRepoRoot: c.path !== '.' });
    const appspec = renderAppspec(c);
    if (appspec) new ManagedTextFile(project, 'appspec.yml', { comment: 'hash', contents: toYaml(appspec) });
    const taskdef = renderTaskdef(c);
    // JSON has no comments and ECS refuses unknown keys: no marker in taskdef.json.
    if (taskdef) new ManagedTextFile(project, 'taskdef.json', { comment: 'none', contents: `${JSON.stringify(taskdef, null, 2)}\n` });
    for (const [path, script] of Object.entries(renderHookScripts(c))) {
      new ManagedTextFile(project, path, { comment: 'hash', contents: script, executable: !path.endsWith('/common.sh') });
    }
    for (const [path, script] of Object.entries(renderDeployScripts(c))) new ManagedTextFile(project, path, { comment: 'hash', contents: script, executable: true });
    // The ECS validation hook is the user's from the first synth on (to add checks); its tests run with the repo's.
    for (const [path, contents] of Object.entries(renderEcsHookFiles(c))) new SampleFile(project, path, { contents });
    if (c.deployment.kind === 'ecs-native') project.testTask.exec(`node --test ${ECS_HOOK_TEST}`);
    // The sample app is the user's from the first synth on.
    for (const [path, contents] of Object.entries(renderAppFiles(c))) new SampleFile(project, path, { contents });
  }
}
