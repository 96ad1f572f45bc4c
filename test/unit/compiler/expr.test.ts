import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ExprContext } from '../../../compiler/expr';
import {
  evaluateExpr,
  ExprSyntaxError,
  parseExpression,
  resolveValue,
  shellQuote,
  splitTemplate,
} from '../../../compiler/expr';
import type { PlanValue } from '../../../compiler/plan';

const ctx: ExprContext = {
  params: { backupSet: 'latest', n: 3, flag: true, empty: '' },
  inventory: {
    kafka: {
      brokers: [
        { id: 1, host: 'kafka-1' },
        { id: 2, host: 'kafka-2' },
      ],
    },
  },
  steps: { assess: { outputs: { summary: "it's bad", count: 7 }, state: 'succeeded' } },
  item: { id: 2, host: 'kafka-2', logDirs: ['/data/a b', "/data/it's"] },
  run: { mode: 'drill', dryRun: false, workflowId: 'wf-1' },
};

describe('evaluateExpr', () => {
  const cases: Array<[string, unknown]> = [
    ['params.backupSet', 'latest'],
    ["params.backupSet == 'latest'", true],
    ['params.n > 2 && params.flag', true],
    ['params.n < 2 || params.empty', ''],
    ['!params.empty', true],
    ['params.missing', null],
    ['params.missing.deeper', null],
    ['inventory.kafka.brokers[1].host', 'kafka-2'],
    ['inventory.kafka.brokers.length', 2],
    ["steps['assess'].outputs.count >= 7", true],
    ['steps.assess.state == "succeeded"', true],
    ["run.mode == 'drill' && !run.dryRun", true],
    ['item.id != 1', true],
    ["'3' == 3", false],
    ["params.n < 'x'", false],
    ['(params.n == 3) == true', true],
    ['null == params.missing', true],
    ['-1 < 0', true],
    ['params.constructor', null],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(evaluateExpr(parseExpression(text), ctx)).toEqual(expected);
  });
});

describe('parseExpression errors', () => {
  const cases: Array<[string, number, string]> = [
    ['', 0, 'empty'],
    ["params.x == 'abc", 12, 'unterminated'],
    ['params.x ==', 11, 'unterminated'],
    ['params.x = 1', 9, 'unexpected'],
    ['foo.bar', 0, 'unknown-root'],
    ['params.x == 1 == 2', 14, 'unexpected'],
    ['(params.x', 9, 'unterminated'],
    ['params.', 7, 'unterminated'],
    ['params.x & 1', 9, 'unexpected'],
    ['params[x]', 7, 'unexpected'],
  ];
  it.each(cases)('%j fails at offset %i (%s)', (text, offset, kind) => {
    let err: unknown;
    try {
      parseExpression(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExprSyntaxError);
    expect((err as ExprSyntaxError).offset).toBe(offset);
    expect((err as ExprSyntaxError).kind).toBe(kind);
  });
});

describe('templates and resolveValue', () => {
  it('splits text and expressions, with offsets and raw markers', () => {
    const parts = splitTemplate('a ${{ params.x }} b ${{ params.y | raw }}');
    expect(parts).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'expr', text: 'params.x', offset: 6, start: 2, end: 17, raw: false },
      { kind: 'text', text: ' b ' },
      { kind: 'expr', text: 'params.y', offset: 24, start: 20, end: 41, raw: true },
    ]);
  });

  it('keeps || and does not mistake it for a raw marker', () => {
    const parts = splitTemplate('${{ params.a || params.b }}');
    expect(parts).toEqual([{ kind: 'expr', text: 'params.a || params.b', offset: 4, start: 0, end: 27, raw: false }]);
  });

  it('reports an unterminated ${{ at its opening', () => {
    expect(() => splitTemplate('x ${{ params.a')).toThrow(ExprSyntaxError);
  });

  it('resolves nested values, expressions and shell-quoted templates', () => {
    const value: PlanValue = {
      whole: { $expr: parseExpression('inventory.kafka.brokers'), text: 'inventory.kafka.brokers' },
      list: [1, { $expr: parseExpression('params.n'), text: 'params.n' }],
      command: {
        $template: [
          'ls ',
          { expr: parseExpression('item.logDirs'), text: 'item.logDirs', quote: 'shell' },
          ' # ',
          { expr: parseExpression('steps.assess.outputs.summary'), text: 's', quote: 'shell' },
          ' ',
          { expr: parseExpression('params.backupSet'), text: 'b', quote: 'raw' },
        ],
      },
      summary: { $template: ['n=', { expr: parseExpression('params.n'), text: 'params.n', quote: 'none' }] },
    };
    expect(resolveValue(value, ctx)).toEqual({
      whole: ctx.inventory.kafka && (ctx.inventory.kafka as { brokers: unknown }).brokers,
      list: [1, 3],
      command: `ls '/data/a b' '/data/it'\\''s' # 'it'\\''s bad' latest`,
      summary: 'n=3',
    });
  });
});

describe('shellQuote', () => {
  it('round-trips any string through a real POSIX sh', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')),
        (s) => {
          const out = execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(s)}`]);
          expect(out.toString('utf8')).toBe(Buffer.from(s, 'utf8').toString('utf8'));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('sandbox safety', () => {
  it('compiler/expr imports only itself and types from ../plan', () => {
    const dir = join(__dirname, '../../../compiler/expr');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(join(dir, f), 'utf8');
      for (const m of src.matchAll(/^import (type )?[^'"]*['"]([^'"]+)['"]/gm)) {
        const [, isType, from] = m;
        const ok = from.startsWith('./') || (isType && from === '../plan');
        expect({ file: f, from, ok }).toEqual({ file: f, from, ok: true });
      }
      expect(src).not.toMatch(/Date\.now|Math\.random|new Date\(|require\(|process\./);
    }
  });
});
