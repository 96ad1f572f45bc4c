/** The shape shared by `pause` and `resume`: one Update with who and why, printing the new phase. */
import type { UpdateDefinition } from '@temporalio/client';
import type { Command } from '../command';
import type { RunStatus } from '../../workflows/types';
import { actor, parse } from './args';
import { sendUpdate } from '../../client/updates';

export function runControlCommand(
  name: string,
  summary: string,
  update: UpdateDefinition<RunStatus['phase'], [string, string]>,
): Command {
  const usage = `rekindle ${name} RUN [--as NAME] [--comment TEXT]`;
  return {
    summary,
    help: `Usage: ${usage}`,
    async run(argv) {
      const { values, positionals } = parse(
        argv,
        { as: { type: 'string' }, comment: { type: 'string', default: '' } },
        { min: 1, max: 1, usage },
      );
      const phase = await sendUpdate(positionals[0], update, [actor(values, false), values.comment as string]);
      console.log(`${positionals[0]}: ${phase}`);
      return 0;
    },
  };
}
