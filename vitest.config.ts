import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    // Safety nets, not assertions: a hook starts or stops a whole city (hub, 13 nodes, apps), which takes
    // minutes when the machine is saturated (measured with stress-ng, see issue #15's note).
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: keep worker count small so database and browser tests do not starve each other.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
