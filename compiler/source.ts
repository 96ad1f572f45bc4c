/**
 * The runbook source: YAML parsed with a LineCounter and source tokens, plus the mapping from a
 * document path (`steps[2].with.command`) to an exact range, falling back to the nearest ancestor
 * that exists. All positions are 1-based; end columns are exclusive.
 */
import type { Document, Node, Pair } from 'yaml';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Diagnostic, DiagnosticCode } from './diagnostics';
import { formatPath, severityOf } from './diagnostics';
import { firstTooDeep, MAX_YAML_DEPTH } from './yaml-depth';

export type Path = ReadonlyArray<string | number>;

/** A resolved range in the file. */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Where to point: at the key that names a value, or at the value itself. */
export type Anchor = 'key' | 'value';

/** Aliases expanded beyond this make the document a suspected alias bomb. */
export const MAX_ALIAS_COUNT = 200;

interface Located {
  node: Node;
  /** The pair whose value is `node`, when `node` is a map value. */
  pair?: Pair;
  /** True when the whole path was found; false when this is the nearest ancestor. */
  exact: boolean;
}

/** A parsed runbook file with position lookups. Construct with SourceFile.parse. */
export class SourceFile {
  private constructor(
    readonly file: string,
    readonly text: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /**
   * Parses `text`. Returns the plain data when the YAML is well-formed; otherwise diagnostics that
   * contain only the syntax error (or the alias-bomb refusal). Duplicate keys are reported and parsing goes on.
   * Never throws.
   */
  static parse(file: string, text: string): { source: SourceFile; data?: unknown; diagnostics: Diagnostic[] } {
    // A too-deep text is not parsed at all: the parser recurses once per level.
    const deep = firstTooDeep(text);
    if (deep !== undefined) return SourceFile.tooDeep(file, text, deep);
    const lines = new LineCounter();
    let doc: Document.Parsed;
    try {
      doc = parseDocument(text, {
        lineCounter: lines,
        keepSourceTokens: true,
        uniqueKeys: true,
        prettyErrors: false,
      });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      return SourceFile.tooDeep(file, text, 0);
    }
    const source = new SourceFile(file, text, doc, lines);
    const syntax = doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
    // The parser may turn its own stack overflow into an error: the scan's count missed a shape, same refusal.
    if (syntax && /call stack/i.test(syntax.message)) return SourceFile.tooDeep(file, text, syntax.pos[0]);
    if (syntax) {
      const message = syntax.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return {
        source,
        diagnostics: [source.at('YAML_SYNTAX', [], `YAML syntax error: ${message}`, syntaxPos(text, syntax))],
      };
    }
    const diagnostics = doc.errors.map((e) => {
      const key = (/^("[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(e.pos[0]))?.[0] ?? '').trim();
      const end = e.pos[0] + Math.max(1, key.length);
      return source.at(
        'YAML_DUPLICATE_KEY',
        [],
        `duplicate key '${key}': each key may appear once per map; remove or rename one`,
        [e.pos[0], end],
      );
    });
    try {
      const data: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      return { source, data, diagnostics };
    } catch (err) {
      const alias = source.firstAliasOffset();
      if (err instanceof RangeError) return SourceFile.tooDeep(file, text, 0);
      const msg = err instanceof Error ? err.message : String(err);
      const d = /alias/i.test(msg)
        ? source.at(
            'YAML_ALIAS_BOMB',
            [],
            `refused: the document expands more than ${MAX_ALIAS_COUNT} aliases (an alias bomb); remove the nested aliases`,
            [alias, alias + 1],
          )
        : source.at('YAML_SYNTAX', [], `YAML error: ${msg}`, [alias, alias + 1]);
      return { source, diagnostics: [d] };
    }
  }

  /** The refusal of a document nested deeper than MAX_YAML_DEPTH, at `offset` (where it got too deep). */
  private static tooDeep(
    file: string,
    text: string,
    offset: number,
  ): { source: SourceFile; diagnostics: Diagnostic[] } {
    const lines = new LineCounter();
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    const source = new SourceFile(file, text, parseDocument('', { lineCounter: new LineCounter() }), lines);
    const message = `nesting deeper than ${MAX_YAML_DEPTH} levels: a runbook needs a dozen or so; flatten the document`;
    return { source, diagnostics: [source.at('YAML_TOO_DEEP', [], message, [offset, offset + 1])] };
  }

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    const p = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: p.line, column: p.col };
  }

  /** The range of two offsets; an empty range is widened to one character where possible. */
  range(start: number, end: number): Range {
    const s = this.position(start);
    const e = this.position(Math.max(end, start));
    return { line: s.line, column: s.column, endLine: e.line, endColumn: end > start ? e.column : e.column + 1 };
  }

  /** Builds a diagnostic at an explicit offset range. */
  at(code: DiagnosticCode, path: Path, message: string, pos: readonly [number, number]): Diagnostic {
    return {
      file: this.file,
      ...this.range(pos[0], pos[1]),
      code,
      severity: severityOf(code),
      message,
      path: formatPath(path),
    };
  }

  /**
   * Builds a diagnostic at a path: the key or value there, or the nearest existing ancestor.
   * `sub` narrows to part of a scalar string value (offsets into the parsed string), e.g. one expression.
   */
  diag(
    code: DiagnosticCode,
    path: Path,
    message: string,
    anchor: Anchor = 'value',
    sub?: { start: number; end: number },
  ): Diagnostic {
    return this.at(code, path, message, this.offsets(path, anchor, sub));
  }

  /** Offsets to highlight for a path (see diag). */
  offsets(path: Path, anchor: Anchor, sub?: { start: number; end: number }): [number, number] {
    const found = this.locate(path);
    if (!found) return this.firstLine(0);
    const { node, pair, exact } = found;
    if (exact && sub && isScalar(node) && typeof node.source === 'string' && node.range) {
      return [this.mapScalarOffset(node, sub.start), this.mapScalarOffset(node, sub.end)];
    }
    const keyNode = pair && isScalarNode(pair.key) ? pair.key : undefined;
    if (keyNode?.range && (anchor === 'key' || !exact || !isScalar(node))) {
      // A missing child is reported at its parent's key; a collection at the key that names it.
      return [keyNode.range[0], keyNode.range[1]];
    }
    if (isScalar(node) && node.range) return [node.range[0], node.range[1]];
    return this.firstLine(node.range?.[0] ?? 0);
  }

  /** The node at `path`, or its nearest ancestor that exists. */
  locate(path: Path): Located | undefined {
    let node: Node | null | undefined = this.doc.contents as Node | null;
    if (!node) return undefined;
    let pair: Pair | undefined;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const cur: Node = isAlias(node) ? (node.resolve(this.doc) as Node) : node;
      let next: Node | undefined;
      let nextPair: Pair | undefined;
      if (isMap(cur)) {
        nextPair = cur.items.find((p) => isScalarNode(p.key) && String(p.key.value) === String(seg)) as
          Pair | undefined;
        next = (nextPair?.value as Node | null) ?? undefined;
        if (nextPair && !next) return { node: nextPair.key as Node, pair: nextPair, exact: i === path.length - 1 };
      } else if (isSeq(cur) && typeof seg === 'number') {
        next = (cur.items[seg] as Node | undefined) ?? undefined;
        nextPair = undefined;
      }
      if (!next) return { node: cur, pair, exact: false };
      node = next;
      pair = nextPair;
    }
    return { node: node as Node, pair, exact: true };
  }

  /** Maps an offset inside a scalar's parsed value to a file offset, using `${{` as landmarks. */
  private mapScalarOffset(
    node: Node & { value?: unknown; range?: [number, number, number] | null },
    valueOffset: number,
  ): number {
    const value = String(node.value);
    const [start, end] = node.range as [number, number, number];
    const raw = this.text.slice(start, end);
    const open = value.lastIndexOf('${{', valueOffset);
    if (open >= 0) {
      const k = countOccurrences(value.slice(0, open), '${{');
      let rawOpen = -1;
      for (let i = 0; i <= k; i++) rawOpen = raw.indexOf('${{', rawOpen + 1);
      if (rawOpen >= 0) return Math.min(end, start + rawOpen + (valueOffset - open));
    }
    const lead = raw.indexOf(value.slice(0, Math.min(8, value.length)));
    return lead >= 0 ? Math.min(end, start + lead + valueOffset) : start;
  }

  /** From `offset` to the end of its line (for collections, which would be too long to underline). */
  private firstLine(offset: number): [number, number] {
    const nl = this.text.indexOf('\n', offset);
    return [offset, nl < 0 ? this.text.length : nl];
  }

  private firstAliasOffset(): number {
    let offset = 0;
    visit(this.doc, {
      Alias(_, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    return offset;
  }
}

/**
 * Where to point for a syntax error. The parser reports an unclosed quote where the file ends; the
 * token at fault is the opening quote, so point there instead.
 */
function syntaxPos(text: string, err: { code: string; message: string; pos: [number, number] }): [number, number] {
  const quote = /Missing closing (["'])quote/.exec(err.message)?.[1];
  if (err.code !== 'MISSING_CHAR' || !quote) return err.pos;
  const open = text.lastIndexOf(quote, Math.min(err.pos[0], text.length) - 1);
  if (open < 0) return err.pos;
  const nl = text.indexOf('\n', open);
  return [open, nl < 0 ? text.length : nl];
}

function isScalarNode(n: unknown): n is Node & { value: unknown; range?: [number, number, number] | null } {
  return isScalar(n);
}

function countOccurrences(s: string, needle: string): number {
  let n = 0;
  for (let i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
  return n;
}
