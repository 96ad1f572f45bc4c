/**
 * service.stop / start / status against the lab: a real broker stopped and started over SSH through its
 * control command, the effect read from ZooKeeper's /brokers/ids; errors with their retryability.
 * Disturbs broker 1 only (other suites use brokers 2 and 3), and always restarts it.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Inventory } from '../../compiler/inventory';
import { createActionImpls, createResources } from '../../activities';
import { detachedContext, runAction, type ActionImpl } from '../../activities/errors';
import { createZnodeReader } from '../../activities/zookeeper';
import { labInventory, request, testContext, uniqueName } from '../support/ssh';

jest.setTimeout(240_000);

const inv = labInventory();
const res = createResources({});
const acts = createActionImpls({}, res);
const reader = createZnodeReader(res.zkPool);
const BROKER = inv.kafka.brokers.find((b) => b.id === 1)!;

const brokerIds = async () =>
  (await reader.children(inv.zookeeper.connect, `${inv.zookeeper.chroot}/brokers/ids`)).map(Number);

async function failure(impl: ActionImpl, inventory: Inventory, inputs: Record<string, unknown>, item?: unknown) {
  const err = await runAction(impl, () => detachedContext())(request(inventory, inputs, { item })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

async function ensureBrokerUp(): Promise<void> {
  await acts['service.start'](request(inv, { waitTimeout: '3m' }, { item: BROKER }), detachedContext());
}

afterAll(async () => {
  await ensureBrokerUp();
  await res.sshPool.close();
  await res.zkPool.close();
  await res.kafkaPool.close();
});

describe('service.status', () => {
  it('reports a running, registered broker and an answering ZooKeeper node', async () => {
    const b = await acts['service.status'](request(inv, {}, { item: BROKER }), testContext());
    expect(b).toMatchObject({ changed: false, outputs: { running: true, registered: true, pid: expect.any(Number) } });
    const z = await acts['service.status'](request(inv, { host: 'zk-1' }), testContext());
    expect(z).toMatchObject({ changed: false, outputs: { running: true, registered: true } });
  });
});

describe('service.stop / service.start on broker 1', () => {
  it('stops (gone from /brokers/ids), stops again unchanged, starts (registered), starts again unchanged', async () => {
    try {
      const dry = await acts['service.stop'](request(inv, {}, { item: BROKER, dryRun: true }), testContext());
      expect(dry.changed).toBe(false);
      expect(await brokerIds()).toContain(1);

      const stop = await acts['service.stop'](request(inv, { waitTimeout: '2m' }, { item: BROKER }), testContext());
      expect(stop).toMatchObject({ changed: true, outputs: { wasRunning: true } });
      expect(await brokerIds()).not.toContain(1);
      const again = await acts['service.stop'](request(inv, {}, { item: BROKER }), testContext());
      expect(again).toMatchObject({ changed: false, outputs: { wasRunning: false } });

      const ctx = testContext();
      const start = await acts['service.start'](request(inv, { waitTimeout: '3m' }, { item: BROKER }), ctx);
      expect(start).toMatchObject({ changed: true, outputs: { wasRunning: false, registered: true } });
      expect(await brokerIds()).toContain(1);
      expect(ctx.heartbeats.length).toBeGreaterThan(0);
      const again2 = await acts['service.start'](request(inv, {}, { item: BROKER }), testContext());
      expect(again2).toMatchObject({ changed: false, outputs: { wasRunning: true } });
    } finally {
      await ensureBrokerUp();
    }
  });

  it('a start whose effect does not show in time is SERVICE_WAIT_TIMEOUT (retryable); the retry completes it', async () => {
    try {
      await acts['service.stop'](request(inv, {}, { item: BROKER }), testContext());
      const f = await failure(acts['service.start'], inv, { waitTimeout: '1ms' }, BROKER);
      expect(f.type).toBe('SERVICE_WAIT_TIMEOUT');
      expect(f.nonRetryable).toBe(false);
      // The retry finds the process already running and only waits: it reports changed: false.
      const retry = await acts['service.start'](request(inv, { waitTimeout: '3m' }, { item: BROKER }), testContext());
      expect(retry).toMatchObject({ changed: false, outputs: { wasRunning: true, registered: true } });
    } finally {
      await ensureBrokerUp();
    }
  });
});

describe('service errors', () => {
  /** A host whose control command "starts" a service that is never running, over kafka-1's real sshd. */
  async function fakeHost(): Promise<Inventory> {
    const dir = `/tmp/${uniqueName('fakesvc')}`;
    const script = 'case "$1" in start) echo started;; status) echo stopped; exit 3;; *) echo ok;; esac';
    await acts['ssh.exec'](
      request(inv, { host: 'kafka-1', command: `mkdir -p ${dir} && printf '%s\\n' '${script}' > ${dir}/ctl` }),
      testContext(),
    );
    const copy = structuredClone(inv);
    copy.hosts.push({ ...copy.hosts[0], name: 'fake-1', control: `sh ${dir}/ctl` });
    copy.kafka.brokers.push({ ...copy.kafka.brokers[0], id: 99, host: 'fake-1' });
    return copy;
  }

  it('a service that exits during start-up is SERVICE_START_FAILED (non-retryable)', async () => {
    const f = await failure(acts['service.start'], await fakeHost(), { host: 'fake-1', waitTimeout: '20s' });
    expect(f.type).toBe('SERVICE_START_FAILED');
    expect(f.nonRetryable).toBe(true);
  });

  it.each([
    ['an unknown host', { host: 'nope' }, 'SSH_HOST_UNKNOWN'],
    ['a bad duration', { host: 'kafka-1', waitTimeout: 'soon' }, 'INVALID_INPUT'],
    ['an unknown input', { host: 'kafka-1', bogus: true }, 'INVALID_INPUT'],
    ['no target at all', {}, 'INVALID_INPUT'],
  ])('service.stop with %s (%j) fails with %s, non-retryable', async (_n, inputs, type) => {
    const f = await failure(acts['service.stop'], inv, inputs);
    expect(f.type).toBe(type);
    expect(f.nonRetryable).toBe(true);
  });
});
