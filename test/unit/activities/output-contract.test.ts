/**
 * The registry's output schema is the one description of what an action returns: the door checks every
 * result against it, so an implementation that returns an undeclared field or a field of the wrong type
 * fails loudly (OUTPUT_INVALID, not retried) instead of handing later steps something the compiler did
 * not check references against.
 */
import { ACTIONS, actionSpec, outputDescription, outputNames } from '../../../compiler/actions';
import type { ActionRequest } from '../../../compiler/plan';
import { detachedContext, InvalidOutputError, toApplicationFailure } from '../../../activities/errors';
import { actionImpl } from '../../../activities/inputs';

const request: ActionRequest = {
  workflowId: 'w',
  stepId: 's',
  inputs: { host: 'h1' },
  inventory: {},
  mode: 'recovery',
  dryRun: false,
};

/** What the door makes of `outputs` returned by a host.isolate implementation. */
async function throughDoor(outputs: unknown): Promise<unknown> {
  // The casts stand in for an implementation that broke its declared type (the case the door is for).
  const door = actionImpl(actionSpec('host.isolate'), async () => ({ changed: true, outputs: outputs as never }));
  return door(request, detachedContext()).then(
    (r) => r.outputs,
    (e: unknown) => e,
  );
}

test('outputs the schema allows pass through unchanged', async () => {
  await expect(throughDoor({ isolated: true, ports: [9092] })).resolves.toEqual({ isolated: true, ports: [9092] });
  await expect(throughDoor({ isolated: false, ports: [], dryRun: true })).resolves.toEqual({
    isolated: false,
    ports: [],
    dryRun: true,
  });
});

test.each([
  ['an undeclared field', { isolated: true, ports: [1], extra: 1 }, 'outputs: Unrecognized key: "extra"'],
  ['a field of the wrong type', { isolated: true, ports: ['9092'] }, 'outputs.ports[0]'],
  ['a missing required field', { ports: [1] }, 'outputs.isolated'],
])('%s fails with OUTPUT_INVALID naming the field, not retried', async (_what, outputs, field) => {
  const err = await throughDoor(outputs);
  expect(err).toBeInstanceOf(InvalidOutputError);
  const failure = toApplicationFailure(err);
  expect([failure.type, failure.nonRetryable]).toEqual(['OUTPUT_INVALID', true]);
  expect((err as Error).message).toContain('host.isolate');
  expect((err as Error).message).toContain(field);
});

test.each(ACTIONS.map((a) => [a.name, a] as const))('%s declares each output with a description', (_name, spec) => {
  expect(outputNames(spec).length).toBeGreaterThan(0);
  for (const o of outputNames(spec)) expect([o, outputDescription(spec, o).length > 0]).toEqual([o, true]);
});
