/**
 * host.isolate / host.unisolate against the lab: the broker's client port really rejects connections
 * while SSH and the rest keep working, both directions are idempotent, and the port is always reopened.
 */
import { createServer, type Server } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { createActionImpls, createResources } from '../../activities';
import { detachedContext, runAction } from '../../activities/errors';
import { accepts } from '../support/port';
import { labInventory, request, testContext } from '../support/ssh';

const inv = labInventory();
const res = createResources({});
const acts = createActionImpls({}, res);
const BROKER = inv.kafka.brokers.find((b) => b.id === 1)!;

afterAll(async () => {
  await acts['host.unisolate'](request(inv, {}, { item: BROKER }), detachedContext());
  await res.sshPool.close();
  await res.zkPool.close();
  await res.kafkaPool.close();
});

describe('host.isolate / host.unisolate through the control command', () => {
  it('cuts the broker client port, is idempotent, and reopens it', async () => {
    try {
      expect(await accepts(BROKER.port)).toBe(true);
      const first = await acts['host.isolate'](request(inv, {}, { item: BROKER }), testContext());
      expect(first).toMatchObject({ changed: true, outputs: { isolated: true, ports: [BROKER.port] } });
      expect(await accepts(BROKER.port)).toBe(false);
      expect(await accepts(BROKER.internalPort)).toBe(true); // inter-broker listener stays open
      const status = await acts['ssh.exec'](
        request(inv, { command: 'echo still-reachable' }, { item: BROKER }),
        testContext(),
      );
      expect(status.outputs.stdout).toBe('still-reachable\n');
      const second = await acts['host.isolate'](request(inv, {}, { item: BROKER }), testContext());
      expect(second.changed).toBe(false);

      const open = await acts['host.unisolate'](request(inv, {}, { item: BROKER }), testContext());
      expect(open).toMatchObject({ changed: true, outputs: { isolated: false } });
      expect(await accepts(BROKER.port)).toBe(true);
      const again = await acts['host.unisolate'](request(inv, {}, { item: BROKER }), testContext());
      expect(again.changed).toBe(false);
    } finally {
      await acts['host.unisolate'](request(inv, {}, { item: BROKER }), detachedContext());
    }
  });

  it('under dry-run reports what it would do and changes nothing', async () => {
    const r = await acts['host.isolate'](request(inv, {}, { item: BROKER, dryRun: true }), testContext());
    expect(r).toMatchObject({ changed: false, outputs: { dryRun: true } });
    expect(await accepts(BROKER.port)).toBe(true);
  });
});

describe('host.isolate with explicit ports', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await acts['host.unisolate'](request(inv, { host: 'kafka-1', ports: [port] }), detachedContext());
    await new Promise((r) => server.close(r));
  });

  it('cuts and reopens the given ports, idempotently', async () => {
    expect(await accepts(port)).toBe(true);
    expect((await acts['host.isolate'](request(inv, { host: 'kafka-1', ports: [port] }), testContext())).changed).toBe(
      true,
    );
    expect(await accepts(port)).toBe(false);
    expect((await acts['host.isolate'](request(inv, { host: 'kafka-1', ports: [port] }), testContext())).changed).toBe(
      false,
    );
    expect(
      (await acts['host.unisolate'](request(inv, { host: 'kafka-1', ports: [port] }), testContext())).changed,
    ).toBe(true);
    expect(await accepts(port)).toBe(true);
    expect(
      (await acts['host.unisolate'](request(inv, { host: 'kafka-1', ports: [port] }), testContext())).changed,
    ).toBe(false);
  });
});

describe('host errors', () => {
  it.each([
    ['the SSH port itself', { host: 'kafka-1', ports: [inv.hosts[0].port] }, 'INVALID_INPUT'],
    ['a port out of range', { host: 'kafka-1', ports: [70000] }, 'INVALID_INPUT'],
    ['an unknown host', { host: 'nope' }, 'SSH_HOST_UNKNOWN'],
  ])('host.isolate of %s (%j) fails with %s, non-retryable', async (_n, inputs, type) => {
    const err = await runAction(acts['host.isolate'], () => detachedContext())(request(inv, inputs)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(type);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
  });
});
