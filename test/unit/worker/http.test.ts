/** The health and metrics endpoint over real HTTP, with Rekindle's registry and a stand-in health answer. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freeLoopbackPort, startEndpoint } from '../../../worker/http';
import type { Endpoint, Health } from '../../../worker/http';
import { WorkerMetrics } from '../../../worker/metrics';
import { httpGet, sample } from '../../support/worker-service';

let endpoint: Endpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

function metrics(): WorkerMetrics {
  return new WorkerMetrics(
    { taskQueue: 'q1', namespace: 'ns' },
    { ssh: () => 2, zookeeper: () => 1, kafka: () => 0 },
    () => 'RUNNING',
  );
}

test.each<[string, number, Health]>([
  ['polling and connected', 200, { ok: true, worker: 'RUNNING', temporal: 'connected' }],
  ['draining', 503, { ok: false, worker: 'DRAINING', temporal: 'connected' }],
  ['Temporal unreachable', 503, { ok: false, worker: 'RUNNING', temporal: 'unreachable', error: 'deadline' }],
])('/healthz when %s answers %d with the health as JSON', async (_name, status, health) => {
  endpoint = await startEndpoint({ address: '127.0.0.1:0', metrics: metrics(), health: async () => health });
  const r = await httpGet(`${endpoint.url}/healthz`);
  expect([r.status, JSON.parse(r.body)]).toEqual([status, health]);
});

test("/metrics has Rekindle's metrics with their labels, and says when Temporal's are unavailable", async () => {
  const m = metrics();
  m.finished({
    action: 'ssh.exec',
    step: 'stop',
    host: 'kafka-1',
    outcome: 'failed',
    code: 'SSH_COMMAND_FAILED',
    seconds: 0.3,
  });
  m.finished({ action: 'ssh.exec', step: 'stop', host: 'kafka-1', outcome: 'succeeded', seconds: 1.2 });
  const deadPort = await freeLoopbackPort();
  endpoint = await startEndpoint({
    address: '127.0.0.1:0',
    metrics: m,
    health: async () => ({ ok: true, worker: 'RUNNING', temporal: 'connected' }),
    coreMetricsAddress: `127.0.0.1:${deadPort}`,
  });
  const r = await httpGet(`${endpoint.url}/metrics`);
  expect(r.status).toBe(200);
  expect(r.type).toContain('text/plain');
  expect(sample(r.body, 'rekindle_activities_total', { action: 'ssh.exec', outcome: 'failed' })).toBe(1);
  expect(sample(r.body, 'rekindle_activities_total', { action: 'ssh.exec', outcome: 'succeeded' })).toBe(1);
  expect(sample(r.body, 'rekindle_host_failures_total', { host: 'kafka-1', code: 'SSH_COMMAND_FAILED' })).toBe(1);
  expect(
    sample(r.body, 'rekindle_step_duration_seconds_bucket', { step: 'stop', outcome: 'succeeded', le: '2.5' }),
  ).toBe(1);
  expect(sample(r.body, 'rekindle_step_duration_seconds_bucket', { step: 'stop', outcome: 'succeeded', le: '1' })).toBe(
    0,
  );
  expect(sample(r.body, 'rekindle_ssh_pool_connections')).toBe(2);
  expect(sample(r.body, 'rekindle_worker_state', { state: 'RUNNING' })).toBe(1);
  expect(r.body).toContain('# temporal runtime metrics unavailable');
});

test("/metrics appends the Temporal runtime's exporter text", async () => {
  const core = createServer((_req, res) => res.end('temporal_num_pollers{task_queue="q1"} 3\n'));
  await new Promise<void>((resolve) => core.listen(0, '127.0.0.1', () => resolve()));
  try {
    endpoint = await startEndpoint({
      address: '127.0.0.1:0',
      metrics: metrics(),
      health: async () => ({ ok: true, worker: 'RUNNING', temporal: 'connected' }),
      coreMetricsAddress: `127.0.0.1:${(core.address() as AddressInfo).port}`,
    });
    expect(sample((await httpGet(`${endpoint.url}/metrics`)).body, 'temporal_num_pollers', { task_queue: 'q1' })).toBe(
      3,
    );
  } finally {
    await new Promise<void>((resolve) => core.close(() => resolve()));
  }
});

test.each([
  ['/', 404],
  ['/metricsx', 404],
])('%s answers %d', async (path, status) => {
  endpoint = await startEndpoint({
    address: '127.0.0.1:0',
    metrics: metrics(),
    health: async () => ({ ok: true, worker: 'RUNNING', temporal: 'connected' }),
  });
  expect((await httpGet(`${endpoint.url}${path}`)).status).toBe(status);
});

test('an address in use is refused with the address in the message', async () => {
  endpoint = await startEndpoint({
    address: '127.0.0.1:0',
    metrics: metrics(),
    health: async () => ({ ok: true, worker: 'RUNNING', temporal: 'connected' }),
  });
  const taken = endpoint.url.replace('http://', '');
  await expect(
    startEndpoint({
      address: taken,
      metrics: metrics(),
      health: async () => ({ ok: true, worker: 'RUNNING', temporal: 'connected' }),
    }),
  ).rejects.toThrow(`cannot listen on ${taken} for /healthz and /metrics`);
});
