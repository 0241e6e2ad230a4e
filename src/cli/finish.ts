/** After the repo is written: the install, and the next steps. Shared by the CLI and the Yeoman generator. */
import { spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import { UsageError } from './errors';
import type { PipelineConfig } from '../model/config';

export function installDependencies(dir: string): void {
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) throw new UsageError(`the repo is written to ${dir}, but npm install failed: run npm install there`);
}

export function nextSteps(c: PipelineConfig, dir: string, skipInstall: boolean): string {
  const rel = relative(process.cwd(), resolve(dir)) || '.';
  return [
    `\n${pc.green('Done.')} ${c.name}: ${c.runtime} on ${c.target}, ${c.strategy}, from ${c.source}, run by ${c.ci}.`,
    '',
    'Next:',
    `  cd ${rel}`,
    ...(skipInstall ? ['  npm install'] : []),
    '  npx projen        # re-render the managed files after editing .projenrc.ts',
    '  docs/pipeline.md  # how to deploy it',
    '',
  ].join('\n');
}
