/**
 * Jest global setup for the `lab` project: brings the lab up when it is not running, and remembers
 * whether it did, so teardown stops only what this test run started.
 */
import { isUp, up } from '../lab';

export default async function labSetup(): Promise<void> {
  if (await isUp()) return;
  const started = Date.now();
  process.stdout.write('\nBringing the lab up for the tests...\n');
  await up({}, (s) => process.stdout.write(`  lab: ${s}\n`));
  process.stdout.write(`Lab ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.env.REKINDLE_LAB_STARTED_BY_TESTS = '1';
}
