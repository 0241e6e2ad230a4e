/** Facts about this package, read from its own files: no heavy imports. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The folder holding this package's package.json (from src/ under vitest, from lib/src/ when built). */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || readJson(join(dir, 'package.json')).name !== 'create-aws-pipeline') {
    const up = dirname(dir);
    if (up === dir) throw new Error('create-aws-pipeline: cannot find its own package.json');
    dir = up;
  }
  return (root = dir);
}

function readJson(file: string): { name?: string; version?: string } {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** This package's version. */
export function packageVersion(): string {
  return readJson(join(packageRoot(), 'package.json')).version ?? '0.0.0';
}

/** The version of a dependency as installed next to this package. */
export function installedVersion(pkg: string): string {
  return readJson(require.resolve(`${pkg}/package.json`, { paths: [packageRoot()] })).version ?? '0.0.0';
}
