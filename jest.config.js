// Three projects: `unit` (pure functions, no servers), `integration` (a real Temporal dev server
// and a real PostgreSQL, started by test/setup/global-setup.ts when none is configured) and `browser`
// (the console in headless Chromium, against the same servers).
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] };

/** @type {import('jest').Config} */
module.exports = {
  // Deals the files to `npm test`'s shards by their measured durations (scripts/test.cjs says why).
  testSequencer: '<rootDir>/test/setup/sequencer.js',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      setupFilesAfterEnv: [
        '<rootDir>/test/setup/integration-timeout.ts',
        '<rootDir>/test/setup/response-validation.ts',
      ],
    },
    {
      // The console in headless Chromium (Debian's `chromium`, driven by playwright-core) against the
      // same real servers as the integration tests.
      displayName: 'browser',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      setupFilesAfterEnv: [
        '<rootDir>/test/setup/integration-timeout.ts',
        '<rootDir>/test/setup/response-validation.ts',
      ],
    },
  ],
};
