// Jest configuration of the end-to-end suite: `npx jest --config test/e2e/jest.config.js --runInBand`.
// One control plane (test/e2e/harness) is started by the global setup for the whole run, shared by
// every test file through the JSON file named in CDK8S_SPARK_E2E_CLUSTER, and stopped by the
// global teardown.
const path = require('node:path');

// @kubernetes/client-node 1.x and a few of its dependencies ship only ES modules, which jest's
// CommonJS runtime cannot require on Node 20; ts-jest compiles exactly these to CommonJS (cached).
const ESM_ONLY_PACKAGES = ['@kubernetes/client-node', 'openid-client', 'oauth4webapi', 'jose', 'jsonpath-plus', 'jsep', '@jsep-plugin', 'rfc4648'];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.resolve(__dirname, '..', '..'),
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
  globalSetup: '<rootDir>/test/e2e/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/e2e/harness/global-teardown.ts',
  // rbac-used.e2e.test.ts reads the audit log of the whole run: it runs last.
  testSequencer: '<rootDir>/test/e2e/harness/sequencer.js',
  // Tests share one cluster and the machine has 2 cores: one file at a time.
  maxWorkers: 1,
  // Real pods go through real controllers: allow for a slow CI machine.
  testTimeout: 120_000,
  slowTestThreshold: 30,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/e2e/tsconfig.json' }],
    '^.+\\.m?js$': ['ts-jest', {
      tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022', esModuleInterop: true, isolatedModules: true },
    }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
  reporters: [
    'default',
    ['jest-junit', { outputDirectory: 'test-reports', outputName: 'junit-e2e.xml' }],
    '<rootDir>/test/e2e/harness/failure-reporter.js',
  ],
};
