/** `rekindle pause RUN`: holds new steps from starting (running steps finish). */
import type { Command } from '../command';
import { actor, parse } from '../client/args';
import { sendUpdate } from '../client/updates';
import { pauseUpdate } from '../../workflows/messages';

const usage = 'rekindle pause RUN [--as NAME] [--comment TEXT]';

export const command: Command = {
  summary: 'Hold new steps of a run from starting',
  help: `Usage: ${usage}`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { as: { type: 'string' }, comment: { type: 'string', default: '' } },
      { min: 1, max: 1, usage },
    );
    const phase = await sendUpdate(positionals[0], pauseUpdate, [actor(values, false), values.comment as string]);
    console.log(`${positionals[0]}: ${phase}`);
    return 0;
  },
};
