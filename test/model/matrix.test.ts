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
} from '../../src/model';

describe('the combination matrix', () => {
  const matrix = listMatrix();

  it('covers every runtime x target x strategy exactly once', () => {
    expect(matrix.valid.length + matrix.refused.length).toBe(RUNTIMES.length * TARGETS.length * STRATEGIES.length);
    expect(allCombinations()).toHaveLength(RUNTIMES.length * TARGETS.length * STRATEGIES.length);
  });

  it.each(listMatrix().valid.map((c) => [`${c.runtime} ${c.target} ${c.strategy}`, c] as const))(
    'accepts %s',
    (_label, c) => {
      const config = resolveConfig({ name: 'svc', runtime: c.runtime, target: c.target, strategy: c.strategy });
      expect(config.deployment).toEqual(deploymentOf(c, config.interval));
    },
  );

  it.each(listMatrix().refused.map((c) => [`${c.runtime} ${c.target} ${c.strategy}`, c] as const))(
    'refuses %s with its reason',
    (_label, c) => {
      expect(() => resolveConfig({ name: 'svc', runtime: c.runtime, target: c.target, strategy: c.strategy })).toThrowError(
        new ConfigError('combination', `${c.runtime} on ${c.target} with ${c.strategy} is not supported: ${c.reason}`),
      );
      expect(c.reason).toMatch(/[:;] (use|choose) /);
    },
  );

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
