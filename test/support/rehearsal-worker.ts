/**
 * A rehearsal worker as its own process, for crash tests: the engine's workflows plus the `test.*`
 * family, journaling to the JSONL file in REHEARSAL_JOURNAL. Run as `node -r tsx/cjs rehearsal-worker.ts`
 * (one process, so SIGKILL really kills the worker). Prints `ready` once polling.
 * Env: REKINDLE_TEMPORAL_ADDRESS, REKINDLE_TASK_QUEUE, REHEARSAL_JOURNAL.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createRekindleWorker } from '../../worker/create';
import { Journal, rehearsalActivities } from './rehearsal';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const address = process.env.REKINDLE_TEMPORAL_ADDRESS;
  const taskQueue = process.env.REKINDLE_TASK_QUEUE;
  if (!address || !taskQueue) throw new Error('REKINDLE_TEMPORAL_ADDRESS and REKINDLE_TASK_QUEUE are required');
  const journal = new Journal(process.env.REHEARSAL_JOURNAL);
  const { worker } = await createRekindleWorker({
    config: { temporalAddress: address, namespace: 'default', taskQueue, maxConcurrentActivities: 10, sources: [] },
    extraActivities: rehearsalActivities(journal),
    tuning: { shutdownGraceTime: '1s' },
  });
  console.log(`ready pid ${process.pid}`);
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
