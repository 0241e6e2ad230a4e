/**
 * projen's files of the base project a generated repo is built on (render/repo-files.ts): synthesized by projen itself,
 * once per build (bundle/build.mjs bakes them into the CLI, which then writes a new repo without loading projen), or
 * here, where no build baked them (tests run from the sources).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { typescript } from 'projen';
import { filesUnder } from './dirs';
import { resolveConfig } from './model/config';
import { adjustBaseProject, baseProjectOptions, withoutPostSynth } from './project';
import { BASE_DESCRIPTION, BASE_NAME, IGNORE_SENTINEL } from './render/repo-files';
import type { ProjenBase, RepoFile } from './render/repo-files';

/** Files of the base synth that are not projen's: the scaffold writes its own. */
const NOT_PROJENS = new Set(['.projenrc.ts', 'README.md']);

/** Synthesizes the base project in a temporary folder and reads projen's files back, with their modes. */
export function synthProjenBase(): ProjenBase {
  const dir = mkdtempSync(join(tmpdir(), 'create-aws-pipeline-base-'));
  try {
    const config = resolveConfig({ name: BASE_NAME });
    const project = new typescript.TypeScriptAppProject(baseProjectOptions(config, dir, BASE_DESCRIPTION, 'README'));
    adjustBaseProject(project);
    project.gitignore.exclude(IGNORE_SENTINEL);
    withoutPostSynth(() => project.synth());
    const files: Record<string, RepoFile> = {};
    for (const path of filesUnder(dir)) {
      if (NOT_PROJENS.has(path)) continue;
      files[path] = { content: readFileSync(join(dir, path), 'utf8'), mode: statSync(join(dir, path)).mode % 0o1000 };
    }
    return { files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
