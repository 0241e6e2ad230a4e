/**
 * AwsPipelineProject: the project type of a generated repo. A TypeScript
 * app (the CDK app lives in infra/) with the AwsPipeline component.
 */
import { javascript, typescript } from 'projen';
import { AwsPipeline } from './components/aws-pipeline';
import { RenderedFiles } from './components/managed-file';
import type { PipelineConfig } from './model/config';
import { NODE } from './model/node-version';
import type { PipelineOptions } from './model/options';
import { prBuildsView } from './model/pr-builds';
import { presetDirs, resolveWithPreset } from './model/preset';
import { installedVersion } from './package-info';
import { renderTemplate } from './render/template';

export interface AwsPipelineProjectOptions extends PipelineOptions {
  /** Where to write the project. @default "." */
  readonly outdir?: string;
  /** The package description. @default - one line from the answers */
  readonly description?: string;
}

export class AwsPipelineProject extends typescript.TypeScriptAppProject {
  public readonly pipeline: AwsPipeline;
  public readonly config: PipelineConfig;

  constructor(options: AwsPipelineProjectOptions) {
    // Checked before projen writes anything, so a bad answer fails with our message.
    const { outdir, description, ...pipelineOptions } = options;
    const config = resolveWithPreset(pipelineOptions, presetDirs(outdir ?? '.'));
    super({
      name: config.name,
      description: description ?? `${config.name}, delivered by an AWS pipeline`,
      outdir,
      defaultReleaseBranch: config.branch,
      packageManager: javascript.NodePackageManager.NPM,
      // engines.node, and projen adds @types/node of the same major.
      minNodeVersion: NODE.minNodeVersion,
      projenrcTs: true,
      projenrcTsOptions: { runner: typescript.TypeScriptRunner.tsx() },
      projenVersion: installedVersion('projen'),
      typescriptVersion: '~5.9.3',
      srcdir: 'infra',
      libdir: 'lib',
      testdir: 'test',
      licensed: false,
      github: false,
      jest: false,
      eslint: false,
      sampleCode: false,
      depsUpgrade: true,
      // As `cdk init` has it: the infra is type-checked, never emitted (tsx runs it); the libraries' own .d.ts are not
      // checked again (aws-cdk-lib's take most of the time).
      tsconfig: { compilerOptions: { noEmit: true, skipLibCheck: true } },
      readme: { contents: renderTemplate('README.md', { config, pr: prBuildsView(config) }) },
      devDeps: ['tsx@^4.23.15'],
    });
    this.pipeline = new AwsPipeline(this, pipelineOptions);
    this.config = config;
    // `tsc --build` does not take noEmit on every TypeScript this repo may have: a plain type check of tsconfig.json.
    this.compileTask.reset('tsc');
    this.watchTask.reset('tsc --watch');
  }

  /** projen's synth, then a failure while managed files hold unresolved merge conflicts (also with --no-post). */
  public synth(): void {
    super.synth();
    RenderedFiles.of(this).checkConflicts();
  }
}
