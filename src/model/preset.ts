/**
 * Golden-path presets: a platform team's org defaults, locked options and a
 * narrowed matrix, in a JSON file or an npm package. A generated repo names
 * its preset in .projenrc.ts and writes down only the answers that differ
 * from it, so every synth reads the preset as installed: a new version of the
 * preset reaches the repo on the next `npx projen`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { CI_SYSTEMS, RUNTIMES, SOURCES, STRATEGIES, TARGETS } from './catalog';
import { ConfigError, DEFAULT_STRATEGY, DEFAULTS, NEW_REPO_ECS_ENGINE, resolveConfig } from './config';
import type { AppliedPreset, PipelineConfig } from './config';
import { ciRefusal, refusal } from './matrix';
import type { MatrixListing } from './matrix';
import { nearest } from './nearest';
import type { OptionKey, PipelineOptions } from './options';
import { OPTION_SPECS } from './options';
import { PRESETTABLE, presetSchema, schemaProblem } from './schema';
import type { SchemaProblem } from './schema';

export type NarrowableChoice = 'runtime' | 'source' | 'target' | 'strategy' | 'ci';

export interface PipelinePreset {
  /** Shown in messages, e.g. "@acme/pipeline-preset". */
  readonly name: string;
  /** What the preset is for; shown nowhere but docs. */
  readonly description?: string;
  /** Org defaults: answers users get unless they give their own. */
  readonly defaults?: Partial<PipelineOptions>;
  /** Options users may not change: they take the value in `defaults`. */
  readonly locked?: OptionKey[];
  /** The allowed values of the main choices, narrowing the matrix. */
  readonly allowed?: Partial<Record<NarrowableChoice, string[]>>;
}

const CHOICES: Readonly<Record<NarrowableChoice, readonly string[]>> = { runtime: RUNTIMES, source: SOURCES, target: TARGETS, strategy: STRATEGIES, ci: CI_SYSTEMS };

const flagOf = (key: string) => `--${OPTION_SPECS.find((s) => s.key === key)?.flag ?? key}`;

function fail(preset: string, option: OptionKey | 'combination', message: string): ConfigError {
  return new ConfigError(option, `preset ${preset} ${message}`);
}

/** A path (JSON file) rather than a package name. */
export function isPresetPath(ref: string): boolean {
  return ref.startsWith('.') || isAbsolute(ref) || ref.endsWith('.json');
}

export interface LoadedPreset {
  readonly preset: PipelinePreset;
  /** The package's version, for a package preset. */
  readonly version?: string;
}

/**
 * Reads a preset: a JSON file (relative to the first of `dirs`) or a package
 * installed where one of `dirs` resolves it (its main: JSON, or JS exporting the preset).
 */
export function loadPreset(ref: string, dirs: readonly string[]): LoadedPreset {
  let raw: unknown;
  let version: string | undefined;
  try {
    if (isPresetPath(ref)) {
      const path = resolve(dirs[0], ref);
      if (!existsSync(path)) throw new Error(`no file ${path}`);
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } else {
      const manifest = require.resolve(`${ref}/package.json`, { paths: [...dirs] });
      version = JSON.parse(readFileSync(manifest, 'utf8')).version;
      const main = require.resolve(ref, { paths: [dirname(manifest)] });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a preset package's main, found at run time
      raw = main.endsWith('.json') ? JSON.parse(readFileSync(main, 'utf8')) : require(main);
    }
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    const hint = isPresetPath(ref) ? 'give the path of a JSON preset' : `install it first (npm install -D ${ref}) or give the path of a JSON preset`;
    throw new ConfigError('preset', `cannot load preset ${JSON.stringify(ref)} (${why}): ${hint}`);
  }
  const preset = ((raw as { default?: unknown })?.default ?? raw) as PipelinePreset;
  checkPreset(preset, ref);
  return { preset, ...(version ? { version } : {}) };
}

/** The preset's own consistency: known fields, options and choices; locked options with a value; defaults the matrix accepts. */
export function checkPreset(preset: PipelinePreset, ref: string): void {
  const named = typeof preset === 'object' && preset !== null && !Array.isArray(preset) && typeof preset.name === 'string' && preset.name !== '';
  if (!named) {
    throw new ConfigError('preset', `preset ${ref} has no name: a preset is an object with "name" and any of "defaults", "locked", "allowed"`);
  }
  const problem = schemaProblem(presetSchema, preset);
  const name = problem?.path[0] === 'name' ? ref : preset.name;
  if (problem) throw fail(name, presetOption(problem.path), presetMessage(problem));
  for (const key of preset.locked ?? []) {
    if ((preset.defaults as Record<string, unknown> | undefined)?.[key] === undefined) throw fail(name, key, `locks ${key} but gives it no value in "defaults"`);
  }
  const a = preset.allowed ?? {};
  const within = (key: NarrowableChoice, v: string) => !a[key] || a[key]!.includes(v);
  const combos = RUNTIMES.flatMap((runtime) => TARGETS.flatMap((target) => STRATEGIES.map((strategy) => ({ runtime, target, strategy }))));
  if (!combos.some((c) => within('runtime', c.runtime) && within('target', c.target) && within('strategy', c.strategy) && !refusal(c))) {
    throw fail(name, 'combination', 'contradicts the matrix: no runtime/target/strategy it allows is supported by AWS (see create-aws-pipeline --list-combinations)');
  }
  if (!CI_SYSTEMS.some((ci) => SOURCES.some((s) => within('ci', ci) && within('source', s) && !ciRefusal(ci, s)))) {
    throw fail(name, 'ci', 'contradicts the matrix: no ci/source pair it allows works (GitHub Actions needs a GitHub source)');
  }
  try {
    resolveWithLoaded({ name: 'preset-check' }, { preset }, 'check');
  } catch (err) {
    if (err instanceof ConfigError && !err.message.startsWith('preset ')) throw fail(name, err.option, `contradicts itself: its defaults give ${err.message}`);
    throw err;
  }
}

/** The option a preset's problem is about, for ConfigError.option. */
function presetOption(path: readonly (string | number)[]): OptionKey | 'combination' {
  const [field, key] = path;
  if ((field === 'defaults' || field === 'allowed') && typeof key === 'string' && (PRESETTABLE as string[]).includes(key)) return key as OptionKey;
  return 'preset';
}

/** A schema problem in a preset's own words (after "preset <name> "). */
function presetMessage(p: SchemaProblem): string {
  const [field, key] = p.path;
  if (p.unknownKey !== undefined && p.path.length === 1) return `has an unknown field ${JSON.stringify(p.unknownKey)}: use name, description, defaults, locked, allowed`;
  if (p.unknownKey !== undefined && field === 'defaults' && p.path.length === 2) {
    const near = nearest(p.unknownKey, PRESETTABLE);
    return `sets ${JSON.stringify(p.unknownKey)}, which a preset cannot set (${p.unknownKey === 'name' ? 'each service names itself' : `not an option${near ? `: did you mean ${near}?` : ''}`})`;
  }
  if (p.unknownKey !== undefined && field === 'allowed' && p.path.length === 2) return `narrows ${JSON.stringify(p.unknownKey)}: only ${Object.keys(CHOICES).join(', ')} can be narrowed`;
  if (field === 'locked' && p.choices) return `locks ${JSON.stringify(p.input)}, which is not an option a preset can set`;
  if (field === 'allowed' && typeof key === 'string' && p.message.endsWith('give at least one')) return `allows no ${key}: list at least one`;
  if (field === 'allowed' && typeof key === 'string' && p.choices) return `allows unknown ${key} ${typeof p.input === 'string' ? p.input : JSON.stringify(p.input)}: use ${p.choices.join(', ')}`;
  return `is malformed: ${p.message}`;
}

/** The values the preset gives for what `options` leaves open: its defaults, then the first allowed choice where the global default is not allowed. */
function presetValues(options: Partial<PipelineOptions>, preset: PipelinePreset): Record<string, unknown> {
  const values: Record<string, unknown> = { ...(preset.defaults ?? {}) };
  const a = preset.allowed ?? {};
  const globals: Record<string, string> = { runtime: DEFAULTS.runtime, source: DEFAULTS.source, target: DEFAULTS.target, ci: DEFAULTS.ci };
  for (const key of ['runtime', 'source', 'target', 'ci'] as const) {
    if (values[key] === undefined && a[key] && !a[key]!.includes(globals[key])) values[key] = a[key]![0];
  }
  const runtime = (options.runtime ?? values.runtime ?? DEFAULTS.runtime) as never;
  const target = (options.target ?? values.target ?? DEFAULTS.target) as keyof typeof DEFAULT_STRATEGY;
  if (values.strategy === undefined && a.strategy && !a.strategy.includes(DEFAULT_STRATEGY[target])) {
    const fit = a.strategy.find((s) => !refusal({ runtime, target, strategy: s as never }));
    if (fit) values.strategy = fit;
  }
  return values;
}

/**
 * The options with the preset applied: locked options take the preset's value (a different value given
 * is refused, naming the option and the preset); the preset's values fill what is not given.
 */
export function applyPreset(options: Partial<PipelineOptions>, preset: PipelinePreset): Partial<PipelineOptions> {
  for (const key of preset.locked ?? []) {
    const given = (options as Record<string, unknown>)[key];
    const locked = (preset.defaults as Record<string, unknown>)[key];
    if (given !== undefined && JSON.stringify(given) !== JSON.stringify(locked)) {
      throw fail(preset.name, key, `locks ${flagOf(key)} to ${JSON.stringify(locked)}: remove ${flagOf(key)} (ask the platform team to change the preset)`);
    }
  }
  return { ...presetValues(options, preset), ...options };
}

/** The allowed choices of `key` under the preset (all of them without one). */
export function allowedChoices(preset: PipelinePreset | undefined, key: NarrowableChoice | OptionKey): readonly string[] {
  if (key in CHOICES) return preset?.allowed?.[key as NarrowableChoice] ?? CHOICES[key as NarrowableChoice];
  // An option a preset cannot narrow (ecsEngine): every choice of its spec.
  return OPTION_SPECS.find((s) => s.key === key)?.choices?.map((c) => c.value) ?? [];
}

function resolveWithLoaded(options: PipelineOptions, loaded: LoadedPreset, ref: string): PipelineConfig {
  const { preset } = loaded;
  const config = resolveConfig(applyPreset(options, preset) as PipelineOptions);
  for (const [key, values] of Object.entries(preset.allowed ?? {}) as Array<[NarrowableChoice, string[]]>) {
    if (!values.includes(config[key])) throw fail(preset.name, key, `does not allow ${key} ${config[key]}: use ${flagOf(key)} ${values.join(' | ')}`);
  }
  const applied: AppliedPreset = {
    ref,
    name: preset.name,
    values: presetValues(options, preset),
    locked: [...(preset.locked ?? [])],
    ...(loaded.version ? { version: loaded.version } : {}),
  };
  return { ...config, preset: applied };
}

/**
 * resolveConfig with the options' preset (if any) loaded from `dirs` (the repo first), applied, and
 * its narrowed matrix enforced.
 */
export function resolveWithPreset(options: PipelineOptions, dirs: readonly string[]): PipelineConfig {
  if (options.preset === undefined) return resolveConfig(options);
  if (typeof options.preset !== 'string' || !options.preset) throw new ConfigError('preset', 'invalid --preset: give a JSON file path or a package name');
  const { preset: ref, ...rest } = options;
  return resolveWithLoaded(rest as PipelineOptions, loadPreset(ref, dirs), ref);
}

/**
 * A new repo's configuration: as `resolveWithPreset`, with the ECS engine AWS recommends (NEW_REPO_ECS_ENGINE) for a
 * blue-green, canary or linear ECS service when neither the options nor the preset name one. The generator writes the
 * engine into `.projenrc.ts`; a repo whose `.projenrc.ts` has none keeps CodeDeploy (ABSENT_ECS_ENGINE).
 */
export function resolveNewRepo(options: PipelineOptions, dirs: readonly string[]): PipelineConfig {
  if (options.ecsEngine !== undefined) return resolveWithPreset(options, dirs);
  let config: PipelineConfig | undefined;
  let problem: unknown;
  try {
    config = resolveWithPreset(options, dirs);
  } catch (err) {
    // An interval only ECS's own engine takes (canary --interval 20) fails with CodeDeploy's list: try the new repo's engine.
    if (!(err instanceof ConfigError && err.option === 'interval')) throw err;
    problem = err;
  }
  if (config && (config.deployment.kind !== 'codedeploy-ecs' || config.preset?.values.ecsEngine !== undefined)) return config;
  try {
    return resolveWithPreset({ ...options, ecsEngine: NEW_REPO_ECS_ENGINE }, dirs);
  } catch {
    // ECS's engine cannot take these answers: CodeDeploy's (the first answer) stands, or its problem is the one to say.
    if (config) return config;
    throw problem;
  }
}

/** A preset given on the command line, as the generated repo will name it: a path relative to the repo, or the package name. */
export function presetRefFor(ref: string, repoDir: string, cwd: string): string {
  if (!isPresetPath(ref)) return ref;
  const rel = relative(resolve(repoDir), resolve(cwd, ref));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** The folders a repo resolves its preset from: the repo, then where the command runs. */
export function presetDirs(repoDir: string): string[] {
  return [resolve(repoDir), process.cwd()].filter((d, i, all) => all.indexOf(d) === i);
}

/** The matrix as the preset narrows it: combinations outside its allowed choices move to the refused ones, with the preset as reason. */
export function narrowMatrix(listing: MatrixListing, preset: PipelinePreset): MatrixListing {
  const a = preset.allowed ?? {};
  const outside = (c: { runtime: string; target: string; strategy: string }) =>
    (['runtime', 'target', 'strategy'] as const).find((k) => a[k] && !a[k]!.includes(c[k]));
  const refused = [...listing.refused];
  const valid = listing.valid.filter((c) => {
    const key = outside(c);
    if (key) refused.push({ runtime: c.runtime, target: c.target, strategy: c.strategy, ...(c.engine ? { engine: c.engine } : {}), reason: `preset ${preset.name} allows ${key} ${a[key]!.join(', ')}` });
    return !key;
  });
  const sources = Object.fromEntries(
    Object.entries(listing.sources)
      .filter(([ci]) => !a.ci || a.ci.includes(ci))
      .map(([ci, list]) => [ci, list.filter((s) => !a.source || a.source.includes(s))]),
  );
  return { valid, refused, sources: sources as unknown as MatrixListing['sources'] };
}
