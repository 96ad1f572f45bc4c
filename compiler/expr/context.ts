/** What an expression can see at run time. Plain data; built by the workflow for each evaluation. */
export interface ExprContext {
  params: Record<string, unknown>;
  inventory: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, unknown>; state: string }>;
  /** The current forEach element, inside a fanned-out step. */
  item?: unknown;
  run: { mode: 'recovery' | 'drill'; dryRun: boolean; workflowId: string };
}
