/** The CodeDeploy lifecycle hook scripts for EC2, from templates/scripts/codedeploy/; the ECS native validation hook from assets/. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shq } from './shell';
import { renderTemplate } from './template';
import type { PipelineConfig } from '../model/config';
import { EC2_HOOKS, ECS_HOOK_DIR, HOOKS_DIR } from '../model/layout';
import { TOOLCHAINS } from '../model/toolchains';
import { packageRoot } from '../package-info';

/** Path in the repo -> script; empty where the target has no hook scripts. */
export function renderHookScripts(c: PipelineConfig): Record<string, string> {
  if (c.target !== 'ec2') return {};
  const data = { name: c.name, port: c.port, healthPath: c.healthCheckPath, toolchain: TOOLCHAINS[c.runtime], shq };
  const scripts = ['common.sh', ...EC2_HOOKS.map((h) => h.script)];
  return Object.fromEntries(scripts.map((s) => [`${HOOKS_DIR}/${s}`, renderTemplate(`scripts/codedeploy/${s}`, data)]));
}

/**
 * The ECS lifecycle hook (`--ecs-engine ecs`) and its test, into hooks/ecs-validate/: the same files the stack
 * builds the hook from when no repo passes its own (assets/ecs-validate-hook), so the package tests what it ships.
 */
/** The ECS validation hook's test file, named (Node.js 22 and later take files or globs after --test, not a folder). */
export const ECS_HOOK_TEST = `${ECS_HOOK_DIR}/index.test.mjs`;

export function renderEcsHookFiles(c: PipelineConfig): Record<string, string> {
  if (c.deployment.kind !== 'ecs-native') return {};
  const dir = join(packageRoot(), 'assets', 'ecs-validate-hook');
  return Object.fromEntries(['index.mjs', 'index.test.mjs'].map((f) => [`${ECS_HOOK_DIR}/${f}`, readFileSync(join(dir, f), 'utf8')]));
}
