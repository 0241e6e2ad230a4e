import { expect } from 'vitest';
import { ConfigError } from '../../src/model/config';

/** The ConfigError `fn` throws (it must throw one). */
export function refusal(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('accepted');
}
