/**
 * Heartbeats and fencing through the real engine, Temporal and sshd (issue #12), with the worker as its own
 * process so SIGKILL really kills it:
 * - a silent remote command that runs far longer than its heartbeat timeout completes in one attempt;
 * - SIGKILL of the worker mid-write, then the retry on another worker: one complete result from one attempt,
 *   no interleaving, and the lock taken over only once the dead holder's keeper ended and its orphan was ended;
 * - cancelling the run while a fenced command runs kills the remote process group and frees the lock.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { startRun } from '../../client/start';
import type { PlanStep } from '../../compiler/plan';
import { labInventory, temporalAddress, uniqueName } from '../support/lab';
import { plan, step } from '../support/rehearsal-plan';
import { waitForStep } from '../support/rehearsal-wait';
import { killAllWorkers, killed, startWorkerProcess } from '../support/worker-process';

jest.setTimeout(300_000);

const inv = labInventory();
const host = 'kafka-2';
const lockDir = inv.hosts.find((h) => h.name === host)!.lockDir!;
const scratch = mkdtempSync(join(tmpdir(), 'rekindle-fencing-'));
let connection: Connection;
let client: Client;

const startWorker = (taskQueue: string) => startWorkerProcess(taskQueue, join(scratch, `${taskQueue}.jsonl`));

const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

async function until(what: string, pred: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One ssh.exec step on the lab host, with a 2 s heartbeat timeout and room for three attempts. */
function execStep(id: string, command: string): PlanStep {
  return step(id, 'ssh.exec', {
    with: { host, command },
    idempotent: false,
    retry: {
      maxAttempts: 3,
      initialIntervalMs: 200,
      backoffCoefficient: 1,
      maxIntervalMs: 200,
      nonRetryableErrorTypes: [],
    },
    timeouts: { startToCloseMs: 120_000, heartbeatMs: 2_000 },
  });
}

async function run(taskQueue: string, s: PlanStep) {
  const cluster = uniqueName('fencing');
  return startRun(client, {
    plan: plan([s], { inventory: { ...(inv as unknown as Record<string, unknown>), cluster } }),
    params: {},
    taskQueue,
    options: { mode: 'recovery', dryRun: false, initiator: 'tester' },
  });
}

/** The attempt numbers of the activity's start events, and whether any attempt timed out. */
async function attempts(workflowId: string): Promise<{ started: number[]; timedOut: number }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = (history.events ?? []) as temporal.api.history.v1.IHistoryEvent[];
  return {
    started: events.flatMap((e) =>
      e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt ?? 0] : [],
    ),
    timedOut: events.filter((e) => e.activityTaskTimedOutEventAttributes).length,
  };
}

beforeAll(async () => {
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection });
});

afterAll(async () => {
  await killAllWorkers();
  await connection?.close();
});

test('a silent command running five times its heartbeat timeout completes in one attempt', async () => {
  const taskQueue = uniqueName('fence-long-q');
  await startWorker(taskQueue);
  const { handle, workflowId } = await run(taskQueue, execStep('quiet', 'sleep 10; echo done'));
  const result = await handle.result();
  expect(result.phase).toBe('succeeded');
  expect(await attempts(workflowId)).toEqual({ started: [1], timedOut: 0 });
});

test('SIGKILL of the worker mid-write: the retry takes over once the holder is gone, one result, no interleaving', async () => {
  const taskQueue = uniqueName('fence-kill-q');
  const out = join(scratch, `${taskQueue}.out`);
  // Rewrites the file from scratch: 40 numbered lines over 20 s, each tagged with the writing shell's pid.
  const write = `rm -f ${out}; i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo "$$ $i" >> ${out}; sleep 0.5; done`;
  // Two workers poll, so the retry starts within seconds of the kill, while the orphaned writer still runs.
  const workers = [await startWorker(taskQueue), await startWorker(taskQueue)];
  const { handle, workflowId } = await run(taskQueue, execStep('restore', write));
  await until('the first attempt to write', () => existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 5);
  const firstWriter = Number(readFileSync(out, 'utf8').split(' ')[0]);
  // Kill the worker running the attempt (its identity is `pid@host`).
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  const holder = workers.find((w) => pending[0]?.lastWorkerIdentity?.startsWith(`${w.pid}@`));
  expect(holder).toBeDefined();
  await killed(holder!);
  expect(alive(firstWriter)).toBe(true); // the worker is gone; its remote command is not
  const result = await handle.result();
  expect(result.phase).toBe('succeeded');

  const lines = readFileSync(out, 'utf8').trim().split('\n');
  const writers = new Set(lines.map((l) => l.split(' ')[0]));
  expect(writers.size).toBe(1);
  expect([...writers][0]).not.toBe(String(firstWriter));
  expect(lines.map((l) => Number(l.split(' ')[1]))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  expect(alive(firstWriter)).toBe(false);
  expect((await attempts(workflowId)).started).toEqual([2]);

  // The takeover is on record: attempt 2 took the step's lock from attempt 1 and ended its writer first.
  const logs = readdirSync(lockDir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(lockDir, f), 'utf8'))
    .filter((t) => t.includes(workflowId));
  expect(logs).toHaveLength(1);
  expect(logs[0]).toMatch(
    new RegExp(`takeover by ${workflowId}/\\S+#2@\\S+ from ${workflowId}/\\S+#1@\\S+, ended: \\d+:\\d+`),
  );
});

test('cancelling the run while a fenced command runs kills its remote process group and frees the lock', async () => {
  const taskQueue = uniqueName('fence-cancel-q');
  const pidFile = join(scratch, `${taskQueue}.pid`);
  await startWorker(taskQueue);
  const { handle, workflowId } = await run(taskQueue, execStep('long', `echo $$ > ${pidFile}; exec sleep 120`));
  await waitForStep(handle, 'long', 'running', 60_000);
  await until('the command to start', () => existsSync(pidFile));
  const pid = Number(readFileSync(pidFile, 'utf8'));
  await handle.cancel();
  expect(await handle.result().catch((e: unknown) => e)).toBeInstanceOf(WorkflowFailedError);
  await until('the remote process to end', () => !alive(pid), 30_000);
  // Released, not abandoned: no owner token is left for the run's lock.
  const owners = readdirSync(lockDir)
    .filter((f) => f.endsWith('.owner'))
    .map((f) => readFileSync(join(lockDir, f), 'utf8'));
  expect(owners.filter((t) => t.includes(workflowId))).toEqual([]);
});
