/** The CodeDeploy lifecycle hook scripts for EC2, from templates/scripts/codedeploy/. */
import { shq } from './shell';
import { renderTemplate } from './template';
import type { PipelineConfig } from '../model/config';
import { EC2_HOOKS, HOOKS_DIR } from '../model/layout';
import { TOOLCHAINS } from '../model/toolchains';

/** Path in the repo -> script; empty where the target has no hook scripts. */
export function renderHookScripts(c: PipelineConfig): Record<string, string> {
  if (c.target !== 'ec2') return {};
  const data = { name: c.name, port: c.port, healthPath: c.healthCheckPath, toolchain: TOOLCHAINS[c.runtime], shq };
  const scripts = ['common.sh', ...EC2_HOOKS.map((h) => h.script)];
  return Object.fromEntries(scripts.map((s) => [`${HOOKS_DIR}/${s}`, renderTemplate(`scripts/codedeploy/${s}`, data)]));
}
