/**
 * Renders the audit report as one self-contained HTML page (inline CSS and SVG, no script, no external
 * asset): facts, the DAG with state colours, the timeline, steps with collapsible inputs and outputs,
 * approvals, decisions, rollback. Print CSS opens every <details> and avoids splitting sections.
 */
import { dagSvg, esc, STATE_COLOURS, timelineSvg } from './html-svg';
import type { AuditAttempt, AuditReport, AuditStep } from './model';
import { listOutputMarkers } from '../compiler/expr';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#212121;margin:24px auto;max-width:1100px;padding:0 16px}
h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;width:100%;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5}code,pre{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}pre{background:#fafafa;border:1px solid #eee;padding:8px;overflow:auto;white-space:pre-wrap;word-break:break-word}
.state{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px}
.outcome{font-size:16px;font-weight:bold}.figure{overflow-x:auto;border:1px solid #eee;padding:8px;margin:8px 0}
details{margin:4px 0 4px 16px}summary{cursor:pointer}.step{margin:10px 0;padding:6px 10px;border-left:4px solid #ccc}
.legend span{margin-right:10px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:3px;border:1px solid #999}
@media print{body{margin:0;max-width:none}details{display:block}details>*{display:block}summary{list-style:none}
section,.step,.figure{break-inside:avoid}.figure{overflow:visible;border:0}svg{max-width:100%;height:auto}a{color:inherit;text-decoration:none}}
`;

const OUTCOME_COLOURS: Record<string, string> = {
  aborted: '#c62828',
  cancelled: '#6d4c41',
  'completed-with-failures': '#ef6c00',
  terminated: '#424242',
};
const pill = (state: string) =>
  `<span class="state" style="background:${STATE_COLOURS[state] ?? OUTCOME_COLOURS[state] ?? '#757575'}">${esc(state)}</span>`;
const pre = (v: unknown) => `<pre>${esc(typeof v === 'string' ? v : JSON.stringify(v, null, 2))}</pre>`;
const row = (...cells: unknown[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;

function attempt(a: AuditAttempt): string {
  const head = `attempt ${a.attempt}${a.item !== undefined ? ` · item ${esc(JSON.stringify(a.item))}` : ''} · ${esc(a.startedAt ?? a.scheduledAt)} → ${esc(a.endedAt ?? '…')}${a.activityAttempts > 1 ? ` · ${a.activityAttempts} activity attempts` : ''} · ${a.error ? `<b>${esc(a.error.type)}</b>` : a.result ? 'ok' : 'open'}`;
  const parts = [
    Object.keys(a.inputs).length ? `<details><summary>inputs</summary>${pre(a.inputs)}</details>` : '',
    a.evidence ? `<details open><summary>evidence shown</summary>${pre(a.evidence)}</details>` : '',
    a.result
      ? `<details><summary>result: changed ${a.result.changed}${a.result.summary ? ` — ${esc(a.result.summary)}` : ''}</summary>${pre(a.result.outputs)}</details>`
      : '',
    ...(a.result ? listOutputMarkers(a.result.outputs) : []).map(
      (m) => `<div>large output <code>${esc(m.field)}</code>: ${esc(m.where)}</div>`,
    ),
    a.outputTail ? `<details><summary>output tail</summary>${pre(a.outputTail)}</details>` : '',
    a.retriedAfter
      ? `<div>retried after <code>${esc(a.retriedAfter.type)}</code> ${esc(a.retriedAfter.message)}</div>`
      : '',
    a.error ? `<div>error <code>${esc(a.error.type)}</code> ${esc(a.error.message)}</div>` : '',
  ];
  return `<details class="attempt"><summary>${head}</summary>${parts.join('')}</details>`;
}

function step(s: AuditStep): string {
  return `<div class="step" id="step-${esc(s.id)}" style="border-color:${STATE_COLOURS[s.state] ?? '#ccc'}"><b>${esc(s.id)}</b> ${pill(s.state)} <code>${esc(s.action)}</code> <small>${esc(s.source.file)}:${s.source.line}:${s.source.column}</small>
${s.attempts.length ? s.attempts.map(attempt).join('\n') : '<div><small>no attempt recorded</small></div>'}</div>`;
}

/** The whole report as one HTML page. Never throws. */
export function renderHtml(r: AuditReport): string {
  const legend = Object.entries(STATE_COLOURS)
    .filter(([k]) => k !== 'pending')
    .map(([k, c]) => `<span><i style="background:${c}"></i>${esc(k)}</span>`)
    .join('');
  const verify = r.verify
    ? row(
        'replay verification',
        r.verify.replayed
          ? 'replays cleanly'
          : `<b>FAILED</b>: ${esc(r.verify.error?.type)} ${esc(r.verify.error?.message)}`,
      )
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Audit of ${esc(r.workflowId)}</title><style>${CSS}</style></head>
<body>
<h1>Audit of run ${esc(r.workflowId)}</h1>
<section id="facts"><table>
${row('runbook', `${esc(r.runbook.name)}${r.runbook.title ? ` — ${esc(r.runbook.title)}` : ''}`)}
${row('runbook SHA-256', `<code>${esc(r.runbook.sha256)}</code>`)}
${row('runbook source', `<code>${esc(r.runbook.source)}</code>`)}
${row('run id', `<code>${esc(r.runId)}</code>`)}
${row('started by', `<code>${esc(r.startedBy)}</code> (initiator <code>${esc(r.options.initiator)}</code>) at ${esc(r.startedAt)}`)}
${row('ended at', esc(r.endedAt ?? '(still running)'))}
${row('mode', `${esc(r.options.mode)}${r.options.dryRun ? ' (dry run)' : ''}`)}
${row('outcome', `<span class="outcome">${pill(r.outcome.status)}</span>${r.outcome.error ? ` <code>${esc(r.outcome.error.type)}</code> ${esc(r.outcome.error.message)}` : ''}`)}
${row('history', `${r.history.events} events${r.history.sha256 ? `, SHA-256 <code>${esc(r.history.sha256)}</code>` : ''}`)}
${verify}
</table></section>
<section id="params"><h2>Parameters</h2><table><tr><th>name</th><th>value</th></tr>${Object.entries(r.params)
    .map(([k, v]) => row(esc(k), `<code>${esc(JSON.stringify(v))}</code>`))
    .join('')}</table></section>
<section id="graph"><h2>Steps graph</h2><div class="legend">${legend}</div><div class="figure">${dagSvg(r.steps)}</div></section>
<section id="time"><h2>Timeline</h2><div class="figure">${timelineSvg(r)}</div></section>
<section id="steps"><h2>Steps</h2>${r.steps.map(step).join('\n')}</section>
<section id="approvals"><h2>Approvals</h2><table><tr><th>gate</th><th>by</th><th>decision</th><th>comment</th><th>at</th><th>client identity</th></tr>
${r.approvals.map((a) => row(esc(a.gate), esc(a.by), `${esc(a.decision)}${a.policy ? ' (policy)' : ''}`, esc(a.comment), esc(a.at), `<code>${esc(a.identity)}</code>`)).join('\n')}</table></section>
<section id="decisions"><h2>Operator decisions and actions</h2><table><tr><th>what</th><th>by</th><th>comment</th><th>at</th></tr>
${[...r.decisions.map((d) => row(`${esc(d.decision)} <code>${esc(d.step)}</code>`, esc(d.by), esc(d.comment), esc(d.at))), ...r.operator.map((o) => row(esc(o.action), esc(o.by), esc(o.comment), esc(o.at)))].join('\n')}</table></section>
<section id="rollback"><h2>Rollback</h2>${r.rollback.length ? r.rollback.map(step).join('\n') : '<p>No rollback ran.</p>'}</section>
<section id="events"><h2>Timeline entries</h2><details><summary>${r.timeline.length} entries</summary><table>${r.timeline.map((t) => row(esc(t.at), esc(t.text))).join('\n')}</table></details></section>
</body></html>
`;
}
