/**
 * End-to-end suite: the INSTALLED commands (build/e2e-prefix, see
 * install.sh) against the real vnet.ko, run as root inside the lab VM by
 * test/e2e/run-lab.sh.  Kept apart from the root jest.config.js so that a
 * host `jest` never picks these files up.
 *
 * One worker: the tests share one kernel (devices, module load state).
 * ts-jest only transpiles here (isolatedModules, see tsconfig.json): the
 * guest is slow and starts with a cold cache; run-lab.sh type-checks the
 * suite with tsc on the host first.
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.join(__dirname, '..', '..'),
  testEnvironment: 'node',
  // plus the addon's own tests against the real module
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/native/module.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/e2e/tsconfig.json' }],
  },
  // the installed copy of this package, and test/package's scratch copies
  modulePathIgnorePatterns: ['<rootDir>/build/'],
  maxWorkers: 1,
  testTimeout: 60000,
  cacheDirectory: '/tmp/vnet-e2e-jest-cache',
  verbose: true,
};
