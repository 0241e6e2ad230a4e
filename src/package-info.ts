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

/**
 * Versions of the packages a generated repo installs, fixed when the bundles in dist/ are built
 * (bundle/build.mjs defines it): the bundled CLI runs where none of them is installed.
 */
declare const CAP_BUILD_VERSIONS: Readonly<Record<string, string>> | undefined;

/** The version of a dependency this build was made with: baked into a bundle, else as installed next to this package. */
export function installedVersion(pkg: string): string {
  const baked = typeof CAP_BUILD_VERSIONS === 'object' ? CAP_BUILD_VERSIONS[pkg] : undefined;
  if (baked !== undefined) return baked;
  return readJson(require.resolve(`${pkg}/package.json`, { paths: [packageRoot()] })).version ?? '0.0.0';
}
