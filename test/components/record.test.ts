/**
 * The record of the last render under git: two branches that change
 * different answers (and edit different managed files) merge without a
 * conflict in the record, and the next synth keeps every edit of both.
 * Repos from earlier releases (one JSON record) keep working.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE, generated, git, gitOk, read, synth } from './repo';
import { MergeConflictError } from '../../src/components/managed-file';
import { basePath, LEGACY_RECORD, readRendered, RENDERED_DIR } from '../../src/components/rendered-record';
import { resolveConfig } from '../../src/model/config';
import type { PipelineOptions } from '../../src/model/options';
import { renderProjenrc } from '../../src/render/projenrc';

const RUNBOOK = '\n## Our runbook\n\nPage the on-call team.\n';
const BUILD_EDIT = '# our extra build note\n';

describe('the record under git', () => {
  it('two branches changing different answers and editing different files merge cleanly, and the next synth keeps everything', () => {
    const repo = generated();
    gitOk(repo, 'init', '-q', '-b', 'main');
    gitOk(repo, 'add', '-A');
    gitOk(repo, 'commit', '-qm', 'generated');
    const a: Partial<PipelineOptions> = { ...BASE, ci: 'both' };
    const b: Partial<PipelineOptions> = { ...BASE, port: 9090 };
    const branch = (name: string, options: Partial<PipelineOptions>, file: string, edit: string) => {
      gitOk(repo, 'checkout', '-q', '-b', name, 'main');
      writeFileSync(join(repo, '.projenrc.ts'), renderProjenrc(resolveConfig({ name: 'svc', ...options } as PipelineOptions)));
      expect(synth(repo, options)).toBeUndefined();
      writeFileSync(join(repo, file), `${read(repo, file)}${edit}`);
      expect(synth(repo, options)).toBeUndefined();
      gitOk(repo, 'add', '-A');
      gitOk(repo, 'commit', '-qm', name);
    };
    // a: GitHub Actions too (a new managed file, and docs/pipeline.md changes); an edit to buildspec.yml.
    branch('a', a, 'buildspec.yml', BUILD_EDIT);
    // b: another port (taskdef.json, appspec.yml, infra/main.ts, and other lines of docs/pipeline.md); an edit to docs/pipeline.md.
    branch('b', b, 'docs/pipeline.md', RUNBOOK);

    gitOk(repo, 'checkout', '-q', 'a');
    const merge = git(repo, 'merge', '--no-edit', 'b');
    expect(merge.out).not.toMatch(/CONFLICT/);
    expect(merge.status, merge.out).toBe(0);
    expect(gitOk(repo, 'diff', '--name-only', '--diff-filter=U')).toBe('');

    // The merged answers, re-rendered: every managed file is the fresh render, plus both edits.
    const both = { ...BASE, ci: 'both', port: 9090 } as const;
    expect(read(repo, '.projenrc.ts')).toBe(renderProjenrc(resolveConfig({ name: 'svc', ...both })));
    expect(synth(repo, both)).toBeUndefined();
    const fresh = generated(both);
    const record = readRendered(fresh);
    expect(readRendered(repo)).toEqual(record);
    for (const path of Object.keys(record)) {
      const want = path === 'buildspec.yml' ? `${record[path]}${BUILD_EDIT}` : path === 'docs/pipeline.md' ? `${record[path]}${RUNBOOK}` : record[path];
      expect(read(repo, path), path).toBe(want);
    }
    expect(read(repo, 'docs/pipeline.md')).toContain('9090');
    expect(existsSync(join(repo, '.github/workflows/pipeline.yml'))).toBe(true);
  });

  it('.gitattributes marks the records generated, and merges them as text (no merge=union)', () => {
    const attributes = read(generated(), '.gitattributes');
    expect(attributes).toContain(`/${RENDERED_DIR}/** linguist-generated`);
    expect(attributes).not.toMatch(/merge=/);
  });
});

describe('a repo with the single-file record of an earlier release', () => {
  /** The repo as an earlier release left it: `.projen/aws-pipeline-rendered.json`, listed in projen's files.json. */
  function legacyRepo(): string {
    const repo = generated();
    const files = readRendered(repo);
    rmSync(join(repo, RENDERED_DIR), { recursive: true });
    writeFileSync(join(repo, LEGACY_RECORD), `${JSON.stringify({ '//': 'marker', files }, null, 2)}\n`);
    const manifest = JSON.parse(read(repo, '.projen/files.json')) as { files: string[] };
    manifest.files = [...manifest.files, LEGACY_RECORD].sort();
    writeFileSync(join(repo, '.projen/files.json'), JSON.stringify(manifest, null, 2));
    return repo;
  }

  it('merges against it, then moves it into the folder', () => {
    const repo = legacyRepo();
    writeFileSync(join(repo, 'docs/pipeline.md'), `${read(repo, 'docs/pipeline.md')}${RUNBOOK}`);
    expect(readRendered(repo)['docs/pipeline.md']).toContain('8080');
    expect(synth(repo, { ...BASE, port: 9090 })).toBeUndefined();
    const doc = read(repo, 'docs/pipeline.md');
    expect(doc).toContain(RUNBOOK);
    expect(doc).toContain('9090');
    expect(doc).not.toContain('8080');
    expect(existsSync(join(repo, LEGACY_RECORD))).toBe(false);
    expect(read(repo, basePath('docs/pipeline.md'))).toBe(readRendered(generated({ ...BASE, port: 9090 }))['docs/pipeline.md']);
    expect(JSON.parse(read(repo, '.projen/files.json')).files).not.toContain(LEGACY_RECORD);
  });

  it('a legacy record left with git conflict markers, or broken, trusts no base: an edit becomes a conflict', () => {
    for (const broken of ['{\n"files": {\n<<<<<<< HEAD\n=======\n>>>>>>> feature\n}}', '{"files": [1, 2]}', 'not json', '{"files": {"docs/pipeline.md": 3}}']) {
      const repo = legacyRepo();
      writeFileSync(join(repo, LEGACY_RECORD), broken);
      expect(readRendered(repo)).toEqual({});
      writeFileSync(join(repo, 'docs/pipeline.md'), `${read(repo, 'docs/pipeline.md')}${RUNBOOK}`);
      const err = synth(repo, { ...BASE, port: 9090 });
      expect(err).toBeInstanceOf(MergeConflictError);
      expect((err as MergeConflictError).files).toContain('docs/pipeline.md');
      expect(read(repo, 'docs/pipeline.md')).toContain(RUNBOOK);
    }
  });

  it('a file in the folder wins over the legacy entry for the same path', () => {
    const repo = legacyRepo();
    mkdirSync(join(repo, RENDERED_DIR, 'docs'), { recursive: true });
    writeFileSync(join(repo, basePath('docs/pipeline.md')), 'from the folder\n');
    expect(readRendered(repo)['docs/pipeline.md']).toBe('from the folder\n');
    expect(readFileSync(join(repo, LEGACY_RECORD), 'utf8')).toContain('docs/pipeline.md');
  });
});
