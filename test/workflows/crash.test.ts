/**
 * Durability: a 20-step run survives SIGKILL of its worker process (a new one takes over) and a restart
 * of the Temporal dev server (same database file). Every completed step ran exactly once; only the step
 * in flight at the kill may run again.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { restartTemporal } from '../../lab';
import { startRun } from '../../client/start';
import { temporalAddress, uniqueName } from '../support/lab';
import { readJournalFile } from '../support/rehearsal';
import { plan, step } from '../support/rehearsal-plan';
import { waitForStep } from '../support/rehearsal-wait';
import { killAllWorkers, killed, startWorkerProcess } from '../support/worker-process';
import { statusQuery } from '../../workflows/messages';

jest.setTimeout(300_000);

afterAll(async () => {
  await killAllWorkers();
});

test('SIGKILL of the worker, then a Temporal restart, mid-run: the run completes, completed steps ran once', async () => {
  const key = uniqueName('crash');
  const taskQueue = uniqueName('crash-q');
  const journal = join(mkdtempSync(join(tmpdir(), 'rekindle-crash-')), 'journal.jsonl');
  const retry = {
    maxAttempts: 5,
    initialIntervalMs: 200,
    backoffCoefficient: 1,
    maxIntervalMs: 200,
    nonRetryableErrorTypes: [],
  };
  const steps = Array.from({ length: 20 }, (_, i) =>
    step(`s${String(i + 1).padStart(2, '0')}`, 'test.sleep', {
      with: { key, ms: 700 },
      needs: i ? [`s${String(i).padStart(2, '0')}`] : [],
      retry,
      timeouts: { startToCloseMs: 30_000, heartbeatMs: 1500 },
    }),
  );
  let worker = await startWorkerProcess(taskQueue, journal);
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection });
  try {
    const { handle } = await startRun(client, {
      plan: plan(steps, { maxParallel: 1 }),
      params: {},
      taskQueue,
      options: { mode: 'recovery', dryRun: false, initiator: 'tester' },
    });
    await waitForStep(handle, 's05', 'succeeded', 60_000);
    await new Promise((r) => setTimeout(r, 300));
    const inFlight = new Set<string>();
    const running = async () => {
      for (const x of (await handle.query(statusQuery)).steps) if (x.state === 'running') inFlight.add(x.id);
    };
    await running();
    await killed(worker);
    worker = await startWorkerProcess(taskQueue, journal);

    await waitForStep(handle, 's10', 'succeeded', 120_000);
    await running();
    await restartTemporal();

    const result = await handle.result();
    expect(result.phase).toBe('succeeded');
    expect(result.steps.every((s) => s.state === 'succeeded')).toBe(true);

    const entries = readJournalFile(journal).filter((e) => e.key === key);
    const startsPerStep = new Map<string, number>();
    for (const e of entries.filter((x) => x.event === 'start'))
      startsPerStep.set(e.stepId, (startsPerStep.get(e.stepId) ?? 0) + 1);
    expect(startsPerStep.size).toBe(20);
    const endsPerStep = new Map<string, number>();
    for (const e of entries.filter((x) => x.event === 'end'))
      endsPerStep.set(e.stepId, (endsPerStep.get(e.stepId) ?? 0) + 1);
    for (const id of startsPerStep.keys()) {
      if (inFlight.has(id)) {
        // In flight at a crash: at-least-once, and at most one extra run.
        expect([id, startsPerStep.get(id)! <= 2]).toEqual([id, true]);
      } else {
        expect([id, startsPerStep.get(id), endsPerStep.get(id)]).toEqual([id, 1, 1]);
      }
    }
    expect(inFlight.size).toBeGreaterThanOrEqual(1);
    expect(new Set(entries.filter((e) => e.event === 'start').map((e) => e.pid)).size).toBe(2);
  } finally {
    await connection.close();
  }
});
