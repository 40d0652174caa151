// Jest runs TypeScript as native ES modules (node-llama-cpp is ESM-only), so the test script starts
// Node with --experimental-vm-modules. Type checking is `npm run typecheck`; ts-jest only transpiles.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // office-addin-mock's dependencies require() two ESM-only packages; CommonJS stand-ins take their place.
    '^strip-bom$': '<rootDir>/test/hosts/stand-ins/strip-bom.cjs',
    '^uuid$': '<rootDir>/test/hosts/stand-ins/uuid.cjs',
  },
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: { isolatedModules: true } }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.tsx'],
  // Before any test file loads: stop with one clear message when ../shared (models, data) is missing.
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30000,
  // A worker that holds more than this after a suite (the 300,000-row Excel read, the browser builds)
  // is replaced, so memory checks in later suites start from a small heap.
  workerIdleMemoryLimit: '512MB',
};
