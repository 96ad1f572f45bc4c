/**
 * The manifest hash a backup run records is what later runs trust, read back for real from Temporal
 * history: a run's backup.create returns `manifestSha256`; a backup.select in a later run (with no hash
 * handed in) finds it through the worker's client and accepts the set; once the manifest in the store is
 * rewritten, the same select is refused with BACKUP_MANIFEST_TAMPERED, and a restore from it is refused
 * before the target changes. Real worker, real activities, the lab's Temporal and ZooKeeper.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inventory } from '../../compiler/inventory';
import type { RunStatus } from '../../workflows/types';
import { labInventory, uniqueName } from '../support/lab';
import { startRehearsal, type Rehearsal } from '../support/rehearsal-env';
import { plan, step } from '../support/rehearsal-plan';
import { waitForStep } from '../support/rehearsal-wait';

jest.setTimeout(180_000);

const store = mkdtempSync(join(tmpdir(), 'rekindle-trust-'));
// A cluster name of its own: its own workflow id, and select considers only this test's sets.
const inventory: Inventory = { ...labInventory(), cluster: uniqueName('trust'), backupStore: store };
const slow = { timeouts: { startToCloseMs: 120_000 } };
let env: Rehearsal;

beforeAll(async () => {
  env = await startRehearsal('trust');
});
afterAll(async () => {
  await env?.close();
});

const run = (steps: Parameters<typeof plan>[0]) => env.start(plan(steps, { inventory: inventory as never }));

describe("the backup run's recorded manifest hash, from Temporal history", () => {
  let setId = '';
  let recorded = '';

  it("backup.create records manifestSha256; a later run's select finds it in that history and accepts the set", async () => {
    const backup = await run([
      step('create', 'backup.create', { ...slow, with: { label: 'trust', logs: false, offsets: false } }),
    ]);
    const made = (await backup.result()) as RunStatus;
    setId = String(made.steps[0].outputs?.backupSet);
    recorded = String(made.steps[0].outputs?.manifestSha256);
    expect(recorded).toMatch(/^[0-9a-f]{64}$/);

    const later = await run([step('select', 'backup.select', { ...slow, with: { backupSet: setId, maxSkew: '5m' } })]);
    const chosen = (await later.result()) as RunStatus;
    expect(chosen.steps[0].outputs).toMatchObject({ backupSet: setId, manifestSha256: recorded });
  });

  it('after the manifest in the store is rewritten, select and zookeeper.restore refuse it (BACKUP_MANIFEST_TAMPERED)', async () => {
    const file = join(store, setId, 'manifest.json');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(`"id": "${setId}"`, `"id": "${setId}", "label": "rewritten"`),
    );
    const h = await run([
      step('select', 'backup.select', { ...slow, with: { backupSet: setId, maxSkew: '5m' } }),
      // Without the hash handed in, the restore looks it up itself, and refuses before reading the tree.
      step('restore', 'zookeeper.restore', {
        ...slow,
        with: { backup: setId, chroot: `/${uniqueName('never-written')}` },
      }),
    ]);
    const s = await waitForStep(h, 'select', 'failed-awaiting-decision', 120_000);
    expect(s.steps[0].error).toMatchObject({ type: 'BACKUP_MANIFEST_TAMPERED' });
    const r = await waitForStep(h, 'restore', 'failed-awaiting-decision', 120_000);
    expect(r.steps[1].error).toMatchObject({ type: 'BACKUP_MANIFEST_TAMPERED' });
    await h.terminate('test done');
  });

  it('the restore with the hash select output (manifestSha256 input) refuses the rewritten manifest too', async () => {
    const h = await run([
      step('restore', 'zookeeper.restore', {
        ...slow,
        with: { backup: setId, manifestSha256: recorded, chroot: `/${uniqueName('never-written')}` },
      }),
    ]);
    const s = await waitForStep(h, 'restore', 'failed-awaiting-decision', 120_000);
    expect(s.steps[0].error).toMatchObject({ type: 'BACKUP_MANIFEST_TAMPERED' });
    await h.terminate('test done');
  });
});
