/**
 * Installs the run's Update and query handlers. Validators refuse bad input before anything is
 * recorded (refusals leave no history event, so they are also kept, bounded, in the status query).
 */
import { setHandler } from '@temporalio/workflow';
import { capText } from './caps';
import { EngineErrors, engineFailure } from './errors';
import { recordVerdict } from './gate';
import { approveUpdate, decideUpdate, pauseUpdate, resumeUpdate, statusQuery } from './messages';
import type { RunState } from './state';
import { nowIso } from './state';
import { validateApproval, validateDecision } from './validators';

function guarded(state: RunState, update: string, args: unknown[], check: () => void): void {
  try {
    if (state.finalPhase) {
      throw engineFailure(EngineErrors.RUN_FINISHED, `the run is ${state.finalPhase} and takes no more decisions`);
    }
    check();
  } catch (err) {
    const e = err as { type?: string; message?: string };
    state.refuse({ update, code: e.type ?? 'INVALID_ARGUMENT', message: e.message ?? String(err), args, at: nowIso() });
    throw err;
  }
}

/** Registers approve, decide, pause, resume and status on the current workflow. */
export function installHandlers(state: RunState): void {
  setHandler(statusQuery, () => state.status());

  setHandler(
    approveUpdate,
    (gateId, decision, by, comment) => {
      const gate = state.gates.get(gateId)!;
      recordVerdict(gate, decision, by, comment ?? '');
      state.touch();
      return gate;
    },
    {
      validator: (gateId, decision, by, comment) =>
        guarded(state, 'approve', [gateId, decision, by, comment], () =>
          validateApproval(state.gates.get(gateId), gateId, decision, by, comment, state.options.initiator),
        ),
    },
  );

  setHandler(
    decideUpdate,
    (stepId, decision, by, comment) => {
      const rec = state.steps.get(stepId)!;
      const d = { stepId, decision, by, comment: capText(comment ?? ''), at: nowIso(), attempt: rec.attempt };
      state.decisions.push(d);
      state.pendingDecisions.set(stepId, d);
      state.touch();
      return rec;
    },
    {
      validator: (stepId, decision, by, comment) =>
        guarded(state, 'decide', [stepId, decision, by, comment], () => {
          validateDecision(state.steps.get(stepId), stepId, decision, by);
          if (state.pendingDecisions.has(stepId)) {
            throw engineFailure(EngineErrors.STEP_NOT_AWAITING_DECISION, `step '${stepId}' was already decided`);
          }
        }),
    },
  );

  setHandler(
    pauseUpdate,
    (by, comment) => {
      state.paused = true;
      state.operatorLog.push({ action: 'pause', by, comment: capText(comment ?? ''), at: nowIso() });
      state.touch();
      return state.phase();
    },
    {
      validator: (by, comment) =>
        guarded(state, 'pause', [by, comment], () => {
          if (typeof by !== 'string' || !by.trim())
            throw engineFailure(EngineErrors.INVALID_ARGUMENT, 'who pauses must be given');
          if (state.paused) throw engineFailure(EngineErrors.ALREADY_PAUSED, 'the run is already paused');
        }),
    },
  );

  setHandler(
    resumeUpdate,
    (by, comment) => {
      state.paused = false;
      state.operatorLog.push({ action: 'resume', by, comment: capText(comment ?? ''), at: nowIso() });
      state.touch();
      return state.phase();
    },
    {
      validator: (by, comment) =>
        guarded(state, 'resume', [by, comment], () => {
          if (typeof by !== 'string' || !by.trim())
            throw engineFailure(EngineErrors.INVALID_ARGUMENT, 'who resumes must be given');
          if (!state.paused) throw engineFailure(EngineErrors.NOT_PAUSED, 'the run is not paused');
        }),
    },
  );
}
