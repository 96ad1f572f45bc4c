/** Jest global teardown: stops the lab only if this test run started it (and REKINDLE_LAB_KEEP is unset). */
import { down } from '../lab';

export default async function labTeardown(): Promise<void> {
  if (process.env.REKINDLE_LAB_STARTED_BY_TESTS === '1' && !process.env.REKINDLE_LAB_KEEP) await down();
}
