/**
 * The ECS engine of new and existing repos: a new scaffold gets ECS's own (what AWS recommends) and writes it into
 * .projenrc.ts; options that name no engine (a .projenrc.ts written before the option) keep CodeDeploy.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROMPTED_OPTIONS, isAsked, resolveConfig, resolveNewRepo } from '../../src/model';
import { renderCdkApp } from '../../src/render/cdk-app';
import { renderProjenrc } from '../../src/render/projenrc';
import { tempDir } from '../helpers';

/** The options object of a rendered .projenrc.ts, evaluated (its values are JSON literals). */
function projenrcOptions(text: string): Record<string, unknown> {
  const body = /new AwsPipelineProject\(\{\n([\s\S]*?)\n\}\);/.exec(text)![1];
  return Function(`return {${body}}`)() as Record<string, unknown>;
}

describe('the ECS engine', () => {
  it('is ECS for a new repo, written into .projenrc.ts, and the written file resolves to the same deployment', () => {
    for (const strategy of ['blue-green', 'canary', 'linear']) {
      const config = resolveNewRepo({ name: 'svc', target: 'ecs', strategy }, [tempDir()]);
      expect(config.deployment.kind).toBe('ecs-native');
      const text = renderProjenrc(config);
      expect(text).toContain('  ecsEngine: "ecs",');
      const again = resolveConfig(projenrcOptions(text) as never);
      expect(again.deployment).toEqual(config.deployment);
    }
  });

  it('writes codedeploy explicitly when chosen, so the repo never depends on the default', () => {
    const config = resolveNewRepo({ name: 'svc', target: 'ecs', strategy: 'canary', ecsEngine: 'codedeploy', interval: 15 }, [tempDir()]);
    expect(config.deployment).toEqual({ kind: 'codedeploy-ecs', config: 'CodeDeployDefault.ECSCanary10Percent15Minutes' });
    expect(renderProjenrc(config)).toContain('  ecsEngine: "codedeploy",');
  });

  it('keeps CodeDeploy for a .projenrc.ts written before ecsEngine existed (its options name none)', () => {
    const before = { name: 'svc', runtime: 'node', source: 'github', target: 'ecs', strategy: 'blue-green', ci: 'codepipeline', repository: 'acme/svc', region: 'us-east-1' };
    const config = resolveConfig(before);
    expect(config.deployment).toEqual({ kind: 'codedeploy-ecs', config: 'CodeDeployDefault.ECSAllAtOnce' });
    // Its files do not move either: infra/main.ts renders no engine-specific option for CodeDeploy.
    expect(renderCdkApp(config)).not.toContain('ecsHookDir');
  });

  it('follows a preset that names the engine, and the preset wins over the new-repo default', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'preset.json'), JSON.stringify({ name: 'acme', defaults: { ecsEngine: 'codedeploy' } }));
    const config = resolveNewRepo({ name: 'svc', target: 'ecs', preset: './preset.json' }, [dir]);
    expect(config.deployment.kind).toBe('codedeploy-ecs');
  });

  it('is not written, and not asked, where it does not apply', () => {
    for (const options of [{ target: 'ecs', strategy: 'all-at-once' }, { target: 'lambda' }, { target: 'ec2' }, { target: 's3-site' }]) {
      const config = resolveNewRepo({ name: 'svc', ...options }, [tempDir()]);
      expect(renderProjenrc(config)).not.toContain('ecsEngine');
    }
    const engine = PROMPTED_OPTIONS.find((s) => s.key === 'ecsEngine')!;
    expect(engine.choices!.map((c) => c.value)).toEqual(['ecs', 'codedeploy']);
    expect(isAsked(engine, { target: 'ecs', strategy: 'canary' })).toBe(true);
    expect(isAsked(engine, {})).toBe(true);
    expect(isAsked(engine, { target: 'ecs', strategy: 'half-at-a-time' })).toBe(false);
    expect(isAsked(engine, { target: 'lambda' })).toBe(false);
  });
});
