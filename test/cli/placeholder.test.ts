/**
 * The placeholder repository of a repo generated with --yes is said again at
 * every `npx projen` and every CDK synth until .projenrc.ts names the real one:
 * the repo's own projen and CDK app run as real processes (its node_modules
 * links to this checkout's, as in test/project/resynth.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from '../helpers';

const WARNING = 'repository your-org/svc is a placeholder, so the pipeline\'s source action will fail: set repository: "<owner>/<repo>" (your github repository) in .projenrc.ts, then run npx projen';

function linkNodeModules(repo: string) {
  const nm = join(repo, 'node_modules');
  mkdirSync(nm);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules', entry), join(nm, entry));
  symlinkSync(ROOT, join(nm, 'create-aws-pipeline'));
}

function projen(repo: string): string {
  // As a user runs it: vitest's NODE_ENV=test would turn projen's logger off.
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1' };
  delete env.NODE_ENV;
  const r = spawnSync(join(repo, 'node_modules', '.bin', 'projen'), ['--no-post'], { cwd: repo, encoding: 'utf8', env, timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout + r.stderr;
}

/** The warnings the CDK app's synth leaves in the cloud assembly (what `cdk synth` prints). */
function cdkWarnings(repo: string): string[] {
  const out = tempDir('cap-cdk-');
  const r = spawnSync(join(repo, 'node_modules', '.bin', 'tsx'), ['infra/main.ts'], { cwd: repo, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: out }, timeout: 120_000 });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  type Metadata = Record<string, Array<{ type: string; data: unknown }>>;
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { metadata?: Metadata; additionalMetadataFile?: string }> };
  // The stack's metadata sits in the manifest, or (newer aws-cdk-lib) in a file of its own that the manifest names.
  return Object.values(manifest.artifacts)
    .flatMap((a) => [a.metadata ?? {}, a.additionalMetadataFile ? (JSON.parse(readFileSync(join(out, a.additionalMetadataFile), 'utf8')) as Metadata) : {}])
    .flatMap((m) => Object.values(m).flat())
    .filter((m) => m.type === 'aws:cdk:warning')
    .map((m) => String(m.data));
}

describe('a repo generated with the placeholder repository', () => {
  let repo: string;

  beforeAll(() => {
    const parent = tempDir();
    const r = cli(['svc', '--yes', '--skip-install'], parent);
    expect(r.status, r.stderr).toBe(0);
    repo = join(parent, 'svc');
    linkNodeModules(repo);
  });

  it('is warned about at every npx projen and every CDK synth, until .projenrc.ts names the repository', () => {
    expect(projen(repo)).toContain(WARNING);
    expect(projen(repo)).toContain(WARNING);
    expect(cdkWarnings(repo)).toEqual([expect.stringContaining(WARNING)]);
    const rc = join(repo, '.projenrc.ts');
    writeFileSync(rc, readFileSync(rc, 'utf8').replace('repository: "your-org/svc"', 'repository: "acme/svc"'));
    expect(projen(repo)).not.toContain('placeholder');
    expect(cdkWarnings(repo).filter((w) => w.includes('placeholder'))).toEqual([]);
  });
});
