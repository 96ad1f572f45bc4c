import type { RunOutcome } from '../plan';

/** What an expression can see at run time. Plain data; built by the workflow for each evaluation. */
export interface ExprContext {
  params: Record<string, unknown>;
  inventory: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, unknown>; state: string }>;
  /** The current forEach element, inside a fanned-out step. */
  item?: unknown;
  /** `outcome` is set only while the rollback runs: how the run ended. */
  run: { mode: 'recovery' | 'drill'; dryRun: boolean; workflowId: string; outcome?: RunOutcome };
  /**
   * Reading a step output that was stored, dropped, or (for a succeeded step) never returned throws
   * ExprOutputError instead of yielding null. The workflow sets it for runs that have the patch.
   */
  strictOutputs?: boolean;
}
