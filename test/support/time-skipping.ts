/**
 * A rehearsal environment in virtual time: Temporal's time-skipping test server (lab/test-server.ts), the
 * real workflow bundle and the `test.*` activities. For tests where only time matters (gate timeouts,
 * timers, long waits); crash, restart and end-to-end tests keep the lab's real server.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { Plan } from '../../compiler/plan';
import { startRun } from '../../client/start';
import { SEARCH_ATTRIBUTES } from '../../lab/config';
import { testServerExecutable } from '../../lab/test-server';
import type { runRunbook } from '../../workflows';
import type { RunOptions } from '../../workflows/types';
import { uniqueName } from './lab';
import { Journal, rehearsalActivities } from './rehearsal';
import { quietRuntime, workflowBundle } from './rehearsal-env';

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  journal: Journal;
  /** Starts `plan` and runs the worker until `body` settles; time skips whenever the run only waits. */
  run<T>(
    plan: Plan,
    body: (h: WorkflowHandle<typeof runRunbook>) => Promise<T>,
    options?: Partial<RunOptions>,
  ): Promise<T>;
  close(): Promise<void>;
}

/** Starts the test server (a few seconds, once per file) with the run's search attributes registered. */
export async function startTimeSkipping(): Promise<TimeSkipping> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: await testServerExecutable() }, extraArgs: [] },
  });
  await env.connection.operatorService
    .addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((n) => [n, 2 /* KEYWORD */])),
    })
    .catch(() => undefined);
  const journal = new Journal();
  const bundle = await workflowBundle();
  return {
    env,
    journal,
    run: async (plan, body, options = {}) => {
      const taskQueue = uniqueName('virtual');
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: bundle,
        activities: rehearsalActivities(journal),
      });
      return worker.runUntil(async () => {
        const { handle } = await startRun(env.client, {
          plan,
          params: {},
          taskQueue,
          options: { mode: 'recovery', dryRun: false, initiator: 'tester', ...options },
        });
        return body(handle);
      });
    },
    close: () => env.teardown(),
  };
}
