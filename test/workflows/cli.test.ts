/**
 * The engine's CLI commands end to end, as a script would use them: a compiled plan (.json) run on a
 * rehearsal worker's task queue, `status --json` (the stable shape), approve/reject, decide,
 * pause/resume, list, cancel, and the refusal messages.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueName } from '../support/lab';
import { startRehearsal } from '../support/rehearsal-env';
import { rehearsalCli } from '../support/rehearsal-cli';
import type { Rehearsal } from '../support/rehearsal-env';
import { gate, plan, step } from '../support/rehearsal-plan';

let env: Rehearsal;
let dir: string;
beforeAll(async () => {
  env = await startRehearsal('cli');
  dir = mkdtempSync(join(tmpdir(), 'rekindle-cli-'));
});
afterAll(async () => {
  await env?.close();
});

const cli = rehearsalCli(() => env, { REKINDLE_USER: '' });

async function statusOf(id: string) {
  const r = await cli('status', id, '--json');
  expect(r.err).toBe('');
  return JSON.parse(r.out) as {
    phase: string;
    steps: Array<{
      id: string;
      state: string;
      attempt: number;
      startedAt: string | null;
      endedAt: string | null;
      error: unknown;
    }>;
    gates: Array<{
      id: string;
      state: string;
      approvals: Array<{ by: string; decision: string; comment: string; at: string }>;
    }>;
  };
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    let v: T | undefined;
    try {
      v = await fn();
    } catch (err) {
      if (Date.now() > end) throw err;
    }
    if (v !== undefined && (ok(v) || Date.now() > end)) return v;
    await new Promise((r) => setTimeout(r, 300));
  }
}

test('run → status → approve → decide → completes; list finds it', async () => {
  const key = uniqueName('cli');
  const p = plan([
    step('check', 'test.ok', { with: { key } }),
    gate('go', { approvers: ['alice', 'bob'], requireComment: true }, { needs: ['check'] }),
    step('act', 'test.fail-times', { with: { key, times: 1, nonRetryable: true }, needs: ['go'] }),
  ]);
  const file = join(dir, `${key}.json`);
  writeFileSync(file, JSON.stringify(p));

  const started = await cli('run', file, '--json', '--as', 'carol');
  expect(started.code).toBe(0);
  const { runId, workflowId } = JSON.parse(started.out) as { runId: string; workflowId: string };
  expect(workflowId).toBe(`rekindle-${String(p.inventory.cluster)}`);
  expect(runId).toMatch(/[0-9a-f-]{36}/);

  const dup = await cli('run', file, '--as', 'carol');
  expect(dup.code).toBe(3);
  expect(dup.err).toContain(`already has a run in progress: ${workflowId}`);

  let s = await until(
    () => statusOf(workflowId),
    (x) => x.gates[0]?.state === 'waiting',
  );
  expect(Object.keys(s)).toEqual(['phase', 'steps', 'gates']);
  expect(Object.keys(s.steps[0])).toEqual(['id', 'state', 'attempt', 'startedAt', 'endedAt', 'error']);
  expect(s.phase).toBe('waiting-approval');

  const noComment = await cli('approve', workflowId, 'go', '--as', 'alice');
  expect(noComment.code).toBe(5);
  expect(noComment.err).toMatch(/requires a comment .*COMMENT_REQUIRED/);
  expect((await cli('approve', workflowId, 'go')).code).toBe(2);
  expect((await cli('approve', workflowId, 'go', '--as', 'alice', '--comment', 'looks right')).out).toContain(
    'gate go: approved',
  );

  s = await until(
    () => statusOf(workflowId),
    (x) => x.steps[2].state === 'failed-awaiting-decision',
  );
  expect(s.steps[2].error).toEqual({ type: 'TEST_FAIL', message: expect.stringContaining('scripted failure') });
  const human = await cli('status', workflowId);
  expect(human.out).toContain(`rekindle decide ${workflowId} act retry|skip|abort`);
  expect((await cli('decide', workflowId, 'act', 'again', '--as', 'bob')).code).toBe(2);
  expect((await cli('decide', workflowId, 'act', 'retry', '--as', 'bob')).code).toBe(0);

  s = await until(
    () => statusOf(workflowId),
    (x) => x.phase === 'succeeded',
  );
  expect(s.phase).toBe('succeeded');
  expect(s.gates[0].approvals).toEqual([
    { by: 'alice', decision: 'approve', comment: 'looks right', at: expect.any(String) },
  ]);

  const listed = await until(
    async () =>
      JSON.parse((await cli('list', '--cluster', String(p.inventory.cluster), '--json')).out) as Array<{
        workflowId: string;
        phase: string;
      }>,
    (rows) => rows[0]?.phase === 'succeeded',
  );
  expect(listed[0]).toMatchObject({
    workflowId,
    status: 'COMPLETED',
    phase: 'succeeded',
    runbook: 'rehearsal',
    mode: 'recovery',
  });
});

test('pause, resume, reject, cancel and unknown runs from the command line', async () => {
  const key = uniqueName('cli2');
  const p = plan([
    step('a', 'test.sleep', { with: { key, ms: 5000 } }),
    gate('go', {}, { needs: ['a'] }),
    step('b', 'test.ok', { with: { key }, needs: ['go'] }),
  ]);
  const file = join(dir, `${key}.json`);
  writeFileSync(file, JSON.stringify(p));
  const { workflowId } = JSON.parse((await cli('run', file, '--json')).out) as { workflowId: string };
  expect((await cli('pause', workflowId, '--as', 'alice')).out).toContain('paused');
  expect((await cli('pause', workflowId, '--as', 'alice')).err).toContain('ALREADY_PAUSED');
  const held = await until(
    () => statusOf(workflowId),
    (x) => x.steps[0].state === 'succeeded',
    20_000,
  );
  await new Promise((r) => setTimeout(r, 500));
  expect(held.gates[0].state).toBe('pending');
  expect((await statusOf(workflowId)).phase).toBe('paused');
  expect((await cli('resume', workflowId, '--as', 'alice')).code).toBe(0);
  await until(
    () => statusOf(workflowId),
    (x) => x.gates[0].state === 'waiting',
  );
  expect((await cli('reject', workflowId, 'go', '--as', 'bob', '--comment', 'no')).out).toContain('rejected');
  const s = await until(
    () => statusOf(workflowId),
    (x) => x.phase === 'aborted',
  );
  expect(s.phase).toBe('aborted');

  const key2 = uniqueName('cli3');
  const file2 = join(dir, `${key2}.json`);
  writeFileSync(
    file2,
    JSON.stringify(
      plan([
        step('long', 'test.sleep', {
          with: { key: key2, ms: 30_000 },
          timeouts: { startToCloseMs: 60_000, heartbeatMs: 2000 },
        }),
      ]),
    ),
  );
  const id2 = (JSON.parse((await cli('run', file2, '--json')).out) as { workflowId: string }).workflowId;
  await until(
    () => statusOf(id2),
    (x) => x.steps[0].state === 'running',
  );
  expect((await cli('cancel', id2, '--wait')).code).toBe(0);
  expect((await statusOf(id2)).phase).toBe('cancelled');

  const missing = await cli('status', 'rekindle-no-such-cluster-xyz');
  expect(missing.code).toBe(4);
  expect(missing.err).toContain("no run 'rekindle-no-such-cluster-xyz' was found");
});
