/**
 * The projen component: everything our pipeline adds to a Node.js project.
 * AwsPipelineProject uses it; an existing projen project adds it in its own
 * `.projenrc.ts`. Managed files carry projen's marker and follow every
 * synth; files the user owns are written once.
 */
import { Component } from 'projen';
import type { javascript } from 'projen';
import { resolveConfig } from '../model/config';
import type { PipelineConfig } from '../model/config';
import type { PipelineOptions } from '../model/options';
import { packageVersion } from '../package-info';
import { renderTemplate } from '../render/template';
import { ManagedTextFile } from './managed-file';

export class AwsPipeline extends Component {
  /** The checked configuration every file is rendered from. */
  public readonly config: PipelineConfig;

  constructor(project: javascript.NodeProject, options: PipelineOptions) {
    super(project, 'AwsPipeline');
    this.config = resolveConfig(options);

    // The package that renders these files; `projen upgrade` brings new templates.
    if (project.name !== 'create-aws-pipeline') project.addDevDeps(`create-aws-pipeline@^${packageVersion()}`);
    project.gitignore.exclude('cdk.out/');

    const data = { config: this.config };
    new ManagedTextFile(project, 'docs/pipeline.md', { comment: 'html', contents: renderTemplate('docs/pipeline.md', data) });
  }
}
