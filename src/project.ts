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
import { defaultDescription } from './render/repo-files';
import { renderTemplate } from './render/template';

export interface AwsPipelineProjectOptions extends PipelineOptions {
  /** Where to write the project. @default "." */
  readonly outdir?: string;
  /** The package description. @default - one line from the answers */
  readonly description?: string;
}

/** Runs `fn` with PROJEN_DISABLE_POST set: the first synth installs nothing. */
export function withoutPostSynth<T>(fn: () => T): T {
  const before = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = before;
  }
}

/** The options of the projen project type a generated repo is (a TypeScript app, the CDK app in infra/), without the pipeline. */
export function baseProjectOptions(config: PipelineConfig, outdir: string | undefined, description: string | undefined, readme: string): typescript.TypeScriptProjectOptions {
  return {
    name: config.name,
    description: description ?? defaultDescription(config.name),
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
    readme: { contents: readme },
    devDeps: ['tsx@^4.23.15'],
  };
}

/** What the project type changes in projen's TypeScript app, before the pipeline is added. */
export function adjustBaseProject(project: typescript.TypeScriptAppProject): void {
  // `tsc --build` does not take noEmit on every TypeScript this repo may have: a plain type check of tsconfig.json.
  project.compileTask.reset('tsc');
  project.watchTask.reset('tsc --watch');
}

export class AwsPipelineProject extends typescript.TypeScriptAppProject {
  public readonly pipeline: AwsPipeline;
  public readonly config: PipelineConfig;

  constructor(options: AwsPipelineProjectOptions) {
    // Checked before projen writes anything, so a bad answer fails with our message.
    const { outdir, description, ...pipelineOptions } = options;
    const config = resolveWithPreset(pipelineOptions, presetDirs(outdir ?? '.'));
    super(baseProjectOptions(config, outdir, description, renderTemplate('README.md', { config, pr: prBuildsView(config) })));
    adjustBaseProject(this);
    this.pipeline = new AwsPipeline(this, pipelineOptions);
    this.config = config;
  }

  /** projen's synth, then a failure while managed files hold unresolved merge conflicts (also with --no-post). */
  public synth(): void {
    super.synth();
    RenderedFiles.of(this).checkConflicts();
  }
}
