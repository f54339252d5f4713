import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// Vitest's default is one worker fewer than the cores: on the two cores of CI, one file at a time, while the
// end-to-end files spend most of their time waiting (on the screens, on the next 30-second step: about a fifth of
// a core each). Two there, shared by the unit and the end-to-end files, which run side by side.
const WORKERS = Math.max(2, availableParallelism() - 1)

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
          environment: 'node',
          maxWorkers: WORKERS,
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
          // The same as the unit files': projects run side by side only with the same number of workers.
          maxWorkers: WORKERS,
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
