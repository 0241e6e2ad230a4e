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
import type { PipelineOptions } from '../model/options';
import { presetDirs, resolveWithPreset } from '../model/preset';
import { placeholderRepositoryWarning, placeholderWarned } from '../model/repository';
import { NPX_PATH, repoPlan } from '../render/repo-plan';

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

    // Everything else is the plan (render/repo-plan.ts), which the scaffold also writes a new repo from.
    const plan = repoPlan(c, project.name);
    project.addDevDeps(...plan.firstDevDeps);
    for (const pattern of plan.ignore) project.gitignore.exclude(pattern);
    // Every task run (`npx projen` too) evaluates projen's PATH for npm, `npx -c "node --print process.env.PATH"`: an npm
    // start-up, about a second. The same folders (node_modules/.bin of the repo and of its parents, then PATH) from one node.
    if (project.tasks.env.PATH === NPX_PATH) project.tasks.addEnvironment('PATH', plan.path);
    project.addDeps(...plan.deps);
    project.addDevDeps(...plan.devDeps);
    for (const t of plan.tasks) project.addTask(t.name, { description: t.description, exec: t.exec, receiveArgs: true });
    for (const step of plan.testSteps) project.testTask.exec(step.exec, step.cwd !== undefined ? { cwd: step.cwd } : undefined);
    for (const f of plan.files) {
      if (f.kind === 'json') new JsonFile(project, f.path, { obj: f.obj, readonly: true, ...(f.marker ? {} : { marker: false }) });
      else if (f.kind === 'managed') new ManagedTextFile(project, f.path, { comment: f.comment, contents: f.contents, executable: f.executable, atRepoRoot: f.atRepoRoot });
      else new SampleFile(project, f.path, { contents: f.contents });
    }
  }
}
