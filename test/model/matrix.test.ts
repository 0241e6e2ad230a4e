import { describe, expect, it } from 'vitest';
import {
  allCombinations,
  ConfigError,
  deploymentOf,
  listMatrix,
  refusal,
  resolveConfig,
  RUNTIMES,
  STRATEGIES,
  TARGETS,
  TRAFFIC_INTERVALS,
  ECS_ENGINES,
} from '../../src/model';

describe('the combination matrix', () => {
  const matrix = listMatrix();

  it('covers every runtime x target x strategy exactly once, and each ECS one once per engine', () => {
    const key = (c: { runtime: string; target: string; strategy: string; engine?: string }) => `${c.runtime} ${c.target} ${c.strategy} ${c.engine ?? '-'}`;
    const listed = [...matrix.valid, ...matrix.refused].map(key);
    expect(new Set(listed).size).toBe(listed.length);
    const expected = allCombinations().flatMap((c) => (c.target === 'ecs' && !refusal(c) ? ECS_ENGINES.map((engine) => key({ ...c, engine })) : [key(c)]));
    expect(listed.sort()).toEqual(expected.sort());
    expect(allCombinations()).toHaveLength(RUNTIMES.length * TARGETS.length * STRATEGIES.length);
  });

  it.each(listMatrix().valid.map((c) => [`${c.runtime} ${c.target} ${c.strategy}${c.engine ? ` engine ${c.engine}` : ''}`, c] as const))(
    'accepts %s',
    (_label, c) => {
      const config = resolveConfig({ name: 'svc', runtime: c.runtime, target: c.target, strategy: c.strategy, ...(c.engine ? { ecsEngine: c.engine } : {}) });
      expect(config.deployment).toEqual(deploymentOf(c, config.interval));
    },
  );

  /** Every strategy of this runtime on this target refused, for the same reason (listed by --list-combinations). */
  const refusedWhateverStrategy = (c: { runtime: string; target: string; reason: string }) =>
    STRATEGIES.every((strategy) => listMatrix().refused.some((r) => r.runtime === c.runtime && r.target === c.target && r.strategy === strategy && !r.engine && r.reason === c.reason));

  it('names no strategy when the runtime cannot run on the target at all (the strategy is often a default)', () => {
    expect(() => resolveConfig({ name: 'svc', runtime: 'container', target: 'ec2' })).toThrow(/^container on ec2 is not supported: CodeDeploy on EC2 installs files and runs hook scripts/);
    expect(() => resolveConfig({ name: 'svc', runtime: 'node', target: 'ec2', strategy: 'canary' })).toThrow(/^node on ec2 with canary is not supported/);
  });

  it.each(listMatrix().refused.map((c) => [`${c.runtime} ${c.target} ${c.strategy}${c.engine ? ` engine ${c.engine}` : ''}`, c] as const))(
    'refuses %s with its reason',
    (_label, c) => {
      const expected = c.engine && !refusal(c)
        ? new ConfigError('ecsEngine', c.reason)
        : new ConfigError('combination', `${c.runtime} on ${c.target}${refusedWhateverStrategy(c) ? '' : ` with ${c.strategy}`} is not supported: ${c.reason}`);
      expect(() => resolveConfig({ name: 'svc', runtime: c.runtime, target: c.target, strategy: c.strategy, ...(c.engine ? { ecsEngine: c.engine } : {}) })).toThrowError(expected);
      expect(c.reason).toMatch(/[:;] (use|choose) /);
    },
  );

  it('lists both engines for ECS blue-green, canary and linear, and only ECS\'s own for rolling', () => {
    const ecs = matrix.valid.filter((c) => c.runtime === 'node' && c.target === 'ecs');
    expect(ecs.map((c) => `${c.strategy}/${c.engine}`).sort()).toEqual([
      'all-at-once/ecs', 'blue-green/codedeploy', 'blue-green/ecs', 'canary/codedeploy', 'canary/ecs', 'half-at-a-time/ecs', 'linear/codedeploy', 'linear/ecs',
    ]);
    expect(ecs.find((c) => c.strategy === 'canary' && c.engine === 'ecs')).toMatchObject({ intervalRange: { min: 1, max: 320 }, deployment: 'ECS CANARY (10 percent, then the interval; bake 10 min)' });
    expect(ecs.find((c) => c.strategy === 'linear' && c.engine === 'ecs')).toMatchObject({ intervalRange: { min: 1, max: 35 } });
    expect(ecs.find((c) => c.strategy === 'canary' && c.engine === 'codedeploy')).toMatchObject({ intervals: [5, 15] });
    expect(matrix.refused.filter((c) => c.runtime === 'node' && c.engine).map((c) => `${c.strategy}/${c.engine}`).sort()).toEqual(['all-at-once/codedeploy', 'half-at-a-time/codedeploy']);
    expect(matrix.valid.filter((c) => c.target !== 'ecs' && c.engine)).toEqual([]);
  });

  it('means the same by canary and linear with either engine: 10 percent steps, the interval between them', () => {
    const native = (strategy: 'canary' | 'linear', interval?: number) => resolveConfig({ name: 'svc', target: 'ecs', strategy, ecsEngine: 'ecs', ...(interval ? { interval } : {}) });
    expect(native('canary').deployment).toEqual({ kind: 'ecs-native', strategy: 'CANARY', stepPercent: 10, stepBakeMinutes: 5, bakeMinutes: 10 });
    expect(native('linear').deployment).toEqual({ kind: 'ecs-native', strategy: 'LINEAR', stepPercent: 10, stepBakeMinutes: 1, bakeMinutes: 10 });
    expect(native('linear', 3).deployment).toMatchObject({ stepBakeMinutes: 3 });
    expect(resolveConfig({ name: 'svc', target: 'ecs', strategy: 'blue-green', ecsEngine: 'ecs' }).deployment).toEqual({ kind: 'ecs-native', strategy: 'BLUE_GREEN', bakeMinutes: 10 });
    // Every interval CodeDeploy offers, ECS native takes too, with the same default.
    for (const strategy of ['canary', 'linear'] as const) {
      for (const interval of TRAFFIC_INTERVALS.ecs[strategy]) expect(native(strategy, interval).interval).toBe(interval);
      expect(native(strategy).interval).toBe(resolveConfig({ name: 'svc', target: 'ecs', strategy, ecsEngine: 'codedeploy' }).interval);
    }
  });

  it('refuses, in one line, an engine that cannot do the strategy, or an interval longer than a deploy job can wait', () => {
    const problem = (options: Record<string, unknown>) => {
      try {
        resolveConfig({ name: 'svc', ...options } as never);
      } catch (err) {
        return `${(err as ConfigError).option}: ${(err as Error).message}`;
      }
      return undefined;
    };
    expect(problem({ target: 'ecs', strategy: 'all-at-once', ecsEngine: 'codedeploy' })).toBe(
      "ecsEngine: all-at-once on ECS is ECS's own rolling update (the service's minimumHealthyPercent and maximumPercent); CodeDeploy does not run rolling updates on ECS: use --ecs-engine ecs, or remove it",
    );
    expect(problem({ target: 'lambda', ecsEngine: 'ecs' })).toBe('ecsEngine: --ecs-engine chooses who runs an ECS deployment; lambda has no ECS service: remove it');
    expect(problem({ target: 'ecs', ecsEngine: 'nomad' })).toBe('ecsEngine: invalid --ecs-engine "nomad": use one of ecs, codedeploy');
    expect(problem({ target: 'ecs', strategy: 'linear', ecsEngine: 'ecs', interval: 36 })).toBe(
      "interval: ECS's linear deployment with --interval 36 takes 349 minutes with its 10-minute bake, more than the 345 a deploy job can wait: use --interval 1-35",
    );
    expect(problem({ target: 'ecs', strategy: 'canary', ecsEngine: 'ecs', interval: 321 })).toMatch(/takes 346 minutes .* use --interval 1-320$/);
    expect(problem({ target: 'ecs', strategy: 'canary', ecsEngine: 'ecs', interval: 0 })).toMatch(/use --interval 1-320$/);
    expect(problem({ target: 'ecs', strategy: 'linear', ecsEngine: 'ecs', interval: 35 })).toBeUndefined();
    expect(problem({ target: 'ecs', strategy: 'all-at-once', ecsEngine: 'ecs' })).toBeUndefined();
    for (const p of [problem({ target: 'ecs', strategy: 'linear', ecsEngine: 'ecs', interval: 36 })!]) expect(p).not.toContain('\n');
  });

  it('keeps CodeDeploy for options that name no engine (a .projenrc.ts written before ecsEngine existed)', () => {
    const old = { name: 'svc', runtime: 'node', source: 'github', target: 'ecs', strategy: 'canary', interval: 15, ci: 'codepipeline', region: 'us-east-1' };
    const config = resolveConfig(old);
    expect(config.ecsEngine).toBe('codedeploy');
    expect(config.deployment).toEqual({ kind: 'codedeploy-ecs', config: 'CodeDeployDefault.ECSCanary10Percent15Minutes' });
    expect(resolveConfig({ name: 'svc', target: 'ecs' }).deployment.kind).toBe('codedeploy-ecs');
  });

  it('names the deployment configurations as AWS spells them', () => {
    const config = (target: string, strategy: string, interval?: number) =>
      deploymentOf({ runtime: 'node', target: target as never, strategy: strategy as never }, interval);
    expect(config('ec2', 'one-at-a-time')).toEqual({ kind: 'codedeploy-server', config: 'CodeDeployDefault.OneAtATime' });
    expect(config('ec2', 'half-at-a-time')).toMatchObject({ config: 'CodeDeployDefault.HalfAtATime' });
    expect(() => config('ec2', 'blue-green')).toThrow(/copies the Auto Scaling group and terminates the original, which the CloudFormation stack owns/);
    expect(config('ecs', 'blue-green')).toEqual({ kind: 'codedeploy-ecs', config: 'CodeDeployDefault.ECSAllAtOnce' });
    expect(config('ecs', 'canary', 15)).toMatchObject({ config: 'CodeDeployDefault.ECSCanary10Percent15Minutes' });
    expect(config('ecs', 'linear', 1)).toMatchObject({ config: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes' });
    expect(config('ecs', 'all-at-once')).toEqual({ kind: 'ecs-rolling', minimumHealthyPercent: 100, maximumPercent: 200 });
    expect(config('lambda', 'linear', 1)).toMatchObject({ config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute' });
    expect(config('lambda', 'linear', 10)).toMatchObject({ config: 'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes' });
    expect(config('lambda', 'canary', 30)).toMatchObject({ config: 'CodeDeployDefault.LambdaCanary10Percent30Minutes' });
    expect(config('lambda', 'all-at-once')).toMatchObject({ config: 'CodeDeployDefault.LambdaAllAtOnce' });
    expect(config('s3-site', 'all-at-once')).toEqual({ kind: 's3-deploy' });
  });

  it('refuses what AWS does not offer, for the reason AWS gives', () => {
    expect(refusal({ runtime: 'node', target: 'lambda', strategy: 'one-at-a-time' })).toMatch(/Lambda has no in-place rolling/);
    expect(refusal({ runtime: 'node', target: 'ec2', strategy: 'canary' })).toMatch(/only on the Lambda and ECS compute platforms/);
    expect(refusal({ runtime: 'node', target: 's3-site', strategy: 'blue-green' })).toMatch(/S3 deploy action copies/);
    expect(refusal({ runtime: 'container', target: 'ec2', strategy: 'all-at-once' })).toMatch(/does not run container images/);
    expect(refusal({ runtime: 'container', target: 'lambda', strategy: 'canary' })).toBeUndefined();
  });

  it('offers every predefined canary and linear interval, and refuses others', () => {
    for (const target of ['ecs', 'lambda'] as const) {
      for (const strategy of ['canary', 'linear'] as const) {
        for (const interval of TRAFFIC_INTERVALS[target][strategy]) {
          expect(resolveConfig({ name: 'svc', target, strategy, interval }).interval).toBe(interval);
        }
        expect(() => resolveConfig({ name: 'svc', target, strategy, interval: 7 })).toThrow(/use --interval/);
      }
    }
    expect(() => resolveConfig({ name: 'svc', target: 'ec2', strategy: 'all-at-once', interval: 5 })).toThrow(/applies only to canary and linear/);
  });

  it('runs GitHub Actions only for GitHub repositories', () => {
    expect(matrix.sources['github-actions']).toEqual(['github']);
    expect(matrix.sources.codepipeline).toEqual(['github', 'gitlab', 'bitbucket', 'codecommit', 's3']);
    expect(() => resolveConfig({ name: 'svc', source: 'gitlab', ci: 'both' })).toThrow(/GitHub Actions runs only in repositories hosted on GitHub/);
  });
});
