/**
 * Recursive-descent parser for the expression language:
 *
 *   or      := and ('||' and)*
 *   and     := compare ('&&' compare)*
 *   compare := unary (('=='|'!='|'<'|'<='|'>'|'>=') unary)?
 *   unary   := '!' unary | primary
 *   primary := literal | path | '(' or ')'
 *   path    := root ('.' name | '[' (number|string) ']')*
 *
 * Roots are closed: params, inventory, steps, item, run. No function calls, no arithmetic.
 * Size is bounded (MAX_EXPR_LENGTH characters, MAX_EXPR_DEPTH nested `(` or `!`), so neither the parser
 * nor anything that walks the tree can exhaust the stack.
 */
import type { ExprNode } from '../plan';
import { ExprSyntaxError } from './errors';
import type { Token } from './lexer';
import { tokenize } from './lexer';

/** The only names an expression path may start with. */
export const EXPR_ROOTS = ['params', 'inventory', 'steps', 'item', 'run'] as const;
export type ExprRoot = (typeof EXPR_ROOTS)[number];

/** Longest expression text accepted (between `${{` and `}}`). */
export const MAX_EXPR_LENGTH = 2048;
/** Deepest nesting of parentheses and `!` accepted. */
export const MAX_EXPR_DEPTH = 32;

type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
const COMPARE_OPS: readonly string[] = ['==', '!=', '<', '<=', '>', '>='];

/** A path node together with where it was written, for reference checks in the compiler. */
export interface PathRef {
  node: Extract<ExprNode, { kind: 'path' }>;
  offset: number;
  length: number;
}

class Parser {
  private pos = 0;
  private depth = 0;
  readonly paths: PathRef[] = [];

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): ExprNode {
    if (this.peek().kind === 'eof') {
      throw new ExprSyntaxError(
        'empty expression: write a path, a literal or a comparison',
        0,
        this.text.length,
        'empty',
      );
    }
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpected(t, 'an operator or the end of the expression');
    return node;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'op' || t.kind === 'punct') && t.text === text;
  }

  private unexpected(t: Token, expected: string): ExprSyntaxError {
    if (t.kind === 'eof') {
      return new ExprSyntaxError(`unexpected end of expression: expected ${expected}`, t.offset, 0, 'unterminated');
    }
    return new ExprSyntaxError(`unexpected '${t.text}': expected ${expected}`, t.offset, t.length);
  }

  private parseOr(): ExprNode {
    let left = this.parseAnd();
    while (this.isOp('||')) {
      this.next();
      left = { kind: 'binary', op: '||', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): ExprNode {
    let left = this.parseCompare();
    while (this.isOp('&&')) {
      this.next();
      left = { kind: 'binary', op: '&&', left, right: this.parseCompare() };
    }
    return left;
  }

  private parseCompare(): ExprNode {
    const left = this.parseUnary();
    const t = this.peek();
    if (t.kind === 'op' && COMPARE_OPS.includes(t.text)) {
      this.next();
      const right = this.parseUnary();
      const after = this.peek();
      if (after.kind === 'op' && COMPARE_OPS.includes(after.text)) {
        throw new ExprSyntaxError(
          `comparisons do not chain: split '${after.text}' into a separate comparison joined with &&`,
          after.offset,
          after.length,
        );
      }
      return { kind: 'binary', op: t.text as CompareOp, left, right };
    }
    return left;
  }

  /** Runs `inner` one nesting level deeper. @throws ExprSyntaxError past MAX_EXPR_DEPTH, at token `t`. */
  private nested<T>(t: Token, inner: () => T): T {
    if (++this.depth > MAX_EXPR_DEPTH) {
      throw new ExprSyntaxError(
        `nested deeper than ${MAX_EXPR_DEPTH} levels of '(' or '!'; split the condition into simpler parts`,
        t.offset,
        t.length,
        'too-complex',
      );
    }
    const v = inner();
    this.depth--;
    return v;
  }

  private parseUnary(): ExprNode {
    if (this.isOp('!')) {
      const t = this.next();
      return this.nested(t, () => ({ kind: 'not' as const, operand: this.parseUnary() }));
    }
    return this.parsePrimary();
  }

  private parsePrimary(): ExprNode {
    const t = this.next();
    if (t.kind === 'number') return { kind: 'lit', value: t.num ?? 0 };
    if (t.kind === 'string') return { kind: 'lit', value: t.text };
    if (t.kind === 'punct' && t.text === '(') {
      return this.nested(t, () => {
        const inner = this.parseOr();
        const close = this.peek();
        if (!(close.kind === 'punct' && close.text === ')')) throw this.unexpected(close, "')'");
        this.next();
        return inner;
      });
    }
    if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') return { kind: 'lit', value: t.text === 'true' };
      if (t.text === 'null') return { kind: 'lit', value: null };
      return this.parsePath(t);
    }
    throw this.unexpected(t, 'a path, a literal or (');
  }

  private parsePath(root: Token): ExprNode {
    if (!(EXPR_ROOTS as readonly string[]).includes(root.text)) {
      throw new ExprSyntaxError(
        `unknown name '${root.text}': a path starts with one of ${EXPR_ROOTS.join(', ')}; quote text as a 'string'`,
        root.offset,
        root.length,
        'unknown-root',
      );
    }
    const segments: Array<string | number> = [];
    let end = root.offset + root.length;
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'ident' && name.kind !== 'number') throw this.unexpected(name, 'a property name after .');
        segments.push(name.kind === 'number' ? (name.num ?? 0) : name.text);
        end = name.offset + name.length;
      } else if (this.isOp('[')) {
        this.next();
        const key = this.next();
        if (key.kind !== 'number' && key.kind !== 'string') throw this.unexpected(key, 'a number or a quoted key');
        const close = this.next();
        if (!(close.kind === 'punct' && close.text === ']')) throw this.unexpected(close, "']'");
        segments.push(key.kind === 'number' ? (key.num ?? 0) : key.text);
        end = close.offset + 1;
      } else {
        break;
      }
    }
    const node = { kind: 'path' as const, root: root.text as ExprRoot, segments };
    this.paths.push({ node, offset: root.offset, length: end - root.offset });
    return node;
  }
}

/**
 * Parses one expression (the text between `${{` and `}}`).
 * @throws ExprSyntaxError with the offset of the offending token, relative to `text`.
 */
export function parseExpression(text: string): ExprNode {
  return parseExpressionWithPaths(text).node;
}

/**
 * Parses like parseExpression and also returns every path in the expression with its offset,
 * so the compiler can check references and report them at the exact token.
 * @throws ExprSyntaxError as parseExpression does.
 */
export function parseExpressionWithPaths(text: string): { node: ExprNode; paths: PathRef[] } {
  if (text.length > MAX_EXPR_LENGTH) {
    throw new ExprSyntaxError(
      `expression is ${text.length} characters long, more than the ${MAX_EXPR_LENGTH} allowed; split it or compute the value in an earlier step`,
      0,
      text.length,
      'too-complex',
    );
  }
  const parser = new Parser(text, tokenize(text));
  const node = parser.parse();
  return { node, paths: parser.paths };
}
