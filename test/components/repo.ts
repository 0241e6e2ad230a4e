/**
 * Generated repos for in-process tests: rendered as the CLI renders them,
 * re-synthesized as `npx projen` does (post-synth runs, installing nothing),
 * and their trees snapshotted byte for byte (contents, modes, symlinks).
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { javascript } from 'projen';
import { expect, vi } from 'vitest';
import { resolveConfig } from '../../src/model/config';
import type { PipelineOptions } from '../../src/model/options';
import { AwsPipelineProject } from '../../src/project';
import { renderRepo } from '../../src/synth-repo';
import { ROOT, tempDir } from '../helpers';

export const BASE: Partial<PipelineOptions> = { target: 'ecs', strategy: 'blue-green' };

export function generated(options: Partial<PipelineOptions> = BASE, dir = tempDir('cap-repo-')): string {
  mkdirSync(dir, { recursive: true });
  renderRepo(resolveConfig({ name: 'svc', ...options } as PipelineOptions), dir);
  return dir;
}

/** `npx projen` in-process with these answers; the error it fails with, if any. */
export function synth(dir: string, options: Partial<PipelineOptions> = BASE): Error | undefined {
  // installDependencies is not in projen's public typings: nothing to install from in a temp repo.
  const install = vi.spyOn(javascript.NodePackage.prototype as unknown as { installDependencies: () => void }, 'installDependencies').mockImplementation(() => undefined);
  try {
    new AwsPipelineProject({ name: 'svc', ...options, outdir: dir } as never).synth();
    return undefined;
  } catch (err) {
    return err as Error;
  } finally {
    install.mockRestore();
  }
}

export type Tree = Record<string, string>;

/** Every entry under `dir` (node_modules and .git left out): kind, mode, and content or link target. */
export function snapshot(dir: string, skip: readonly string[] = ['node_modules', '.git']): Tree {
  const out: Tree = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (skip.includes(path)) continue;
      const st = lstatSync(join(dir, path));
      const mode = (st.mode % 0o10000).toString(8);
      if (st.isSymbolicLink()) {
        out[path] = `link ${readlinkSync(join(dir, path))}`;
      } else if (st.isDirectory()) {
        out[`${path}/`] = `dir ${mode}`;
        walk(path);
      } else {
        out[path] = `file ${mode} ${readFileSync(join(dir, path)).toString('base64')}`;
      }
    }
  };
  walk('');
  return out;
}

export const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

export function git(dir: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

export function gitOk(dir: string, ...args: string[]): string {
  const r = git(dir, ...args);
  expect(r.status, `git ${args.join(' ')}: ${r.out}`).toBe(0);
  return r.out;
}

/** node_modules of a generated repo: this checkout's packages, and this checkout as create-aws-pipeline (its lib/). */
export function linkNodeModules(repo: string): void {
  const nm = join(repo, 'node_modules');
  mkdirSync(nm);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules', entry), join(nm, entry));
  symlinkSync(ROOT, join(nm, 'create-aws-pipeline'));
}
