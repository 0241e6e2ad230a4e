/**
 * `create-aws-pipeline reset FILE` (the repo's `npx projen reset FILE`) in a generated repo, run by the built CLI with
 * the repo's own projen (node_modules linked to this checkout's): it takes the template again whatever state the
 * record of the last render is in, a git-conflicted one included (what a merge of two branches that each reset or
 * re-rendered the file leaves).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { linkNodeModules } from '../components/repo';
import { BIN, cli, tempDir } from '../helpers';

const reset = (repo: string, ...files: string[]) =>
  spawnSync(process.execPath, [BIN, 'reset', ...files], { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 120_000 });

describe('reset', () => {
  let repo: string;
  let template: string;

  beforeAll(() => {
    const parent = tempDir();
    expect(cli(['svc', '--yes', '--skip-install', '--no-git'], parent).status).toBe(0);
    repo = join(parent, 'svc');
    linkNodeModules(repo);
    template = readFileSync(join(repo, 'buildspec.yml'), 'utf8');
  });

  it('takes the template, and again right after', () => {
    appendFileSync(join(repo, 'buildspec.yml'), '# a hand edit\n');
    for (let i = 0; i < 2; i++) {
      const r = reset(repo, 'buildspec.yml');
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
      expect(readFileSync(join(repo, 'buildspec.yml'), 'utf8')).toBe(template);
    }
  });

  it('takes the template when git left the file\'s record conflicted, and repairs the record', () => {
    const record = join(repo, '.projen', 'aws-pipeline-rendered', 'buildspec.yml');
    appendFileSync(record, '<<<<<<< HEAD\n# one branch\n=======\n# the other\n>>>>>>> other\n');
    appendFileSync(join(repo, 'buildspec.yml'), '# a hand edit\n');
    const r = reset(repo, 'buildspec.yml');
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('reset to the template: buildspec.yml');
    expect(readFileSync(join(repo, 'buildspec.yml'), 'utf8')).toBe(template);
    expect(readFileSync(record, 'utf8')).toBe(template);
  });
});
