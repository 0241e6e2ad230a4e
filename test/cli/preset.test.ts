/** --preset on the command line: applied, locked, narrowed, and named in the generated repo. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers';

const ACME = {
  name: 'acme-golden-path',
  defaults: { region: 'eu-west-1', owner: 'platform', tags: { CostCenter: '1234' }, errorThreshold: 3 },
  locked: ['region'],
  allowed: { runtime: ['node', 'python'], target: ['ecs', 'lambda'] },
};

function withPreset(preset: unknown = ACME): string {
  const dir = tempDir('cap-preset-cli-');
  writeFileSync(join(dir, 'acme.json'), JSON.stringify(preset));
  return dir;
}

describe('create-aws-pipeline --preset', () => {
  it('applies the preset and names it in .projenrc.ts, writing down only the answers that differ from it', () => {
    const dir = withPreset();
    const r = cli(['svc', '--yes', '--skip-install', '--preset', './acme.json', '--runtime', 'python'], dir);
    expect(r.status, r.stderr).toBe(0);
    const rc = readFileSync(join(dir, 'svc', '.projenrc.ts'), 'utf8');
    expect(rc).toContain('preset: "../acme.json",');
    expect(rc).toContain('runtime: "python",');
    expect(rc).toContain('// Answers not written here come from the preset acme-golden-path');
    expect(rc).not.toMatch(/region|CostCenter|errorThreshold|owner/);
    const main = readFileSync(join(dir, 'svc', 'infra', 'main.ts'), 'utf8');
    expect(main).toContain('region: "eu-west-1",');
    expect(main).toContain('tags: {"CostCenter":"1234"},');
    expect(main).toContain('errorThreshold: 3,');
    expect(main).toContain('owner: "platform",');
    expect(main).not.toContain('preset');
  });

  it('refuses a locked option given on the command line, naming the option and the preset, and writes nothing', () => {
    const dir = withPreset();
    const r = cli(['svc', '--yes', '--skip-install', '--preset', './acme.json', '--region', 'us-west-2'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error preset acme-golden-path locks --region to "eu-west-1": remove --region (ask the platform team to change the preset)\n');
    expect(readdirSync(dir)).toEqual(['acme.json']);
  });

  it('refuses a choice outside the preset\'s narrowed matrix', () => {
    const dir = withPreset();
    const r = cli(['svc', '--yes', '--skip-install', '--preset', './acme.json', '--target', 'ec2'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error preset acme-golden-path does not allow target ec2: use --target ecs | lambda\n');
    expect(existsSync(join(dir, 'svc'))).toBe(false);
  });

  it('counts the preset\'s answers as given when there is no terminal to ask', () => {
    const dir = withPreset({ name: 'full', defaults: { runtime: 'node', source: 'github', target: 'lambda', strategy: 'linear', ci: 'codepipeline' } });
    const r = cli(['svc', '--skip-install', '--preset', './acme.json'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'svc', 'docs', 'pipeline.md'), 'utf8')).toContain('CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
  });

  it.each([
    [{ name: 'bad', allowed: { target: ['lambda'], strategy: ['one-at-a-time'] } }, /^error preset bad contradicts the matrix: no runtime\/target\/strategy it allows is supported by AWS/],
    [{ name: 'bad', locked: ['region'] }, /^error preset bad locks region but gives it no value in "defaults"\n$/],
    ['{ not json', /^error cannot load preset ".*acme\.json" \(.*JSON.*\): give the path of a JSON preset\n$/],
  ])('refuses a bad preset in one line: %j', (preset, message) => {
    const dir = tempDir('cap-preset-cli-');
    writeFileSync(join(dir, 'acme.json'), typeof preset === 'string' ? preset : JSON.stringify(preset));
    const r = cli(['svc', '--yes', '--skip-install', '--preset', './acme.json'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'svc'))).toBe(false);
  });

  it('lists the matrix as the preset narrows it', () => {
    const dir = withPreset();
    const r = cli(['--list-combinations', '--json', '--preset', './acme.json'], dir);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as { valid: Array<{ runtime: string; target: string }>; refused: Array<{ runtime: string; target: string; reason: string }> };
    expect(m.valid.length).toBeGreaterThan(0);
    for (const c of m.valid) {
      expect(['node', 'python']).toContain(c.runtime);
      expect(['ecs', 'lambda']).toContain(c.target);
    }
    expect(m.refused).toContainEqual(expect.objectContaining({ runtime: 'java', target: 'ecs', reason: 'preset acme-golden-path allows runtime node, python' }));
    expect(m.refused).toContainEqual(expect.objectContaining({ runtime: 'node', target: 'ec2', reason: 'preset acme-golden-path allows target ecs, lambda' }));
  });
});
