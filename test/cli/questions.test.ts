/**
 * The questions of a first run, walked as the generator walks them: in order,
 * a question with one possible answer taken, each answer one the question
 * offers enabled at that point.
 */
import { describe, expect, it } from 'vitest';
import { choicesFor, intervalChoices, onlyChoice, QUESTION_ORDER, repositoryProblem } from '../../src/cli/questions';
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
    } else if (key === 'interval') {
      const intervals = intervalChoices(answers);
      if (intervals !== undefined) {
        if (!intervals.includes(wanted.interval as number)) return { ok: false, at: key, offered: intervals.map(String) };
        answers.interval = wanted.interval;
      }
    }
  }
  return { ok: true, forced };
}

/** Every supported runtime x target x strategy x interval, with every source and CI it can be built from. */
function everyValidAnswer(): Answers[] {
  return listMatrix().valid.flatMap((c) =>
    (c.intervals ?? [undefined]).flatMap((interval) =>
      SOURCES.flatMap((source) =>
        CI_SYSTEMS.filter((ci) => !ciRefusal(ci, source)).map((ci) => ({ ...c, interval, source, ci }) as Answers),
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
