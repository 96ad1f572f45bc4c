/**
 * The door (activities/inputs.ts) gives an action whose registry entry declares a `summary` output its
 * result summary there: gate evidence reads `steps.X.outputs.summary` (runbooks/zk-kafka-cyber-recovery.yaml).
 */
import { actionSpec } from '../../../compiler/actions';
import type { ActionRequest, ActionResult } from '../../../compiler/plan';
import type { ActionContext } from '../../../activities/errors';
import { actionImpl } from '../../../activities/inputs';

const request = (inputs: Record<string, unknown>): ActionRequest => ({ workflowId: 'w', stepId: 's', inputs, inventory: {}, mode: 'drill', dryRun: false });
const ctx = {} as ActionContext;

test.each([
  ['zookeeper.diff', { backup: 'set-1' }, { counts: {} }, 'one line', { counts: {}, summary: 'one line' }],
  ['kafka.verify-data', { backup: 'set-1' }, { ok: true }, 'all match', { ok: true, summary: 'all match' }],
  ['kafka.health', {}, { ok: true }, 'healthy', { ok: true, summary: 'healthy' }],
  ['backup.select', {}, { summary: 'its own words' }, 'the status line', { summary: 'its own words' }],
  ['zookeeper.restore', { backup: 'set-1' }, { created: 1 }, 'restored', { created: 1 }],
  ['kafka.verify-data', { backup: 'set-1' }, { ok: true }, undefined, { ok: true }],
] as const)('%s with outputs %j and summary %j returns outputs %j', async (name, inputs, outputs, summary, expected) => {
  const result: ActionResult = { changed: false, outputs: { ...outputs }, ...(summary !== undefined ? { summary } : {}) };
  const impl = actionImpl(actionSpec(name), async () => result);
  expect((await impl(request(inputs), ctx)).outputs).toEqual(expected);
});
