/**
 * The run's message surface: Updates for human input (each with a validator in the workflow) and the
 * `status` query. Shared by the workflow and the client, so names never drift.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Decision, GateStatus, RunStatus, StepStatus, Verdict } from './types';

/** `approve(gateId, decision, by, comment)`: one approver's verdict on an open gate. Returns the gate. */
export const approveUpdate = defineUpdate<GateStatus, [string, Verdict, string, string]>('approve');

/** `decide(stepId, retry|skip|abort, by, comment)`: what to do with a step awaiting a decision. */
export const decideUpdate = defineUpdate<StepStatus, [string, Decision, string, string]>('decide');

/** `pause(by, comment)`: hold new steps from starting; running steps finish. */
export const pauseUpdate = defineUpdate<RunStatus['phase'], [string, string]>('pause');

/** `resume(by, comment)`: let held steps start again. */
export const resumeUpdate = defineUpdate<RunStatus['phase'], [string, string]>('resume');

/** The run's live status: per-step state, gates with evidence, decisions, phase. */
export const statusQuery = defineQuery<RunStatus>('status');

/** Workflow type name, for clients that start runs by name. */
export const RUN_WORKFLOW_TYPE = 'runRunbook';
