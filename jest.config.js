/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: [
    '<rootDir>/test/unit/**/*.test.ts',
    '<rootDir>/test/native/**/*.test.ts',
    // the npm package as a user installs it
    '<rootDir>/test/package/**/*.test.ts',
  ],
  // the addon against the real module: run in the lab by test/e2e/run-lab.sh
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/native/module.test.ts'],
  // installed and unpacked copies of this package (test/package, test/e2e)
  modulePathIgnorePatterns: ['<rootDir>/build/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
};
