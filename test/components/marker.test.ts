/** The first line of every managed file says what is true: edits are kept and merged, answers live in .projenrc.ts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generated } from './repo';
import { MANAGED_MARKER } from '../../src/components/managed-file';
import { readRendered } from '../../src/components/rendered-record';

describe('managed files', () => {
  it.each([[{ target: 'ecs', ci: 'both' }], [{ target: 'ec2', strategy: 'one-at-a-time' }], [{ target: 'lambda' }]])('%j: say edits are kept, not "To modify, edit .projenrc.ts"', (options) => {
    const repo = generated(options as never);
    const files = Object.keys(readRendered(repo));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const head = readFileSync(join(repo, file), 'utf8').split('\n').slice(0, 2).join('\n');
      expect(head, file).not.toContain('To modify, edit .projenrc.ts');
      if (!file.endsWith('.json')) expect(head, file).toContain(MANAGED_MARKER);
    }
  });
});
