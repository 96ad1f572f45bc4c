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
    readonly kind: 'unterminated' | 'unexpected' | 'unknown-root' | 'empty' = 'unexpected',
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
