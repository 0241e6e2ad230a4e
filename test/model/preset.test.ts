import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusal } from './refusal';
import { applyPreset, checkPreset, loadPreset, presetRefFor, resolveConfig, resolveWithPreset } from '../../src/model';
import type { PipelinePreset } from '../../src/model';
import { projenrcOptions, stackOptions } from '../../src/render/projenrc';
import { tempDir } from '../helpers';

const ACME: PipelinePreset = {
  name: 'acme',
  defaults: { region: 'eu-west-1', owner: 'platform', tags: { CostCenter: '1234' }, errorThreshold: 3, approval: true },
  locked: ['region', 'approval'],
  allowed: { runtime: ['node', 'python'], target: ['ecs', 'lambda'], strategy: ['canary', 'linear', 'blue-green'] },
};

function presetFile(preset: unknown): { dir: string; ref: string } {
  const dir = tempDir('cap-preset-');
  writeFileSync(join(dir, 'preset.json'), JSON.stringify(preset));
  return { dir, ref: './preset.json' };
}

describe('presets', () => {
  it('fill what is not given, and the user\'s own answers win where not locked', () => {
    const { dir, ref } = presetFile(ACME);
    const c = resolveWithPreset({ name: 'svc', preset: ref, errorThreshold: 7 }, [dir]);
    expect(c).toMatchObject({ region: 'eu-west-1', owner: 'platform', tags: { CostCenter: '1234' }, errorThreshold: 7, approval: true, target: 'ecs', strategy: 'blue-green' });
    expect(c.preset).toMatchObject({ ref, name: 'acme', locked: ['region', 'approval'] });
  });

  it('refuse a locked option given a different value, naming the option and the preset', () => {
    const err = refusal(() => applyPreset({ name: 'svc', region: 'us-west-2' }, ACME));
    expect(err.option).toBe('region');
    expect(err.message).toBe('preset acme locks --region to "eu-west-1": remove --region (ask the platform team to change the preset)');
    // The locked value itself is fine.
    expect(applyPreset({ name: 'svc', region: 'eu-west-1' }, ACME).region).toBe('eu-west-1');
  });

  it('narrow the matrix: a choice outside the allowed ones is refused with the allowed list', () => {
    const { dir, ref } = presetFile(ACME);
    const err = refusal(() => resolveWithPreset({ name: 'svc', preset: ref, target: 'ec2' }, [dir]));
    expect(err.option).toBe('target');
    expect(err.message).toBe('preset acme does not allow target ec2: use --target ecs | lambda');
    expect(refusal(() => resolveWithPreset({ name: 'svc', preset: ref, runtime: 'go' }, [dir])).message).toContain('does not allow runtime go');
  });

  it('take the first allowed choice where the global default is not allowed', () => {
    const preset: PipelinePreset = { name: 'lambda-only', allowed: { target: ['lambda'], strategy: ['linear'] } };
    const c = resolveConfig(applyPreset({ name: 'svc' }, preset) as never);
    expect(c.target).toBe('lambda');
    expect(c.strategy).toBe('linear');
  });

  it.each([
    [{ defaults: { region: 'x' } }, 'preset has no name'],
    [{ name: 'p', lock: ['region'] }, 'preset p has an unknown field "lock"'],
    [{ name: 'p', defaults: { name: 'svc' } }, 'preset p sets "name", which a preset cannot set (each service names itself)'],
    [{ name: 'p', defaults: { colour: 'red' } }, 'preset p sets "colour", which a preset cannot set (not an option)'],
    [{ name: 'p', locked: ['region'] }, 'preset p locks region but gives it no value in "defaults"'],
    [{ name: 'p', allowed: { region: ['eu-west-1'] } }, 'preset p narrows "region": only runtime, source, target, strategy, ci can be narrowed'],
    [{ name: 'p', allowed: { target: [] } }, 'preset p allows no target: list at least one'],
    [{ name: 'p', allowed: { target: ['k8s'] } }, 'preset p allows unknown target k8s'],
    [{ name: 'p', allowed: { target: ['lambda'], strategy: ['one-at-a-time', 'half-at-a-time'] } }, 'preset p contradicts the matrix: no runtime/target/strategy it allows is supported by AWS'],
    [{ name: 'p', allowed: { source: ['gitlab'], ci: ['github-actions'] } }, 'preset p contradicts the matrix: no ci/source pair it allows works'],
    [{ name: 'p', defaults: { target: 'lambda', strategy: 'blue-green' } }, 'preset p contradicts itself: its defaults give lambda on lambda with blue-green is not supported'],
    [{ name: 'p', defaults: { target: 'ecs' }, allowed: { target: ['lambda'] } }, 'preset p does not allow target ecs'],
    [{ name: 'p', defaults: { region: 'mars-1' } }, 'preset p contradicts itself: its defaults give unknown --region "mars-1"'],
  ])('refuse an inconsistent preset %j', (preset, message) => {
    const err = refusal(() => checkPreset(preset as never, 'preset'));
    expect(err.message.replace('node on lambda', 'lambda on lambda')).toContain(message);
  });

  it('load from a JSON file or from an installed package (with its version), and say how to fix a missing one', () => {
    const { dir, ref } = presetFile(ACME);
    expect(loadPreset(ref, [dir]).preset.name).toBe('acme');
    const pkg = join(dir, 'node_modules', '@acme', 'pipeline-preset');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@acme/pipeline-preset', version: '1.4.0', main: 'preset.json' }));
    writeFileSync(join(pkg, 'preset.json'), JSON.stringify({ ...ACME, name: '@acme/pipeline-preset' }));
    expect(loadPreset('@acme/pipeline-preset', [dir])).toMatchObject({ version: '1.4.0', preset: { name: '@acme/pipeline-preset' } });
    const js = join(dir, 'node_modules', 'js-preset');
    mkdirSync(js);
    writeFileSync(join(js, 'package.json'), JSON.stringify({ name: 'js-preset', version: '2.0.0' }));
    writeFileSync(join(js, 'index.js'), 'exports.default = { name: "js-preset", defaults: { port: 3000 } };');
    expect(loadPreset('js-preset', [dir]).preset.defaults).toEqual({ port: 3000 });
    expect(refusal(() => loadPreset('@acme/missing', [dir])).message).toMatch(/^cannot load preset "@acme\/missing" \(.*\): install it first \(npm install -D @acme\/missing\) or give the path of a JSON preset$/);
    expect(refusal(() => loadPreset('./nope.json', [dir])).message).toMatch(/^cannot load preset "\.\/nope\.json" \(no file .*nope\.json\): give the path of a JSON preset$/);
  });

  it('name a preset file relative to the repo, wherever the command ran', () => {
    expect(presetRefFor('./acme.json', '/work/svc', '/work')).toBe('../acme.json');
    expect(presetRefFor('/work/svc/presets/acme.json', '/work/svc', '/elsewhere')).toBe('./presets/acme.json');
    expect(presetRefFor('@acme/pipeline-preset', '/work/svc', '/work')).toBe('@acme/pipeline-preset');
  });

  it('leave the preset\'s values out of .projenrc.ts (so its upgrades apply) but keep them in the stack\'s options', () => {
    const { dir, ref } = presetFile({ ...ACME, defaults: { ...ACME.defaults, approval: false } });
    const c = resolveWithPreset({ name: 'svc', preset: ref, runtime: 'python', owner: 'team-a' }, [dir]);
    const rc = projenrcOptions(c) as unknown as Record<string, unknown>;
    expect(rc).toMatchObject({ name: 'svc', preset: ref, runtime: 'python', owner: 'team-a' });
    for (const key of ['region', 'tags', 'errorThreshold', 'approval']) expect(rc).not.toHaveProperty(key);
    expect(stackOptions(c)).toMatchObject({ region: 'eu-west-1', tags: { CostCenter: '1234' }, errorThreshold: 3, approval: false, owner: 'team-a' });
    expect(stackOptions(c)).not.toHaveProperty('preset');
    // An answer equal to the global default but not to the preset's is written down.
    const unlocked = presetFile({ name: 'p', defaults: { approval: false, port: 3000 } });
    const mine = projenrcOptions(resolveWithPreset({ name: 'svc', preset: unlocked.ref, approval: true, port: 8080 }, [unlocked.dir])) as unknown as Record<string, unknown>;
    expect(mine).toMatchObject({ approval: true, port: 8080 });
  });

  it('set the org\'s repository owner for repositories not named', () => {
    const { dir, ref } = presetFile({ name: 'p', defaults: { repositoryOwner: 'acme' } });
    const c = resolveWithPreset({ name: 'svc', preset: ref }, [dir]);
    expect(c.repository).toBe('acme/svc');
    const rc = projenrcOptions(c) as unknown as Record<string, unknown>;
    expect(rc.repository).toBe('acme/svc');
    expect(rc).not.toHaveProperty('repositoryOwner');
    expect(resolveWithPreset({ name: 'svc', preset: ref, repository: 'other/svc' }, [dir]).repository).toBe('other/svc');
    expect(refusal(() => resolveConfig({ name: 'svc', repositoryOwner: 'a b' })).message).toMatch(/^invalid --repository-owner "a b"/);
  });
});
