/**
 * Errors of the expression language. Pure (no imports) so the workflow sandbox can load them.
 */

/**
 * A failure with a stable `code` that no retry can cure. The expression errors below extend it, and so do
 * the audit's and the worker config's own (they may import the compiler; this module stays import-free).
 */
export class CodedError<C extends string = string> extends Error {
  readonly retryable = false;
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A syntax error in an expression; `offset`/`length` are relative to the expression text. */
export class ExprSyntaxError extends CodedError<'EXPR_SYNTAX'> {
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
    /** Finer-grained kind, used by the compiler to pick a diagnostic code. */
    readonly kind: 'unterminated' | 'unexpected' | 'unknown-root' | 'empty' | 'too-complex' = 'unexpected',
  ) {
    super('EXPR_SYNTAX', message);
  }
}

/** A malformed expression tree reached the evaluator (never produced by parseExpression). */
export class ExprEvalError extends CodedError<'EXPR_EVAL'> {
  constructor(message: string) {
    super('EXPR_EVAL', message);
  }
}

/** Why a step output could not be read: stored in the evidence store, dropped by the cap, or never returned. */
export type OutputErrorCode = 'OUTPUT_STORED' | 'OUTPUT_DROPPED' | 'OUTPUT_MISSING';

/**
 * An expression read a step output that is not held inline (or does not exist). The reading step fails
 * with `code` as its error type; it never reads null instead.
 */
export class ExprOutputError extends CodedError<OutputErrorCode> {}
