/**
 * --ecs-engine through the built CLI (bin/create-aws-pipeline.js -> dist/cli.cjs; `npx projen compile` first):
 * a new ECS repo gets ECS's own engine, written into .projenrc.ts; refused input is one line, exit 1, nothing written.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers';
import { inTerminal } from '../support/terminal';


describe('--ecs-engine', () => {
  it('a new ECS canary repo runs ECS\'s own deployment: .projenrc.ts names the engine, the hook is there, no appspec.yml', () => {
    const cwd = tempDir();
    const r = cli(['svc', '--yes', '--skip-install', '--no-git', '--strategy', 'canary', '--interval', '15'], cwd);
    expect(r.status, r.stderr).toBe(0);
    const repo = join(cwd, 'svc');
    expect(readFileSync(join(repo, '.projenrc.ts'), 'utf8')).toContain('  ecsEngine: "ecs",');
    expect(readFileSync(join(repo, 'infra/main.ts'), 'utf8')).toContain('  ecsHookDir: "hooks/ecs-validate",');
    expect(readdirSync(join(repo, 'hooks/ecs-validate')).sort()).toEqual(['index.mjs', 'index.test.mjs']);
    expect(existsSync(join(repo, 'appspec.yml'))).toBe(false);
    expect(readFileSync(join(repo, 'docs/pipeline.md'), 'utf8')).toContain('## ECS deployment engine: ECS (native)');
  });

  it('--ecs-engine codedeploy keeps CodeDeploy, and says so in .projenrc.ts', () => {
    const cwd = tempDir();
    const r = cli(['svc', '--yes', '--skip-install', '--no-git', '--strategy', 'linear', '--ecs-engine', 'codedeploy'], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'svc', '.projenrc.ts'), 'utf8')).toContain('  ecsEngine: "codedeploy",');
    expect(existsSync(join(cwd, 'svc', 'appspec.yml'))).toBe(true);
    expect(existsSync(join(cwd, 'svc', 'hooks'))).toBe(false);
  });

  it.each([
    [['--target', 'lambda', '--ecs-engine', 'ecs'], 'error --ecs-engine chooses who runs an ECS deployment; lambda has no ECS service: remove it'],
    [['--strategy', 'half-at-a-time', '--ecs-engine', 'codedeploy'], "error half-at-a-time on ECS is ECS's own rolling update (the service's minimumHealthyPercent and maximumPercent); CodeDeploy does not run rolling updates on ECS: use --ecs-engine ecs, or remove it"],
    [['--strategy', 'linear', '--ecs-engine', 'ecs', '--interval', '36'], "error ECS's linear deployment with --interval 36 takes 349 minutes with its 10-minute bake, more than the 345 a deploy job can wait: use --interval 1-35"],
    [['--ecs-engine', 'nomad'], 'error invalid --ecs-engine "nomad": use one of ecs, codedeploy'],
  ])('%j: one line, exit 1, nothing written', (flags, message) => {
    const cwd = tempDir();
    const r = cli(['svc', '--yes', '--skip-install', '--no-git', ...flags], cwd);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${message}\n`);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('is asked in a terminal for an ECS canary, ECS first (Enter takes it), CodeDeploy one down', async () => {
    const flags = ['--runtime', 'node', '--source', 'github', '--repository', 'acme/svc', '--target', 'ecs', '--strategy', 'canary', '--ci', 'codepipeline', '--skip-install', '--no-git'];
    const first = tempDir();
    // After the engine, the interval: ECS's own takes a typed number (Enter keeps 5), CodeDeploy's a list (Enter takes 5).
    const a = await inTerminal(['svc', ...flags], first, [[/ECS deployment engine/, '\r'], [/Minutes between traffic shifts \(1-\d+/, '\r']]);
    expect(a.code, a.output).toBe(0);
    expect(a.output).toMatch(/ECS deployment engine[\s\S]*ECS \(native\)[\s\S]*CodeDeploy/);
    expect(readFileSync(join(first, 'svc', '.projenrc.ts'), 'utf8')).toContain('  ecsEngine: "ecs",');
    const second = tempDir();
    const b = await inTerminal(['svc', ...flags], second, [[/ECS deployment engine/, '\u001b[B'], [/❯ CodeDeploy|> CodeDeploy/, '\r'], [/Minutes between traffic shifts/, '\r']]);
    expect(b.code, b.output).toBe(0);
    expect(readFileSync(join(first, 'svc', '.projenrc.ts'), 'utf8')).toContain('  interval: 5,');
    expect(readFileSync(join(second, 'svc', '.projenrc.ts'), 'utf8')).toContain('  ecsEngine: "codedeploy",');
    expect(readFileSync(join(second, 'svc', '.projenrc.ts'), 'utf8')).toContain('  interval: 5,');
  });

  it('is not asked for a rolling ECS service', async () => {
    const dir = tempDir();
    const flags = ['--runtime', 'node', '--source', 'github', '--repository', 'acme/svc', '--target', 'ecs', '--strategy', 'half-at-a-time', '--ci', 'codepipeline', '--skip-install', '--no-git'];
    const r = await inTerminal(['svc', ...flags], dir, []);
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toContain('ECS deployment engine');
    expect(readFileSync(join(dir, 'svc', '.projenrc.ts'), 'utf8')).not.toContain('ecsEngine');
  });

  it('is listed by --help and --list-combinations', () => {
    const cwd = tempDir();
    expect(cli(['--help'], cwd).stdout).toContain('--ecs-engine <engine>');
    const listing = JSON.parse(cli(['--list-combinations', '--json'], cwd).stdout) as { valid: Array<{ runtime: string; target: string; strategy: string; engine?: string }> };
    expect(listing.valid.filter((c) => c.runtime === 'node' && c.target === 'ecs' && c.strategy === 'linear').map((c) => c.engine)).toEqual(['codedeploy', 'ecs']);
  });
});
