/** The deploy scripts (scripts/deploy/, from templates/scripts/deploy/) that CodeBuild and GitHub Actions both run. */
import { renderTemplate } from './template';
import type { PipelineConfig } from '../model/config';
import { DEPLOY_DIR } from '../model/layout';
import { deployScripts } from '../model/release';

/** Path in the repo -> script, for the scripts this configuration's release uses. */
export function renderDeployScripts(c: PipelineConfig): Record<string, string> {
  return Object.fromEntries(deployScripts(c).map((path) => [path, renderTemplate(`scripts/deploy/${path.slice(DEPLOY_DIR.length + 1)}`, {})]));
}
