/** Generated repos for end-to-end tests, and stubs for the commands that need AWS or Docker. */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { cli, tempDir } from '../helpers';

/** Generates a repo with the CLI (no install) and returns its folder. */
export function generate(args: readonly string[]): string {
  const parent = tempDir('cap-e2e-');
  const r = cli(['svc', '--yes', '--skip-install', ...args], parent);
  expect(r.status, r.stderr).toBe(0);
  return join(parent, 'svc');
}

export function readYaml<T = Record<string, any>>(file: string): T {
  return parse(readFileSync(file, 'utf8')) as T;
}

/**
 * A folder of stand-ins for `aws` and `docker`, which need an AWS account and
 * a Docker engine this machine does not have. Each records its arguments in
 * calls.log and succeeds; `aws ecr get-login-password` prints a fake token.
 */
export function stubBin(): { dir: string; calls: () => string[] } {
  const dir = tempDir('cap-stubs-');
  const log = join(dir, 'calls.log');
  for (const tool of ['aws', 'docker']) {
    const file = join(dir, tool);
    writeFileSync(
      file,
      `#!/usr/bin/env bash\nprintf '%s\\n' "${tool} $*" >> ${JSON.stringify(log)}\n[ "$1 $2" = "ecr get-login-password" ] && echo stub-token\ncat >/dev/null 2>&1 <&0 || true\nexit 0\n`,
    );
    chmodSync(file, 0o755);
  }
  writeFileSync(log, '');
  return { dir, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/** A TCP port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
