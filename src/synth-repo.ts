/**
 * A repo rendered by projen itself: `.projenrc.ts`, then a synth of it, in-process. What the scaffold's projen-free
 * write (render/repo-files.ts) is proven equal to, and what the component tests render with.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT_ENV } from './components/managed-file';
import type { PipelineConfig } from './model/config';
import { AwsPipelineProject, withoutPostSynth } from './project';
import { projenrcOptions, renderProjenrc } from './render/projenrc';

/**
 * Renders the whole repo into `dir` (which must exist): `.projenrc.ts`, then a projen synth. A service in a folder
 * (`path`) writes the files of its repository's root (its workflow) into `repoRoot`, which must exist.
 */
export function renderRepo(config: PipelineConfig, dir: string, repoRoot?: string): void {
  writeFileSync(join(dir, '.projenrc.ts'), renderProjenrc(config));
  const before = process.env[REPO_ROOT_ENV];
  if (repoRoot !== undefined) process.env[REPO_ROOT_ENV] = repoRoot;
  try {
    withoutPostSynth(() => new AwsPipelineProject({ ...projenrcOptions(config), outdir: dir }).synth());
  } finally {
    if (before === undefined) delete process.env[REPO_ROOT_ENV];
    else process.env[REPO_ROOT_ENV] = before;
  }
}
