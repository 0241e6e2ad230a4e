/**
 * What the first run asks, in which order, and which answers each question
 * offers: pure, so that the generator and the tests read the same rules.
 *
 * A choice is enabled when some completion of the answers still open (within
 * the preset's allowed choices) is a combination AWS supports: an answer
 * never leads to a question with nothing to pick, and no valid combination is
 * out of reach. The target is asked before the runtime: an S3 static site
 * then needs no runtime chosen first (it takes Node.js, the only one it has).
 */
import { CI_CHOICES, CONNECTION_SOURCES, ECS_ENGINE_CHOICES, RUNTIME_CHOICES, SOURCE_CHOICES, STRATEGY_CHOICES, TARGET_CHOICES } from '../model/catalog';
import type { Choice, CiSystem, EcsEngine, Runtime, Source, Strategy, Target } from '../model/catalog';
import { ConfigError, DEFAULT_STRATEGY, DEFAULTS, NEW_REPO_ECS_ENGINE, resolveConfig } from '../model/config';
import { ciRefusal, defaultInterval, ecsNativeIntervalRange, engineRefusal, intervalRefusal, refusal, TRAFFIC_INTERVALS } from '../model/matrix';
import { isAsked, OPTION_SPECS } from '../model/options';
import { allowedChoices } from '../model/preset';
import type { NarrowableChoice, PipelinePreset } from '../model/preset';

export type Answers = Record<string, unknown>;

/** The questions, in the order they are asked; each is asked only when its answer is open. */
export const QUESTION_ORDER = ['name', 'target', 'runtime', 'strategy', 'ecsEngine', 'interval', 'source', 'repository', 'ci'] as const;
export type QuestionKey = (typeof QUESTION_ORDER)[number];

export const QUESTION_TEXT: Readonly<Record<QuestionKey, string>> = {
  name: 'Service name',
  target: 'Deploy target',
  runtime: 'Runtime',
  strategy: 'Deployment strategy',
  ecsEngine: 'ECS deployment engine',
  interval: 'Minutes between traffic shifts',
  source: 'Source provider',
  repository: 'Repository',
  ci: 'CI system',
};

const CHOICES: Readonly<Record<NarrowableChoice, readonly Choice<string>[]>> = {
  runtime: RUNTIME_CHOICES,
  source: SOURCE_CHOICES,
  target: TARGET_CHOICES,
  strategy: STRATEGY_CHOICES,
  ci: CI_CHOICES,
};

export interface ChoiceState extends Choice<string> {
  /** Why it cannot be picked with the answers so far; undefined when it can. */
  readonly reason?: string;
}

/** The values still possible for `key`: the answer if there is one, else what the preset allows. */
function candidates(key: NarrowableChoice, answers: Answers, preset: PipelinePreset | undefined): readonly string[] {
  const given = answers[key];
  return given === undefined ? allowedChoices(preset, key) : [String(given)];
}

/** Undefined when `key` = `value` has a supported completion; else the refusal of the first completion tried. */
function reasonFor(key: NarrowableChoice, value: string, answers: Answers, preset: PipelinePreset | undefined): string | undefined {
  const with_ = { ...answers, [key]: value };
  if (key === 'source' || key === 'ci') {
    const pairs = candidates('ci', with_, preset).flatMap((ci) => candidates('source', with_, preset).map((source) => ciRefusal(ci as CiSystem, source as Source)));
    return pairs.some((r) => r === undefined) ? undefined : pairs[0];
  }
  const reasons: Array<string | undefined> = [];
  for (const runtime of candidates('runtime', with_, preset)) {
    for (const target of candidates('target', with_, preset)) {
      for (const strategy of candidates('strategy', with_, preset)) {
        const why = refusal({ runtime: runtime as Runtime, target: target as Target, strategy: strategy as Strategy });
        if (why === undefined) return undefined;
        reasons.push(why);
      }
    }
  }
  return reasons[0];
}

/** The choices a question shows (those the preset allows), each with why it is unavailable, if it is. */
export function choicesFor(key: NarrowableChoice, answers: Answers, preset?: PipelinePreset): ChoiceState[] {
  const allowed = allowedChoices(preset, key);
  return CHOICES[key]
    .filter((c) => allowed.includes(c.value))
    .map((c) => {
      const reason = reasonFor(key, c.value, answers, preset);
      return reason === undefined ? c : { ...c, reason };
    });
}

/** The one value a question can take, when it has only one: it is taken without asking. */
export function onlyChoice(choices: readonly ChoiceState[]): string | undefined {
  const enabled = choices.filter((c) => c.reason === undefined);
  return enabled.length === 1 ? enabled[0].value : undefined;
}

/**
 * The value a choice question starts on: `preferred` (the preset's, or the git remote's source) or the
 * documented default, when enabled; else the first enabled choice.
 */
export function defaultChoice(key: NarrowableChoice, choices: readonly ChoiceState[], answers: Answers, preferred?: unknown): string | undefined {
  const enabled = choices.filter((c) => c.reason === undefined).map((c) => c.value);
  const documented = key === 'strategy' ? DEFAULT_STRATEGY[answers.target as Target] : (DEFAULTS as Record<string, unknown>)[key];
  return [preferred, documented].find((v): v is string => typeof v === 'string' && enabled.includes(v)) ?? enabled[0];
}

/** Whether the interval is ECS's own (any whole minute in a range) rather than one of CodeDeploy's predefined configurations. */
function nativeInterval(answers: Answers): boolean {
  return answers.target === 'ecs' && answers.ecsEngine === 'ecs' && (answers.strategy === 'canary' || answers.strategy === 'linear');
}

/** The intervals the canary or linear strategy chosen offers (CodeDeploy's list), or undefined when it shifts no traffic by time or ECS runs it. */
export function intervalChoices(answers: Answers): readonly number[] | undefined {
  const target = answers.target as Target;
  const strategy = answers.strategy as Strategy;
  if (defaultInterval(target, strategy) === undefined || nativeInterval(answers)) return undefined;
  return TRAFFIC_INTERVALS[target as 'ecs' | 'lambda'][strategy as 'canary' | 'linear'];
}

/** The whole minutes ECS's own canary or linear deployment takes as its interval, or undefined when CodeDeploy's list applies. */
export function intervalRange(answers: Answers): { readonly min: number; readonly max: number; readonly fallback: number } | undefined {
  if (!nativeInterval(answers)) return undefined;
  const strategy = answers.strategy as 'canary' | 'linear';
  return { ...ecsNativeIntervalRange(strategy), fallback: defaultInterval('ecs', strategy)! };
}

/** The interval question's check with ECS's own engine: undefined for an acceptable answer, else the model's message. */
export function intervalProblem(value: number, answers: Answers): string | undefined {
  if (!Number.isInteger(value)) return 'a whole number of minutes';
  return intervalRefusal(answers.target as Target, answers.strategy as Strategy, value, answers.ecsEngine as EcsEngine | undefined);
}

const ENGINE_SPEC = OPTION_SPECS.find((s) => s.key === 'ecsEngine')!;

/**
 * The ECS engine's choices (those the preset allows), each with why it is unavailable; undefined when the engine is
 * not asked (a target other than ecs, or a rolling update, which is always ECS's own).
 */
export function engineChoices(answers: Answers, preset?: PipelinePreset): ChoiceState[] | undefined {
  if (!isAsked(ENGINE_SPEC, answers)) return undefined;
  const allowed = allowedChoices(preset, 'ecsEngine');
  return ECS_ENGINE_CHOICES.filter((c) => allowed.includes(c.value)).map((c) => {
    const reason = engineRefusal({ runtime: answers.runtime as Runtime, target: answers.target as Target, strategy: answers.strategy as Strategy, engine: c.value });
    return reason === undefined ? c : { ...c, reason };
  });
}

/** The engine a new repo starts on: the preset's, else what AWS recommends (NEW_REPO_ECS_ENGINE), when enabled. */
export function defaultEngine(choices: readonly ChoiceState[], preferred?: unknown): string | undefined {
  const enabled = choices.filter((c) => c.reason === undefined).map((c) => c.value);
  return [preferred, NEW_REPO_ECS_ENGINE].find((v): v is string => typeof v === 'string' && enabled.includes(v)) ?? enabled[0];
}

/** Whether the source takes a repository (CodeConnections: owner/repo; CodeCommit: its name; S3: none). */
export function takesRepository(source: unknown): boolean {
  return CONNECTION_SOURCES.includes(source as Source) || source === 'codecommit';
}

/**
 * The repository question's check: undefined for an acceptable answer, else the model's message.
 * An empty answer on a CodeConnections source keeps the placeholder (said again after the summary).
 */
export function repositoryProblem(value: string, answers: Answers): string | undefined {
  if (value === '' && CONNECTION_SOURCES.includes(answers.source as Source)) return undefined;
  try {
    resolveConfig({ name: String(answers.name), source: String(answers.source), repository: value });
    return undefined;
  } catch (err) {
    if (err instanceof ConfigError && err.option === 'repository') return err.message;
    throw err;
  }
}
