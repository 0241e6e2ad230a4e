/** One typed parse of argv. Option flags come from the model's OPTION_SPECS. */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';
import { nearest } from '../model/nearest';
import { OPTION_SPECS } from '../model/options';
import type { PipelineOptions } from '../model/options';

export interface CliArgs {
  readonly dir?: string;
  /** The pipeline options given as flags; absent keys were not given. */
  readonly answers: Partial<Record<keyof PipelineOptions, unknown>>;
  readonly yes: boolean;
  readonly force: boolean;
  readonly skipInstall: boolean;
  /** `git init` and a first commit in the new repo (`--no-git`: not). */
  readonly git: boolean;
  readonly help: boolean;
  readonly version: boolean;
  readonly listCombinations: boolean;
  readonly json: boolean;
  /**
   * `--yes` that npm took for itself (`npm create aws-pipeline my-svc --yes`, flags without `--`): npm passes
   * it on as npm_config_yes. Counts as --yes where nothing can be asked; a terminal still gets the questions
   * (`npx -y` is also how users skip npm's own install prompt).
   */
  readonly npmYes: boolean;
}

const CLI_FLAGS = {
  'yes': { type: 'boolean', short: 'y' },
  'force': { type: 'boolean', short: 'f' },
  'skip-install': { type: 'boolean' },
  'git': { type: 'boolean' },
  'help': { type: 'boolean', short: 'h' },
  'version': { type: 'boolean', short: 'v' },
  'list-combinations': { type: 'boolean' },
  'json': { type: 'boolean' },
} as const;

function parseNumber(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`invalid --${flag} ${JSON.stringify(raw)}: give a whole number`);
  return Number(raw);
}

/** The run was started by `npx` / `npm exec` (npm_command "exec") or `npm create` / `npm init <x>` (npm_command "init"). */
const underNpmExec = (env: NodeJS.ProcessEnv) => env.npm_command === 'exec' || env.npm_command === 'init';

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const options: NonNullable<ParseArgsConfig['options']> = { ...CLI_FLAGS };
  for (const spec of OPTION_SPECS) {
    options[spec.flag] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, allowNegative: true, strict: true });
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    const unknown = /^Unknown option '--([^']+)'/.exec(msg)?.[1];
    const near = unknown === undefined ? undefined : nearest(unknown, Object.keys(options));
    throw new UsageError(`${msg}: ${near ? `did you mean --${near}? ` : ''}run create-aws-pipeline --help for the options`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(`one target directory at most, got ${positionals.length} (${positionals.join(' ')}): quote a path with spaces`);
  }
  const answers: Record<string, unknown> = {};
  for (const spec of OPTION_SPECS) {
    const raw = values[spec.flag];
    if (raw === undefined) continue;
    if (spec.type === 'number') answers[spec.key] = parseNumber(spec.flag, raw as string);
    else if (spec.type === 'list') answers[spec.key] = (raw as string).split(',').map((s) => s.trim()).filter(Boolean);
    else answers[spec.key] = raw;
  }
  const flag = (name: keyof typeof CLI_FLAGS) => values[name] === true;
  return {
    ...(positionals[0] !== undefined ? { dir: positionals[0] } : {}),
    answers,
    yes: flag('yes'),
    force: flag('force'),
    // npm does not know --skip-install: without `--` it keeps it as npm_config_skip_install, which is ours.
    skipInstall: flag('skip-install') || (underNpmExec(env) && env.npm_config_skip_install === 'true'),
    git: values.git !== false,
    help: flag('help'),
    version: flag('version'),
    listCombinations: flag('list-combinations'),
    json: flag('json'),
    npmYes: !flag('yes') && underNpmExec(env) && env.npm_config_yes === 'true',
  };
}
