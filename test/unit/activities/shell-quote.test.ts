/**
 * Shell quoting, checked against a real POSIX shell: whatever a value holds, `sh` receives it as one
 * literal word and never runs it.
 */
import { execFileSync } from 'node:child_process';
import { shellJoin, shellQuote } from '../../../activities/ssh/quote';

/** What `sh` passes to a command for `line`: one argument per output line. */
function argsSeenBySh(line: string): string[] {
  const out = execFileSync('sh', ['-c', `for a in ${line}; do :; done; printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const HOSTILE = [
  '',
  'plain',
  'with space',
  "it's",
  "''",
  '"double"',
  '$(touch /tmp/rekindle-pwned)',
  '`id`',
  '${HOME}',
  'a;b',
  'a|b',
  'a&&b',
  '*',
  '~',
  'new\nline',
  '\\',
  '-n',
  'ünïcødé ✓',
  "'; rm -rf / #",
];

describe('shellQuote', () => {
  it.each(HOSTILE)('%j reaches sh as exactly one literal word', (word) => {
    expect(argsSeenBySh(shellQuote(word))).toEqual([word]);
  });

  it.each([
    ['abc', 'abc'],
    ['/var/lib/kafka-logs', '/var/lib/kafka-logs'],
    ['k=v,x:y@h%', 'k=v,x:y@h%'],
    ['', "''"],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
  ])('%j is written as %s (safe words stay bare)', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });
});

describe('shellJoin', () => {
  it('keeps the command and quotes every argument', () => {
    expect(shellJoin('printf %s', ['a b', '$(id)'])).toBe("printf %s 'a b' '$(id)'");
    expect(argsSeenBySh(shellJoin('', HOSTILE).trimStart())).toEqual(HOSTILE);
  });
});
