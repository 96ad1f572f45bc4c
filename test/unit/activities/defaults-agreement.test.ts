/**
 * The compiler and the activity agree on every action's inputs. Each action is compiled from a runbook
 * that gives only its required inputs (so every default comes from the registry, through the real
 * compiler), and the compiled step's `with` is fed through the activity door (`actionImpl`, the same
 * function every family binds its implementations with). The implementation must see exactly what the
 * plan carries, and every schema default must be there with its value.
 */
import { ACTIONS, actionSpec, type ActionName } from '../../../compiler/actions';
import { compileRunbook } from '../../../compiler';
import type { ActionRequest } from '../../../compiler/plan';
import { detachedContext } from '../../../activities/errors';
import { actionImpl } from '../../../activities/inputs';
import { fixtureInventory } from '../compiler/golden';

/** What each action needs besides its defaults; a new action without an entry fails the coverage test. */
const REQUIRED: Record<string, Record<string, unknown>> = {
  'ssh.exec': { host: 'kafka-1', command: 'true' },
  'ssh.put': { host: 'kafka-1', localPath: '/tmp/a', remotePath: '/tmp/b' },
  'ssh.get': { host: 'kafka-1', remotePath: '/tmp/b', localPath: '/tmp/a' },
  'service.stop': { host: 'kafka-1' },
  'service.start': { host: 'kafka-1' },
  'service.status': { host: 'kafka-1' },
  'host.isolate': { host: 'kafka-1' },
  'host.unisolate': { host: 'kafka-1' },
  'zookeeper.check': {},
  'zookeeper.export': {},
  'zookeeper.restore': { backup: 'set-1' },
  'zookeeper.diff': { backup: 'set-1' },
  'zookeeper.restore-files': { host: 'zk-1', backup: 'set-1' },
  'kafka.snapshot-state': {},
  'kafka.preflight': {},
  'kafka.wait-brokers': {},
  'kafka.health': {},
  'kafka.smoke-test': {},
  'kafka.offsets-export': {},
  'kafka.offsets-reset': { groups: ['g'], mode: 'to-latest' },
  'kafka.verify-data': { backup: 'set-1' },
  'backup.create': {},
  'backup.select': {},
  'backup.restore-logs': { host: 'kafka-1', backup: 'set-1' },
};

/** Defaults that once drifted between the compiler and an activity, pinned by value. */
const PINNED: Array<[ActionName, string, unknown]> = [
  ['zookeeper.check', 'timeout', 10_000],
  ['zookeeper.restore', 'maxBatchBytes', 512 * 1024],
  ['zookeeper.restore', 'verify', true],
  ['zookeeper.restore', 'batchSize', 200],
  ['zookeeper.diff', 'limit', 100_000],
  ['ssh.exec', 'killAfter', 5_000],
  ['ssh.exec', 'timeout', undefined],
  ['service.stop', 'waitTimeout', 120_000],
  ['service.start', 'waitTimeout', 180_000],
  ['kafka.wait-brokers', 'within', 180_000],
  ['kafka.smoke-test', 'messages', 10],
  ['kafka.offsets-reset', 'dryRun', true],
  ['backup.select', 'maxSkew', 300_000],
];

const activityActions = ACTIONS.filter((a) => a.kind === 'action').map((a) => a.name as ActionName);

function compiledInputs(name: string): Record<string, unknown> {
  const withs = JSON.stringify(REQUIRED[name]);
  const text = `apiVersion: rekindle/v1\nkind: Runbook\nmetadata: { name: t }\nsteps:\n  - id: s\n    uses: ${name}\n    with: ${withs}\n`;
  const r = compileRunbook({ file: 't.yaml', text, inventory: fixtureInventory });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.plan || errors.length) throw new Error(`${name} does not compile: ${JSON.stringify(errors)}`);
  return r.plan.steps[0].with as Record<string, unknown>;
}

/** Carries what the implementation received out of the door, so the probe need not invent outputs. */
class Seen extends Error {
  constructor(readonly inputs: Record<string, unknown>) {
    super('seen');
  }
}

/** What the implementation of `name` receives for a request carrying `inputs`. */
async function seenByActivity(name: ActionName, inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const door = actionImpl(actionSpec(name), async (inp) => {
    throw new Seen(inp);
  });
  const request: ActionRequest = {
    workflowId: 'w',
    stepId: 's',
    inputs,
    inventory: {},
    mode: 'recovery',
    dryRun: false,
  };
  const err = await door(request, detachedContext()).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof Seen) return err.inputs;
  throw err;
}

describe('registry defaults agree end to end', () => {
  it('the table covers every action that runs as an activity', () => {
    expect(Object.keys(REQUIRED).sort()).toEqual([...activityActions].sort());
  });

  it.each(activityActions)(
    '%s: the activity sees exactly the compiled inputs, every schema default included',
    async (name) => {
      const compiled = compiledInputs(name);
      const seen = await seenByActivity(name, compiled);
      expect(seen).toEqual(compiled);
      const shape = actionSpec(name).inputs.shape as Record<
        string,
        { safeParse(v: unknown): { success: boolean; data?: unknown } }
      >;
      for (const [key, field] of Object.entries(shape)) {
        if (key in REQUIRED[name]) continue;
        const dflt = field.safeParse(undefined);
        expect([key, seen[key]]).toEqual([key, dflt.success ? dflt.data : undefined]);
      }
    },
  );

  it.each(PINNED)('%s.%s defaults to %p on both sides', async (name, key, value) => {
    const compiled = compiledInputs(name);
    expect(compiled[key]).toEqual(value);
    expect((await seenByActivity(name, compiled))[key]).toEqual(value);
  });

  it.each([
    ['zookeeper.restore', { backup: 'b', maxBatchBytes: 10 }, 'inputs.maxBatchBytes'],
    ['zookeeper.restore', { backup: 'b', batchSize: 0 }, 'inputs.batchSize'],
    ['zookeeper.diff', { backup: 'b', limit: -1 }, 'inputs.limit'],
    ['ssh.exec', { command: 'true', timeout: '5 minutes' }, 'inputs.timeout'],
    ['ssh.exec', { command: 'true', bogus: 1 }, 'bogus'],
    ['kafka.offsets-reset', { groups: ['g'], mode: 'to-offset' }, "needs the input 'offset'"],
  ] as Array<[ActionName, Record<string, unknown>, string]>)(
    '%s refuses %j at the door naming %s',
    async (name, inputs, field) => {
      const err = await seenByActivity(name, inputs).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'INVALID_INPUT', retryable: false });
      expect((err as Error).message).toContain(field);
    },
  );
});
