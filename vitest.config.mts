import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
          environment: 'node',
          testTimeout: 30_000,
          globalSetup: ['tests/unit/global-setup.ts']
        }
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
          globalSetup: ['tests/e2e/global-setup.ts']
        }
      },
      {
        // npm run test:chaos: crashes, a full disk and concurrent writers, with real processes.
        test: {
          name: 'chaos',
          include: ['tests/chaos/**/*.test.ts'],
          environment: 'node',
          testTimeout: 240_000,
          hookTimeout: 60_000,
          // The tests start their own worker processes: one file at a time on two cores.
          fileParallelism: false,
          globalSetup: ['tests/chaos/global-setup.ts']
        }
      }
    ]
  }
})
