/**
 * A ConfigError reads in the words of where it is reported: flags from the CLI (its message), properties from
 * `.projenrc.ts` (inProjenrc), for the messages config.ts, the matrix and the schema write.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, propertyNames, resolveConfig } from '../../src/model/config';
import type { PipelineOptions } from '../../src/model/options';

function refusal(options: Record<string, unknown>): ConfigError {
  try {
    resolveConfig({ name: 'svc', ...options } as PipelineOptions);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`accepted: ${JSON.stringify(options)}`);
}

describe('ConfigError in the CLI and in .projenrc.ts', () => {
  it.each([
    [{ target: 'lambda', strategy: 'canary', interval: 7 }, /use --interval 5 \| 10/, /use interval 5 \| 10/],
    [{ healthCheckPath: 'health' }, /^invalid --health-check-path "health"/, /^invalid healthCheckPath "health"/],
    [{ ci: 'github-actions', source: 'gitlab' }, /use --source github or --ci codepipeline$/, /use source github or ci codepipeline$/],
    [{ target: 'ecs', strategy: 'linear', secretsKeys: ['arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'] }, /^--secrets-keys decrypts --parameters or --secrets/, /^secretsKeys decrypts parameters or secrets/],
    [{ port: 'x' }, /^invalid --port: /, /^invalid port: /],
  ])('%j', (options, cli, projenrc) => {
    const err = refusal(options);
    expect(err.message).toMatch(cli);
    expect(err.inProjenrc()).toMatch(projenrc);
    expect(err.inProjenrc()).not.toMatch(/--[a-z]/);
  });

  it('keeps quoted values as they are, flags that are not options, and says --no-approval as approval: false', () => {
    expect(propertyNames('invalid --branch "--region x": use --yes, or --no-approval')).toBe('invalid branch "--region x": use --yes, or approval: false');
    expect(propertyNames('--no-port and --portal stay')).toBe('--no-port and --portal stay');
  });
});
