/**
 * The pure half of kafka.offsets-reset: the offsets file, the text table and the time inputs. What they
 * must agree with is checked against the real tool in test/integration/offsets-oracle*.test.ts; these
 * specs pin the decisions and messages.
 */
import { formatResetTable, newOffset, parseOffsetsCsv } from '../../activities/kafka/offsets/compute';
import type { ResetRow } from '../../activities/kafka/offsets/compute';
import { durationTimestamp, parseIsoDuration, parseResetDatetime } from '../../activities/kafka/offsets/time';

describe('offsets file', () => {
  test('3 or 4 columns, trailing blank lines and CRLF accepted', () => {
    expect(parseOffsetsCsv('t,0,5\r\nt,1,6\r\n\n')).toEqual([
      { group: undefined, topic: 't', partition: 0, offset: 5 },
      { group: undefined, topic: 't', partition: 1, offset: 6 },
    ]);
    expect(parseOffsetsCsv('g,t,0,5')).toEqual([{ group: 'g', topic: 't', partition: 0, offset: 5 }]);
  });

  test.each([
    ['a negative offset', 't,0,-1\n', 'line 1: offset -1 is negative'],
    ['a blank line between rows', 't,0,1\n\nt,1,1\n', 'line 2 is blank'],
    ['a comment', '# x\nt,0,1\n', 'line 1 starts with #'],
    ['mixed forms', 't,0,1\ng,t,1,1\n', 'line 2: has 4 columns where the lines before have 3'],
    ['two columns', 't,0\n', 'line 1: expected topic,partition,offset'],
    ['a non-numeric partition', 't,x,1\n', 'line 1: expected'],
  ])('refuses %s, naming the line', (_label, text, message) => {
    expect(() => parseOffsetsCsv(text)).toThrow(message);
  });
});

describe('new offset', () => {
  const p = { topic: 't', partition: 0, low: 2, high: 10, committed: 5 };
  test.each<[string, Parameters<typeof newOffset>[0], number]>([
    ['to-offset below the log start is clamped up', { mode: 'to-offset', offset: -3 }, 2],
    ['to-offset past the end is clamped down', { mode: 'to-offset', offset: 99 }, 10],
    ['shift-by is clamped', { mode: 'shift-by', shiftBy: -100 }, 2],
    ['to-current keeps the committed offset, unclamped', { mode: 'to-current' }, 5],
  ])('%s', (_label, spec, expected) => {
    expect(newOffset(spec, p, 'g')).toBe(expected);
  });
});

describe('text table', () => {
  const row = (partition: number, hw: number, lso: number): ResetRow => ({
    group: 'g',
    topic: 't',
    partition,
    low: 0,
    high: hw,
    highWatermark: hw,
    lastStableOffset: lso,
    current: null,
    new: hw,
  });
  test("the tool's four columns, one row a line; the header even without rows", () => {
    expect(formatResetTable([row(1, 4, 4), row(0, 3, 3)]).split('\n')).toEqual([
      '',
      `${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} NEW-OFFSET`,
      `${'g'.padEnd(30)} ${'t'.padEnd(30)} ${'0'.padEnd(10)} 3`,
      `${'g'.padEnd(30)} ${'t'.padEnd(30)} ${'1'.padEnd(10)} 4`,
      '',
    ]);
    expect(formatResetTable([]).trim()).toMatch(/^GROUP\s+TOPIC\s+PARTITION\s+NEW-OFFSET$/);
  });
  test('high watermark and last stable offset appear where they differ', () => {
    const lines = formatResetTable([row(0, 6, 4), row(1, 3, 3)])
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/NEW-OFFSET\s+HIGH-WATERMARK\s+LAST-STABLE-OFFSET$/);
    expect(lines[1].split(/\s+/)).toEqual(['g', 't', '0', '6', '6', '4']);
    expect(lines[2].split(/\s+/)).toEqual(['g', 't', '1', '3']);
  });
});

describe('time inputs', () => {
  test.each([
    ['2026-01-15T08:00:00.000', Date.UTC(2026, 0, 15, 8)],
    ['2026-01-15T08:00:00.000Z', Date.UTC(2026, 0, 15, 8)],
    ['2026-01-15T08:00:00.000+02', Date.UTC(2026, 0, 15, 6)],
    ['2026-01-15T08:00:00.000-05:30', Date.UTC(2026, 0, 15, 13, 30)],
    ['2026-01-15T08:00:00.000+14:00', Date.UTC(2026, 0, 14, 18)],
  ])('datetime %s', (text, ms) => {
    expect(parseResetDatetime(text)).toBe(ms);
  });

  test.each([
    ['2026-01-15T08:00:00', 'has no milliseconds'],
    ['2026-01-15T08:00:00.5Z', 'exactly three digits'],
    ['2026-01-15T08:00:00.000+0530', '±hhmm'],
    ['2026-01-15T08:00:00.000-13:30', 'outside -13:00..+14:00'],
    ['2026-01-15T08:00:00.000+02:60', 'outside -13:00..+14:00'],
    ['2026-02-30T08:00:00.000', 'not a valid date'],
    ['1969-12-31T23:59:59.999Z', 'before 1970'],
    ['2026-01-15T08:00:00.000Z[UTC]', 'is not yyyy-MM-dd'],
  ])('datetime %s refused (%s)', (text, message) => {
    expect(() => parseResetDatetime(text)).toThrow(message);
  });

  test.each([
    ['PT1H', 3_600_000],
    ['pt1h30m', 5_400_000],
    ['P1DT0.5S', 86_400_500],
    ['+PT1,25S', 1250],
    ['P1Dt', 86_400_000],
    ['PT0S', 0],
  ])('duration %s', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  test.each(['-PT1H', 'PT-1H', 'P1W', 'PT1.5H', 'P', 'PT', 'P1DT', 'P1M'])('duration %s refused', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(/duration/);
  });

  test('a duration reaching before 1970 is refused', () => {
    expect(() => durationTimestamp('P2D', Date.UTC(1970, 0, 1, 12))).toThrow('before 1970');
    expect(durationTimestamp('PT1H', Date.UTC(1970, 0, 1, 12))).toBe(Date.UTC(1970, 0, 1, 11));
  });
});
