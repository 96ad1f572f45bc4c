/** Inline SVG for the HTML report: the DAG by levels with state colours, and the timeline of attempts. Pure. */
import type { AuditReport, AuditStep } from './model';

export const STATE_COLOURS: Record<string, string> = {
  succeeded: '#2e7d32',
  failed: '#c62828',
  'rolled-back': '#6a1b9a',
  skipped: '#9e9e9e',
  'not-run': '#e0e0e0',
  running: '#1565c0',
  'waiting-approval': '#f9a825',
  'failed-awaiting-decision': '#ef6c00',
  pending: '#e0e0e0',
};

export const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const colour = (state: string) => STATE_COLOURS[state] ?? '#757575';
const ink = (state: string) =>
  ['not-run', 'pending', 'waiting-approval', 'skipped'].includes(state) ? '#212121' : '#ffffff';

const W = 180;
const H = 44;
const GX = 60;
const GY = 18;

/** The forward steps as a left-to-right DAG, one column per level. */
export function dagSvg(steps: AuditStep[]): string {
  const cols: AuditStep[][] = [];
  for (const s of steps) (cols[s.level] ??= []).push(s);
  const pos = new Map<string, { x: number; y: number }>();
  cols.forEach((col, i) => col?.forEach((s, j) => pos.set(s.id, { x: 10 + i * (W + GX), y: 10 + j * (H + GY) })));
  const width = 20 + cols.length * (W + GX) - GX;
  const height = 20 + Math.max(1, ...cols.map((c) => c?.length ?? 0)) * (H + GY) - GY;
  const edges = steps.flatMap((s) =>
    s.needs
      .filter((n) => pos.has(n))
      .map((n) => {
        const a = pos.get(n)!;
        const b = pos.get(s.id)!;
        return `<path class="edge" d="M${a.x + W},${a.y + H / 2} C${a.x + W + GX / 2},${a.y + H / 2} ${b.x - GX / 2},${b.y + H / 2} ${b.x},${b.y + H / 2}" fill="none" stroke="#616161" stroke-width="1.5" marker-end="url(#arrow)"/>`;
      }),
  );
  const nodes = steps.map((s) => {
    const p = pos.get(s.id)!;
    const tries = Math.max(0, ...s.attempts.map((a) => a.attempt));
    return `<g class="node" data-step="${esc(s.id)}" data-state="${esc(s.state)}"><title>${esc(`${s.id}: ${s.state} (${s.action})`)}</title>
<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="6" fill="${colour(s.state)}" stroke="#424242"/>
<text x="${p.x + 8}" y="${p.y + 18}" fill="${ink(s.state)}" font-size="13" font-weight="bold">${esc(s.id.length > 22 ? `${s.id.slice(0, 21)}…` : s.id)}</text>
<text x="${p.x + 8}" y="${p.y + 35}" fill="${ink(s.state)}" font-size="11">${esc(s.state)}${tries > 1 ? ` · ${tries} attempts` : ''}</text></g>`;
  });
  return `<svg id="dag" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="step graph">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#616161"/></marker></defs>
${edges.join('\n')}
${nodes.join('\n')}
</svg>`;
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

/** One row per step (forward, then rollback): a bar per attempt, approval marks as diamonds. */
export function timelineSvg(r: AuditReport): string {
  const rows = [...r.steps, ...r.rollback.map((s) => ({ ...s, id: `↶ ${s.id}` }))];
  const t0 = ms(r.startedAt);
  const t1 = Math.max(ms(r.endedAt ?? r.timeline[r.timeline.length - 1]?.at) || t0 + 1, t0 + 1);
  const label = 190;
  const plotW = 760;
  const rowH = 24;
  const x = (iso: string | null) => label + ((Math.min(Math.max(ms(iso), t0), t1) - t0) / (t1 - t0)) * plotW;
  const height = 30 + rows.length * rowH;
  const bars = rows.flatMap((s, i) => {
    const y = 22 + i * rowH;
    const text = `<text x="4" y="${y + 15}" font-size="12">${esc(s.id.length > 26 ? `${s.id.slice(0, 25)}…` : s.id)}</text>`;
    const attempts = s.attempts.map((a) => {
      const start = x(a.startedAt ?? a.scheduledAt);
      const end = a.endedAt ? x(a.endedAt) : label + plotW;
      const fill = a.error ? STATE_COLOURS.failed : a.result ? STATE_COLOURS.succeeded : STATE_COLOURS.running;
      return `<rect class="bar" x="${start.toFixed(1)}" y="${y + 3}" width="${Math.max(3, end - start).toFixed(1)}" height="${rowH - 8}" fill="${fill}"><title>${esc(`${s.id} attempt ${a.attempt}: ${a.startedAt ?? a.scheduledAt} → ${a.endedAt ?? '…'}${a.error ? ` ${a.error.type}` : ''}`)}</title></rect>`;
    });
    const marks = r.approvals
      .filter((a) => a.gate === s.id)
      .map((a) => {
        const cx = x(a.at);
        return `<path class="mark" d="M${cx.toFixed(1)},${y + 2} l6,9 l-6,9 l-6,-9 z" fill="${a.decision === 'approve' ? '#1b5e20' : '#b71c1c'}"><title>${esc(`${a.decision} by ${a.by} at ${a.at}`)}</title></path>`;
      });
    return [text, ...attempts, ...marks];
  });
  const axis = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    // Milliseconds when the run is short, so ticks do not repeat the same second.
    const t = new Date(t0 + f * (t1 - t0)).toISOString().slice(11, t1 - t0 < 20_000 ? 23 : 19);
    const xx = label + f * plotW;
    return `<line x1="${xx}" y1="16" x2="${xx}" y2="${height}" stroke="#e0e0e0"/><text x="${xx}" y="12" font-size="10" text-anchor="middle">${t}</text>`;
  });
  return `<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="${label + plotW + 20}" height="${height}" viewBox="0 0 ${label + plotW + 20} ${height}" role="img" aria-label="timeline">
${axis.join('\n')}
${bars.join('\n')}
</svg>`;
}
