/**
 * Renders the action reference and the language reference from the registry, the schemas and the
 * diagnostics catalogue, so the docs cannot drift from the code (a unit test compares them).
 */
import { z } from 'zod';
import { ACTIONS, outputDescription, outputNames, type ActionSpec } from '../actions';
import { DURATION_META } from '../actions/types';
import { DIAGNOSTIC_CODES } from '../diagnostics';
import { formatDuration } from '../duration';
import { LANGUAGE_DEFAULTS } from '../lower';

const FAMILY_TITLES: Record<string, string> = {
  ssh: 'ssh: commands and files on hosts',
  service: 'service: brokers and ZooKeeper nodes',
  host: 'host: client-traffic isolation',
  zookeeper: 'zookeeper: the znode tree',
  kafka: 'kafka: state, health, data and offsets',
  backup: 'backup: backup sets',
  control: 'control: gates and waits (handled by the workflow)',
};

interface InputRow {
  name: string;
  type: string;
  required: boolean;
  dflt?: unknown;
  description: string;
}

function typeOf(s: unknown): string {
  const def = (s as { def?: Record<string, unknown> }).def ?? {};
  const meta = z.globalRegistry.get(s as z.ZodType) as Record<string, unknown> | undefined;
  if (meta?.rekindleType === DURATION_META.rekindleType) return 'duration';
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
      return typeOf(def.innerType);
    case 'pipe':
      return typeOf(def.in);
    case 'array':
      return `${typeOf(def.element)}[]`;
    case 'enum':
      return Object.values(def.entries as Record<string, string>)
        .map((v) => `\`${v}\``)
        .join(' \\| ');
    case 'number':
      return (s as { isInt?: boolean }).isInt ? 'integer' : 'number';
    default:
      return String(def.type);
  }
}

function defaultOf(s: unknown): unknown {
  const def = (s as { def?: Record<string, unknown> }).def ?? {};
  if (def.type === 'default' || def.type === 'prefault') {
    const v = def.defaultValue;
    return typeof v === 'function' ? (v as () => unknown)() : v;
  }
  if (def.type === 'optional' || def.type === 'nullable') return defaultOf(def.innerType);
  return undefined;
}

function descriptionOf(s: unknown): string {
  let cur = s as { description?: string; def?: Record<string, unknown> } | undefined;
  for (let i = 0; i < 5 && cur; i++) {
    const meta = z.globalRegistry.get(cur as unknown as z.ZodType) as { description?: string } | undefined;
    if (cur.description || meta?.description) return (cur.description ?? meta?.description) as string;
    cur = (cur.def?.innerType ?? cur.def?.in) as typeof cur;
  }
  return '';
}

/** The inputs of an action as rows: name, type, required, default, description. */
export function inputRows(action: ActionSpec): InputRow[] {
  return Object.entries(action.inputs.shape).map(([name, s]) => ({
    name,
    type: typeOf(s),
    required: !(s as z.ZodType).safeParse(undefined).success,
    dflt: defaultOf(s),
    description: descriptionOf(s),
  }));
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function retryText(a: ActionSpec): string {
  const r = a.retry;
  return r.maxAttempts === 1
    ? '1 attempt'
    : `${r.maxAttempts} attempts, ${formatDuration(r.initialIntervalMs)} ×${r.backoffCoefficient} ≤ ${formatDuration(r.maxIntervalMs)}`;
}

const FENCE_HOSTS = {
  target: 'its host',
  brokers: 'every broker host',
  zookeeper: 'its host (every ZooKeeper host when none is given)',
};

function actionSection(a: ActionSpec, notes?: string): string {
  const lines = [`### \`${a.name}\``, '', a.summary + '.', ''];
  lines.push(
    `- **Kind:** ${a.kind}; **target:** ${a.target}; **idempotent:** ${a.idempotent ? 'yes' : 'no'}; **read-only:** ${a.readOnly ? 'yes' : 'no'}; **reversible:** ${a.reverse ? `yes, by \`${a.reverse}\`` : 'no'}`,
    `- **Defaults:** retry ${retryText(a)}; timeout ${formatDuration(a.timeoutMs)}${a.heartbeatMs ? `; heartbeat ${formatDuration(a.heartbeatMs)}` : ''}`,
  );
  if (a.fence)
    lines.push(
      `- **Fenced:** holds ${a.fence.lock === 'step' ? "the step's own lock" : `the \`${a.fence.lock}\` lock`} on ${FENCE_HOSTS[a.fence.hosts]} while it runs; another attempt gets \`TARGET_LOCKED\` (retryable) ([fencing](fencing.md))`,
    );
  if (a.shellInputs?.length)
    lines.push(
      `- **Shell inputs** (values quoted for POSIX sh unless \`| raw\`): ${a.shellInputs.map((s) => `\`${s}\``).join(', ')}`,
    );
  lines.push('', '| input | type | required | default | description |', '|---|---|---|---|---|');
  for (const r of inputRows(a)) {
    lines.push(
      `| \`${r.name}\` | ${r.type} | ${r.required ? 'yes' : 'no'} | ${r.dflt === undefined ? '' : `\`${JSON.stringify(r.dflt)}\``} | ${esc(r.description)} |`,
    );
  }
  lines.push('', '| output | description |', '|---|---|');
  for (const k of outputNames(a)) {
    const d = outputDescription(a, k);
    const large = a.largeOutputs?.includes(k)
      ? ' *(large: over 8 KB it is stored as evidence and passed as a reference)*'
      : '';
    lines.push(`| \`${k}\` | ${esc(d)}${large} |`);
  }
  if (notes) lines.push('', notes.trimEnd());
  return lines.join('\n');
}

/**
 * docs/actions.md: every action with its inputs, outputs, safety properties and defaults, plus the hand-written
 * notes the caller read for some actions (action name → markdown).
 */
export function renderActionsDoc(notes: Record<string, string> = {}): string {
  const out = [
    '# Action reference',
    '',
    '<!-- Generated by `npx tsx compiler/docs/generate.ts` from compiler/actions/. Do not edit by hand. -->',
    '',
    'Every built-in action, as declared in the registry. The compiler checks `with:` against these inputs; activities validate the same schemas at their door, and check what they return against the outputs listed here (a result outside them fails the step with `OUTPUT_INVALID`, not retried).',
    'Durations accept `500ms`, `30s`, `5m`, `2h`, `1d`, `1h30m` or a number of milliseconds, and reach the activity in milliseconds.',
    'A `host` target comes from the `host` input or the forEach `item` (a broker or ZooKeeper node with `host`, an inventory host with `name`, or a host name).',
    "A failure is retried (up to the step's attempts) unless its type says a retry cannot help: host key mismatch, bad input, a missing backup and the like fail at once. Each error decides this itself, and the history records it as the failure's `nonRetryable` flag.",
    '',
  ];
  for (const family of Object.keys(FAMILY_TITLES)) {
    const actions = ACTIONS.filter((a) => a.family === family);
    if (!actions.length) continue;
    out.push(`## ${FAMILY_TITLES[family]}`, '');
    for (const a of actions) out.push(actionSection(a, notes[a.name]), '');
  }
  return out.join('\n').trimEnd() + '\n';
}

/** The README region between the generated:actions markers: a one-table summary. */
export function renderReadmeActions(): string {
  const lines = [
    '<!-- Generated by `npx tsx compiler/docs/generate.ts`; details in docs/actions.md, language in docs/language.md. -->',
    '| action | what it does | idempotent | read-only | reversible | default retry | timeout |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const a of ACTIONS) {
    lines.push(
      `| \`${a.name}\` | ${esc(a.summary)} | ${a.idempotent ? 'yes' : 'no'} | ${a.readOnly ? 'yes' : 'no'} | ${a.reverse ? `\`${a.reverse}\`` : 'no'} | ${retryText(a)} | ${formatDuration(a.timeoutMs)} |`,
    );
  }
  return lines.join('\n');
}

/** The diagnostics table for docs/language.md. */
export function renderDiagnosticsTable(): string {
  const lines = ['| code | severity | meaning |', '|---|---|---|'];
  for (const [code, [severity, meaning]] of Object.entries(DIAGNOSTIC_CODES))
    lines.push(`| \`${code}\` | ${severity} | ${esc(meaning)} |`);
  return lines.join('\n');
}

/** The defaults table for docs/language.md. */
export function renderDefaultsTable(): string {
  return [
    '| setting | default |',
    '|---|---|',
    `| \`maxParallel\` (steps at once) | ${LANGUAGE_DEFAULTS.maxParallel} |`,
    `| \`failFast\` | ${LANGUAGE_DEFAULTS.failFast} |`,
    `| \`onFailure\` | \`${LANGUAGE_DEFAULTS.onFailure}\` |`,
    `| forEach \`maxParallel\` | ${LANGUAGE_DEFAULTS.forEachMaxParallel} |`,
    `| forEach \`maxFailures\` | ${LANGUAGE_DEFAULTS.forEachMaxFailures} |`,
    '| `proceedIfNeedsSkipped` | true |',
    '| `timeout`, `retry`, `heartbeat` | step, then `defaults:`, then the action (a non-idempotent action keeps 1 attempt unless the step asks) |',
  ].join('\n');
}
