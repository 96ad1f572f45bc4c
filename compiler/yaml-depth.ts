/**
 * How deeply a YAML text nests, found by a linear scan before the parser sees it: the parser recurses once per
 * level, so a document nested a few thousand levels deep (`[[[[...`, or ever deeper indentation) would exhaust
 * the stack ("Maximum call stack size exceeded") instead of earning a diagnostic. Block levels are counted from
 * indentation (each `- ` of a compact sequence is a level too), flow levels from `[` and `{` outside quotes
 * and comments. The count can exceed the true depth (a key and its value share a level here), never fall short.
 */

/** Runbooks nest a dozen levels or so; anything past this is refused before parsing. */
export const MAX_YAML_DEPTH = 100;

/** The offset where the text first nests deeper than `max` levels, or undefined when it never does. */
export function firstTooDeep(text: string, max = MAX_YAML_DEPTH): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote: string | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const end = nl < 0 ? text.length : nl;
    let i = lineStart;
    if (flow === 0 && quote === undefined) {
      while (i < end && text[i] === ' ') i++;
      if (i < end && text[i] !== '#') {
        // A block level per deeper indentation, and one per `- ` that opens a compact sequence on this line.
        for (;;) {
          const col = i - lineStart;
          while (indents.length && indents[indents.length - 1] >= col) indents.pop();
          indents.push(col);
          if (indents.length > max) return i;
          if (text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === undefined)) {
            i += 1;
            while (i < end && text[i] === ' ') i++;
            if (i < end) continue;
          }
          break;
        }
      }
    }
    for (; i < end; i++) {
      const c = text[i];
      if (quote !== undefined) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || (c === "'" && /[\s[{,:]/.test(text[i - 1] ?? ' '))) quote = c;
      else if (c === '#' && /\s/.test(text[i - 1] ?? ' ')) break;
      else if (c === '[' || c === '{') {
        flow++;
        if (indents.length + flow > max) return i;
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  return undefined;
}
