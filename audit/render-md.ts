/** Renders the audit report as Markdown: header facts, steps with every attempt, approvals, decisions, rollback, timeline. */
import { listOutputMarkers } from '../compiler/expr';
import type { AuditAttempt, AuditReport, AuditStep } from './model';

const code = (v: unknown) => `\`${String(v).replace(/`/g, "'")}\``;
const cell = (v: unknown) =>
  String(v ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
const json = (v: unknown) => JSON.stringify(v, null, 2);

function fence(text: string, lang = ''): string[] {
  const ticks = text.includes('```') ? '````' : '```';
  return [`${ticks}${lang}`, text, ticks];
}

function attemptLines(a: AuditAttempt): string[] {
  const head = [
    `- **attempt ${a.attempt}**${a.item !== undefined ? ` item ${code(JSON.stringify(a.item))}` : ''}:`,
    `started ${a.startedAt ?? a.scheduledAt}, ended ${a.endedAt ?? '(not ended)'}`,
    a.activityAttempts > 1 ? `, ${a.activityAttempts} activity attempts` : '',
    a.worker ? `, worker ${code(a.worker)}` : '',
  ].join(' ');
  const out = [head];
  if (a.retriedAfter) out.push(`  - retried after: ${code(a.retriedAfter.type)} ${cell(a.retriedAfter.message)}`);
  if (Object.keys(a.inputs).length) out.push('  - inputs:', ...fence(json(a.inputs), 'json').map((l) => `    ${l}`));
  if (a.evidence) out.push('  - evidence shown:', ...fence(a.evidence).map((l) => `    ${l}`));
  if (a.result) {
    out.push(`  - result: changed ${a.result.changed}${a.result.summary ? `, ${cell(a.result.summary)}` : ''}`);
    if (Object.keys(a.result.outputs).length)
      out.push('  - outputs:', ...fence(json(a.result.outputs), 'json').map((l) => `    ${l}`));
    for (const m of listOutputMarkers(a.result.outputs))
      out.push(`  - large output ${code(m.field)}: ${cell(m.where)}`);
  }
  if (a.outputTail) out.push('  - output tail:', ...fence(a.outputTail).map((l) => `    ${l}`));
  if (a.error)
    out.push(
      `  - error: ${code(a.error.type)} ${cell(a.error.message)}${a.error.nonRetryable ? ' (non-retryable)' : ''}`,
    );
  return out;
}

function stepSection(s: AuditStep): string[] {
  return [
    `### ${s.id} — ${s.state}`,
    '',
    `${code(s.action)} (${s.kind})${s.title ? `, ${cell(s.title)}` : ''}; needs ${s.needs.length ? s.needs.map(code).join(', ') : 'nothing'}; ${s.source.file}:${s.source.line}:${s.source.column}`,
    '',
    ...(s.attempts.length ? s.attempts.flatMap(attemptLines) : ['No attempt recorded.']),
    '',
  ];
}

/** The whole report as Markdown. Never throws. */
export function renderMarkdown(r: AuditReport): string {
  const lines: string[] = [
    `# Audit of run ${r.workflowId}`,
    '',
    '| fact | value |',
    '|---|---|',
    `| runbook | ${cell(r.runbook.name)}${r.runbook.title ? ` (${cell(r.runbook.title)})` : ''} |`,
    `| runbook SHA-256 | ${code(r.runbook.sha256)} |`,
    `| runbook source | ${code(r.runbook.source)} |`,
    `| run id | ${code(r.runId)} |`,
    `| started by | ${code(r.startedBy)} (initiator ${code(r.options.initiator)}) |`,
    `| started at | ${r.startedAt} |`,
    `| ended at | ${r.endedAt ?? '(still running)'} |`,
    `| mode | ${r.options.mode}${r.options.dryRun ? ' (dry run)' : ''}${r.options.autoApprove ? ', auto-approve' : ''} |`,
    `| outcome | **${r.outcome.status}**${r.outcome.error ? ` — ${code(r.outcome.error.type)} ${cell(r.outcome.error.message)}` : ''} |`,
    `| history | ${r.history.events} events${r.history.sha256 ? `, SHA-256 ${code(r.history.sha256)}` : ''} |`,
  ];
  if ((r.history.runs?.length ?? 0) > 1) {
    lines.push(
      `| continued as new | ${r.history.runs!.map((x) => `${code(x.runId)} (${x.events} events, ${code(x.sha256.slice(0, 12))})`).join(' → ')} |`,
    );
  }
  if (r.verify) {
    lines.push(
      `| replay verification | ${r.verify.replayed ? 'replays cleanly' : `**FAILED**: ${code(r.verify.error?.type)} ${cell(r.verify.error?.message)}`} |`,
    );
  }
  lines.push('', '## Parameters', '');
  const params = Object.entries(r.params);
  lines.push(
    ...(params.length
      ? ['| name | value |', '|---|---|', ...params.map(([k, v]) => `| ${cell(k)} | ${code(JSON.stringify(v))} |`)]
      : ['None.']),
  );
  lines.push('', '## Steps', '', ...r.steps.flatMap(stepSection));
  lines.push('## Approvals', '');
  lines.push(
    ...(r.approvals.length
      ? [
          '| gate | by | decision | comment | at | client identity |',
          '|---|---|---|---|---|---|',
          ...r.approvals.map(
            (a) =>
              `| ${cell(a.gate)} | ${cell(a.by)} | ${a.decision}${a.policy ? ' (policy)' : ''} | ${cell(a.comment)} | ${a.at} | ${cell(a.identity)} |`,
          ),
        ]
      : ['None.']),
  );
  for (const a of r.approvals.filter((x) => x.evidence))
    lines.push('', `Evidence shown at gate ${code(a.gate)} when ${a.by} decided:`, '', ...fence(a.evidence!));
  lines.push('', '## Operator decisions', '');
  lines.push(
    ...(r.decisions.length
      ? [
          '| step | decision | by | comment | at | client identity |',
          '|---|---|---|---|---|---|',
          ...r.decisions.map(
            (d) =>
              `| ${cell(d.step)} | ${d.decision} | ${cell(d.by)} | ${cell(d.comment)} | ${d.at} | ${cell(d.identity)} |`,
          ),
        ]
      : ['None.']),
  );
  if (r.operator.length) {
    lines.push(
      '',
      '## Operator actions',
      '',
      '| action | by | comment | at |',
      '|---|---|---|---|',
      ...r.operator.map((o) => `| ${o.action} | ${cell(o.by)} | ${cell(o.comment)} | ${o.at} |`),
    );
  }
  if (r.refused.length) {
    lines.push(
      '',
      '## Failed updates',
      '',
      ...r.refused.map(
        (u) => `- ${u.at} ${u.update}(${cell(JSON.stringify(u.args))}): ${code(u.error.type)} ${cell(u.error.message)}`,
      ),
    );
  }
  lines.push(
    '',
    '## Rollback',
    '',
    ...(r.rollback.length ? r.rollback.flatMap(stepSection) : ['No rollback ran.', '']),
  );
  lines.push(
    '## Timeline',
    '',
    '| at | what |',
    '|---|---|',
    ...r.timeline.map((t) => `| ${t.at} | ${cell(t.text)} |`),
    '',
  );
  return lines.join('\n');
}
