import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { typescript } from 'projen';
import { describe, expect, it, vi } from 'vitest';
import { AwsPipeline } from '../../src';
import { AwsPipelineStack } from '../../src/constructs';
import { resolveConfig } from '../../src/model/config';
import { isPlaceholderRepository, placeholderRepositoryWarning, repositoryFromRemote } from '../../src/model/repository';
import { tempDir } from '../helpers';

describe('the repository a git remote names', () => {
  it.each([
    ['https://github.com/acme/shop.git', 'github', 'acme/shop'],
    ['https://github.com/acme/shop', 'github', 'acme/shop'],
    ['https://user@github.com/acme/shop.git', 'github', 'acme/shop'],
    ['git@github.com:acme/shop.git', 'github', 'acme/shop'],
    ['ssh://git@github.com/acme/shop.git', 'github', 'acme/shop'],
    ['ssh://git@github.com:22/acme/shop', 'github', 'acme/shop'],
    ['https://gitlab.com/group/sub/project.git', 'gitlab', 'group/sub/project'],
    ['git@gitlab.com:group/project.git', 'gitlab', 'group/project'],
    ['https://me@bitbucket.org/team/app.git', 'bitbucket', 'team/app'],
    ['git@bitbucket.org:team/app.git', 'bitbucket', 'team/app'],
    ['  https://GitHub.com/acme/shop.git\n', 'github', 'acme/shop'],
  ])('%s is %s %s', (url, source, repository) => {
    expect(repositoryFromRemote(url)).toEqual({ source, repository });
  });

  it.each([
    'https://git.example.com/acme/shop.git',
    'git@ghe.internal:acme/shop.git',
    'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/shop',
    '/srv/git/shop.git',
    'https://github.com/acme',
    'https://github.com/a/b/c',
    'git@github.com:../x.git',
    '',
  ])('%j names no repository to default to', (url) => {
    expect(repositoryFromRemote(url)).toBeUndefined();
  });
});

describe('the placeholder repository', () => {
  it('is your-org/<name> on a CodeConnections source, and nothing else', () => {
    expect(isPlaceholderRepository(resolveConfig({ name: 'svc' }))).toBe(true);
    expect(isPlaceholderRepository(resolveConfig({ name: 'svc', source: 'gitlab' }))).toBe(true);
    expect(isPlaceholderRepository(resolveConfig({ name: 'svc', repository: 'acme/svc' }))).toBe(false);
    expect(isPlaceholderRepository(resolveConfig({ name: 'svc', repositoryOwner: 'acme' }))).toBe(false);
    expect(isPlaceholderRepository(resolveConfig({ name: 'svc', source: 'codecommit' }))).toBe(false);
    expect(isPlaceholderRepository(resolveConfig({ name: 'svc', source: 's3' }))).toBe(false);
  });

  it('is said in one line naming .projenrc.ts and the property', () => {
    const warning = placeholderRepositoryWarning(resolveConfig({ name: 'svc' }))!;
    expect(warning).toContain('your-org/svc');
    expect(warning).toContain('repository: "<owner>/<repo>"');
    expect(warning).toContain('.projenrc.ts');
    expect(warning).not.toContain('\n');
    expect(placeholderRepositoryWarning(resolveConfig({ name: 'svc', repository: 'acme/svc' }))).toBeUndefined();
  });

  it('is warned about at every projen synth until replaced', () => {
    const warned = (repository?: string) => {
      const project = new typescript.TypeScriptProject({ name: 'svc', outdir: tempDir(), defaultReleaseBranch: 'main', github: false, jest: false, eslint: false });
      const warn = vi.spyOn(project.logger, 'warn').mockImplementation(() => undefined);
      new AwsPipeline(project, { name: 'svc', ...(repository ? { repository } : {}) });
      return warn.mock.calls.map((args) => args.join(' '));
    };
    expect(warned()).toEqual([placeholderRepositoryWarning(resolveConfig({ name: 'svc' }))]);
    expect(warned('acme/svc')).toEqual([]);
  });

  it('is a warning annotation on the stack at every cdk synth until replaced', () => {
    const stack = (repository?: string) =>
      new AwsPipelineStack(new App(), 'Stack', { name: 'svc', account: '123456789012', ...(repository ? { repository } : {}) } as never);
    const placeholder = stack();
    Annotations.fromStack(placeholder).hasWarning('/Stack', Match.stringLikeRegexp('repository your-org/svc is a placeholder.*\\.projenrc\\.ts'));
    Annotations.fromStack(stack('acme/svc')).hasNoWarning('/Stack', Match.stringLikeRegexp('placeholder'));
  });
});
