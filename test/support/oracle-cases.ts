/**
 * Cases for the offsets differential test, generated from a seed against a world's spec. A case is
 * logical JSON (topic `a`, group `g1`, a target time relative to the world), rendered at run time into
 * the tool's arguments and Rekindle's inputs. Cases where Rekindle deliberately differs carry an
 * `expect` tag naming the difference documented in docs/actions.md; the tag follows from the case's
 * form alone, never from what Rekindle answered.
 */
import type { World, WorldSpec } from './oracle-world';
import { int, partitionEnds, pick, rng } from './oracle-world';

/** The deliberate differences (docs/actions.md): in each, Rekindle refuses and the tool goes on. */
export type Expected =
  'live-group' | 'datetime-misread' | 'duration-negative' | 'before-epoch' | 'csv-3col-groups' | 'csv-comment';

export type DtForm =
  'none' | 'Z' | 'hh:mm' | 'hh' | 'frac1' | 'frac2' | 'frac4' | 'nofrac' | 'hhmm' | 'trailing' | 'short';

export interface OracleCase {
  id: string;
  groups: string[];
  /** `a`, `a:0,1`; undefined means the group's committed topics (the tool's --all-topics). */
  topics?: string[];
  mode: string;
  offset?: number;
  shiftBy?: number;
  /** to-datetime: the instant (ms after the world's base, or `abs` epoch ms), its zone offset and written form. */
  datetime?: { rel?: number; abs?: number; zoneMin: number; form: DtForm };
  /** by-duration: the text. */
  duration?: string;
  /** from-file: rows [group or '', topic, partition, offset] and the file's line layout. */
  file?: { rows: Array<[string, string, number, number]>; layout: 'lf' | 'nofinal' | 'crlf' | 'blank' | 'comment' };
  expect?: Expected;
}

const ZONES = [0, 60, -60, 120, 330, -210, 345, 540, 600, 780, 840, -720, -570, -300, 525];
const two = (n: number) => String(Math.abs(n)).padStart(2, '0');

/** A datetime text of `ms` in the given zone and form (forms other than none/Z/hh:mm/hh are misread or refused by the tool). */
export function datetimeText(ms: number, zoneMin: number, form: DtForm): string {
  const local = new Date(ms + zoneMin * 60_000).toISOString().slice(0, 23);
  const sign = zoneMin < 0 ? '-' : '+';
  const hh = `${sign}${two(Math.trunc(zoneMin / 60))}`;
  const mm = two(zoneMin % 60);
  switch (form) {
    case 'none':
      return new Date(ms).toISOString().slice(0, 23);
    case 'Z':
      return `${new Date(ms).toISOString().slice(0, 23)}Z`;
    case 'hh:mm':
      return `${local}${hh}:${mm}`;
    case 'hh':
      return `${local}${hh}`;
    case 'frac1':
      return `${local.slice(0, 21)}${hh}:${mm}`;
    case 'frac2':
      return `${local.slice(0, 22)}Z`.replace(/Z$/, zoneMin === 0 ? 'Z' : `${hh}:${mm}`);
    case 'frac4':
      return `${local}7${hh}:${mm}`;
    case 'nofrac':
      return `${local.slice(0, 19)}${hh}:${mm}`;
    case 'hhmm':
      return `${local}${hh}${mm}`;
    case 'trailing':
      return `${local}${hh}:${mm}[UTC]`;
    case 'short':
      return local.replace(/-0(\d)-/, '-$1-').replace(/T0(\d)/, 'T$1');
  }
}

const MISREAD_FORMS: DtForm[] = ['frac1', 'frac2', 'frac4', 'hhmm', 'trailing', 'short'];

function datetimeCase(r: () => number, w: WorldSpec): OracleCase['datetime'] & { expect?: Expected } {
  const times = Object.values(w.topics).flatMap((ps) => ps.flatMap((p) => p.times));
  const form = pick(r, ['none', 'none', 'Z', 'hh:mm', 'hh:mm', 'hh:mm', 'hh', ...MISREAD_FORMS, 'nofrac'] as DtForm[]);
  let zoneMin = form === 'none' || form === 'Z' ? 0 : pick(r, ZONES);
  if (form === 'hh') zoneMin = Math.trunc(zoneMin / 60) * 60;
  if (r() < 0.04)
    return { abs: pick(r, [-1, -2, -3, -1000, -86_400_000]), zoneMin: 0, form: 'Z', expect: 'before-epoch' };
  const rel =
    times.length && r() < 0.8
      ? pick(r, times) * 60_000 + pick(r, [0, 0, -1, 1, 30_000, -30_000])
      : pick(r, [-3_600_000, 200 * 3_600_000, 0]);
  return { rel, zoneMin, form, ...(MISREAD_FORMS.includes(form) ? { expect: 'datetime-misread' as const } : {}) };
}

/** A by-duration text whose instant (now - duration) stays 2 minutes clear of every record and of the seeding window. */
function durationCase(r: () => number, world: World): { text: string; expect?: Expected } {
  const odd = r();
  if (odd < 0.05) return { text: pick(r, ['-PT1H', 'PT-30M', 'P-1D', '-P1DT2H']), expect: 'duration-negative' };
  if (odd < 0.09) return { text: pick(r, ['P1W', 'PT1.5H', 'PT', 'P', 'P1M', 'P1Y', 'PT1H1H', 'PT 1H', '1H']) };
  if (odd < 0.11) return { text: pick(r, ['P30000D', 'P99999D']), expect: 'before-epoch' };
  const now = Date.now();
  const clear = (at: number) =>
    at < world.seededFrom - 120_000 && world.stamps.every((s) => Math.abs(s - at) > 120_000);
  for (;;) {
    const ms = r() < 0.1 ? int(r, 0, 40) * 1000 : int(r, 1, (110 * 3_600_000) / 1000) * 1000 + int(r, 0, 999);
    const small = ms < 60_000;
    if (!small && !clear(now - ms)) continue;
    const s = ms / 1000;
    const [d, h, m] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60)];
    const sec = (s % 60).toFixed(3).replace(/\.?0+$/, '') || '0';
    const text = pick(r, [
      `PT${s}S`,
      `PT${Math.floor(s / 3600)}H${Math.floor((s % 3600) / 60)}M${sec}S`,
      `P${d}DT${h}H${m}M${sec}S`,
      `pt${Math.floor(s / 60)}m${sec}s`,
      `+PT${s}S`.replace('.', ','),
      `PT${Math.floor(s / 60)}M${sec}S`,
    ]);
    return { text };
  }
}

function fileCase(
  r: () => number,
  w: WorldSpec,
  groups: string[],
): { file: NonNullable<OracleCase['file']>; expect?: Expected } {
  const threeCol = groups.length === 1 ? r() < 0.5 : r() < 0.1;
  const rows: Array<[string, string, number, number]> = [];
  for (let i = int(r, 1, 6); i > 0; i--) {
    const t = pick(r, ['a', 'b', 'x']);
    const p = int(r, 0, w.topics[t].length - 1);
    const { hw } = partitionEnds(w.topics[t][p]);
    const g = threeCol ? '' : r() < 0.85 ? pick(r, groups) : pick(r, ['g0', 'g1', 'g2', 'g3', 'dead']);
    rows.push([g, t, p, pick(r, [-3, 0, 1, Math.floor(hw / 2), hw, hw + 5])]);
  }
  const layout = pick(r, ['lf', 'lf', 'lf', 'nofinal', 'crlf', 'blank', 'comment'] as const);
  const expect: Expected | undefined =
    layout === 'comment' ? 'csv-comment' : threeCol && groups.length > 1 ? 'csv-3col-groups' : undefined;
  return { file: { rows, layout }, ...(expect ? { expect } : {}) };
}

function topicsCase(r: () => number, w: WorldSpec): string[] | undefined {
  if (r() < 0.3) return undefined;
  const out: string[] = [];
  for (let i = int(r, 1, 3); i > 0; i--) {
    const t = pick(r, ['a', 'b', 'x']);
    const n = w.topics[t].length;
    if (r() < 0.5) out.push(t);
    else out.push(`${t}:${[...new Set(Array.from({ length: int(r, 1, n) }, () => int(r, 0, n - 1)))].join(',')}`);
  }
  const odd = r();
  if (odd < 0.02) out.push('nope');
  else if (odd < 0.04) out.push(`a:${w.topics.a.length + 1}`);
  else if (odd < 0.06) out.push(out[0]);
  return [...new Set(out.slice(0, -1)), ...out.slice(-1)];
}

/** Case `n` of a world, reproducible from (world seed, n). */
export function generateCase(world: World, n: number): OracleCase {
  const w = world.spec;
  const r = rng(w.seed * 100_003 + n);
  const groups = [...new Set(Array.from({ length: int(r, 1, 3) }, () => pick(r, ['g0', 'g1', 'g2', 'g3', 'dead'])))];
  const c: OracleCase = { id: `${w.seed}-${n}`, groups, mode: '' };
  if (r() < 0.04) {
    groups.push('live');
    c.expect = 'live-group';
  }
  c.mode = pick(r, [
    'to-earliest',
    'to-latest',
    'to-current',
    'to-offset',
    'shift-by',
    'to-datetime',
    'to-datetime',
    'to-datetime',
    'by-duration',
    'by-duration',
    'from-file',
    'from-file',
  ]);
  if (c.mode !== 'from-file') c.topics = topicsCase(r, w);
  if (c.mode === 'to-offset') c.offset = pick(r, [-3, 0, 1, 3, 7, 15, 40, 1000]);
  if (c.mode === 'shift-by') c.shiftBy = pick(r, [-1000, -5, -1, 0, 1, 2, 5, 1000]);
  if (c.mode === 'to-datetime') {
    const { expect, ...dt } = datetimeCase(r, w);
    c.datetime = dt;
    c.expect ??= expect;
  }
  if (c.mode === 'by-duration') {
    const { text, expect } = durationCase(r, world);
    c.duration = text;
    c.expect ??= expect;
  }
  if (c.mode === 'from-file') {
    const { file, expect } = fileCase(
      r,
      w,
      groups.filter((g) => g !== 'live'),
    );
    c.file = file;
    c.expect ??= expect;
  }
  return c;
}
