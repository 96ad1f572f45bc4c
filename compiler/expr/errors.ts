/**
 * Errors of the expression language. Pure (no imports) so the workflow sandbox can load them.
 */

/** A syntax error in an expression; `offset`/`length` are relative to the expression text. */
export class ExprSyntaxError extends Error {
  readonly code = 'EXPR_SYNTAX';
  readonly retryable = false;
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
    /** Finer-grained kind, used by the compiler to pick a diagnostic code. */
    readonly kind: 'unterminated' | 'unexpected' | 'unknown-root' | 'empty' | 'too-complex' = 'unexpected',
  ) {
    super(message);
    this.name = 'ExprSyntaxError';
  }
}

/** A malformed expression tree reached the evaluator (never produced by parseExpression). */
export class ExprEvalError extends Error {
  readonly code = 'EXPR_EVAL';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'ExprEvalError';
  }
}

/** Why a step output could not be read: stored in the evidence store, dropped by the cap, or never returned. */
export type OutputErrorCode = 'OUTPUT_STORED' | 'OUTPUT_DROPPED' | 'OUTPUT_MISSING';

/**
 * An expression read a step output that is not held inline (or does not exist). The reading step fails
 * with `code` as its error type; it never reads null instead.
 */
export class ExprOutputError extends Error {
  readonly retryable = false;
  constructor(
    readonly code: OutputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExprOutputError';
  }
}
