/** `rekindle resume RUN`: lets held steps start again. */
import type { Command } from '../command';
import { actor, parse } from '../client/args';
import { sendUpdate } from '../client/updates';
import { resumeUpdate } from '../../workflows/messages';

const usage = 'rekindle resume RUN [--as NAME] [--comment TEXT]';

export const command: Command = {
  summary: 'Let a paused run start steps again',
  help: `Usage: ${usage}`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { as: { type: 'string' }, comment: { type: 'string', default: '' } },
      { min: 1, max: 1, usage },
    );
    const phase = await sendUpdate(positionals[0], resumeUpdate, [actor(values, false), values.comment as string]);
    console.log(`${positionals[0]}: ${phase}`);
    return 0;
  },
};
