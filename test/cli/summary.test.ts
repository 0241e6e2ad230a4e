import { describe, expect, it } from 'vitest';
import { summaryText } from '../../src/cli/summary';
import { resolveConfig } from '../../src/model/config';
import type { PipelineConfig } from '../../src/model/config';

describe('the summary of the answers', () => {
  it('is one label: value line per answer, marked by where it came from', () => {
    const config = resolveConfig({ name: 'svc', target: 'lambda', source: 'codecommit', region: 'eu-west-1' });
    const lines = summaryText(config, { name: 'given', target: 'given', region: 'given', source: 'preset', runtime: 'only choice' }).split('\n');
    expect(lines).toContain('  Deploy target:              lambda');
    expect(lines).toContain('  Runtime:                    node (forced: the only choice)');
    expect(lines).toContain('  Source provider:            codecommit (preset)');
    expect(lines).toContain('  Repository:                 svc (default)');
    expect(lines).toContain('  AWS Region:                 eu-west-1');
    expect(lines).toContain('  Branch:                     main (default)');
    expect(lines).toContain('  Traffic shift interval:     5 minutes (default)');
  });

  it('leaves out what the answers do not have: no repository for an S3 source, no interval without traffic shifting', () => {
    const text = summaryText(resolveConfig({ name: 'svc', source: 's3', target: 'ec2' }), {});
    expect(text).not.toContain('Repository:');
    expect(text).not.toContain('Traffic shift interval:');
    expect(text).not.toContain('Folder in the repo:');
  });

  it('names the folder of a service in a folder of its repository (--path)', () => {
    const lines = summaryText(resolveConfig({ name: 'api', path: 'services/api' }), { name: 'given', path: 'given' }).split('\n');
    expect(lines.slice(1, 3)).toEqual(['  Service name:               api', '  Folder in the repo:         services/api']);
  });

  it('prints values safely for a terminal: escape sequences and control characters are removed', () => {
    const config = { ...resolveConfig({ name: 'svc' }), account: '1234\u001b]0;title\u0007\u001b[2J', branch: 'ma\u202ein\nx' } as PipelineConfig;
    const text = summaryText(config, {});
    expect(text).toContain('  AWS account:                1234 (default)');
    expect(text).toContain('  Branch:                     main x (default)');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });
});
