/**
 * The expression language, as the workflow sees it. Sandbox-safe: this folder imports nothing but
 * itself and `import type` from ../plan (no node: modules, no yaml/zod, no clock, no randomness).
 */
export type { ExprContext } from './context';
export { ExprEvalError, ExprOutputError, ExprSyntaxError } from './errors';
export type { OutputErrorCode } from './errors';
export { describeOutputMarker, formatBytes, isDroppedOutput, isEvidenceRef, listOutputMarkers } from './outputs';
export type { OutputMarkerEntry } from './outputs';
export { EXPR_ROOTS, parseExpression, parseExpressionWithPaths } from './parser';
export type { ExprRoot, PathRef } from './parser';
export { evaluateExpr, isTruthy, jsonEquals } from './evaluate';
export { collectPaths, isPlanExpr, isPlanTemplate, resolveValue } from './resolve';
export { hasTemplate, renderShell, renderShellIn, renderText, shellQuote, splitTemplate } from './template';
export { shellSlots } from './shell-context';
export type { ShellQuoteKind, ShellSlot } from './shell-context';
export type { TemplateExprPart, TemplatePart, TemplateTextPart } from './template';
export {
  DEFAULT_ROLLBACK_OUTCOMES,
  isRunOutcome,
  readsOutcome,
  rollbackOutcomes,
  RUN_OUTCOMES,
  unknownOutcomeLiterals,
} from './outcomes';
export { possibleValues, verdict } from './possible';
export type { Possible, Verdict } from './possible';
