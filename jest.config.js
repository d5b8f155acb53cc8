// Jest runs the TypeScript sources directly as ES modules (transformed by SWC, no type-check;
// `npm run typecheck` does that with tsc). Started with --experimental-vm-modules by `npm test`.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  // A test that fails with something still open (a worker whose Redis connection never came back)
  // must not keep the run from ending: CI reports the failure instead of waiting for its time limit.
  forceExit: true,
};
