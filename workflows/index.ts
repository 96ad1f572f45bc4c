/** The workflow bundle's entry: every workflow type the worker registers. */
export { runRunbook } from './run-runbook';
export { scheduledDrill } from './scheduled-drill';
