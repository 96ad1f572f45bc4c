/** `rekindle decide RUN STEP retry|skip|abort --as NAME`: what to do with a failed step. */
import type { Command } from '../command';
import { CliError } from '../command';
import { actor, parse, RUN_FORMS } from '../client/args';
import type { Decision } from '../../workflows/types';

const usage = 'rekindle decide RUN STEP retry|skip|abort --as NAME [--comment TEXT]';

export const command: Command = {
  summary: 'Decide what happens to a failed step: retry, skip or abort',
  help: `Usage: ${usage}

RUN is ${RUN_FORMS}.
A step whose onFailure is pause stops the run at its failure and waits for this decision:
  retry  run the step again
  skip   mark it skipped; dependents proceed
  abort  stop the run and roll back what completed, in reverse order`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { as: { type: 'string' }, comment: { type: 'string', default: '' } },
      { min: 3, max: 3, usage },
    );
    const [run, stepId, decision] = positionals;
    if (!['retry', 'skip', 'abort'].includes(decision))
      throw new CliError(`decision must be retry, skip or abort, not '${decision}'`, 2);
    const { decideUpdate } = await import('../../workflows/messages');
    const { sendUpdate } = await import('../../client/updates');
    const s = await sendUpdate(run, decideUpdate, [
      stepId,
      decision as Decision,
      actor(values, true),
      values.comment as string,
    ]);
    console.log(`step ${s.id}: ${decision} recorded`);
    return 0;
  },
};
