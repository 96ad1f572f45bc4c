/**
 * Runs one oracle case both ways on the same data and compares the new offset per partition:
 * `kafka-consumer-groups --reset-offsets --dry-run` (the oracle JVM) and Rekindle's kafka.offsets-reset
 * dry run. Also checks that the text table has the tool's columns.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionResult } from '../../compiler/plan';
import type { KafkaHarness } from './kafka';
import type { OracleCase } from './oracle-cases';
import { datetimeText } from './oracle-cases';
import type { Oracle, ToolReset } from './oracle';
import type { World } from './oracle-world';

export interface Rendered {
  args: string[];
  inputs: Record<string, unknown>;
}

function fileText(c: OracleCase, w: World): string {
  const f = c.file!;
  const lines = f.rows.map(([g, t, p, o]) => (g ? `${w.group[g]},` : '') + `${w.topic[t]},${p},${o}`);
  if (f.layout === 'blank') lines.splice(Math.ceil(lines.length / 2), 0, '');
  if (f.layout === 'comment') lines.unshift('# offsets to restore');
  if (f.layout === 'crlf') return `${lines.join('\r\n')}\r\n`;
  return lines.join('\n') + (f.layout === 'nofinal' ? '' : '\n');
}

const realTopic = (w: World, t: string) => {
  const [name, parts] = t.split(':');
  const real = w.topic[name] ?? `${w.topic.a}-${name}`;
  return parts === undefined ? real : `${real}:${parts}`;
};

/** The case as tool arguments and Rekindle inputs; from-file writes its file into `dir`. */
export function renderCase(c: OracleCase, w: World, bootstrap: string, dir: string): Rendered {
  const groups = c.groups.map((g) => w.group[g]);
  const topics = c.topics?.map((t) => realTopic(w, t));
  const args = ['--bootstrap-server', bootstrap, '--reset-offsets', '--dry-run', '--timeout=5000'];
  for (const g of groups) args.push('--group', g);
  if (topics) for (const t of topics) args.push('--topic', t);
  else if (c.mode !== 'from-file') args.push('--all-topics');
  const inputs: Record<string, unknown> = { groups, mode: c.mode, ...(topics ? { topics } : {}) };
  if (c.mode === 'to-offset') {
    args.push(`--to-offset=${c.offset}`);
    inputs.offset = c.offset;
  } else if (c.mode === 'shift-by') {
    args.push(`--shift-by=${c.shiftBy}`);
    inputs.shiftBy = c.shiftBy;
  } else if (c.mode === 'to-datetime') {
    const d = c.datetime!;
    inputs.datetime = datetimeText(d.abs ?? w.base + (d.rel as number), d.zoneMin, d.form);
    args.push(`--to-datetime=${inputs.datetime}`);
  } else if (c.mode === 'by-duration') {
    args.push(`--by-duration=${c.duration}`);
    inputs.duration = c.duration;
  } else if (c.mode === 'from-file') {
    const path = join(dir, `${c.id}.csv`);
    writeFileSync(path, fileText(c, w));
    args.push(`--from-file=${path}`);
    inputs.file = path;
  } else args.push(`--${c.mode}`);
  return { args, inputs };
}

type Side = { refused: string } | { rows: string[] };

function toolSide(t: ToolReset): Side {
  if (!t.ok) return { refused: t.error ?? 'error' };
  const rows = Object.entries(t.offsets ?? {}).flatMap(([g, tps]) =>
    Object.entries(tps).map(([tp, o]) => `${g} ${tp} ${o}`),
  );
  return { rows: rows.sort() };
}

function rekindleSide(r: ActionResult | { error: { type?: string; message?: string } }): Side {
  if ('error' in r) return { refused: `${r.error.type ?? 'Error'}: ${r.error.message ?? ''}` };
  const table = r.outputs.table as Array<{ group: string; topic: string; partition: number; new: number }>;
  return { rows: table.map((x) => `${x.group} ${x.topic}:${x.partition} ${x.new}`).sort() };
}

/** The tool's table cut into rows (it prints `%-30s %-30s %-10s %-15s` per row, without line breaks in 3.9). */
export function toolTableRows(table: string): string[] {
  const flat = table.replace(/\n/g, '');
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 88) out.push(flat.slice(i, i + 88).trimEnd());
  return out;
}

export interface Verdict {
  id: string;
  verdict: 'match' | 'both-refuse' | 'expected' | 'MISMATCH';
  expect?: string;
  tool: Side;
  rekindle: Side;
  /** True when the text table's rows (first four columns) equal the tool's, as sets. */
  layout?: boolean;
  case: OracleCase;
  rendered: Rendered;
  /** Wall time of each side (run at the same time). */
  ms: { tool: number; rekindle: number };
}

/** Runs the case both ways and judges it. */
export async function judge(
  c: OracleCase,
  w: World,
  h: KafkaHarness,
  oracle: Oracle,
  bootstrap: string,
  dir: string,
): Promise<Verdict> {
  const rendered = renderCase(c, w, bootstrap, dir);
  const timed = async <T>(p: () => Promise<T>): Promise<[T, number]> => {
    const t0 = Date.now();
    const v = await p();
    return [v, Date.now() - t0];
  };
  const [[tool, toolMs], [mine, mineMs]] = await Promise.all([
    timed(() => oracle.reset(rendered.args)),
    timed(() =>
      h
        .act('kafka.offsets-reset')(h.req(rendered.inputs))
        .catch((error: { type?: string; message?: string }) => ({ error })),
    ),
  ]);
  const t = toolSide(tool);
  const m = rekindleSide(mine);
  const base = {
    id: c.id,
    expect: c.expect,
    tool: t,
    rekindle: m,
    case: c,
    rendered,
    ms: { tool: toolMs, rekindle: mineMs },
  };
  if ('rows' in t && 'rows' in m && JSON.stringify(t.rows) === JSON.stringify(m.rows)) {
    const text = (mine as ActionResult).outputs.text as string;
    const mineRows = text
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(0, 88).trimEnd());
    const layout = JSON.stringify(toolTableRows(tool.table ?? '').sort()) === JSON.stringify(mineRows.sort());
    return { ...base, verdict: 'match', layout };
  }
  if ('refused' in t && 'refused' in m) return { ...base, verdict: 'both-refuse' };
  if (c.expect && 'refused' in m && /^(INVALID_INPUT|KAFKA_GROUP_NOT_EMPTY)/.test(m.refused))
    return { ...base, verdict: 'expected' };
  return { ...base, verdict: 'MISMATCH' };
}
