/**
 * ssh.exec / ssh.put / ssh.get against the lab's real sshd: host-key verification, timeouts that kill
 * the remote process, output caps, cancellation, quoting, transfers, and every error with its retryability.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { Inventory } from '../../compiler/inventory';
import { parseExpression, resolveValue } from '../../compiler/expr';
import type { PlanValue } from '../../compiler/plan';
import { detachedContext, runAction, type ActionImpl } from '../../activities/errors';
import { SshPool, SshShell, createSshActivities } from '../../activities/ssh';
import { labInventory, request, testContext, uniqueName } from '../support/ssh';

const inv = labInventory();
const pool = new SshPool();
const shell = new SshShell(pool);
const acts = createSshActivities(shell);
const scratch = mkdtempSync(join(tmpdir(), 'rekindle-ssh-test-'));

afterAll(async () => {
  await pool.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs an action through the activity boundary and returns the ApplicationFailure it throws. */
async function failure(
  impl: ActionImpl,
  inventory: Inventory,
  inputs: Record<string, unknown>,
): Promise<ApplicationFailure> {
  const err = await runAction(impl, () => detachedContext())(request(inventory, inputs)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

function withHost(patch: Record<string, unknown>, drop: string[] = []): Inventory {
  const copy = structuredClone(inv);
  const h = copy.hosts.find((x) => x.name === 'kafka-1') as unknown as Record<string, unknown>;
  Object.assign(h, patch);
  for (const k of drop) delete h[k];
  return copy;
}

/** Prints `gone` when the process no longer runs (absent, or a zombie awaiting its reaper). */
function gone(pid: string): string {
  return `s=$(ps -o stat= -p ${pid}); case "$s" in ''|Z*) echo gone;; *) echo "alive $s";; esac`;
}

async function remote(command: string): Promise<string> {
  const r = await acts['ssh.exec'](request(inv, { host: 'kafka-1', command }), detachedContext());
  return String(r.outputs.stdout);
}

describe('ssh.exec', () => {
  it('runs a command and returns exit code, stdout, stderr, duration', async () => {
    const r = await acts['ssh.exec'](
      request(inv, { host: 'kafka-2', command: 'echo out; echo err >&2; hostname' }),
      testContext(),
    );
    expect(r.changed).toBe(true);
    expect(r.outputs).toMatchObject({ exitCode: 0, stderr: 'err\n' });
    expect(String(r.outputs.stdout)).toMatch(/^out\n/);
    expect(r.outputs.durationMs).toEqual(expect.any(Number));
  });

  it('targets the forEach item (a broker) when no host is given', async () => {
    const broker = inv.kafka.brokers[2];
    const r = await acts['ssh.exec'](request(inv, { command: 'echo ok' }, { item: broker }), testContext());
    expect(r.outputs.stdout).toBe('ok\n');
  });

  it('is idempotent with `creates`: the second identical call reports changed: false', async () => {
    const path = `/tmp/${uniqueName('creates')}`;
    const inputs = { host: 'kafka-1', command: `touch ${path}`, creates: path };
    try {
      expect((await acts['ssh.exec'](request(inv, inputs), testContext())).changed).toBe(true);
      expect((await acts['ssh.exec'](request(inv, inputs), testContext())).changed).toBe(false);
    } finally {
      await remote(`rm -f ${path}`);
    }
  });

  it('reports `changed: false` commands as unchanged', async () => {
    const r = await acts['ssh.exec'](request(inv, { host: 'kafka-1', command: 'true', changed: false }), testContext());
    expect(r.changed).toBe(false);
  });

  it('does not run a changing command under dry-run', async () => {
    const path = `/tmp/${uniqueName('dry')}`;
    const r = await acts['ssh.exec'](
      request(inv, { host: 'kafka-1', command: `touch ${path}` }, { dryRun: true }),
      testContext(),
    );
    expect(r).toMatchObject({ changed: false, outputs: { dryRun: true } });
    expect(await remote(`test -e ${path} && echo yes || echo no`)).toBe('no\n');
  });

  it('a non-zero exit is SSH_COMMAND_FAILED, non-retryable, with the output tail', async () => {
    const f = await failure(acts['ssh.exec'], inv, { host: 'kafka-1', command: 'echo boom >&2; exit 3' });
    expect(f.type).toBe('SSH_COMMAND_FAILED');
    expect(f.nonRetryable).toBe(true);
    expect(f.details?.[0]).toMatchObject({ exitCode: 3, stderrTail: 'boom\n' });
  });

  it('refuses a wrong pinned host key with SSH_HOST_KEY_MISMATCH (non-retryable)', async () => {
    const wrong = inv.hosts.find((h) => h.name === 'kafka-2')!.hostKey;
    const f = await failure(acts['ssh.exec'], withHost({ hostKey: wrong }), { host: 'kafka-1', command: 'true' });
    expect(f.type).toBe('SSH_HOST_KEY_MISMATCH');
    expect(f.nonRetryable).toBe(true);
  });

  it('verifies against a hashed known_hosts file, and refuses a host whose entry has another key', async () => {
    const kh = join(scratch, 'known_hosts');
    writeFileSync(kh, readFileSync(inv.hosts[0].knownHostsFile!, 'utf8'));
    execFileSync('ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' });
    expect(readFileSync(kh, 'utf8')).toMatch(/^\|1\|/);
    const ok = await acts['ssh.exec'](
      request(withHost({ knownHostsFile: kh }, ['hostKey']), { host: 'kafka-1', command: 'echo hashed' }),
      testContext(),
    );
    expect(ok.outputs.stdout).toBe('hashed\n');
    const swapped = join(scratch, 'known_hosts_swapped');
    const k2 = inv.hosts[1].hostKey!;
    writeFileSync(swapped, `[${inv.hosts[0].address}]:${inv.hosts[0].port} ${k2}\n`);
    const mm = await failure(acts['ssh.exec'], withHost({ knownHostsFile: swapped }, ['hostKey']), {
      host: 'kafka-1',
      command: 'true',
    });
    expect(mm.type).toBe('SSH_HOST_KEY_MISMATCH');
  });

  it.each([
    ['a host not in the inventory', inv, 'no-such-host'],
    ['a host with no pinned key and no known_hosts', withHost({}, ['hostKey', 'knownHostsFile']), 'kafka-1'],
  ])('refuses %s with SSH_HOST_UNKNOWN (non-retryable)', async (_name, inventory, host) => {
    const f = await failure(acts['ssh.exec'], inventory, { host, command: 'true' });
    expect(f.type).toBe('SSH_HOST_UNKNOWN');
    expect(f.nonRetryable).toBe(true);
  });

  it('a rejected identity is SSH_AUTH_FAILED (non-retryable)', async () => {
    const key = join(scratch, 'id_other');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const f = await failure(acts['ssh.exec'], withHost({ identityFile: key }), { host: 'kafka-1', command: 'true' });
    expect(f.type).toBe('SSH_AUTH_FAILED');
    expect(f.nonRetryable).toBe(true);
  });

  it('a refused connection is SSH_CONNECT_FAILED (retryable)', async () => {
    const f = await failure(acts['ssh.exec'], withHost({ port: 1 }), { host: 'kafka-1', command: 'true' });
    expect(f.type).toBe('SSH_CONNECT_FAILED');
    expect(f.nonRetryable).toBe(false);
  });

  it.each([
    [{ host: 'kafka-1' }, 'command'],
    [{ host: 'kafka-1', command: 'true', timeout: 'soon' }, 'timeout'],
    [{ host: 'kafka-1', command: 'true', bogus: 1 }, 'bogus'],
    [{ host: 'kafka-1', command: 'true', args: ['ok', 7] }, 'args[1]'],
  ])('rejects invalid inputs %j at the door (INVALID_INPUT, non-retryable)', async (inputs, field) => {
    const f = await failure(acts['ssh.exec'], inv, inputs);
    expect(f.type).toBe('INVALID_INPUT');
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toContain(field);
  });

  it('a timeout is SSH_TIMEOUT (retryable) and the remote process is gone', async () => {
    const pidFile = `/tmp/${uniqueName('timeout')}.pid`;
    const f = await failure(acts['ssh.exec'], inv, {
      host: 'kafka-1',
      command: `sleep 300 & echo $! > ${pidFile}; wait`,
      timeout: '1s',
      killAfter: '500ms',
    });
    expect(f.type).toBe('SSH_TIMEOUT');
    expect(f.nonRetryable).toBe(false);
    const pid = (await remote(`cat ${pidFile}; rm -f ${pidFile}`)).trim();
    expect(pid).toMatch(/^\d+$/);
    expect(await remote(gone(pid))).toBe('gone\n');
  });

  it('truncates output over the cap to its tail', async () => {
    const r = await acts['ssh.exec'](
      request(inv, { host: 'kafka-1', command: 'seq 1 200000', maxOutputBytes: 1000 }),
      testContext(),
    );
    const out = String(r.outputs.stdout);
    expect(r.outputs.truncated).toBe(true);
    expect(out.length).toBe(1000);
    expect(out.endsWith('199999\n200000\n')).toBe(true);
  });

  it('heartbeats progress while output flows', async () => {
    const ctx = testContext();
    await acts['ssh.exec'](request(inv, { host: 'kafka-1', command: 'echo first; sleep 1.2; echo second' }), ctx);
    expect(ctx.heartbeats.length).toBeGreaterThanOrEqual(1);
    expect(ctx.heartbeats[0]).toMatchObject({ stdoutBytes: expect.any(Number) });
  });

  it('a cancelled activity closes the channel and the remote process is gone', async () => {
    const pidFile = `/tmp/${uniqueName('cancel')}.pid`;
    const ctx = testContext();
    const started = Date.now();
    const run = acts['ssh.exec'](
      request(inv, { host: 'kafka-1', command: `sleep 300 & echo $! > ${pidFile}; wait`, timeout: '2m' }),
      ctx,
    );
    setTimeout(() => ctx.abort.abort(), 1_000);
    await expect(run).rejects.toMatchObject({ code: 'ACTION_CANCELLED', retryable: false });
    expect(Date.now() - started).toBeLessThan(10_000);
    const pid = (await remote(`cat ${pidFile}; rm -f ${pidFile}`)).trim();
    expect(await remote(gone(pid))).toBe('gone\n');
  });

  it('an interpolated parameter like `x; rm -rf /tmp/canary` does not execute (the canary survives)', async () => {
    const canary = `/tmp/${uniqueName('canary')}`;
    await remote(`mkdir -p ${canary} && touch ${canary}/alive`);
    const evil = `x; rm -rf ${canary}`;
    // The command as the engine renders it: a runbook template with a shell-quoted expression part.
    const template: PlanValue = {
      $template: ['echo ', { expr: parseExpression('params.p'), text: 'params.p', quote: 'shell' }],
    };
    const ctxData = {
      params: { p: evil },
      inventory: {},
      steps: {},
      run: { mode: 'drill' as const, dryRun: false, workflowId: 'w' },
    };
    const command = resolveValue(template, ctxData) as string;
    try {
      const viaTemplate = await acts['ssh.exec'](request(inv, { host: 'kafka-1', command }), testContext());
      expect(viaTemplate.outputs.stdout).toBe(`${evil}\n`);
      const viaArgs = await acts['ssh.exec'](
        request(inv, { host: 'kafka-1', command: 'echo', args: [evil, '$(id)', '`id`'] }),
        testContext(),
      );
      expect(viaArgs.outputs.stdout).toBe(`${evil} $(id) \`id\`\n`);
      expect(await remote(`test -e ${canary}/alive && echo alive`)).toBe('alive\n');
    } finally {
      await remote(`rm -rf ${canary}`);
    }
  });

  it('shares one connection per host and queues sessions beyond MaxSessions', async () => {
    const local = new SshPool({ maxSessions: 4 });
    const impl = createSshActivities(new SshShell(local))['ssh.exec'];
    try {
      const runs = Array.from({ length: 24 }, (_, i) =>
        impl(request(inv, { host: 'kafka-3', command: `sleep 0.2; echo ${i}` }), testContext()),
      );
      const results = await Promise.all(runs);
      expect(results.map((r) => Number(String(r.outputs.stdout).trim()))).toEqual(
        Array.from({ length: 24 }, (_, i) => i),
      );
      expect(local.opened).toBe(1);
    } finally {
      await local.close();
    }
  });
});

describe('ssh.put / ssh.get', () => {
  it('puts a file, then reports changed: false for the same content', async () => {
    const path = `/tmp/${uniqueName('put')}/file.txt`;
    const local = join(scratch, 'put.txt');
    writeFileSync(local, 'hello\n');
    try {
      const first = await acts['ssh.put'](
        request(inv, { host: 'kafka-1', localPath: local, remotePath: path, mode: '0640' }),
        testContext(),
      );
      expect(first).toMatchObject({ changed: true, outputs: { bytes: 6 } });
      expect(await remote(`cat ${path}; stat -c %a ${path}`)).toBe('hello\n640\n');
      const second = await acts['ssh.put'](
        request(inv, { host: 'kafka-1', localPath: local, remotePath: path }),
        testContext(),
      );
      expect(second.changed).toBe(false);
    } finally {
      await remote(`rm -rf ${path.replace(/\/file\.txt$/, '')}`);
    }
  });

  it('gets a file, then reports changed: false when the local copy matches', async () => {
    const path = `/tmp/${uniqueName('get')}`;
    const local = join(scratch, 'got', 'file.bin');
    await remote(`head -c 300000 /dev/urandom > ${path}`);
    try {
      const first = await acts['ssh.get'](
        request(inv, { host: 'kafka-2', remotePath: path, localPath: local }),
        testContext(),
      );
      expect(first.changed).toBe(true);
      expect(readFileSync(local).length).toBe(300000);
      const second = await acts['ssh.get'](
        request(inv, { host: 'kafka-2', remotePath: path, localPath: local }),
        testContext(),
      );
      expect(second).toMatchObject({ changed: false, outputs: { sha256: first.outputs.sha256 } });
    } finally {
      await remote(`rm -f ${path}`);
    }
  });

  it.each([
    [
      'ssh.get',
      { host: 'kafka-1', remotePath: '/nonexistent/x', localPath: '/tmp/rekindle-never' },
      'SSH_REMOTE_FILE_NOT_FOUND',
    ],
    ['ssh.put', { host: 'kafka-1', remotePath: '/tmp/x', localPath: '/nonexistent/x' }, 'SSH_LOCAL_FILE_NOT_FOUND'],
    ['ssh.put', { host: 'kafka-1', remotePath: '/tmp/x', content: 'a' }, 'INVALID_INPUT'],
  ])('%s %j fails with %s (non-retryable)', async (action, inputs, type) => {
    const f = await failure(acts[action], inv, inputs);
    expect(f.type).toBe(type);
    expect(f.nonRetryable).toBe(true);
  });
});
