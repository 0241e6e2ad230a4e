/**
 * The prBuilds option in the model: on by default where the source has pull requests, off by default where it has
 * none, refused in one line when asked for there; what runs them per CI system; the option table, the schema and
 * .projenrc.ts carry it.
 */
import { describe, expect, it } from 'vitest';
import { CI_SYSTEMS, ConfigError, resolveConfig, SOURCES } from '../../src/model';
import { ciRefusal, prBuildsRefusal } from '../../src/model/matrix';
import { OPTION_SPECS } from '../../src/model/options';
import { prBaseRefPattern, prBuildRunner, prBuildsView } from '../../src/model/pr-builds';
import { optionsSchema, schemaProblem } from '../../src/model/schema';
import { renderMatrixMarkdown } from '../../src/render/docs';
import { renderProjenrc } from '../../src/render/projenrc';

const repo = (source: string) => (source === 'github' || source === 'gitlab' || source === 'bitbucket' ? { repository: 'acme/svc' } : {});

describe('prBuilds', () => {
  it.each(['github', 'gitlab', 'bitbucket'])('is on by default with %s', (source) => {
    const c = resolveConfig({ name: 'svc', source, ...repo(source) });
    expect(c.prBuilds).toBe(true);
    expect(prBuildRunner(c)).toBe('codebuild');
    expect(c.names.prBuildProject).toBe('svc-pr');
  });

  it.each(['codecommit', 's3'])('is off by default with %s, and the docs say why', (source) => {
    const c = resolveConfig({ name: 'svc', source });
    expect(c.prBuilds).toBe(false);
    expect(prBuildRunner(c)).toBeUndefined();
    expect(prBuildsView(c).unavailable).toBe(prBuildsRefusal(c.source as never)!.replace(/: remove --pr-builds.*$/, ''));
  });

  it('asked for with an S3 source: one line that says what to do', () => {
    const err = (() => {
      try {
        resolveConfig({ name: 'svc', source: 's3', prBuilds: true });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('accepted');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.option).toBe('prBuilds');
    expect(err.message).toBe('--pr-builds: an S3 source has no pull requests (the pipeline builds the source.zip uploaded to its bucket): remove --pr-builds, or use --source github, gitlab or bitbucket');
    expect(err.message).not.toContain('\n');
  });

  it('asked for with CodeCommit: refused with the reason', () => {
    expect(() => resolveConfig({ name: 'svc', source: 'codecommit', prBuilds: true })).toThrowError(
      new ConfigError('prBuilds', '--pr-builds: CodePipeline pull-request triggers and CodeBuild webhooks work with GitHub, GitLab and Bitbucket (through CodeConnections), not CodeCommit: remove --pr-builds, or use --source github, gitlab or bitbucket'),
    );
  });

  it('turned off: accepted with every source', () => {
    for (const source of SOURCES) expect(resolveConfig({ name: 'svc', source, prBuilds: false, ...repo(source) }).prBuilds).toBe(false);
  });

  it('runs in GitHub Actions when the workflow exists (github-actions or both), in CodeBuild with CodePipeline alone', () => {
    for (const ci of CI_SYSTEMS) {
      for (const source of SOURCES) {
        if (ciRefusal(ci, source)) continue;
        const c = resolveConfig({ name: 'svc', source, ci, ...repo(source) });
        const expected = prBuildsRefusal(source) ? undefined : ci === 'codepipeline' ? 'codebuild' : 'github-actions';
        expect(prBuildRunner(c), `${ci} ${source}`).toBe(expected);
      }
    }
  });

  it('is a flag (--pr-builds, --no-pr-builds) in the option table, a boolean in the schema', () => {
    expect(OPTION_SPECS.find((s) => s.key === 'prBuilds')).toMatchObject({ flag: 'pr-builds', type: 'boolean' });
    expect(schemaProblem(optionsSchema, { name: 'svc', prBuilds: true })).toBeUndefined();
    expect(schemaProblem(optionsSchema, { name: 'svc', prBuilds: 'yes' })).toBeDefined();
    expect(() => resolveConfig({ name: 'svc', prBuilds: 'yes' } as never)).toThrow(ConfigError);
  });

  it('reaches .projenrc.ts only when turned off where it would be on', () => {
    expect(renderProjenrc(resolveConfig({ name: 'svc', repository: 'acme/svc', prBuilds: false }))).toContain('  prBuilds: false,');
    expect(renderProjenrc(resolveConfig({ name: 'svc', repository: 'acme/svc' }))).not.toContain('prBuilds');
    expect(renderProjenrc(resolveConfig({ name: 'svc', source: 's3' }))).not.toContain('prBuilds');
    // What .projenrc.ts says resolves to the same answer.
    expect(resolveConfig({ name: 'svc', repository: 'acme/svc', prBuilds: false }).prBuilds).toBe(false);
  });

  it('docs/matrix.md lists each source: on by default, or refused with the reason', () => {
    const md = renderMatrixMarkdown();
    for (const source of SOURCES) {
      const why = prBuildsRefusal(source);
      expect(md).toContain(`- ${source}: ${why ? `refused: ${why}` : 'on by default'}\n`);
    }
  });

  it("matches the release branch exactly in CodeBuild's BASE_REF filter", () => {
    const re = new RegExp(prBaseRefPattern('release/1.x'));
    expect(re.test('refs/heads/release/1.x')).toBe(true);
    expect(re.test('refs/heads/release/1yx')).toBe(false);
    expect(re.test('refs/heads/release/1.x2')).toBe(false);
    expect(re.test('refs/heads/other/release/1.x')).toBe(false);
  });
});
