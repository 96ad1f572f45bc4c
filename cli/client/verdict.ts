/** The shared body of `rekindle approve` and `rekindle reject`. */
import type { Command } from '../command';
import type { Verdict } from '../../workflows/types';
import { actor, parse, RUN_FORMS } from './args';

/** Builds the approve or reject command. */
export function verdictCommand(verdict: Verdict): Command {
  const usage = `rekindle ${verdict} RUN GATE --as NAME [--comment TEXT]`;
  return {
    summary:
      verdict === 'approve' ? 'Approve an approval gate' : 'Reject an approval gate (the run aborts and rolls back)',
    help: `Usage: ${usage}

Records your verdict on gate GATE of run RUN (${RUN_FORMS}), with your name and comment. The run refuses an unknown
gate, a gate already decided, a name not among the gate's approvers, the run's initiator when the gate
forbids it, and a missing comment when the gate requires one. ${verdict === 'reject' ? 'One rejection rejects the gate.' : 'A gate may need several approvers (M of N).'}`,
    async run(argv) {
      const { values, positionals } = parse(
        argv,
        { as: { type: 'string' }, comment: { type: 'string', default: '' } },
        { min: 2, max: 2, usage },
      );
      const [run, gateId] = positionals;
      const { approveUpdate } = await import('../../workflows/messages');
      const { sendUpdate } = await import('../../client/updates');
      const g = await sendUpdate(run, approveUpdate, [gateId, verdict, actor(values, true), values.comment as string]);
      const n = g.approvals.filter((a) => a.round === g.round && a.decision === 'approve').length;
      console.log(`gate ${g.id}: ${g.state}${g.state === 'waiting' ? ` (${n} of ${g.minApprovals} approvals)` : ''}`);
      return 0;
    },
  };
}
