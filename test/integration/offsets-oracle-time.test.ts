/**
 * How `--to-datetime` and `--by-duration` are read, checked against the real tool's own parsers
 * (Kafka 3.9.1 Utils.getDateTime and java.time.Duration.parse, in the oracle JVM) on thousands of
 * generated texts from a fixed seed. Rekindle must read every text as the tool does, or refuse it where
 * the tool misreads it (docs/actions.md lists those forms); it must never accept what the tool refuses.
 */
import { parseIsoDuration, parseResetDatetime } from '../../activities/kafka/offsets/time';
import { writeSection } from '../../bench/results';
import { labInventory } from '../support/lab';
import { Oracle } from '../support/oracle';
import { int, pick, rng } from '../support/oracle-world';

let oracle: Oracle;
const recorded: string[] = [];
beforeAll(async () => {
  oracle = await Oracle.start(labInventory().kafka.bootstrap.join(','));
}, 60_000);
afterAll(async () => {
  await oracle?.stop();
  if (process.env.ORACLE_RECORD === '1' && recorded.length === 2)
    writeSection(
      '## Offsets reset: datetime and duration texts vs the tool',
      `## Offsets reset: datetime and duration texts vs the tool (test/integration/offsets-oracle-time.test.ts)\nGenerated texts (seed 18) read by Kafka 3.9.1's Utils.getDateTime / java.time.Duration.parse in the oracle JVM and by Rekindle.\n${recorded.join('\n')}\n- Measured ${new Date().toISOString()}; no text read differently.`,
    );
});

const N = Number(process.env.ORACLE_TIME_CASES ?? 3000);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Datetime texts: canonical ones, every zone spelling, and the misreadable and broken ones around them. */
function datetimes(seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < N; i++) {
    const y = pick(r, [1969, 1970, 2000, 2024, 2026, 2100, 9999]);
    // Mostly valid fields, sometimes just outside their range.
    const field = (lo: number, hi: number, out: number) => (r() < 0.93 ? int(r, lo, hi) : pick(r, [lo - 1, out]));
    const [mo, d] = [field(1, 12, 13), field(1, 28, pick(r, [29, 30, 31, 32]))];
    const [h, mi, s] = [field(0, 23, 24), field(0, 59, 60), field(0, 59, 60)];
    const frac = pick(r, ['.000', '.123', '.999', '.000', '.123', '.5', '.05', '.0097', '.1234', '', '.']);
    const zh = int(r, 0, 19);
    const zm = pick(r, [0, 0, 30, 45, 59, 60]);
    const sign = pick(r, ['+', '-']);
    const zone = pick(r, [
      '',
      '',
      'Z',
      'z',
      `${sign}${pad(zh)}:${pad(zm)}`,
      `${sign}${pad(zh)}`,
      `${sign}${pad(zh)}${pad(zm)}`,
      '+5:30',
      ' UTC',
      '[UTC]',
    ]);
    const date = r() < 0.9 ? `${pad(y, 4)}-${pad(mo)}-${pad(d)}` : `${y % 100}-${mo}-${d}`;
    const time = r() < 0.9 ? `${pad(h)}:${pad(mi)}:${pad(s)}` : `${h}:${mi}:${s}`;
    const t = pick(r, ['T', 'T', 'T', 't', ' ']);
    out.push(`${date}${t}${time}${frac}${zone}${r() < 0.03 ? pick(r, ['x', ':00', ' ']) : ''}`);
  }
  return out;
}

/** Duration texts: every java.time.Duration spelling, with negative, fractional and malformed ones. */
function durations(seed: number): string[] {
  const r = rng(seed);
  const part = (u: string) => (r() < 0.5 ? `${r() < 0.05 ? '-' : ''}${int(r, 0, 500)}${u}` : '');
  const out: string[] = [];
  for (let i = 0; i < N; i++) {
    const sec =
      r() < 0.5
        ? `${int(r, 0, 99999)}${r() < 0.5 ? pick(r, ['.', ',']) + String(int(r, 0, 999999999)).slice(0, int(r, 0, 10)) : ''}S`
        : '';
    const tpart = `${part('H')}${part('M')}${sec}`;
    const body = `${pick(r, ['', '', '+', '-'])}P${part('D')}${tpart || r() < 0.3 ? `T${tpart}` : ''}`;
    const extra = r() < 0.05 ? pick(r, ['1W', '1Y', '2M', '1.5H', ' ', 'x']) : '';
    const text = r() < 0.3 ? body.toLowerCase() : body;
    out.push(r() < 0.5 ? `${text}${extra}` : `${extra}${text}`);
  }
  return out;
}

/**
 * The documented datetime grammar (docs/actions.md), written apart from the parser: every text of this shape with
 * zone minutes 00-59 and a zone in -13:00..+14:00 that the tool reads at or after 1970 must be read as the tool does.
 */
function canonical(text: string, toolMs: number): boolean {
  const m = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|([+-])(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) return false;
  const zone = m[2] ? (Number(m[3]) * 60 + Number(m[4] ?? 0)) * (m[2] === '+' ? 1 : -1) : 0;
  return Number(m[4] ?? 0) <= 59 && zone >= -13 * 60 && zone <= 14 * 60 && toolMs >= 0;
}

type Outcome = { ok: true; value: number } | { ok: false };
const mine = (f: () => number): Outcome => {
  try {
    return { ok: true, value: f() };
  } catch {
    return { ok: false };
  }
};

test(`${N} datetime texts: read as the tool reads them, or refused where the tool misreads them`, async () => {
  const texts = datetimes(18);
  const tool = await oracle.datetimes(texts);
  const tally = { same: 0, bothRefuse: 0, refusedMisread: 0 };
  const bad: string[] = [];
  texts.forEach((text, i) => {
    const t = tool[i];
    const m = mine(() => parseResetDatetime(text));
    if (m.ok && t.ms === m.value) tally.same++;
    else if (!m.ok && t.error) tally.bothRefuse++;
    else if (!m.ok && t.ms !== undefined && !canonical(text, t.ms)) tally.refusedMisread++;
    else bad.push(`${text}: tool ${JSON.stringify(t)} rekindle ${JSON.stringify(m)}`);
  });
  process.stdout.write(`datetimes: ${JSON.stringify(tally)}\n`);
  recorded.push(
    `- ${N} datetimes: same instant ${tally.same}, both refuse ${tally.bothRefuse}, refused by Rekindle where the tool misreads ${tally.refusedMisread}`,
  );
  expect(bad.slice(0, 20)).toEqual([]);
  expect(tally.same).toBeGreaterThan(N / 20);
});

test(`${N} duration texts: read as java.time.Duration reads them, or refused when negative`, async () => {
  const texts = durations(18);
  const tool = await oracle.durations(texts);
  const tally = { same: 0, bothRefuse: 0, refusedNegative: 0 };
  const bad: string[] = [];
  texts.forEach((text, i) => {
    const t = tool[i];
    const m = mine(() => parseIsoDuration(text));
    if (m.ok && t.nanos !== undefined && Math.abs(Number(BigInt(t.nanos)) / 1e6 - m.value) < 1e-3) tally.same++;
    else if (!m.ok && t.error) tally.bothRefuse++;
    else if (!m.ok && text.includes('-')) tally.refusedNegative++;
    else bad.push(`${text}: tool ${JSON.stringify(t)} rekindle ${JSON.stringify(m)}`);
  });
  process.stdout.write(`durations: ${JSON.stringify(tally)}\n`);
  recorded.push(
    `- ${N} durations: same length ${tally.same}, both refuse ${tally.bothRefuse}, negative (refused by Rekindle) ${tally.refusedNegative}`,
  );
  expect(bad.slice(0, 20)).toEqual([]);
  expect(tally.same).toBeGreaterThan(N / 20);
});
