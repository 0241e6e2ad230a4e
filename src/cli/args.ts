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

const HELP_HINT = 'run create-aws-pipeline --help for the options';

/** Flags of ours that npm has too: npm_config_<flag> set says nothing of whether the user meant ours. */
const NPM_FLAGS: ReadonlySet<string> = new Set(['yes', 'force', 'json', 'help', 'version', 'git']);

/** What parseArgs refused, as one line that says what to type. */
function parseProblem(err: unknown, argv: readonly string[], known: readonly string[]): string {
  const msg = (err as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
  // A flag with no value: at the end (`--runtime`), or before another flag (`--runtime --yes`: "ambiguous").
  const valueless = /^Option '(?:-\w, )?--([\w-]+)(?: <value>)?' argument (?:missing|is ambiguous)/.exec(msg)?.[1];
  if (valueless !== undefined) {
    const spec = OPTION_SPECS.find((s) => s.flag === valueless);
    const choices = spec?.choices ? `: one of ${spec.choices.map((c) => c.value).join(', ')}` : `, e.g. --${valueless} ${spec?.placeholder ?? '<value>'}`;
    return `--${valueless} needs a value${choices}`;
  }
  const unknown = /^Unknown option '(--?)([^']+)'/.exec(msg);
  if (unknown) {
    // One dash and a word (`-yes`): read as the short flags -y -e -s; the long flag was meant.
    const word = unknown[1] === '-' ? argv.find((a) => /^-[a-z][a-z-]+$/i.test(a) && a.includes(unknown[2]))?.slice(1) : unknown[2];
    const near = word === undefined ? undefined : known.includes(word) ? word : nearest(word, known);
    const asTyped = unknown[1] === '-' && word !== undefined ? `-${word}` : `${unknown[1]}${unknown[2]}`;
    return `unknown option ${asTyped}: ${near ? `did you mean --${near}? ` : ''}${HELP_HINT}`;
  }
  return `${msg.replace(/\.$/, '')}: ${HELP_HINT}`;
}

/**
 * More than one folder named. Under `npm create` without `--`, npm took the flags before them for itself (and left
 * their values behind as folder names): npm_config_<flag> says which. With our own `--`, flags after it are names.
 */
function extraPositionals(positionals: readonly string[], env: NodeJS.ProcessEnv): string {
  const got = `one target directory at most, got ${positionals.length} (${positionals.join(' ')})`;
  if (underNpmExec(env)) {
    const ours = [...OPTION_SPECS.map((s) => s.flag), ...Object.keys(CLI_FLAGS).filter((flag) => !NPM_FLAGS.has(flag))];
    const taken = ours.filter((flag) => env[`npm_config_${flag.replace(/-/g, '_')}`] !== undefined);
    if (taken.length) {
      const valued = taken.find((flag) => OPTION_SPECS.some((s) => s.flag === flag && s.type !== 'boolean'));
      const example = valued ? `--${valued} <value>` : `--${taken[0]}`;
      return `${got}: npm took ${taken.map((f) => `--${f}`).join(', ')} for itself; put create-aws-pipeline's flags after --, e.g. npm create aws-pipeline ${positionals[0]} -- ${example}`;
    }
  }
  if (positionals.slice(1).some((p) => p.startsWith('-'))) return `${got}: after --, flags count as folder names; drop the --`;
  return `${got}: quote a path with spaces`;
}

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const options: NonNullable<ParseArgsConfig['options']> = { ...CLI_FLAGS };
  for (const spec of OPTION_SPECS) {
    options[spec.flag] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, allowNegative: true, strict: true });
  } catch (err) {
    throw new UsageError(parseProblem(err, argv, Object.keys(options)));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(extraPositionals(positionals, env));
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
