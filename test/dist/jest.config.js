// Jest configuration of the packaging tests: `npx jest --config test/dist/jest.config.js --runInBand`.
// They install what build-packages.ts packed (npm tarball, Python wheel, Maven artifact, Go module)
// the way users do, in temporary folders, and run programs against them; and they run a policy
// scanner (kube-score, built from its Go module) over the operator install. Slow (npm, pip, Maven
// and Go), so they are not part of the unit suite.
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.resolve(__dirname, '..', '..'),
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/dist/**/*.dist.test.ts'],
  // 2 cores: Maven, Go and pip each use them fully.
  maxWorkers: 1,
  testTimeout: 600_000,
  slowTestThreshold: 60,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/dist/tsconfig.json' }],
  },
  reporters: [
    'default',
    ['jest-junit', { outputDirectory: 'test-reports', outputName: 'junit-dist.xml' }],
  ],
};
