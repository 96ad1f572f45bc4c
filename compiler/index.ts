/**
 * The compiler's public API: compile a runbook to a Plan with diagnostics, plus the registry,
 * the expression language and the formatting helpers the CLI uses.
 */
export { compileRunbook } from './compile';
export type { CompileInput, CompileResult, InventoryLookup } from './compile';
export type { Diagnostic, DiagnosticCode, Severity } from './diagnostics';
export { DIAGNOSTIC_CODES, hasErrors } from './diagnostics';
export { ACTIONS, actionNames, getAction } from './actions';
export type { ActionSpec } from './actions';
export { formatDuration, parseDuration } from './duration';
export * from './plan';
