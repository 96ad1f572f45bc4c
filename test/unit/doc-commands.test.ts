/** test/support/doc-commands.ts: which lines of the docs count as commands, and how they are expanded. */
import {
  documentedCommands,
  expandAlternatives,
  extractCommands,
  helpUsageLines,
  stripComment,
  words,
} from '../support/doc-commands';
import { join } from 'node:path';

const MD = [
  'Intro with `npx rekindle audit RUN [--verify]` and `rekindle worker` inline.',
  '```sh',
  'npx rekindle validate a.yaml          # checks # twice',
  'npx rekindle worker &',
  'npx rekindle status|cancel x ; npx rekindle list --running',
  'bash lab/install/apt.sh',
  'npx rekindle approve x g --comment "a # not a comment"',
  '```',
  '```',
  'npx rekindle approve screen-output-not-a-command',
  '```',
  '```yaml',
  'rekindle: not a command',
  '```',
].join('\n');

describe('extractCommands', () => {
  const found = extractCommands(MD, 'X.md');

  it('takes shell-block lines that run Rekindle, and inline usage lines', () => {
    expect(found.map((c) => [c.where, c.text, c.background, c.inline])).toEqual([
      ['X.md:1', 'npx rekindle audit RUN [--verify]', false, true],
      ['X.md:3', 'npx rekindle validate a.yaml', false, false],
      ['X.md:4', 'npx rekindle worker', true, false],
      ['X.md:5', 'npx rekindle status|cancel x', false, false],
      ['X.md:5', 'npx rekindle list --running', false, false],
      ['X.md:7', 'npx rekindle approve x g --comment "a # not a comment"', false, false],
    ]);
  });

  it('finds commands in the real docs, including the README quick start', () => {
    const all = documentedCommands(join(__dirname, '..', '..'));
    expect(all.length).toBeGreaterThan(20);
    expect(all.map((c) => c.text)).toEqual(expect.arrayContaining(['npm run drill', 'npx rekindle list --running']));
  });
});

describe('words, comments and alternatives', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ['approve x --comment "scope reviewed"', ['approve', 'x', '--comment', 'scope reviewed']],
    ["say 'it''s'", ['say', 'its']],
    ['empty ""', ['empty', '']],
  ])('words(%j)', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it('refuses an unbalanced quote', () => {
    expect(() => words('a "b')).toThrow(/unbalanced/);
  });

  it('strips a comment only outside quotes', () => {
    expect(stripComment('x "#a" # b')).toBe('x "#a"');
    expect(stripComment('x a#b')).toBe('x a#b');
  });

  it('expands every alternation into every combination', () => {
    expect(expandAlternatives(['status|watch', 'r', '--format', 'md|json'])).toEqual([
      ['status', 'r', '--format', 'md'],
      ['status', 'r', '--format', 'json'],
      ['watch', 'r', '--format', 'md'],
      ['watch', 'r', '--format', 'json'],
    ]);
  });
});

describe('helpUsageLines', () => {
  it('reads a one-line and a multi-line Usage section', () => {
    expect(helpUsageLines('Usage: rekindle status RUN  [--json]\n\nmore')).toEqual(['rekindle status RUN [--json]']);
    const drill =
      'Usage:\n  rekindle drill run [--out DIR]\n      what it does\n  rekindle drill list [--json]\n\nrekindle x';
    expect(helpUsageLines(drill)).toEqual(['rekindle drill run [--out DIR]', 'rekindle drill list [--json]']);
  });
});
