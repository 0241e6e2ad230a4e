/**
 * The sample app: every template under templates/app/<kind>/, rendered to
 * app/. Renames: `_gitignore` -> `.gitignore`, `_dockerignore` -> `.dockerignore`.
 * Dockerfiles come only where the target ships an image.
 */
import { renderTemplate, templatesUnder } from './template';
import type { PipelineConfig } from '../model/config';
import { APP_DIR, appTemplate, needsImage } from '../model/layout';
import { NODE } from '../model/node-version';

/** Path in the repo -> content. */
export function renderAppFiles(c: PipelineConfig): Record<string, string> {
  const kind = appTemplate(c);
  const data = { name: c.name, port: c.port, healthPath: c.healthCheckPath, node: NODE };
  const files: Record<string, string> = {};
  for (const template of templatesUnder(`app/${kind}`)) {
    const rel = template.slice(`app/${kind}/`.length);
    const name = rel.split('/').pop()!;
    if ((name === 'Dockerfile' || name === '_dockerignore') && !needsImage(c)) continue;
    const out = rel.replace(/(^|\/)_(gitignore|dockerignore)$/, '$1.$2');
    files[`${APP_DIR}/${out}`] = renderTemplate(`app/${kind}/${rel}`, data);
  }
  if (c.target === 's3-site') files[`${APP_DIR}/public${c.healthCheckPath}`] = 'ok\n';
  return files;
}
