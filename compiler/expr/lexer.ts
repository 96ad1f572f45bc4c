/**
 * Tokenizer for the expression language. Pure and deterministic: no imports beyond this folder.
 */
import { ExprSyntaxError } from './errors';

export type TokenKind = 'ident' | 'number' | 'string' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier name, operator/punctuation text, or the decoded string. */
  text: string;
  /** Numeric value for `number` tokens. */
  num?: number;
  offset: number;
  length: number;
}

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!'];
const PUNCT = ['.', '[', ']', '(', ')'];

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c) || c === '-';
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function readString(text: string, start: number): Token {
  const quote = text[start];
  let i = start + 1;
  let out = '';
  while (i < text.length) {
    const c = text[i];
    if (c === quote) {
      // Single-quoted strings escape a quote by doubling it, as GitHub Actions expressions do.
      if (quote === "'" && text[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return { kind: 'string', text: out, offset: start, length: i + 1 - start };
    }
    if (quote === '"' && c === '\\' && i + 1 < text.length) {
      const n = text[i + 1];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  throw new ExprSyntaxError(
    `unterminated string literal: add the closing ${quote}`,
    start,
    text.length - start,
    'unterminated',
  );
}

function readNumber(text: string, start: number): Token {
  const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(start));
  if (!m) throw new ExprSyntaxError(`invalid number`, start, 1);
  const num = Number(m[0]);
  return { kind: 'number', text: m[0], num, offset: start, length: m[0].length };
}

/**
 * Splits an expression into tokens.
 * @throws ExprSyntaxError on an unterminated string or a character outside the language.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const t = readString(text, i);
      tokens.push(t);
      i += t.length;
      continue;
    }
    if (isDigit(c) || (c === '-' && isDigit(text[i + 1] ?? ''))) {
      const t = readNumber(text, i);
      tokens.push(t);
      i += t.length;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < text.length && isIdentPart(text[j])) j++;
      // An identifier never ends with '-', so `a-` is reported rather than silently accepted.
      while (text[j - 1] === '-') j--;
      tokens.push({ kind: 'ident', text: text.slice(i, j), offset: i, length: j - i });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, offset: i, length: op.length });
      i += op.length;
      continue;
    }
    if (PUNCT.includes(c)) {
      tokens.push({ kind: 'punct', text: c, offset: i, length: 1 });
      i++;
      continue;
    }
    const hint = c === '=' ? ' (use == to compare)' : c === '&' || c === '|' ? ` (use ${c}${c})` : '';
    throw new ExprSyntaxError(`unexpected character '${c}'${hint}`, i, 1);
  }
  tokens.push({ kind: 'eof', text: '', offset: text.length, length: 0 });
  return tokens;
}
