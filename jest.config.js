/**
 * Two projects: `unit` is pure logic and needs nothing; `lab` talks to the real lab
 * (Temporal, ZooKeeper, Kafka, sshd), which its global setup brings up when it is not running.
 */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
module.exports = {
  projects: [
    { displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'], transform, testEnvironment: 'node' },
    {
      displayName: 'lab',
      testMatch: ['<rootDir>/test/{integration,workflows,e2e}/**/*.test.ts'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/lab-setup.ts',
      globalTeardown: '<rootDir>/test/lab-teardown.ts',
    },
  ],
  testTimeout: 120000,
};
