/**
 * Diagnostics: what the compiler reports. Every code is stable (scripts and golden files depend on
 * it); add codes, never rename them. Positions are 1-based; `endColumn` is exclusive.
 */

export type Severity = 'error' | 'warning';

/** One finding, in the exact shape `rekindle validate --format json` prints. Keep it stable. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Where in the document, e.g. `steps[3].needs[0]`; '' for the document itself. */
  path: string;
}

/** Every diagnostic code with its severity and what it means (the language reference lists these). */
export const DIAGNOSTIC_CODES = {
  YAML_SYNTAX: ['error', 'The file is not valid YAML; nothing else is checked until it is.'],
  YAML_DUPLICATE_KEY: ['error', 'A map has the same key twice.'],
  YAML_ALIAS_BOMB: ['error', 'The document expands too many aliases (a "billion laughs" attack).'],
  YAML_TOO_DEEP: ['error', 'The document nests deeper than 100 levels; it is refused before parsing.'],
  DOCUMENT_EMPTY: ['error', 'The file has no document.'],
  DOCUMENT_NOT_MAP: ['error', 'The document is not a map of `apiVersion`, `kind`, `metadata`, `steps`, ...'],
  API_VERSION: ['error', '`apiVersion` is not `rekindle/v1`.'],
  KIND_INVALID: ['error', '`kind` is not `Runbook`.'],
  SCHEMA_REQUIRED: ['error', 'A required field is missing.'],
  SCHEMA_TYPE: ['error', 'A field has the wrong type.'],
  SCHEMA_UNKNOWN_KEY: ['error', 'A field the language does not know (often a typo).'],
  SCHEMA_VALUE: ['error', 'A field has a value outside what it accepts.'],
  DURATION_INVALID: ['error', 'A duration is not like `500ms`, `30s`, `5m`, `2h`, `1d` or `1h30m`.'],
  RETRY_INVALID: ['error', 'A retry policy is out of range (attempts >= 1, intervals >= 0, coefficient >= 1).'],
  STEP_ID_DUPLICATE: ['error', 'Two steps (including rollback steps) share an id.'],
  NEEDS_UNKNOWN: ['error', '`needs` names a step that does not exist.'],
  NEEDS_SELF: ['error', 'A step needs itself.'],
  NEEDS_DUPLICATE: ['warning', '`needs` lists the same step twice.'],
  DEPENDENCY_CYCLE: ['error', 'Steps depend on each other in a cycle; reported at the edge that closes it.'],
  ROLLBACK_NEEDS_MAIN: ['error', 'A main step needs a rollback step; main steps may only need main steps.'],
  ROLLBACK_UNDOES_MISSING: ['error', 'A rollback step has no `undoes` naming the main steps it reverses.'],
  ROLLBACK_UNDOES_UNKNOWN: ['error', "A rollback step's `undoes` names something other than a main step."],
  ROLLBACK_UNDOES_GATE: ['error', "A rollback step's `undoes` names an approval gate, which changes nothing."],
  ROLLBACK_OUTCOME_UNKNOWN: [
    'error',
    '`run.outcome` is compared with a value that is not cancelled, rejected, aborted or failed.',
  ],
  ROLLBACK_MISSING_REVERSE: ['warning', 'A reversible action runs but its reverse is not in `rollback:`.'],
  ACTION_UNKNOWN: ['error', '`uses` names an action the registry does not have.'],
  INPUT_MISSING: ['error', 'A required input of the action is missing from `with:`.'],
  INPUT_UNKNOWN: ['error', '`with:` has an input the action does not declare.'],
  INPUT_TYPE: ['error', 'An input has the wrong type.'],
  INPUT_VALUE: ['error', 'An input has a value outside what the action accepts.'],
  INPUT_TARGET_MISSING: ['error', 'The action acts on a host but has neither `forEach` nor a `host` input.'],
  EXPR_SYNTAX: ['error', 'An expression cannot be parsed.'],
  EXPR_UNTERMINATED: ['error', 'An expression or string in it is not closed.'],
  EXPR_TOO_COMPLEX: ['error', 'An expression is longer or nested deeper than the language allows.'],
  EXPR_UNKNOWN_NAME: ['error', 'An expression uses a name outside params, inventory, steps, item and run.'],
  REF_PARAM_UNKNOWN: ['error', 'An expression names a parameter the runbook does not declare.'],
  REF_STEP_UNKNOWN: ['error', 'An expression names a step that does not exist.'],
  REF_STEP_NOT_ANCESTOR: ['error', 'An expression reads a step that is not an ancestor (through `needs`).'],
  REF_STEP_FIELD: ['error', 'A step reference is not `steps.X.outputs.Y` or `steps.X.state`.'],
  REF_OUTPUT_UNKNOWN: ['error', 'An expression reads an output the action does not declare.'],
  REF_ITEM_OUTSIDE_FOREACH: ['error', '`item` is used outside the `with:` inputs of a step with `forEach`.'],
  REF_RUN_UNKNOWN: [
    'error',
    '`run.` is followed by something other than mode, dryRun or workflowId (or outcome, in rollback steps).',
  ],
  REF_INVENTORY_UNKNOWN: ['error', 'An expression reads an inventory path that does not exist.'],
  RAW_INTERPOLATION: [
    'warning',
    'A value is inserted into a shell command without quoting (`| raw`), as the step acknowledges.',
  ],
  RAW_NOT_ACKNOWLEDGED: ['error', '`| raw` in a shell command without `rawAcknowledged: "<reason>"` in the step.'],
  SHELL_CONTEXT_UNSAFE: [
    'error',
    'A value would land where no quoting keeps it from running (command name, `sh -c`, backticks, heredoc, comment, ...).',
  ],
  FOREACH_NOT_LIST: ['error', '`forEach` is not a list or an expression that yields one.'],
  FOREACH_HOST_UNKNOWN: ['error', '`forEach` lists a host that is not in the inventory.'],
  FOREACH_OPTION_WITHOUT_FOREACH: ['warning', '`maxParallel`/`maxFailures` on a step without `forEach` do nothing.'],
  INVENTORY_UNAVAILABLE: ['warning', 'No inventory could be resolved, so inventory checks were skipped.'],
  INVENTORY_REQUIRED: ['error', 'Compiling for a run, but no inventory could be resolved.'],
  INVENTORY_NOT_FOUND: ['error', 'The named inventory does not exist.'],
  INVENTORY_INVALID: ['error', 'The inventory does not have the expected shape.'],
  APPROVAL_MIN_EXCEEDS_APPROVERS: ['error', '`minApprovals` is greater than the number of approvers.'],
  APPROVAL_UNSATISFIABLE: ['error', 'A gate needs more distinct approvers than its roles can ever supply.'],
  APPROVAL_AUTO_APPROVE: ['error', '`onTimeout: approve` outside a drill-only runbook.'],
  APPROVAL_OPTION_MISPLACED: ['error', 'Step-level retry or forEach on an approval gate.'],
  PARAM_DEFAULT_INVALID: ['error', 'A parameter default does not match its type or enum.'],
  PARAM_UNKNOWN: ['error', 'A value was given for a parameter the runbook does not declare.'],
  PARAM_VALUE_INVALID: ['error', 'A parameter value does not match its type or enum.'],
  PARAM_MISSING: ['error', 'A required parameter has no value and no default.'],
  LARGE_OUTPUT_IN_TEXT: [
    'warning',
    'Text interpolates an output the registry marks large; on a big cluster it is stored as evidence and the step fails.',
  ],
  WHEN_CONSTANT: ['warning', 'A `when:` condition has no expression, so it is always the same.'],
} as const satisfies Record<string, readonly [Severity, string]>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** The severity a code always has. */
export function severityOf(code: DiagnosticCode): Severity {
  return DIAGNOSTIC_CODES[code][0];
}

/** Formats a path array as `steps[3].with.command`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Sorts diagnostics by position, then code, for stable output. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

/** True when any diagnostic is an error. */
export function hasErrors(ds: Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** The closest candidate by edit distance, when close enough to be a plausible typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best !== undefined && bestD <= limit ? best : undefined;
}

/** Returns `; did you mean 'x'?` when a close candidate exists (put it at the end of a message). */
export function hint(word: string, candidates: Iterable<string>): string {
  const m = didYouMean(word, candidates);
  return m ? `; did you mean '${m}'?` : '';
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
