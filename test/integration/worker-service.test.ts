/**
 * `rekindle worker` as a service, for real: a worker process holding SSH, ZooKeeper and Kafka connections
 * with an ssh.exec in flight gets SIGTERM, exits 0 within its grace period (plus the time to close), and a
 * second worker finishes the run. On the way: /healthz and /metrics scraped with node's HTTP client (names
 * and labels, Rekindle's and Temporal's), JSON logs with run, workflow, step, action and host on every
 * activity line, and no secret in any line even when a command prints one.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startRun } from '../../client/start';
import type { Plan } from '../../compiler/plan';
import { labInventory, temporalAddress, uniqueName } from '../support/lab';
import { plan, step } from '../support/rehearsal-plan';
import { waitForStep } from '../support/rehearsal-wait';
import { httpGet, jsonLines, sample, startServiceWorker, waitForLog } from '../support/worker-service';
import type { ServiceWorker } from '../support/worker-service';

jest.setTimeout(240_000);

const GRACE_MS = 2000;
/**
 * After the grace period: the cancelled ssh.exec kills its remote process group (TERM, 1 s, KILL, over SSH), then
 * the pools and the Temporal connection close (about 10 ms) and the process exits. 1.8 to 2.4 s seen with a load
 * average of 20 on 2 cores.
 */
const CLOSE_MARGIN_MS = 5000;
const retry = {
  maxAttempts: 3,
  initialIntervalMs: 200,
  backoffCoefficient: 1,
  maxIntervalMs: 200,
  nonRetryableErrorTypes: [],
};

const workers: ServiceWorker[] = [];
let connection: Connection;
let client: Client;
beforeAll(async () => {
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection });
});
afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await connection?.close();
});

async function worker(taskQueue: string, env: Record<string, string> = {}): Promise<ServiceWorker> {
  const w = await startServiceWorker({
    REKINDLE_TEMPORAL_ADDRESS: temporalAddress(),
    REKINDLE_TASK_QUEUE: taskQueue,
    REKINDLE_SHUTDOWN_GRACE: `${GRACE_MS}ms`,
    ...env,
  });
  workers.push(w);
  return w;
}

test('SIGTERM with SSH, ZooKeeper and Kafka connections open and an activity in flight: exit 0 in the grace period, the run goes on elsewhere', async () => {
  const taskQueue = uniqueName('svc-q');
  const marker = `/tmp/${uniqueName('rekindle-svc-marker')}`;
  const secret = `s3cr3t-${uniqueName('api-key')}`;
  const inventory = { ...labInventory(), cluster: uniqueName('svc') } as unknown as Plan['inventory'];
  const identityFile = labInventory().hosts[0].identityFile!;
  const keyLine = readFileSync(identityFile, 'utf8').split('\n')[2];
  // First attempt: leave a marker and hold the activity; the retry on the second worker finds it and ends.
  const hold = `if [ -e "$1" ]; then echo resumed; else touch "$1"; sleep 60; fi`;
  // A careless command that prints a secret and a private key to stderr, which the failure log line carries.
  const leak = 'echo "api key is $1" >&2; cat "$2" >&2; exit 7';
  const runPlan = plan(
    [
      step('zk', 'zookeeper.check', { retry }),
      step('kafka', 'kafka.health', { retry, with: { allowUnderReplicated: true } }),
      step('leak', 'ssh.exec', {
        with: { host: 'kafka-2', command: 'sh', args: ['-c', leak, 'sh', secret, identityFile] },
        onFailure: 'continue',
      }),
      step('hold', 'ssh.exec', {
        needs: ['zk', 'kafka'],
        with: { host: 'kafka-1', command: 'sh', args: ['-c', hold, 'sh', marker], timeout: 120_000 },
        retry,
        timeouts: { startToCloseMs: 180_000 },
      }),
    ],
    { inventory },
  );

  const a = await worker(taskQueue, { REKINDLE_TEST_API_KEY: secret });
  expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const { handle, runId } = await startRun(client, {
    plan: runPlan,
    params: {},
    taskQueue,
    options: { mode: 'recovery', dryRun: false, initiator: 'tester' },
  });
  try {
    await waitForStep(handle, 'hold', 'running', 60_000);
    const until = Date.now() + 30_000;
    while (!existsSync(marker) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(marker)).toBe(true);
    await waitForStep(handle, 'leak', 'failed', 30_000);

    // Health and metrics while the worker holds every kind of connection.
    const healthz = await httpGet(`${a.url}/healthz`);
    expect([healthz.status, JSON.parse(healthz.body)]).toEqual([
      200,
      { ok: true, worker: 'RUNNING', temporal: 'connected' },
    ]);
    // The compose healthcheck script, pointed at this worker's endpoint.
    const probe = await new Promise<number>((resolve) =>
      execFile(
        process.execPath,
        [join(__dirname, '..', '..', 'docker', 'worker', 'healthcheck.js')],
        {
          env: { ...process.env, REKINDLE_HTTP_ADDRESS: a.url.replace('http://', '') },
        },
        (err) => resolve(err ? Number((err as { code?: number }).code ?? 1) : 0),
      ),
    );
    expect(probe).toBe(0);
    const m = await httpGet(`${a.url}/metrics`);
    expect(m.status).toBe(200);
    expect(m.type).toContain('text/plain');
    const t = m.body;
    expect(sample(t, 'rekindle_ssh_pool_connections')).toBeGreaterThanOrEqual(2);
    expect(sample(t, 'rekindle_zookeeper_pool_sessions')).toBeGreaterThanOrEqual(1);
    expect(sample(t, 'rekindle_kafka_pool_admins')).toBeGreaterThanOrEqual(1);
    expect(sample(t, 'rekindle_activities_in_flight', { action: 'ssh.exec' })).toBe(1);
    expect(sample(t, 'rekindle_activities_total', { action: 'zookeeper.check', outcome: 'succeeded' })).toBe(1);
    expect(sample(t, 'rekindle_activities_total', { action: 'kafka.health', outcome: 'succeeded' })).toBe(1);
    expect(sample(t, 'rekindle_activities_total', { action: 'ssh.exec', outcome: 'failed' })).toBe(1);
    expect(sample(t, 'rekindle_activity_failures_total', { action: 'ssh.exec', code: 'SSH_COMMAND_FAILED' })).toBe(1);
    expect(sample(t, 'rekindle_host_failures_total', { host: 'kafka-2', code: 'SSH_COMMAND_FAILED' })).toBe(1);
    expect(
      sample(t, 'rekindle_step_duration_seconds_count', {
        action: 'kafka.health',
        step: 'kafka',
        outcome: 'succeeded',
      }),
    ).toBe(1);
    expect(
      sample(t, 'rekindle_step_duration_seconds_bucket', { action: 'zookeeper.check', step: 'zk', le: '+Inf' }),
    ).toBe(1);
    expect(sample(t, 'rekindle_worker_state', { state: 'RUNNING' })).toBe(1);
    expect(sample(t, 'rekindle_worker_info', { task_queue: taskQueue, namespace: 'default' })).toBe(1);
    // Temporal's runtime metrics, from the SDK's telemetry options.
    expect(sample(t, 'temporal_worker_task_slots_used', { task_queue: taskQueue, worker_type: 'ActivityWorker' })).toBe(
      1,
    );
    expect(sample(t, 'temporal_num_pollers', { task_queue: taskQueue, poller_type: 'activity_task' })).toBeGreaterThan(
      0,
    );

    const termAt = Date.now();
    a.child.kill('SIGTERM');
    const end = await a.exited;
    expect({ code: end.code, signal: end.signal }).toEqual({ code: 0, signal: null });
    const shutdownMs = end.at - termAt;
    const at = (msg: string) => {
      const line = jsonLines(a.lines).find((l) => String(l.msg).startsWith(msg));
      return line ? Date.parse(String(line.time)) - termAt : NaN;
    };
    process.stdout.write(
      `worker A: SIGTERM → closing pools ${at('closing SSH')} ms → shut down ${at('worker shut down')} ms → exit ${shutdownMs} ms (grace ${GRACE_MS} ms)\n`,
    );
    expect(shutdownMs).toBeLessThan(GRACE_MS + CLOSE_MARGIN_MS);

    const logs = jsonLines(a.lines);
    expect(logs.some((l) => l.msg === 'still running after shutdown; exiting anyway')).toBe(false);
    expect(logs.find((l) => String(l.msg).startsWith('worker shut down'))).toMatchObject({ exitCode: 0 });
    const activityLines = logs.filter((l) => l.stepId !== undefined);
    for (const id of ['zk', 'kafka', 'leak', 'hold'])
      expect([id, activityLines.some((l) => l.stepId === id)]).toEqual([id, true]);
    for (const l of activityLines) {
      expect(l).toMatchObject({ workflowId: handle.workflowId, runId, action: expect.any(String) });
      if (l.action === 'ssh.exec') expect(['kafka-1', 'kafka-2']).toContain(l.host);
    }
    const interrupted = activityLines.find((l) => l.stepId === 'hold' && String(l.msg).includes('worker shutdown'));
    expect(interrupted).toMatchObject({ host: 'kafka-1', level: 'warn' });
    const leaked = activityLines.find((l) => l.stepId === 'leak' && l.msg === 'activity failed') as {
      details?: { stderrTail?: string };
    };
    expect(leaked.details?.stderrTail).toContain('api key is [redacted]');
    expect(leaked.details?.stderrTail).toContain('[redacted]');
    for (const line of a.lines) {
      expect(line).not.toContain(secret);
      expect(line).not.toContain(keyLine);
    }

    // The run continues on another worker: the interrupted step is retried there and the run completes.
    const b = await worker(taskQueue);
    const result = await handle.result();
    expect(result.phase).toBe('completed-with-failures');
    const holdStep = result.steps.find((s) => s.id === 'hold')!;
    expect(holdStep.state).toBe('succeeded');
    expect(String((holdStep.outputs as { stdout?: string }).stdout)).toContain('resumed');
    const mb = (await httpGet(`${b.url}/metrics`)).body;
    expect(sample(mb, 'rekindle_activities_total', { action: 'ssh.exec', outcome: 'succeeded' })).toBe(1);
    b.child.kill('SIGTERM');
    expect((await b.exited).code).toBe(0);
  } finally {
    rmSync(marker, { force: true });
    await handle.terminate('test cleanup').catch(() => undefined);
  }
});

test('a second signal exits at once, without waiting out the grace period', async () => {
  const taskQueue = uniqueName('svc-q2');
  const w = await worker(taskQueue, { REKINDLE_SHUTDOWN_GRACE: '60s' });
  const inventory = { ...labInventory(), cluster: uniqueName('svc2') } as unknown as Plan['inventory'];
  const { handle } = await startRun(client, {
    plan: plan(
      [
        step('hold', 'ssh.exec', {
          with: { host: 'kafka-3', command: 'sleep', args: ['30'] },
          timeouts: { startToCloseMs: 60_000 },
        }),
      ],
      { inventory },
    ),
    params: {},
    taskQueue,
    options: { mode: 'recovery', dryRun: false, initiator: 'tester' },
  });
  try {
    await waitForLog(w, (l) => l.stepId === 'hold' && l.msg === 'activity started');
    const termAt = Date.now();
    w.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    expect(w.child.exitCode).toBeNull();
    w.child.kill('SIGTERM');
    const end = await w.exited;
    expect(end.code).toBe(143);
    expect(end.at - termAt).toBeLessThan(5000);
    expect(jsonLines(w.lines).some((l) => String(l.msg).startsWith('second signal'))).toBe(true);
  } finally {
    await handle.terminate('test cleanup').catch(() => undefined);
  }
});

test('on a terminal the logs are human text, not JSON; piped they are JSON lines', async () => {
  const taskQueue = uniqueName('svc-tty');
  const env = { REKINDLE_TEMPORAL_ADDRESS: temporalAddress(), REKINDLE_TASK_QUEUE: taskQueue };
  const onTerminal = await startServiceWorker(env, { terminal: true });
  workers.push(onTerminal);
  const piped = await worker(taskQueue);
  for (const w of [onTerminal, piped]) {
    w.child.kill('SIGTERM');
    await w.exited;
  }
  const ready = onTerminal.lines.find((l) => l.includes('rekindle worker ready'))!;
  // pino-pretty's shape: `HH:MM:ss.l INFO: message` then the fields indented, one per line.
  expect(ready).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: rekindle worker ready: polling task queue /);
  expect(onTerminal.lines).toContainEqual(expect.stringMatching(new RegExp(`^\\s+taskQueue: "${taskQueue}"$`)));
  expect(onTerminal.lines.filter((l) => l.trim().startsWith('{"'))).toEqual([]);
  // The same worker piped: every line is one JSON object.
  expect(jsonLines(piped.lines).find((l) => String(l.msg).startsWith('rekindle worker ready'))).toMatchObject({
    level: 'info',
    taskQueue,
  });
});
