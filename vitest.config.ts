import { defineConfig } from 'vitest/config';

/** Files that replace a module of ours with vi.mock: they need a module graph of their own. */
const MOCKING = ['test/cli/crash-report.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: keep the workers to what the machine has.
    maxWorkers: 2,
    setupFiles: ['test/support/keep-encoder.ts'],
    projects: [
      {
        extends: true,
        // Each file still works in its own temp folders and servers; sharing the module graph
        // of a worker saves importing src/ again for every file (measured: half the CPU time).
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: MOCKING, isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: MOCKING } },
    ],
  },
});
