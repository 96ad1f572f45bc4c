/**
 * Fence locks on the lab's real sshd hosts (activities/ssh/fence.ts): a second attempt is refused while the
 * first holds the target; a stale attempt's command is refused before it runs; a holder whose connection
 * died (its worker gone) is taken over only after its keeper ended, and its orphaned command is ended
 * first; a cancelled fenced `ssh.exec` kills its remote process group and releases the lock.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionCancelledError, type ActionContext } from '../../activities/errors';
import { withFence } from '../../activities/fence';
import { Fence, SshPool, SshShell, createSshActivities } from '../../activities/ssh';
import { TargetLockedError, TargetLockLostError } from '../../activities/ssh/errors';
import { labInventory, request, testContext, uniqueName } from '../support/ssh';

const inv = labInventory();
const inventory = inv as unknown as Record<string, unknown>;
const host = 'kafka-1';
const lockDir = inv.hosts.find((h) => h.name === host)!.lockDir!;
const pools: SshPool[] = [];

/** A worker's view: its own pool (one SSH connection per host), shell and fence. */
function worker(): { pool: SshPool; shell: SshShell; fence: Fence } {
  const pool = new SshPool();
  pools.push(pool);
  const shell = new SshShell(pool);
  return { pool, shell, fence: new Fence(pool, (i, h) => shell.target(i, h)) };
}

/** True while a process with this pid exists (the lab's hosts are processes on this machine). */
const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

async function until(what: string, pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  for (const p of pools) await p.close();
});

test('a second attempt on a held target is refused with TARGET_LOCKED (retryable), naming the holder', async () => {
  const key = uniqueName('lk');
  const a = worker();
  const b = worker();
  const ctx = testContext();
  let refused: unknown;
  await a.fence.hold(inventory, [{ host, key }], 'attempt-A', ctx, async () => {
    refused = await b.fence
      .hold(inventory, [{ host, key }], 'attempt-B', testContext(), async () => 'ran', 1_000)
      .catch((e) => e);
  });
  expect(refused).toBeInstanceOf(TargetLockedError);
  expect((refused as TargetLockedError).code).toBe('TARGET_LOCKED');
  expect((refused as TargetLockedError).retryable).toBe(true);
  expect((refused as TargetLockedError).details.holder).toBe('attempt-A');
  // Released cleanly: B now gets it, and it is not a takeover.
  const takeovers = await b.fence.hold(inventory, [{ host, key }], 'attempt-B', testContext(), async (t) => t);
  expect(takeovers).toEqual([]);
  expect(existsSync(join(lockDir, `${key}.owner`))).toBe(false);
});

test('a command of an attempt whose lock was taken over is refused before it runs', async () => {
  const key = uniqueName('lost');
  const a = worker();
  const canary = join(lockDir, `${key}.canary`);
  const err = await a.fence
    .hold(inventory, [{ host, key }], 'attempt-A', testContext(), async () => {
      await a.shell.run(inventory, host, 'true');
      writeFileSync(join(lockDir, `${key}.owner`), 'attempt-B\n');
      await a.shell.run(inventory, host, `touch ${canary}`);
    })
    .catch((e) => e);
  expect(err).toBeInstanceOf(TargetLockLostError);
  expect(existsSync(canary)).toBe(false);
});

test('a dead holder is taken over only after its keeper ended, and its orphaned command is ended first', async () => {
  const key = uniqueName('dead');
  const a = worker();
  const b = worker();
  const pidFile = join(lockDir, `${key}.cmd-pid`);
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  // Attempt A starts a long command under the lock; then its worker's connection dies (as with SIGKILL).
  const holding = a.fence
    .hold(inventory, [{ host, key }], 'attempt-A', testContext(), async () => {
      const cmd = a.shell.exec(inventory, host, `echo $$ > ${pidFile}; sleep 120`, { timeoutMs: 300_000 });
      await until('the command to start', () => existsSync(pidFile));
      started();
      return cmd;
    })
    .catch((e: unknown) => e);
  await running;
  const orphan = Number(readFileSync(pidFile, 'utf8'));
  expect(alive(orphan)).toBe(true);
  // While A's keeper lives, B is refused.
  await expect(
    b.fence.hold(inventory, [{ host, key }], 'attempt-B', testContext(), async () => 'ran', 1_000),
  ).rejects.toBeInstanceOf(TargetLockedError);
  await a.pool.close();
  await holding;
  expect(alive(orphan)).toBe(true); // closing the channel did not stop it: no tty
  const takeovers = await b.fence.hold(inventory, [{ host, key }], 'attempt-B', testContext(), async (t) => {
    expect(alive(orphan)).toBe(false);
    return t;
  });
  expect(takeovers).toHaveLength(1);
  expect(takeovers[0].previous).toBe('attempt-A');
  expect(takeovers[0].killed.length).toBe(1);
  expect(readFileSync(join(lockDir, `${key}.log`), 'utf8')).toMatch(
    /takeover by attempt-B from attempt-A, ended: \d+:\d+/,
  );
});

test('a cancelled fenced ssh.exec kills its remote process group and releases the lock', async () => {
  const w = worker();
  const exec = withFence('ssh.exec', createSshActivities(w.shell)['ssh.exec'], w.fence);
  const stepId = uniqueName('cancel');
  const pidFile = join(lockDir, `${stepId}.pid`);
  const ctx: ActionContext & { abort: AbortController } = testContext();
  const req = request(inv, { host, command: `sh -c 'echo $$ > ${pidFile}; exec sleep 120'` }, { stepId });
  const run = exec(req, ctx).catch((e: unknown) => e);
  await until('the command to start', () => existsSync(pidFile));
  const pid = Number(readFileSync(pidFile, 'utf8'));
  expect(alive(pid)).toBe(true);
  ctx.abort.abort();
  expect(await run).toBeInstanceOf(ActionCancelledError);
  await until('the remote process to end', () => !alive(pid));
  // The lock is free and clean: the next attempt of the step gets it without a takeover.
  const again = withFence('ssh.exec', async () => ({ changed: false, outputs: {} }), w.fence);
  const seen: unknown[] = [];
  await again(req, { ...testContext(), heartbeat: (d) => seen.push(d) });
  expect(seen).toEqual([]);
});
