import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI and projen tests spawn real processes.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['test/support/cleanup.ts'],
    // Output compared as text: no colours, even where CI=true makes picocolors turn them on.
    env: { NO_COLOR: '1' },
  },
});
