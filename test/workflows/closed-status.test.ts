/**
 * `rekindle status` and `watch` of finished runs with no worker running: a completed run reads its
 * result, an aborted, cancelled or terminated one is rebuilt from its history. Large outputs show
 * where they went.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { uniqueName } from '../support/lab';
import { startRehearsal } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { gate, plan, step } from '../support/rehearsal-plan';
import { waitForStep } from '../support/rehearsal-wait';

const bin = join(__dirname, '..', '..', 'bin', 'rekindle.js');
let address = '';
let taskQueue = '';
const ids: Record<string, string> = {};

function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        env: { ...process.env, REKINDLE_TEMPORAL_ADDRESS: address, REKINDLE_TASK_QUEUE: taskQueue, REKINDLE_USER: '' },
        encoding: 'utf8',
        timeout: 60_000,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, out: stdout, err: stderr }),
    );
  });
}

const ref = { $evidence: { path: '/store/evidence/run/offsets.json', bytes: 58_000, sha256: 'cd'.repeat(32) } };

beforeAll(async () => {
  const env: Rehearsal = await startRehearsal('closed');
  address = env.address;
  taskQueue = env.taskQueue;
  try {
    const key = uniqueName('closed');
    const done = await env.start(
      plan([
        step('export', 'test.ok', {
          with: { key, outputs: { path: '/p.csv', offsets: ref, table: 'x'.repeat(40_000) } },
        }),
      ]),
    );
    await done.result();
    const aborted = await env.start(
      plan([
        step('first', 'test.ok', { with: { key } }),
        step('breaks', 'test.fail', {
          needs: ['first'],
          onFailure: 'abort',
          with: { key, type: 'KAFKA_UNHEALTHY', nonRetryable: true },
        }),
      ]),
    );
    await aborted.result().catch(() => undefined);
    const cancelled = await env.start(
      plan([
        step('slow', 'test.sleep', {
          with: { key, ms: 60_000 },
          timeouts: { startToCloseMs: 120_000, heartbeatMs: 5000 },
        }),
      ]),
    );
    await waitForStep(cancelled, 'slow', 'running');
    await cancelled.cancel();
    await cancelled.result().catch(() => undefined);
    const waiting = await env.start(plan([gate('approve-it')]));
    await waitForStep(waiting, 'approve-it', 'waiting-approval');
    Object.assign(ids, {
      done: done.workflowId,
      aborted: aborted.workflowId,
      cancelled: cancelled.workflowId,
      terminated: waiting.workflowId,
    });
  } finally {
    // Stops the only worker of this task queue, and terminates the run still waiting at its gate.
    await env.close();
  }
}, 120_000);

test.each([
  ['done', 'succeeded', [['export', 'succeeded', null]]],
  [
    'aborted',
    'aborted',
    [
      ['first', 'succeeded', null],
      ['breaks', 'failed', 'KAFKA_UNHEALTHY'],
    ],
  ],
  ['cancelled', 'cancelled', [['slow', 'failed', 'CANCELLED']]],
  // An open gate leaves no event of its own until someone decides it, so history shows it pending.
  ['terminated', 'aborted', [['approve-it', 'pending', null]]],
])('status --json of a %s run with no worker running', async (which, phase, steps) => {
  const r = await cli('status', ids[which], '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const s = JSON.parse(r.out) as {
    phase: string;
    steps: Array<{ id: string; state: string; error: { type: string } | null }>;
  };
  expect(s.phase).toBe(phase);
  expect(s.steps.map((x) => [x.id, x.state, x.error?.type ?? null])).toEqual(steps);
});

test('status text says why a run ended and where its large outputs went', async () => {
  const aborted = await cli('status', ids.aborted);
  expect(aborted.code).toBe(0);
  expect(aborted.out).toMatch(/phase: aborted \(KAFKA_UNHEALTHY: /);
  expect(aborted.out).toMatch(/read from its history/);
  const terminated = await cli('status', ids.terminated);
  expect(terminated.out).toMatch(/phase: aborted \(TERMINATED: rehearsal test ended/);
  const done = await cli('status', ids.done);
  expect(done.out).toMatch(
    /export\.outputs\.offsets: stored in \/store\/evidence\/run\/offsets\.json \(56\.6 KB, sha256 cdcdcdcdcdcd…\)/,
  );
  expect(done.out).toMatch(
    /export\.outputs\.table: dropped by the engine's output cap \(a 39\.1 KB field of a step over its/,
  );
});

test('watch of finished runs prints their last state and exits with their outcome', async () => {
  const ok = await cli('watch', ids.done, '--plain');
  expect([ok.code, ok.err]).toEqual([0, '']);
  const bad = await cli('watch', ids.aborted, '--plain');
  expect(bad.code).toBe(1);
  expect(bad.out).toMatch(/breaks/);
});
