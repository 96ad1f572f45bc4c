/**
 * Code frames that are safe to print: a runbook is untrusted text, and a binary or hostile file must never
 * drive the operator's terminal. Control characters (C0, DEL, C1), line and paragraph separators, bidi
 * overrides and the BOM are shown escaped (`\x1b`, `\u202e`), and a long line is cut to a window around
 * the diagnostic's column, with `…` where text was left out. Carets stay under the characters they mean.
 */
import type { Diagnostic } from './diagnostics';

/** Characters a frame or message shows escaped. */
const UNSAFE_CHARS = '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff]';
const UNSAFE = new RegExp(UNSAFE_CHARS, 'g');
const UNSAFE_ONE = new RegExp(`^${UNSAFE_CHARS}$`);

/** Source characters a frame line shows at most (before escaping widens them). */
export const FRAME_WIDTH = 100;

/** `c` as the frame shows it. */
function escapeChar(c: string): string {
  const n = c.charCodeAt(0);
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** `text` with every unsafe character escaped, for a message or a file name printed to a terminal. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** A message that may span lines, each line made safe. */
export function safeLines(text: string): string {
  return text.split('\n').map(safeText).join('\n');
}

/** Escapes `s` and returns, for each of its characters, the display column where it starts. */
function shown(s: string): { text: string; at: number[] } {
  const at: number[] = [];
  let text = '';
  for (const c of s) {
    for (let k = 0; k < c.length; k++) at.push(text.length);
    text += UNSAFE_ONE.test(c) ? escapeChar(c) : c;
  }
  at.push(text.length);
  return { text, at };
}

/** Two lines of context before the diagnostic's first line, with carets under its range. */
export function codeFrame(text: string, d: Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'>): string {
  const lines = text.split('\n');
  const first = Math.max(1, d.line - 2);
  const width = String(d.line).length;
  const lineText = lines[d.line - 1] ?? '';
  // One window for every line of the frame, so the context stays aligned with the diagnostic's line.
  const from = Math.max(0, Math.min(d.column - 1 - Math.floor(FRAME_WIDTH / 3), lineText.length - FRAME_WIDTH));
  const to = from + FRAME_WIDTH;
  const cut = (full: string) => {
    const s = shown(full.slice(from, to));
    return { ...s, text: `${from > 0 ? '…' : ''}${s.text}${full.length > to ? '…' : ''}` };
  };
  const out: string[] = [];
  for (let n = first; n <= Math.min(d.line, lines.length); n++) {
    out.push(`${n === d.line ? '>' : ' '} ${String(n).padStart(width)} | ${cut(lines[n - 1] ?? '').text}`);
  }
  const end = d.endLine === d.line ? d.endColumn : lineText.length + 1;
  const s = shown(lineText.slice(from, to));
  const lead = from > 0 ? 1 : 0;
  const startCol = Math.min(Math.max(0, d.column - 1 - from), s.at.length - 1);
  const endCol = Math.min(Math.max(startCol + 1, end - 1 - from), s.at.length - 1);
  const carets = '^'.repeat(Math.max(1, s.at[endCol] - s.at[startCol]));
  out.push(`  ${' '.repeat(width)} | ${' '.repeat(lead + s.at[startCol])}${carets}`);
  return out.join('\n');
}
