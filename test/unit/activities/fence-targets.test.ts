/**
 * What each fenced action locks (activities/fence.ts over the registry's `fence`): the lock name and the
 * hosts, for a target host, a forEach item, every broker or every ZooKeeper node; no lock for unfenced
 * actions or dry runs; a step lock that differs per step, per run and per item but not per attempt.
 */
import { fenceTargets } from '../../../activities/fence';
import type { ActionRequest } from '../../../compiler/plan';

const inventory = {
  kafka: {
    brokers: [
      { id: 1, host: 'kafka-1' },
      { id: 2, host: 'kafka-2' },
    ],
  },
  zookeeper: {
    nodes: [
      { id: 1, host: 'zk-1' },
      { id: 2, host: 'zk-2' },
    ],
  },
};
const req = (over: Partial<ActionRequest> = {}): ActionRequest => ({
  workflowId: 'rekindle-lab',
  runId: 'run-1',
  stepId: 'restore',
  inputs: {},
  inventory,
  mode: 'recovery',
  dryRun: false,
  ...over,
});

test.each([
  ['backup.restore-logs', req({ inputs: { host: 'kafka-2' } }), [{ host: 'kafka-2', key: 'kafka-logs' }]],
  ['backup.restore-logs', req({ item: { id: 1, host: 'kafka-1' } }), [{ host: 'kafka-1', key: 'kafka-logs' }]],
  [
    'backup.create',
    req(),
    [
      { host: 'kafka-1', key: 'kafka-logs' },
      { host: 'kafka-2', key: 'kafka-logs' },
    ],
  ],
  ['zookeeper.restore-files', req({ item: { id: 2, host: 'zk-2' } }), [{ host: 'zk-2', key: 'zookeeper-data' }]],
  [
    'zookeeper.restore-files',
    req(),
    [
      { host: 'zk-1', key: 'zookeeper-data' },
      { host: 'zk-2', key: 'zookeeper-data' },
    ],
  ],
  ['service.stop', req({ inputs: { host: 'kafka-1' } }), []],
  ['ssh.put', req({ inputs: { host: 'kafka-1' } }), []],
  ['backup.restore-logs', req({ inputs: { host: 'kafka-1' }, dryRun: true }), []],
])('%s locks what it acts on', (action, request, expected) => {
  expect(fenceTargets(action, request)).toEqual(expected);
});

test('a fenced action that needs a target host and has none is refused at the door', () => {
  expect(() => fenceTargets('backup.restore-logs', req())).toThrow(/no target host/);
});

test('ssh.exec locks the step on its host: one lock for every attempt, another for another step, run or item', () => {
  const key = (over: Partial<ActionRequest>) =>
    fenceTargets('ssh.exec', req({ inputs: { host: 'kafka-1' }, ...over }))[0].key;
  const base = key({});
  expect(base).toMatch(/^step-[0-9a-f]{24}$/);
  expect(key({})).toBe(base);
  expect(new Set([base, key({ stepId: 'other' }), key({ runId: 'run-2' }), key({ item: 'kafka-1' })]).size).toBe(4);
});
