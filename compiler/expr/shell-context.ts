/**
 * Where in a POSIX sh command each `${{ }}` of a template lands, read from the text the runbook wrote
 * around it, so a value is quoted for its context or refused at validate. Pure; no imports outside this
 * folder (the workflow renders with the result).
 *
 * Quoted by context: a bare word (`'v'`), inside the template's single quotes (close, `'v'`, reopen) and
 * inside its double quotes (close, `'v'`, reopen), also within `$( )`. Refused, each with how to write it
 * instead: the command name (or the command a wrapper such as `sudo` or `xargs` runs), an argument of
 * `eval` or `sh -c`, backticks, `${ }`, `$(( ))`, a heredoc, a comment, and right after `\` or `$`.
 */
import { EVALUATORS, LEADING, REFUSE, WRAPPERS } from './shell-rules';
import type { TemplatePart } from './template';

/** How a value is inserted: a bare word, or closing and reopening the template's own quotes. */
export type ShellQuoteKind = 'shell' | 'shell-single' | 'shell-double';

/** Where one expression of a template lands: its quoting, or why it is refused and what to write instead. */
export type ShellSlot = { quote: ShellQuoteKind } | { refused: string };

type Kind = 'cmd' | 'sq' | 'dq' | 'bq' | 'param' | 'arith' | 'comment' | 'heredoc';

/** One open context; `cmd` frames (the top level, `$( )`, `( )`) track the words of the current command. */
interface Frame {
  kind: Kind;
  /** cmd: closed by `)` (a `$( )` or subshell), not by the end of the text. */
  paren?: boolean;
  /** cmd: the next word starts a command. */
  atCommand?: boolean;
  /** cmd: the current command's name, once read. */
  command?: string;
  /** cmd: words after `sh`/`bash` include `-c`, or the command is `eval`: arguments are code. */
  code?: boolean;
  /** cmd: inside a wrapper's words: its name, operands still to skip, and whether the last word was a valued option. */
  wrapper?: { name: string; before: number; valueNext: boolean };
  /** cmd: inside `for NAME in ...` / `case WORD in` (words, not commands). */
  words?: boolean;
  caseDepth?: number;
  /** param/arith: nesting depth. */
  depth?: number;
  /** dq opened with `$"`, sq with `$'` (bash ANSI-C / locale quoting). */
  dollar?: boolean;
  /** cmd frames opened inside a word: the enclosing frame's word, restored when this one closes. */
  saved?: { word: string; inWord: boolean };
}

/**
 * The context of each expression part of a shell template, in order of the expression parts.
 * `argsAfter`: the command is followed by `args` (each a quoted word); returns their slot as the last entry.
 */
export function shellSlots(parts: readonly TemplatePart[], argsAfter = false): ShellSlot[] {
  const stack: Frame[] = [{ kind: 'cmd', atCommand: true }];
  const slots: ShellSlot[] = [];
  let word = ''; // the current word's literal text, in a cmd frame
  let inWord = false;
  const heredocs: Array<{ delim: string; strip: boolean }> = [];
  let pendingDelim: { strip: boolean } | undefined;
  let escaped = false;
  let line = ''; // heredoc: the current body line
  let unbalanced = false;
  let prevChar = '';
  let skipTo = 0;
  const top = () => stack[stack.length - 1];

  const endWord = () => {
    const f = top();
    if (f.kind !== 'cmd' || !inWord) return;
    inWord = false;
    const w = word;
    word = '';
    if (pendingDelim) {
      heredocs.push({ delim: w.replace(/['"\\]/g, ''), strip: pendingDelim.strip });
      pendingDelim = undefined;
      return;
    }
    if (w === 'case') f.caseDepth = (f.caseDepth ?? 0) + 1;
    if (w === 'esac') f.caseDepth = Math.max(0, (f.caseDepth ?? 0) - 1);
    if (f.atCommand && f.wrapper) {
      const wr = f.wrapper;
      if (EVALUATORS.has(wr.name) && /^-[A-Za-z]*[cS][A-Za-z]*$/.test(w) && wr.name !== 'timeout') f.code = true;
      if (wr.valueNext) wr.valueNext = false;
      else if (w.startsWith('-')) wr.valueNext = WRAPPERS[wr.name].valued.includes(w);
      else if (wr.name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) return;
      else if (wr.before > 0) wr.before--;
      else {
        f.wrapper = undefined;
        f.atCommand = false;
        f.command = w.split('/').pop();
      }
      return;
    }
    if (f.atCommand) {
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || LEADING.has(w)) return;
      if (w === 'for' || w === 'case') {
        f.words = true;
        f.atCommand = false;
        return;
      }
      f.atCommand = false;
      f.command = w.split('/').pop();
      f.code = ['eval', 'source', '.', 'trap', 'watch'].includes(f.command ?? '');
      const wrapped = WRAPPERS[f.command ?? ''];
      if (wrapped) {
        f.atCommand = true; // the wrapped command comes next, after the wrapper's options
        f.wrapper = { name: f.command as string, before: wrapped.before, valueNext: false };
      }
      return;
    }
    if (EVALUATORS.has(f.command ?? '') && /^-[A-Za-z]*c[A-Za-z]*$/.test(w)) f.code = true;
    if (f.command === 'ssh' && !w.startsWith('-')) f.code = true; // ssh HOST CMD...: the rest is remote code
  };
  const newCommand = (f: Frame) => {
    f.atCommand = true;
    f.command = undefined;
    f.code = false;
    f.wrapper = undefined;
    if (f.words) f.words = false;
  };

  const slotAt = (): ShellSlot => {
    const f = top();
    if (escaped) return { refused: REFUSE.escaped };
    switch (f.kind) {
      case 'sq':
        return f.dollar ? { refused: REFUSE.dollarQuote } : { quote: 'shell-single' };
      case 'dq':
        if (f.dollar) return { refused: REFUSE.dollarQuote };
        return prevChar === '$' ? { refused: REFUSE.dollar } : { quote: 'shell-double' };
      case 'bq':
        return { refused: REFUSE.backticks };
      case 'param':
        return { refused: REFUSE.param };
      case 'arith':
        return { refused: REFUSE.arith };
      case 'comment':
        return { refused: REFUSE.comment };
      case 'heredoc':
        return { refused: REFUSE.heredoc };
      default:
        if (pendingDelim) return { refused: REFUSE.heredoc };
        if (prevChar === '$') return { refused: REFUSE.dollar };
        if (f.code) return { refused: REFUSE.code };
        if (f.wrapper && (f.wrapper.valueNext || f.wrapper.before > 0)) return { quote: 'shell' };
        if (inWord && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) return { quote: 'shell' }; // an assignment's value
        if (f.atCommand && !f.words) return { refused: REFUSE.command };
        return { quote: 'shell' };
    }
  };

  const openCmd = () => {
    stack.push({ kind: 'cmd', paren: true, atCommand: true, saved: { word, inWord } });
    word = '';
    inWord = false;
  };
  const closeCmd = () => {
    endWord();
    const f = stack.pop() as Frame;
    word = f.saved?.word ?? '';
    inWord = f.saved?.inWord ?? false;
  };
  const feed = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      const f = top();
      if (escaped) {
        escaped = false;
        if (f.kind === 'cmd') {
          inWord = true;
          word += c;
        }
        prevChar = '';
        continue;
      }
      if (f.kind !== 'cmd' && f.kind !== 'heredoc' && f.kind !== 'comment') word += c;
      switch (f.kind) {
        case 'heredoc': {
          if (c === '\n') {
            const h = heredocs[0];
            if ((h.strip ? line.replace(/^\t+/, '') : line) === h.delim) {
              heredocs.shift();
              if (heredocs.length === 0) stack.pop();
            }
            line = '';
          } else line += c;
          break;
        }
        case 'comment':
          if (c === '\n') {
            stack.pop();
            i--; // the newline ends the command too
          }
          break;
        case 'sq':
          if (c === "'") stack.pop();
          break;
        case 'dq':
          if (c === '\\') escaped = true;
          else if (c === '"') stack.pop();
          else if (c === '`') stack.push({ kind: 'bq' });
          else if (c === '$' && text[i + 1] === '(') {
            i++;
            if (text[i + 1] === '(') {
              i++;
              stack.push({ kind: 'arith', depth: 0 });
            } else openCmd();
          } else if (c === '$' && text[i + 1] === '{') {
            i++;
            stack.push({ kind: 'param', depth: 0 });
          }
          break;
        case 'bq':
          if (c === '\\') escaped = true;
          else if (c === '`') stack.pop();
          break;
        case 'param':
          if (c === '{') f.depth = (f.depth ?? 0) + 1;
          else if (c === '}' && (f.depth ?? 0) === 0) stack.pop();
          else if (c === '}') f.depth = (f.depth ?? 0) - 1;
          break;
        case 'arith':
          if (c === '(') f.depth = (f.depth ?? 0) + 1;
          else if (c === ')' && (f.depth ?? 0) > 0) f.depth = (f.depth ?? 0) - 1;
          else if (c === ')' && text[i + 1] === ')') {
            i++;
            stack.pop();
          }
          break;
        default:
          cmdChar(text, i, f, c);
          i = skipTo;
      }
      prevChar = c;
    }
  };

  const cmdChar = (text: string, i: number, f: Frame, c: string) => {
    skipTo = i;
    if (c === '\\') {
      escaped = true;
      return;
    }
    if (c === "'" || c === '"') {
      const dollar = inWord && word.endsWith('$');
      inWord = true;
      word += c;
      stack.push({ kind: c === "'" ? 'sq' : 'dq', dollar });
      return;
    }
    if (c === '`') {
      inWord = true;
      stack.push({ kind: 'bq' });
      return;
    }
    if (c === '$' && text[i + 1] === '(') {
      inWord = true;
      word += '$(';
      skipTo = i + 1;
      if (text[i + 2] === '(') {
        skipTo = i + 2;
        stack.push({ kind: 'arith', depth: 0 });
      } else openCmd();
      return;
    }
    if (c === '$' && text[i + 1] === '{') {
      inWord = true;
      skipTo = i + 1;
      stack.push({ kind: 'param', depth: 0 });
      return;
    }
    if (c === '#' && !inWord) {
      stack.push({ kind: 'comment' });
      return;
    }
    if (c === '\n') {
      endWord();
      newCommand(f);
      if (heredocs.length > 0) {
        stack.push({ kind: 'heredoc' });
        line = '';
      }
      return;
    }
    if (c === ' ' || c === '\t') return endWord();
    if (c === '&' && (prevChar === '>' || prevChar === '<')) return; // `2>&1`: a redirection, not `&`
    if (c === ';' || c === '&' || c === '|') {
      endWord();
      if (c === ';' && f.caseDepth && text[i + 1] === ';') skipTo = i + 1;
      newCommand(f);
      return;
    }
    if (c === '(' && !inWord) {
      openCmd();
      return;
    }
    if (c === ')') {
      endWord();
      if (f.caseDepth) return newCommand(f); // a case pattern's end: a command follows
      if (f.paren) closeCmd();
      else unbalanced = true;
      return;
    }
    if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      endWord();
      skipTo = i + 1;
      const strip = text[i + 2] === '-';
      if (strip) skipTo = i + 2;
      pendingDelim = { strip };
      return;
    }
    if (c === '<' || c === '>') {
      endWord();
      return;
    }
    inWord = true;
    word += c;
  };

  for (const part of parts) {
    if (part.kind === 'text') feed(part.text);
    else {
      slots.push(slotAt());
      // The value is one word (or several, for a list), never an operator: the word goes on.
      escaped = false;
      inWord = true;
      word += '\u0000';
      prevChar = 'x';
    }
  }
  // A heredoc whose last delimiter ends the text without a newline is closed.
  if (top().kind === 'heredoc' && heredocs.length === 1 && line === heredocs[0].delim) {
    heredocs.shift();
    stack.pop();
  }
  // A comment may end the text, but then args appended after it would be in the comment.
  const endsInComment = top().kind === 'comment';
  if (endsInComment) stack.pop();
  endWord();
  if (argsAfter) {
    const f = top();
    const open =
      endsInComment ||
      stack.length > 1 ||
      f.kind !== 'cmd' ||
      pendingDelim !== undefined ||
      heredocs.length > 0 ||
      escaped;
    slots.push(
      open || unbalanced
        ? { refused: REFUSE.unbalanced }
        : f.atCommand && !f.words
          ? { refused: REFUSE.command }
          : f.code
            ? { refused: REFUSE.code }
            : { quote: 'shell' },
    );
  }
  const closed = stack.length === 1 && heredocs.length === 0 && !pendingDelim && !unbalanced;
  // A template whose quoting does not close cannot be read: every context above may be wrong.
  return closed ? slots : slots.map(() => ({ refused: REFUSE.unbalanced }));
}
