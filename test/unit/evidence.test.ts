/**
 * The run's evidence store (activities/evidence.ts): large output fields go to files with their size
 * and SHA-256, small ones stay inline, and concurrent attempts of one step never leave a torn file.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionRequest, ActionResult, EvidenceRef } from '../../compiler/plan';
import { EVIDENCE_INLINE_BYTES, spillLargeOutputs } from '../../activities/evidence';

function request(store: string | undefined, over: Partial<ActionRequest> = {}): ActionRequest {
  return {
    workflowId: 'rekindle-lab',
    runId: 'run-1',
    stepId: 'export-offsets',
    inputs: {},
    inventory: store ? { backupStore: store } : {},
    mode: 'drill',
    dryRun: false,
    ...over,
  };
}

const table = Array.from({ length: 2000 }, (_, i) => ({ group: `g${i}`, topic: 't', partition: 0, offset: i }));
const result = (): ActionResult => ({
  changed: false,
  outputs: { path: '/store/offsets.csv', rows: 2000, offsets: table, text: 'x'.repeat(EVIDENCE_INLINE_BYTES + 1) },
});

function checkRef(ref: unknown, content: string): void {
  const e = (ref as EvidenceRef).$evidence;
  const body = readFileSync(e.path);
  expect(body.toString('utf8')).toBe(content);
  expect(e.bytes).toBe(body.length);
  expect(e.sha256).toBe(createHash('sha256').update(body).digest('hex'));
}

test('large fields are stored with size and hash; small fields stay inline', async () => {
  const store = mkdtempSync(join(tmpdir(), 'evidence-'));
  const r = await spillLargeOutputs(request(store), result(), undefined);
  expect(r.outputs.path).toBe('/store/offsets.csv');
  expect(r.outputs.rows).toBe(2000);
  checkRef(r.outputs.offsets, `${JSON.stringify(table, null, 1)}\n`);
  checkRef(r.outputs.text, 'x'.repeat(EVIDENCE_INLINE_BYTES + 1));
  expect((r.outputs.offsets as EvidenceRef).$evidence.path).toBe(
    join(store, 'evidence', 'rekindle-lab-run-1-export-offsets', 'offsets.json'),
  );
  expect(JSON.stringify(r.outputs).length).toBeLessThan(1000);
});

test.each([
  ['no store configured', undefined, undefined],
  ['nothing large', 'store', { changed: true, outputs: { path: '/p', rows: 3 } }],
])('left unchanged: %s', async (_what, store, given) => {
  const r0 = given ?? result();
  const dir = store && mkdtempSync(join(tmpdir(), 'evidence-'));
  expect(await spillLargeOutputs(request(dir), r0, undefined)).toBe(r0);
});

test("the worker's default store is used when the inventory names none", async () => {
  const store = mkdtempSync(join(tmpdir(), 'evidence-'));
  const r = await spillLargeOutputs(request(undefined), result(), store);
  expect((r.outputs.offsets as EvidenceRef).$evidence.path.startsWith(join(store, 'evidence'))).toBe(true);
});

test('forEach items and runs get folders of their own', async () => {
  const store = mkdtempSync(join(tmpdir(), 'evidence-'));
  const paths = await Promise.all(
    [
      request(store, { item: { host: 'kafka-1' } }),
      request(store, { item: { host: 'kafka-2' } }),
      request(store, { runId: 'run-2' }),
    ].map(
      async (q) => ((await spillLargeOutputs(q, result(), undefined)).outputs.offsets as EvidenceRef).$evidence.path,
    ),
  );
  expect(new Set(paths).size).toBe(3);
});

test('two attempts of one step at once leave one whole file and no temporaries', async () => {
  const store = mkdtempSync(join(tmpdir(), 'evidence-'));
  const refs = await Promise.all(
    Array.from({ length: 8 }, () => spillLargeOutputs(request(store), result(), undefined)),
  );
  for (const r of refs) checkRef(r.outputs.offsets, `${JSON.stringify(table, null, 1)}\n`);
  const dir = join(store, 'evidence', 'rekindle-lab-run-1-export-offsets');
  expect(readdirSync(dir).sort()).toEqual(['offsets.json', 'text.txt']);
});
