/**
 * Payload encryption end to end on the lab's Temporal: with the AES-GCM codec on (worker and client),
 * the stored history's raw bytes hold none of the parameter values, outputs, approval comments or
 * decision comments; search attributes carry none either; the audit decodes it all with the key and
 * refuses clearly without it. The same run without the codec shows the values, so the search can fail.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startRun } from '../../client/start';
import { auditHistory } from '../../audit';
import { decodeHistory } from '../../audit/decode';
import { fetchRunHistory } from '../../audit/history';
import type { History } from '../../audit/history';
import { CodecError, dataConverterFor, FAILURE_CONVERTER_PATH } from '../../codec';
import { createRekindleWorker, WORKFLOWS_PATH } from '../../worker/create';
import { temporalAddress, uniqueName } from '../support/lab';
import { Journal, rehearsalActivities } from '../support/rehearsal';
import { startRehearsal } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { runScenario } from './audit-scenario';
import type { Scenario } from './audit-scenario';

const dir = mkdtempSync(join(tmpdir(), 'rekindle-codec-'));
const keyFile = join(dir, 'rekindle.key');
writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
const dataConverter = dataConverterFor(keyFile)!;

let plain: Rehearsal;
let encrypted: Rehearsal;
let close: () => Promise<void>;

beforeAll(async () => {
  plain = await startRehearsal('codec-plain');
  const address = temporalAddress();
  const taskQueue = uniqueName('codec');
  const config = {
    temporalAddress: address,
    namespace: 'default',
    taskQueue,
    maxConcurrentActivities: 20,
    codecKeyFile: keyFile,
    sources: [],
  };
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  const { worker, connection } = await createRekindleWorker({
    config,
    extraActivities: rehearsalActivities(new Journal()),
    workflowBundle,
    tuning: { shutdownGraceTime: '1s' },
  });
  const running = worker.run();
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace: 'default', dataConverter });
  encrypted = {
    client,
    taskQueue,
    journal: new Journal(),
    address,
    start: async (plan, options = {}, params = {}) =>
      (
        await startRun(client, {
          plan,
          params,
          taskQueue,
          options: { mode: 'recovery', dryRun: false, initiator: 'tester', ...options },
        })
      ).handle,
    close: async () => undefined,
  };
  close = async () => {
    worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    await clientConnection.close();
  };
}, 120_000);
afterAll(async () => {
  await close?.();
  await plain?.close();
});

/** The sensitive values of a scenario run: parameters, an output, approval and decision comments. */
const secrets = (sc: Scenario) => [
  String(sc.params.backupSet),
  String(sc.params.ticket),
  `3 brokers, 2 damaged ${sc.key}`,
  sc.comments.first,
  sc.comments.second,
  sc.comments.retry,
  sc.key,
];

const rawBytes = (h: History) =>
  Buffer.from(temporal.api.history.v1.History.encode(temporal.api.history.v1.History.fromObject(h)).finish());
const found = (bytes: Buffer, values: string[]) => values.filter((v) => bytes.includes(Buffer.from(v)));

async function searchAttributeValues(h: History): Promise<unknown[]> {
  const events = await decodeHistory(h, dataConverter);
  const fields = events.flatMap((e) => (e.kind === 'search-attributes' ? Object.entries(e.fields) : []));
  const started = h.events?.[0]?.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields ?? {};
  const keys = [...fields.map(([k]) => k), ...Object.keys(started)];
  // TemporalChangeVersion is Temporal's own record of the patch ids a run took (patched()), not run data.
  const ours = keys.filter((k) => k !== 'TemporalChangeVersion');
  expect(new Set(ours)).toEqual(new Set(['RekindleRunbook', 'RekindleCluster', 'RekindleMode', 'RekindlePhase']));
  return [...fields.map(([, v]) => v), ...Object.values(started).map((p) => Buffer.from(p.data ?? []).toString())];
}

test('with the codec on, the raw history holds none of the params, outputs or comments', async () => {
  const sc = await runScenario(encrypted, encrypted.start);
  const { history, runId } = await fetchRunHistory(encrypted.client, sc.handle.workflowId);
  expect(history.events!.length).toBeGreaterThan(40);
  expect(found(rawBytes(history), secrets(sc))).toEqual([]);
  // Failure messages are encrypted too (encodeCommonAttributes): the scripted failure texts are absent.
  expect(found(rawBytes(history), ['scripted failure', 'run aborted'])).toEqual([]);
  const sa = JSON.stringify(await searchAttributeValues(history));
  expect(secrets(sc).filter((s) => sa.includes(s))).toEqual([]);

  const report = await auditHistory(history, { workflowId: sc.handle.workflowId, runId }, { dataConverter });
  expect(report.params).toEqual(sc.params);
  expect(report.approvals.map((a) => a.comment)).toEqual([sc.comments.first, sc.comments.second]);
  expect(report.steps.find((s) => s.id === 'restore')?.attempts[0].error?.type).toBe('ZK_NO_NODE');
  expect(report.outcome.error?.type).toBe('RUN_ABORTED');

  const err = await auditHistory(history, { workflowId: sc.handle.workflowId, runId }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CodecError);
  expect((err as CodecError).code).toBe('CODEC_KEY_UNKNOWN');
}, 120_000);

test('control: without the codec the same search finds the values (the search can fail)', async () => {
  const sc = await runScenario(plain);
  const { history } = await fetchRunHistory(plain.client, sc.handle.workflowId);
  expect(found(rawBytes(history), secrets(sc))).toEqual(secrets(sc));
}, 120_000);

test('a wrong key is refused with CODEC_KEY_UNKNOWN, a tampered payload with CODEC_DECRYPT_FAILED', async () => {
  const codec = dataConverter.payloadCodecs![0];
  const [enc] = await codec.encode([
    { metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('"x"') },
  ]);
  const otherFile = join(dir, 'other.key');
  writeFileSync(otherFile, randomBytes(32).toString('base64'));
  await expect(dataConverterFor(otherFile)!.payloadCodecs![0].decode([enc])).rejects.toMatchObject({
    code: 'CODEC_KEY_UNKNOWN',
  });
  const bad = { ...enc, data: Uint8Array.from(enc.data!, (b, i) => (i === 20 ? b ^ 1 : b)) };
  await expect(codec.decode([bad])).rejects.toMatchObject({ code: 'CODEC_DECRYPT_FAILED' });
  const [dec] = await codec.decode([enc]);
  expect(Buffer.from(dec.data!).toString()).toBe('"x"');
  writeFileSync(join(dir, 'short.key'), 'abc');
  expect(() => dataConverterFor(join(dir, 'short.key'))).toThrow(
    expect.objectContaining({ code: 'CODEC_KEY_INVALID' }),
  );
});
