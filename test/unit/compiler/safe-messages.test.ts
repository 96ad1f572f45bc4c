/**
 * Messages in the user's terms, and output that a hostile runbook cannot use against the terminal: an infinite
 * number, a document nested too deeply, control characters and binary garbage, through the compiler and through
 * `rekindle validate` as a process (what an operator sees).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRunbook } from '../../../compiler';
import { codeFrame, formatDiagnostic } from '../../../compiler/format';
import { firstTooDeep, MAX_YAML_DEPTH } from '../../../compiler/yaml-depth';
import { compileFixture, FIXTURES, ROOT } from './golden';

const INVALID = join(FIXTURES, 'invalid');
/** C0 and C1 controls except the newline, DEL, and the bidi overrides: none may reach the terminal raw. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('messages name the problem in the user’s terms', () => {
  it.each([
    ['retry-infinite.yaml', 'RETRY_INVALID', "'maxAttempts': 1e309 is not a finite number"],
    ['nesting-too-deep-flow.yaml', 'YAML_TOO_DEEP', `nesting deeper than ${MAX_YAML_DEPTH} levels`],
    ['nesting-too-deep-block.yaml', 'YAML_TOO_DEEP', `nesting deeper than ${MAX_YAML_DEPTH} levels`],
    ['control-characters.yaml', 'INPUT_UNKNOWN', "unknown field '\u001b]0;owned"],
    ['binary-garbage.yaml', 'DOCUMENT_NOT_MAP', 'the document is a string'],
  ])('%s: %s', (file, code, message) => {
    const { diagnostics } = compileFixture(join(INVALID, file));
    expect(diagnostics[0].code).toBe(code);
    expect(diagnostics[0].message).toContain(message);
    expect(diagnostics.map((d) => d.message).join('\n')).not.toMatch(/call stack|undefined|null|NaN/);
  });

  it('says .inf is not a finite number either', () => {
    const text =
      'apiVersion: rekindle/v1\nkind: Runbook\nmetadata: { name: x }\nsteps:\n  - { id: a, uses: kafka.health, retry: { maxAttempts: .inf } }\n';
    const { diagnostics } = compileRunbook({ file: 'x.yaml', text, inventory: { cluster: 'c' } });
    expect(diagnostics.map((d) => d.message)).toContain("'maxAttempts': .inf is not a finite number");
  });

  it.each([
    ['flow', (n: number) => `x: ${'['.repeat(n)}${']'.repeat(n)}\n`],
    ['block', (n: number) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' v\n'],
    ['compact sequences', (n: number) => `x:\n  ${'- '.repeat(n)}v\n`],
  ])('refuses %s nesting past the limit, 10,000 levels deep, without exhausting the stack', (_shape, make) => {
    expect(firstTooDeep(make(MAX_YAML_DEPTH - 5))).toBeUndefined();
    expect(firstTooDeep(make(MAX_YAML_DEPTH + 5))).toBeDefined();
    const { diagnostics } = compileRunbook({ file: 'deep.yaml', text: make(10_000) });
    expect(diagnostics.map((d) => d.code)).toEqual(['YAML_TOO_DEEP']);
  });

  it('does not count brackets in quotes or comments', () => {
    const text = `a: '${'['.repeat(500)}'\nb: "${'{'.repeat(500)}"\n# ${'['.repeat(500)}\nc: it's [ok]\n`;
    expect(firstTooDeep(text)).toBeUndefined();
  });
});

describe('code frames are safe to print', () => {
  it('escapes control characters in the message and the frame, with carets under the escaped key', () => {
    const file = join(INVALID, 'control-characters.yaml');
    const { diagnostics } = compileFixture(file);
    const text = readFileSync(file, 'utf8');
    for (const d of diagnostics) expect(formatDiagnostic(d, text)).not.toMatch(RAW_CONTROL);
    const out = formatDiagnostic(diagnostics[0], text).split('\n');
    expect(out[0]).toContain("unknown field '\\x1b]0;owned\\x07\\x1b[2J\\x1b[31mred'");
    const line = out.find((l) => l.startsWith('>')) as string;
    const carets = out[out.length - 1];
    expect(line.slice(carets.indexOf('^'), carets.lastIndexOf('^') + 1)).toBe(
      '"\\x1b]0;owned\\x07\\x1b[2J\\x1b[31mred"',
    );
  });

  it('cuts a long line to a window around the column, marking the cuts', () => {
    const long = `${'a'.repeat(5000)}X${'b'.repeat(5000)}`;
    const frame = codeFrame(long, { line: 1, column: 5001, endLine: 1, endColumn: 5002 });
    const [line, carets] = frame.split('\n');
    expect(line.length).toBeLessThan(120);
    expect(line).toMatch(/\| …a+Xb+…$/);
    expect(line[carets.indexOf('^')]).toBe('X');
  });

  it('prints a binary file as escapes: rekindle validate writes no raw control character', () => {
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin/rekindle.js'),
        'validate',
        join(INVALID, 'binary-garbage.yaml'),
        join(INVALID, 'control-characters.yaml'),
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('error DOCUMENT_NOT_MAP');
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stdout.split('\n').every((l) => l.length < 600)).toBe(true);
  });
});
