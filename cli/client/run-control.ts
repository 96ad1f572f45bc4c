/** The shape shared by `pause` and `resume`: one Update with who and why, printing the new phase. */
import type { Command } from '../command';
import { actor, parse, RUN_FORMS } from './args';

/** Builds `pause` or `resume`; the Update is named, and loaded with the Temporal client only when the command runs. */
export function runControlCommand(name: string, summary: string, update: 'pauseUpdate' | 'resumeUpdate'): Command {
  const usage = `rekindle ${name} RUN [--as NAME] [--comment TEXT]`;
  return {
    summary,
    help: `Usage: ${usage}\n\nRUN is ${RUN_FORMS}.`,
    async run(argv) {
      const { values, positionals } = parse(
        argv,
        { as: { type: 'string' }, comment: { type: 'string', default: '' } },
        { min: 1, max: 1, usage },
      );
      const messages = await import('../../workflows/messages');
      const { sendUpdate } = await import('../../client/updates');
      const phase = await sendUpdate(positionals[0], messages[update], [
        actor(values, false),
        values.comment as string,
      ]);
      console.log(`${positionals[0]}: ${phase}`);
      return 0;
    },
  };
}
