/**
 * The pure offsets computation behind kafka.offsets-reset, table-driven: every mode, clamping to the
 * log, shift-by without a committed offset, the reset CSV and the dry-run table's order.
 */
import { clamp, formatResetTable, newOffset, sortRows } from '../../../activities/kafka/offsets/compute';
import type { PartitionView, ResetRow, ResetSpec } from '../../../activities/kafka/offsets/compute';

const P: PartitionView = { topic: 't', partition: 0, low: 10, high: 100, committed: 40, byTime: 55, fromFile: 70 };

describe('newOffset', () => {
  it.each<[string, ResetSpec, Partial<PartitionView>, number]>([
    ['to-earliest is the log start', { mode: 'to-earliest' }, {}, 10],
    ['to-latest is the log end', { mode: 'to-latest' }, {}, 100],
    ['to-current keeps the committed offset', { mode: 'to-current' }, {}, 40],
    ['to-current without a commit is the log end', { mode: 'to-current' }, { committed: undefined }, 100],
    ['to-offset inside the log', { mode: 'to-offset', offset: 50 }, {}, 50],
    ['to-offset below the log start is clamped up', { mode: 'to-offset', offset: 0 }, {}, 10],
    ['to-offset past the end is clamped down', { mode: 'to-offset', offset: 1000 }, {}, 100],
    ['shift-by forward', { mode: 'shift-by', shiftBy: 5 }, {}, 45],
    ['shift-by backward past the start is clamped', { mode: 'shift-by', shiftBy: -500 }, {}, 10],
    ['to-datetime takes the first offset at the time', { mode: 'to-datetime' }, {}, 55],
    ['to-datetime with nothing after the time is the log end', { mode: 'to-datetime' }, { byTime: undefined }, 100],
    ['by-duration behaves as to-datetime', { mode: 'by-duration' }, {}, 55],
    ['from-file takes the file offset', { mode: 'from-file' }, {}, 70],
    ['from-file past the end is clamped', { mode: 'from-file' }, { fromFile: 5000 }, 100],
  ])('%s', (_name, spec, over, expected) => {
    expect(newOffset(spec, { ...P, ...over }, 'g')).toBe(expected);
  });

  it('shift-by without a committed offset fails with KAFKA_NO_COMMITTED_OFFSET, not retryable', () => {
    expect(() => newOffset({ mode: 'shift-by', shiftBy: 1 }, { ...P, committed: undefined }, 'g')).toThrow(
      expect.objectContaining({ code: 'KAFKA_NO_COMMITTED_OFFSET', retryable: false }),
    );
  });

  it.each([
    [5, 10, 20, 10],
    [25, 10, 20, 20],
    [15, 10, 20, 15],
    [0, 0, 0, 0],
  ])('clamp(%d, %d, %d) = %d', (o, lo, hi, expected) => expect(clamp(o, lo, hi)).toBe(expected));
});

describe('the dry-run table', () => {
  const row = (group: string, topic: string, partition: number, n: number): ResetRow => ({
    group,
    topic,
    partition,
    low: 0,
    high: 9,
    highWatermark: 9,
    lastStableOffset: 9,
    current: null,
    new: n,
  });

  it('sorts by group, topic, then partition numerically', () => {
    const rows = [row('b', 't', 0, 1), row('a', 'u', 0, 2), row('a', 't', 10, 3), row('a', 't', 2, 4)];
    expect(sortRows(rows).map((r) => `${r.group}/${r.topic}/${r.partition}`)).toEqual([
      'a/t/2',
      'a/t/10',
      'a/u/0',
      'b/t/0',
    ]);
  });

  it('prints the header and one padded line per row, as kafka-consumer-groups does', () => {
    const lines = formatResetTable([row('g', 't', 1, 7), row('g', 't', 0, 3)]).split('\n');
    expect(lines[0]).toBe('');
    expect(lines[1].split(/\s+/)).toEqual(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET']);
    expect(lines.slice(2, 4).map((l) => l.trim().split(/\s+/))).toEqual([
      ['g', 't', '0', '3'],
      ['g', 't', '1', '7'],
    ]);
    expect(formatResetTable([])).toBe(
      `\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} NEW-OFFSET\n`,
    );
  });
});
