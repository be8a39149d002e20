import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import { E2E_ALONE_FILES, MOCKING_FILES } from './tests/isolated-files'
import LongFilesFirst from './tests/long-files-first'


// One run, three layers: unit (rules, repositories on real encrypted files), integration
// (through the dispatcher, HTTP and WebSocket), e2e (Chromium against the headless host).
export default defineConfig({
  // `@shared/…` as in tsconfig.json and electron.vite.config.ts
  resolve: { alias: { '@shared': resolve(__dirname, 'shared') } },
  test: {
    // vitest's order, with the few end-to-end files that take minutes started first (tests/isolated-files.ts)
    sequence: { sequencer: LongFilesFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // the SQLite worker thread's sources bundled once for the run (instead of tsx in every thread)
          globalSetup: ['tests/worker-bundle.ts'],
          testTimeout: 20_000,
          // files share a worker's module cache: each file re-importing the host cost about a third
          // of the run (vitest's collect time). Tests must not leave global state behind (restore
          // an unset env variable by deleting it); a file that mocks a module runs isolated below.
          isolate: false,
          // vitest's default is one worker fewer than the cores: on the 2-core CI machine, one. Three:
          // the tests wait on worker threads, child hosts and the disk, and two files at a time kept
          // the 2 cores about 60 % busy (433 s of CPU in a 424 s phase, the type-check beside it)
          maxWorkers: 3,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/worker-bundle.ts'],
          exclude: MOCKING_FILES,
          // cheaper password hashing: tests sign in hundreds of times (production cost is checked in unit tests)
          env: { KEYUAN_SCRYPT_COST: '1024' },
          // as the unit project: no re-import of the host per file
          isolate: false,
          // three files at a time on two cores, some of them starting host processes: a minute, not 30 s
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // as the unit project's (vitest runs projects with equal worker counts together)
          maxWorkers: 3,
        },
      },
      {
        extends: true,
        test: {
          // vi.mock replaces a module only where it is imported after the mock: in a shared module
          // cache another file may have loaded the real one first, so these files get their own
          name: 'integration-isolated',
          include: MOCKING_FILES,
          globalSetup: ['tests/worker-bundle.ts'],
          env: { KEYUAN_SCRYPT_COST: '1024' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // the same as the integration project's (vitest runs projects with equal worker counts together)
          maxWorkers: 3,
          isolate: true,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          exclude: E2E_ALONE_FILES,
          // one Chromium for the project, a connection of its own per file
          globalSetup: ['tests/e2e/support/shared-browser.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // three files side by side: a browser test mostly waits for its page (two side by side used
          // 285 s of CPU in a 590 s phase: half a core), each file has its own host and browser contexts
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          // the files whose timing a neighbour would distort (tests/isolated-files.ts says why), one at a time, after the others
          name: 'e2e-alone',
          include: E2E_ALONE_FILES,
          globalSetup: ['tests/e2e/support/shared-browser.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
})
