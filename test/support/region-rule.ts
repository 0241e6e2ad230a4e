/** Whether the model takes a configuration in its Region: the Region rules of src/model/config.ts, asked of resolveConfig. */
import { ConfigError, resolveConfig } from '../../src/model/config';

/** True when the model takes `options`; false when it refuses them for their Region; any other refusal is thrown. */
export function regionTakes(options: Record<string, unknown>): boolean {
  try {
    resolveConfig({ name: 'svc', repository: 'acme/svc', ...options } as never);
    return true;
  } catch (err) {
    if (err instanceof ConfigError && err.option === 'region') return false;
    throw err;
  }
}
