/**
 * The scaffolding path of the CLI: checks what can be checked before any
 * prompt (target directory, missing answers without a terminal, given
 * values), then runs the Yeoman generator, which asks the rest and writes.
 */
import { basename, join, resolve } from 'node:path';
import pc from 'picocolors';
import { isNonEmptyDir } from '../dirs';
import { lstatOrUndefined, obstacleOnPath } from '../fs-safe';
import { recoverInterrupted } from '../fs-transaction';
import type { CliArgs } from './args';
import { UsageError } from './errors';
import { installAndCommit, nextSteps, writtenFiles } from './finish';
import { remoteRepository } from './git-remote';
import { summaryText } from './summary';
import type { Origin } from './summary';
import { ConfigError, DEFAULTS, resolveConfig, servicePathProblem, suggestServiceName } from '../model/config';
import type { PipelineConfig } from '../model/config';
import { workflowPath } from '../model/layout';
import { isAsked, PROMPTED_OPTIONS } from '../model/options';
import type { PipelineOptions } from '../model/options';
import { applyPreset, isPresetPath, loadPreset, presetDirs, presetRefFor, resolveNewRepo } from '../model/preset';
import type { PipelinePreset } from '../model/preset';
import { placeholderRepositoryWarning, placeholderWarned } from '../model/repository';
import { packageRoot } from '../package-info';

const DEFAULT_DIR = 'my-service';

export interface GeneratorRunOptions {
  readonly answers: Record<string, unknown>;
  readonly targetDir: string;
  readonly interactive: boolean;
  readonly skipInstall: boolean;
  /** git init and a first commit (--no-git: false). */
  readonly git: boolean;
  /** The preset given with --preset, loaded: the generator narrows its choices and offers its defaults. */
  readonly preset?: PipelinePreset;
  /** Where the answers given came from (flags, preset, folder name), for the summary. */
  readonly origins: Record<string, Origin>;
  readonly outcome: { error?: unknown };
}

/**
 * The checked configuration for a repo in `target`: a preset given as a path is named relative to the
 * repo, so the repo finds it on every synth.
 */
export function resolveForTarget(answers: Record<string, unknown>, target: string): PipelineConfig {
  const ref = answers.preset as string | undefined;
  const options = ref === undefined ? answers : { ...answers, preset: presetRefFor(ref, target, process.cwd()) };
  return resolveNewRepo(options as unknown as PipelineOptions, presetDirs(target));
}

/**
 * Checks the values that were given, before anything is asked. A refusal
 * that involves an answer still to be asked waits for the full check.
 */
function checkGiven(answers: Record<string, unknown>, fromPreset: Record<string, unknown>): void {
  try {
    const { preset: _ref, ...given } = answers;
    resolveConfig({ name: DEFAULT_DIR, ...fromPreset, ...given } as never);
  } catch (err) {
    if (!(err instanceof ConfigError) || err.option in answers) throw err;
  }
}

/**
 * `--path <dir>`: the service goes to `<dir>` under the folder this runs in (the repository's root). Checked before
 * anything is asked or written: a normalized relative path inside the root, and no symlink on the way.
 * Undefined when the service is the whole target folder.
 */
export function servicePathTarget(path: unknown): string | undefined {
  if (path === undefined || path === '.') return undefined;
  const problem = servicePathProblem(String(path));
  if (problem) throw new UsageError(problem);
  const obstacle = obstacleOnPath(process.cwd(), String(path));
  if (obstacle) {
    const what = obstacle.kind === 'symlink' ? `${obstacle.at} is a symlink (to ${obstacle.target})` : `${obstacle.at} is a file, not a folder`;
    throw new UsageError(`refusing --path ${String(path)}: ${what}; create-aws-pipeline writes nothing through a symlink: use a real folder of this repo`);
  }
  return String(path);
}

/**
 * The file a service in a folder writes at the repository's root (its GitHub Actions workflow) must not be there
 * already: another service of the same name wrote it, or it is the user's. Refused in one line unless --force.
 */
export function checkRootFiles(config: PipelineConfig, force: boolean): void {
  if (config.path === '.' || config.ci === 'codepipeline') return;
  const workflow = workflowPath(config);
  const obstacle = obstacleOnPath(process.cwd(), workflow);
  if (obstacle?.kind === 'symlink') {
    throw new UsageError(`refusing to write ${workflow}: ${obstacle.at} is a symlink (to ${obstacle.target}); create-aws-pipeline writes nothing through a symlink, and wrote nothing`);
  }
  if (!force && lstatOrUndefined(join(process.cwd(), workflow))) {
    throw new UsageError(`${workflow} exists already (another service named ${config.name} in this repo?): choose another name, or pass --force to replace it`);
  }
}

/** The refusal of a non-empty target folder without --force (the same whether the folder was given or typed as the name). */
export function notEmptyMessage(dir: string): string {
  return `${dir} is not empty: choose a new directory, or pass --force to write into it`;
}

/** Where each answer of a run came from: a flag, the preset, the folder's name; the rest are defaults. */
export function originsOf(flags: Record<string, unknown>, fromPreset: Record<string, unknown>, nameFromFolder: boolean): Record<string, Origin> {
  const origins: Record<string, Origin> = {};
  for (const key of Object.keys(fromPreset)) origins[key] = 'preset';
  for (const key of Object.keys(flags)) origins[key] = 'given';
  if (flags.name === undefined && nameFromFolder) origins.name = 'folder';
  return origins;
}

/** Before anything is written: the summary of the answers, and the placeholder repository's warning if it is one. */
export function reportAnswers(config: PipelineConfig, origins: Readonly<Record<string, Origin>>): void {
  process.stdout.write(`${summaryText(config, origins)}\n`);
  const placeholder = placeholderRepositoryWarning(config);
  if (placeholder) process.stderr.write(`${pc.yellow('warning')} ${placeholder}\n`);
  placeholderWarned.byCli = placeholder !== undefined;
}

export async function generate(cliArgs: CliArgs): Promise<number> {
  // With --yes nothing is asked: stdin is not looked at (its stream is not even made).
  const interactive = !cliArgs.yes && process.stdin.isTTY === true;
  // Nothing can be asked, and the user did type --yes (npm took it): take the defaults, and say how to pass flags.
  const args = !interactive && cliArgs.npmYes ? { ...cliArgs, yes: true } : cliArgs;
  if (args !== cliArgs) {
    process.stderr.write('note: npm took --yes for itself; taking the defaults. Put create-aws-pipeline\'s flags after --, e.g. npm create aws-pipeline my-service -- --yes\n');
  }
  const answers: Record<string, unknown> = { ...args.answers };
  // A preset: checked and applied before anything is asked (a locked option given otherwise fails here);
  // locked answers count as given, the preset's other values as defaults.
  let preset: PipelinePreset | undefined;
  let fromPreset: Record<string, unknown> = {};
  if (typeof answers.preset === 'string') {
    if (isPresetPath(answers.preset)) answers.preset = resolve(answers.preset);
    preset = loadPreset(answers.preset as string, presetDirs('.')).preset;
    const { preset: _ref, ...given } = answers;
    fromPreset = applyPreset(given, preset) as Record<string, unknown>;
    for (const key of preset.locked ?? []) answers[key] = fromPreset[key];
  }

  if (args.dir === undefined && answers.name === undefined && !interactive && !args.yes) {
    throw new UsageError(`missing the target directory (no terminal to ask): pass it first, e.g. create-aws-pipeline ${DEFAULT_DIR} --yes`);
  }
  const named = args.dir ?? (answers.name as string | undefined) ?? (args.yes ? DEFAULT_DIR : undefined);
  if (named !== undefined && answers.name === undefined) {
    const suggested = suggestServiceName(basename(resolve(named)));
    if (suggested.length >= 2) answers.name = suggested;
    else if (!interactive) throw new UsageError(`cannot derive a service name from ${JSON.stringify(named)}: pass --name, e.g. --name ${DEFAULT_DIR}`);
  }
  // With --path the positional names the service, and the service goes to that folder of this repository.
  const dir = servicePathTarget(answers.path ?? fromPreset.path) ?? named;
  // A run killed while writing into this folder left its journal there: undone first, the folder is as it was.
  if (dir !== undefined) recoverInterrupted(resolve(dir));
  if (dir !== undefined && isNonEmptyDir(resolve(dir)) && !args.force) throw new UsageError(notEmptyMessage(dir));
  if (!interactive && !args.yes) {
    const missing = PROMPTED_OPTIONS.filter((s) => answers[s.key] === undefined && s.key !== 'name' && fromPreset[s.key] === undefined && isAsked(s, { ...fromPreset, ...answers }));
    if (missing.length > 0) {
      const flags = missing.map((s) => `--${s.flag}`).join(', ');
      throw new UsageError(`missing ${flags} (no terminal to ask): pass ${missing.length > 1 ? 'them' : 'it'}, or --yes for the defaults (see --help)`);
    }
  }
  if (!interactive) {
    // Every answer is known: nothing to ask, so Yeoman (most of the start-up time) is not loaded.
    const target = dir ?? (answers.name as string);
    // With --path the positional is the service's name as typed, not a folder's.
    // The name comes from the folder when one was named (with none, --yes writes ./my-service: the default).
    const origins = originsOf(args.answers, fromPreset, args.dir !== undefined);
    if (dir !== named && args.dir !== undefined && args.answers.name === undefined && answers.name === args.dir) origins.name = 'given';
    const source = answers.source ?? fromPreset.source ?? DEFAULTS.source;
    const remote = answers.repository === undefined && answers.repositoryOwner === undefined ? remoteRepository(target) : undefined;
    if (remote && remote.source === source) {
      answers.repository = remote.repository;
      origins.repository = 'git remote';
    }
    const config = resolveForTarget(answers, target);
    checkRootFiles(config, args.force);
    reportAnswers(config, origins);
    const { scaffold } = await import('../scaffold.js');
    // Nothing to install first: the first commit is made before the repo is moved into place.
    const placed = await scaffold(config, target, args.git ? { gitBranch: config.branch, commit: args.skipInstall } : {});
    process.stdout.write(`${writtenFiles(target, placed.files, placed.outside)}\n`);
    await installAndCommit(target, { skipInstall: args.skipInstall, git: args.git, branch: config.branch, placed }, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(nextSteps(config, target, args.skipInstall));
    return 0;
  }
  checkGiven(answers, fromPreset);

  const { createEnv } = await import('yeoman-environment');
  const env = createEnv({ skipInstall: true });
  const namespace = 'aws-pipeline:app';
  // The generator class itself, not its file: in the bundled CLI (dist/cli.cjs) it has no file of its own.
  const { default: AppGenerator } = await import('../../generators/app/index.mjs');
  env.register(AppGenerator, { namespace, resolved: join(packageRoot(), 'generators', 'app'), packagePath: packageRoot() });
  const options: GeneratorRunOptions = {
    answers,
    targetDir: dir ?? '',
    interactive,
    skipInstall: args.skipInstall,
    git: args.git,
    ...(preset ? { preset } : {}),
    origins: originsOf(args.answers, fromPreset, args.dir !== undefined && args.answers.name === undefined),
    outcome: {},
  };
  await env.run([namespace], { ...options, force: args.force } as never);
  if (options.outcome.error !== undefined) throw options.outcome.error;
  return 0;
}
