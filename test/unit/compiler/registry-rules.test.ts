/** Rules every built-in action's declaration must keep, checked when the registry is defined. */
import { z } from 'zod';
import { ACTIONS } from '../../../compiler/actions';
import { defineAction } from '../../../compiler/actions/types';

const activity = {
  name: 'test.long',
  family: 'host',
  summary: 'a long activity',
  kind: 'action',
  inputs: z.strictObject({}),
  outputs: z.strictObject({}),
  idempotent: true,
  readOnly: true,
  reversible: false,
  target: 'host',
  retry: { maxAttempts: 3, initialIntervalMs: 1000, backoffCoefficient: 2, maxIntervalMs: 10_000 },
  timeoutMs: 600_000,
} as const;

describe('action registry rules', () => {
  it('gives every activity a heartbeat timeout, so a dead worker is noticed within it, not after the whole timeout', () => {
    const activities = ACTIONS.filter((a) => a.kind === 'action');
    expect(activities.length).toBeGreaterThan(20);
    for (const a of activities) expect([a.name, typeof a.heartbeatMs]).toEqual([a.name, 'number']);
  });

  it('refuses to define an activity without one', () => {
    expect(() => defineAction(activity as never)).toThrow('test.long: an activity declares a heartbeat timeout');
    expect(() => defineAction({ ...activity, heartbeatMs: 15_000 } as never)).not.toThrow();
  });
});
