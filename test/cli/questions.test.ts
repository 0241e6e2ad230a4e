/**
 * The questions of a first run, walked as the generator walks them: in order,
 * a question with one possible answer taken, each answer one the question
 * offers enabled at that point.
 */
import { describe, expect, it } from 'vitest';
import { choicesFor, defaultEngine, engineChoices, intervalChoices, intervalProblem, intervalRange, onlyChoice, QUESTION_ORDER, repositoryProblem } from '../../src/cli/questions';
import type { Answers } from '../../src/cli/questions';
import { CI_SYSTEMS, ciRefusal, listMatrix, resolveConfig, SOURCES, TARGETS } from '../../src/model';
import type { NarrowableChoice, PipelinePreset } from '../../src/model';

const CHOICE_KEYS: readonly string[] = ['target', 'runtime', 'strategy', 'source', 'ci'];

/**
 * Walks the questions towards `wanted`: the path of answers, or the first question at which the wanted
 * answer is not enabled (or another one is forced).
 */
function walk(wanted: Answers, preset?: PipelinePreset): { ok: true; forced: string[] } | { ok: false; at: string; offered: string[] } {
  const answers: Answers = { name: 'svc' };
  const forced: string[] = [];
  for (const key of QUESTION_ORDER) {
    if (CHOICE_KEYS.includes(key)) {
      const choices = choicesFor(key as NarrowableChoice, answers, preset);
      const enabled = choices.filter((c) => c.reason === undefined).map((c) => c.value);
      const only = onlyChoice(choices);
      if (only !== undefined) forced.push(key);
      if (!enabled.includes(wanted[key] as string)) return { ok: false, at: key, offered: enabled };
      answers[key] = wanted[key];
    } else if (key === 'ecsEngine') {
      // Asked for ECS blue-green, canary and linear only (a rolling update is always ECS's own).
      const engines = engineChoices(answers, preset);
      if (engines !== undefined) {
        const enabled = engines.filter((c) => c.reason === undefined).map((c) => c.value);
        if (onlyChoice(engines) !== undefined) forced.push(key);
        if (!enabled.includes(wanted.ecsEngine as string)) return { ok: false, at: key, offered: enabled };
        answers.ecsEngine = wanted.ecsEngine;
      }
    } else if (key === 'interval') {
      const range = intervalRange(answers);
      if (range !== undefined) {
        if (intervalProblem(wanted.interval as number, answers) !== undefined) return { ok: false, at: key, offered: [`${range.min}-${range.max}`] };
        answers.interval = wanted.interval;
        continue;
      }
      const intervals = intervalChoices(answers);
      if (intervals !== undefined) {
        if (!intervals.includes(wanted.interval as number)) return { ok: false, at: key, offered: intervals.map(String) };
        answers.interval = wanted.interval;
      }
    }
  }
  return { ok: true, forced };
}

/**
 * Every supported runtime x target x strategy x ECS engine x interval (ECS's own: the ends of its range), with every
 * source and CI it can be built from.
 */
function everyValidAnswer(): Answers[] {
  return listMatrix().valid.flatMap(({ engine, ...c }) =>
    (c.intervals ?? (c.intervalRange ? [c.intervalRange.min, c.intervalRange.max] : [undefined])).flatMap((interval) =>
      SOURCES.flatMap((source) =>
        CI_SYSTEMS.filter((ci) => !ciRefusal(ci, source)).map((ci) => ({ ...c, ...(engine ? { ecsEngine: engine } : {}), interval, source, ci }) as Answers),
      ),
    ),
  );
}

describe('the first run\'s questions', () => {
  it('ask the target before the runtime', () => {
    expect(QUESTION_ORDER.indexOf('target')).toBeLessThan(QUESTION_ORDER.indexOf('runtime'));
    expect(choicesFor('target', { name: 'svc' }).map((c) => [c.value, c.reason])).toEqual(TARGETS.map((t) => [t, undefined]));
  });

  it('reach every valid combination through answers enabled when asked', () => {
    const all = everyValidAnswer();
    expect(all.length).toBeGreaterThan(listMatrix().valid.length);
    const unreachable = all.map((a) => ({ a, r: walk(a) })).filter(({ r }) => !r.ok);
    expect(unreachable).toEqual([]);
  });

  it('lead nowhere unsupported: every path of enabled answers ends in a config the model accepts', () => {
    const ends = (preset?: PipelinePreset): number => {
      let leaves = 0;
      const step = (answers: Answers, i: number): void => {
        const key = QUESTION_ORDER[i];
        if (key === undefined) {
          expect(() => resolveConfig(answers as never), JSON.stringify(answers)).not.toThrow();
          leaves++;
          return;
        }
        if (CHOICE_KEYS.includes(key)) {
          const enabled = choicesFor(key as NarrowableChoice, answers, preset).filter((c) => c.reason === undefined);
          expect(enabled.length, `${key} after ${JSON.stringify(answers)}`).toBeGreaterThan(0);
          for (const c of enabled) step({ ...answers, [key]: c.value }, i + 1);
        } else if (key === 'ecsEngine' && engineChoices(answers, preset)) {
          const enabled = engineChoices(answers, preset)!.filter((c) => c.reason === undefined);
          expect(enabled.length, `${key} after ${JSON.stringify(answers)}`).toBeGreaterThan(0);
          for (const c of enabled) step({ ...answers, ecsEngine: c.value }, i + 1);
        } else if (key === 'interval' && intervalRange(answers)) {
          const { min, max } = intervalRange(answers)!;
          for (const n of [min, max]) step({ ...answers, interval: n }, i + 1);
        } else if (key === 'interval' && intervalChoices(answers)) {
          for (const n of intervalChoices(answers)!) step({ ...answers, interval: n }, i + 1);
        } else {
          step(answers, i + 1);
        }
      };
      step({ name: 'svc' }, 0);
      return leaves;
    };
    expect(ends()).toBe(everyValidAnswer().length);
    // A preset that allows only canary: EC2 and the S3 site have no canary, so they are not offered as open.
    const canaryOnly: PipelinePreset = { name: 'canary-only', allowed: { strategy: ['canary'] } };
    expect(ends(canaryOnly)).toBeGreaterThan(0);
    expect(choicesFor('target', { name: 'svc' }, canaryOnly).filter((c) => c.reason).map((c) => c.value)).toEqual(['ec2', 's3-site']);
  });

  it('take a question with one possible answer without asking', () => {
    expect(onlyChoice(choicesFor('runtime', { target: 's3-site' }))).toBe('node');
    expect(onlyChoice(choicesFor('strategy', { target: 's3-site', runtime: 'node' }))).toBe('all-at-once');
    expect(onlyChoice(choicesFor('ci', { source: 's3' }))).toBe('codepipeline');
    expect(onlyChoice(choicesFor('ci', { source: 'codecommit' }))).toBe('codepipeline');
    expect(onlyChoice(choicesFor('ci', { source: 'github' }))).toBeUndefined();
    expect(onlyChoice(choicesFor('runtime', { target: 'ecs' }))).toBeUndefined();
    expect(walk({ target: 's3-site', runtime: 'node', strategy: 'all-at-once', source: 's3', ci: 'codepipeline' })).toEqual({ ok: true, forced: ['runtime', 'strategy', 'ci'] });
  });

  it('ask the ECS engine after the strategy, only for ECS blue-green, canary and linear, starting on what AWS recommends', () => {
    expect(QUESTION_ORDER.indexOf('ecsEngine')).toBe(QUESTION_ORDER.indexOf('strategy') + 1);
    expect(QUESTION_ORDER.indexOf('interval')).toBe(QUESTION_ORDER.indexOf('ecsEngine') + 1);
    const engines = engineChoices({ target: 'ecs', runtime: 'node', strategy: 'canary' })!;
    expect(engines.map((c) => [c.value, c.reason])).toEqual([['ecs', undefined], ['codedeploy', undefined]]);
    expect(defaultEngine(engines)).toBe('ecs');
    expect(defaultEngine(engines, 'codedeploy')).toBe('codedeploy');
    expect(engineChoices({ target: 'ecs', runtime: 'node', strategy: 'half-at-a-time' })).toBeUndefined();
    expect(engineChoices({ target: 'lambda', runtime: 'node', strategy: 'canary' })).toBeUndefined();
    // ECS's own canary takes any whole minute whose window fits; CodeDeploy's, its predefined list.
    expect(intervalRange({ target: 'ecs', strategy: 'canary', ecsEngine: 'ecs' })).toMatchObject({ min: 1, fallback: 5 });
    expect(intervalChoices({ target: 'ecs', strategy: 'canary', ecsEngine: 'ecs' })).toBeUndefined();
    expect(intervalChoices({ target: 'ecs', strategy: 'canary', ecsEngine: 'codedeploy' })).toEqual([5, 15]);
    const { max } = intervalRange({ target: 'ecs', strategy: 'linear', ecsEngine: 'ecs' })!;
    expect(intervalProblem(max, { target: 'ecs', strategy: 'linear', ecsEngine: 'ecs' })).toBeUndefined();
    expect(intervalProblem(max + 1, { target: 'ecs', strategy: 'linear', ecsEngine: 'ecs' })).toMatch(/more than the 345 a deploy job can wait/);
    expect(intervalProblem(2.5, { target: 'ecs', strategy: 'linear', ecsEngine: 'ecs' })).toBe('a whole number of minutes');
  });

  it('say why a choice is unavailable with the model\'s reason', () => {
    const runtime = choicesFor('runtime', { target: 's3-site' });
    expect(runtime.find((c) => c.value === 'python')?.reason).toMatch(/^an S3 static site serves files/);
    expect(choicesFor('runtime', { target: 'ec2' }).find((c) => c.value === 'container')?.reason).toMatch(/does not run container images/);
    expect(choicesFor('source', { ci: 'github-actions' }).find((c) => c.value === 'gitlab')?.reason).toMatch(/GitHub Actions runs only in repositories hosted on GitHub/);
  });

  it('check a typed repository with the model, an empty one keeping the placeholder on a CodeConnections source', () => {
    expect(repositoryProblem('acme/shop', { name: 'svc', source: 'github' })).toBeUndefined();
    expect(repositoryProblem('', { name: 'svc', source: 'github' })).toBeUndefined();
    expect(repositoryProblem('shop', { name: 'svc', source: 'github' })).toMatch(/^invalid --repository "shop": use the form owner\/repo/);
    expect(repositoryProblem('', { name: 'svc', source: 'codecommit' })).toMatch(/CodeCommit repository name/);
    expect(repositoryProblem('group/sub/project', { name: 'svc', source: 'gitlab' })).toBeUndefined();
  });
});
