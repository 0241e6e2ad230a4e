/**
 * What `npx projen` says about the files it writes: one line per file added or removed when an answer changes, and
 * one report per problem (a file left with conflict markers is not also "kept").
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BASE, generated, read, synth } from './repo';
import { MergeConflictError } from '../../src/components/managed-file';

/** The lines written to stderr while `fn` runs. */
function stderrOf(fn: () => unknown): string[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('npx projen after an answer changes', () => {
  it('says which files it added and removed, one line each, and they are', () => {
    const dir = generated();
    expect(stderrOf(() => expect(synth(dir)).toBeUndefined()).filter((l) => /^(added|removed) /.test(l))).toEqual([]);
    const lambda = { target: 'lambda', strategy: 'canary' } as const;
    const lines = stderrOf(() => expect(synth(dir, lambda)).toBeUndefined()).filter((l) => /^(added|removed) /.test(l));
    expect(lines).toEqual(expect.arrayContaining(['added scripts/deploy/lambda.sh', 'added app/src/handler.js', 'removed taskdef.json', 'removed scripts/deploy/ecs.sh']));
    for (const line of lines) {
      const [what, path] = line.split(' ');
      expect(existsSync(join(dir, path)), line).toBe(what === 'added');
    }
    // The sample app is the user's: what the new target does not use stays.
    expect(existsSync(join(dir, 'app/Dockerfile'))).toBe(true);
    // And back: aws-pipeline.json and the ECS files return, the lambda script goes.
    const back = stderrOf(() => expect(synth(dir, BASE)).toBeUndefined());
    expect(back).toEqual(expect.arrayContaining(['added taskdef.json', 'removed scripts/deploy/lambda.sh']));
  });

  it('an edited sample app file is never removed', () => {
    const dir = generated();
    writeFileSync(join(dir, 'app/Dockerfile'), `${read(dir, 'app/Dockerfile')}# mine\n`);
    stderrOf(() => synth(dir, { target: 'lambda', strategy: 'canary', runtime: 'node' }));
    expect(read(dir, 'app/Dockerfile')).toContain('# mine');
  });
});

describe('a file left with conflict markers', () => {
  it('is reported once, as a conflict naming the file and the reset command, not also as kept', () => {
    const dir = generated();
    writeFileSync(join(dir, 'buildspec.yml'), `${read(dir, 'buildspec.yml')}<<<<<<< your edit\nmine\n=======\ntheirs\n>>>>>>> template\n`);
    writeFileSync(join(dir, 'appspec.yml'), `${read(dir, 'appspec.yml')}# a kept edit\n`);
    let err: Error | undefined;
    const lines = stderrOf(() => {
      err = synth(dir);
    });
    expect(err).toBeInstanceOf(MergeConflictError);
    expect(err!.message).toMatch(/^merge conflicts in buildspec\.yml: .* or npx projen reset buildspec\.yml to take the template$/);
    expect(lines.filter((l) => l.includes('buildspec.yml'))).toEqual([]);
    expect(lines).toContain('Kept your edits in appspec.yml (npx projen drift lists them; npx projen reset FILE drops them)');
  });
});
