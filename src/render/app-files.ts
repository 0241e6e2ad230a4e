/**
 * The sample app: every template under templates/app/<kind>/, rendered to
 * app/. Renames: `_gitignore` -> `.gitignore`, `_dockerignore` -> `.dockerignore`.
 * Dockerfiles come only where the target ships an image.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderTemplate } from './template';
import type { PipelineConfig } from '../model/config';
import { APP_DIR, appTemplate, needsImage } from '../model/layout';
import { NODE } from '../model/node-version';
import { packageRoot } from '../package-info';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = join(dir, entry);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Path in the repo -> content. */
export function renderAppFiles(c: PipelineConfig): Record<string, string> {
  const kind = appTemplate(c);
  const base = join(packageRoot(), 'templates', 'app', kind);
  const data = { name: c.name, port: c.port, healthPath: c.healthCheckPath, node: NODE };
  const files: Record<string, string> = {};
  for (const file of walk(base)) {
    const rel = relative(base, file).replace(/\.ejs$/, '');
    const name = rel.split('/').pop()!;
    if ((name === 'Dockerfile' || name === '_dockerignore') && !needsImage(c)) continue;
    const out = rel.replace(/(^|\/)_(gitignore|dockerignore)$/, '$1.$2');
    files[`${APP_DIR}/${out}`] = renderTemplate(`app/${kind}/${rel}`, data);
  }
  if (c.target === 's3-site') files[`${APP_DIR}/public${c.healthCheckPath}`] = 'ok\n';
  return files;
}
