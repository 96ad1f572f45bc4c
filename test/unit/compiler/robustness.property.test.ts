/**
 * The compiler never throws: for shipped runbooks mangled at random (characters deleted, inserted
 * or replaced), it returns diagnostics whose positions lie inside the file, or a plan.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { compileRunbook } from '../../../compiler';
import { ROOT } from './golden';

const base = readFileSync(join(ROOT, 'runbooks/zk-kafka-cyber-recovery.yaml'), 'utf8');
const NOISE = [
  ' ',
  '\n',
  ':',
  '-',
  '[',
  ']',
  '{',
  '}',
  '$',
  '{{',
  '}}',
  "'",
  '"',
  '&a',
  '*a',
  '|',
  '#',
  'x',
  '\t',
  '${{ ',
];

const edit = fc.record({
  at: fc.nat(base.length),
  del: fc.nat(12),
  insert: fc.constantFrom(...NOISE),
});

describe('compiler robustness', () => {
  it('returns diagnostics inside the file, never an exception, for mangled runbooks', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = base;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.del);
        const lines = text.split('\n');
        const { plan, diagnostics } = compileRunbook({ file: 'm.yaml', text });
        expect(plan !== undefined || diagnostics.some((d) => d.severity === 'error')).toBe(true);
        for (const d of diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines.length);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeLessThanOrEqual((lines[d.line - 1]?.length ?? 0) + 1);
          expect(d.endLine * 100_000 + d.endColumn).toBeGreaterThan(d.line * 100_000 + d.column - 1);
          expect(d.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 120 },
    );
  });

  it('refuses an expression in a field that cannot hold one, at that field (found by the property above)', () => {
    const text = base.replace(/maxParallel: \d+/, 'maxParallel: ${{ 3');
    expect(text).not.toBe(base);
    const { plan, diagnostics } = compileRunbook({ file: 'm.yaml', text });
    expect(plan).toBeUndefined();
    const line = text.split('\n').findIndex((l) => l.includes('maxParallel: ${{ 3')) + 1;
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line])).toContainEqual([
      'SCHEMA_TYPE',
      line,
    ]);
  });
});
