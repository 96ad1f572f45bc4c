/**
 * Splitting strings with embedded `${{ expr }}` into text and expression parts, and rendering
 * values into text, with POSIX sh quoting. Pure; no imports outside this folder.
 */
import { ExprSyntaxError } from './errors';

export interface TemplateTextPart {
  kind: 'text';
  text: string;
}

export interface TemplateExprPart {
  kind: 'expr';
  /** The expression text (without `${{ }}` and without a trailing `| raw`). */
  text: string;
  /** Offset of `text` within the whole string. */
  offset: number;
  /** Offset of the `${{` that opens this part. */
  start: number;
  /** Offset just after the closing `}}`. */
  end: number;
  /** The runbook wrote `${{ expr | raw }}`: insert without shell quoting. */
  raw: boolean;
}

export type TemplatePart = TemplateTextPart | TemplateExprPart;

const RAW_SUFFIX = /(^|[^|])\|\s*raw\s*$/;

/** Finds the `}}` that closes an expression opened at `from`, skipping quoted strings. */
function findClose(s: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '}' && s[i + 1] === '}') {
      return i;
    }
  }
  // An unterminated string inside the expression: close at the first `}}` so the parser reports the string.
  return s.indexOf('}}', from);
}

/**
 * Splits a string into text and `${{ }}` parts. A string without `${{` is one text part.
 * @throws ExprSyntaxError (kind `unterminated`) when a `${{` has no closing `}}`; offsets are into `s`.
 */
export function splitTemplate(s: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('${{', i);
    if (open < 0) {
      parts.push({ kind: 'text', text: s.slice(i) });
      break;
    }
    if (open > i) parts.push({ kind: 'text', text: s.slice(i, open) });
    const close = findClose(s, open + 3);
    if (close < 0) {
      throw new ExprSyntaxError(
        "unterminated '${{': close the expression with '}}'",
        open,
        s.length - open,
        'unterminated',
      );
    }
    let inner = s.slice(open + 3, close);
    const raw = RAW_SUFFIX.test(inner);
    if (raw) inner = inner.replace(/\|\s*raw\s*$/, '');
    const lead = inner.length - inner.trimStart().length;
    parts.push({ kind: 'expr', text: inner.trim(), offset: open + 3 + lead, start: open, end: close + 2, raw });
    i = close + 2;
  }
  return parts;
}

/** True when the string contains a `${{`. */
export function hasTemplate(s: string): boolean {
  return s.includes('${{');
}

/** Quotes one word for POSIX sh: `it's` → `'it'\''s'`. The result is always a single shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Renders a value as text: strings as is, null/missing as '', numbers and booleans plainly, the rest as JSON. */
export function renderText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Renders a value for a shell command, for the context the template put it in (compiler/expr/shell-context.ts):
 * - `shell` (a bare word): a scalar becomes one quoted word, a list of scalars space-separated quoted
 *   words, an object its quoted JSON;
 * - `shell-single` / `shell-double` (inside the template's own '...' or "..."): the value's text closes
 *   those quotes, goes in as one single-quoted word and reopens them, so it stays inside the same word.
 */
export function renderShellIn(value: unknown, quote: 'shell' | 'shell-single' | 'shell-double'): string {
  if (quote === 'shell') return renderShell(value);
  const q = quote === 'shell-single' ? "'" : '"';
  return `${q}${shellQuote(renderText(value))}${q}`;
}

/**
 * Renders a value as bare words of a shell command: a scalar becomes one quoted word; a list of scalars
 * becomes space-separated quoted words; an object becomes its quoted JSON.
 */
export function renderShell(value: unknown): string {
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return value.map((v) => shellQuote(renderText(v))).join(' ');
  }
  return shellQuote(renderText(value));
}
