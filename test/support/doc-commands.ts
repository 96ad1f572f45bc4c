/**
 * The commands the documentation shows, read from README.md and docs/*.md for test/e2e/docs.test.ts:
 * - every line of a ```sh / ```bash / ```shell block that runs Rekindle (`npx rekindle`, `rekindle`,
 *   `npm run`, `npm test`, or a `docker compose exec ... rekindle`), without its `# comment`, split at ` ; `;
 * - every inline code span that is a usage line (`rekindle ...` with `[optional]` parts).
 * Pure text processing: nothing here runs a command.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One command as the docs show it. */
export interface DocCommand {
  /** `README.md:84` */
  where: string;
  /** The command as written, comment and `&` removed, `npx ` kept. */
  text: string;
  /** Written with a trailing `&` (runs in the background). */
  background: boolean;
  /** From an inline code span rather than a code block. */
  inline: boolean;
}

const SHELL_FENCES = new Set(['sh', 'bash', 'shell']);
const RUNS_REKINDLE = /^(npx rekindle|rekindle|npm run|npm test)\b|^docker compose exec .*\brekindle\b/;

/** The documentation files: README.md and docs/*.md, in a stable order. */
export function docFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join('docs', f));
  return ['README.md', ...docs];
}

/** Removes a trailing shell comment (` # ...` outside quotes). */
export function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** The commands in one Markdown text. */
export function extractCommands(markdown: string, file: string): DocCommand[] {
  const out: DocCommand[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    const open = /^\s*```\s*(\S*)/.exec(raw);
    if (open) {
      fence = fence === undefined ? open[1] : undefined;
      return;
    }
    if (fence !== undefined) {
      if (!SHELL_FENCES.has(fence)) return;
      for (const part of stripComment(raw.trim()).split(/\s;\s/)) {
        const text = part.trim();
        const background = /\s&$/.test(text);
        const command = background ? text.slice(0, -1).trim() : text;
        if (RUNS_REKINDLE.test(command)) out.push({ where, text: command, background, inline: false });
      }
      return;
    }
    for (const m of raw.matchAll(/`([^`]+)`/g)) {
      const text = m[1].trim();
      if (/^(npx )?rekindle [a-z]/.test(text) && isUsageLine(text))
        out.push({ where, text, background: false, inline: true });
    }
  });
  return out;
}

/** Every documented command of the project under `root`. */
export function documentedCommands(root: string): DocCommand[] {
  return docFiles(root).flatMap((f) => extractCommands(readFileSync(join(root, f), 'utf8'), f));
}

/** A usage line shows syntax (`[--flag]`, `(a | b)`) rather than a command to type. */
export function isUsageLine(text: string): boolean {
  return /[[\]()]/.test(text);
}

/** Splits a command line into words, honouring single and double quotes (no other shell syntax). */
export function words(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let inWord = false;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unbalanced ${quote} in: ${text}`);
  if (inWord) out.push(cur);
  return out;
}

/**
 * One command per choice: `status|watch RUN` gives `status RUN` and `watch RUN`; several alternations
 * give every combination. Quoted words are never split.
 */
export function expandAlternatives(argv: string[]): string[][] {
  let all: string[][] = [[]];
  for (const w of argv) {
    const choices = w.includes('|') && !/\s/.test(w) ? w.split('|') : [w];
    all = all.flatMap((prefix) => choices.map((c) => [...prefix, c]));
  }
  return all;
}

/** The usage lines of a `--help` text: `Usage: rekindle ...` and the `rekindle ...` lines under `Usage:`. */
export function helpUsageLines(help: string): string[] {
  const out: string[] = [];
  let inUsage = false;
  for (const line of help.split('\n')) {
    const first = /^Usage:\s*(.*)$/.exec(line);
    if (first) {
      inUsage = true;
      if (first[1]) out.push(normalize(first[1]));
      continue;
    }
    if (inUsage && /^\s+rekindle /.test(line)) out.push(normalize(line));
    else if (inUsage && line.trim() === '') inUsage = false;
  }
  return out;
}

/** A usage line compared without `npx ` and with single spaces. */
export function normalize(usage: string): string {
  return usage.trim().replace(/^npx /, '').replace(/\s+/g, ' ');
}
