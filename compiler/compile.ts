/**
 * compileRunbook: YAML text → diagnostics and, when there are no errors, a Plan. Pure: the caller
 * reads files and passes an inventory loader; this module does no I/O.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from './diagnostics';
import { hasErrors, sortDiagnostics } from './diagnostics';
import { evaluateExpr, hasTemplate, parseExpression, splitTemplate } from './expr';
import { lower } from './lower';
import type { Plan } from './plan';
import { checkActions } from './passes/actions';
import { checkLiterals } from './passes/literals';
import type { CompileOptions, PassContext } from './passes/context';
import { isRecord, readSteps } from './passes/context';
import { checkExpressions } from './passes/expressions';
import { checkForEach } from './passes/foreach';
import { checkParams } from './passes/params';
import { checkRollback } from './passes/rollback';
import { checkShell } from './passes/shell';
import { checkSteps } from './passes/steps';
import { API_VERSION, KIND, RunbookSchema } from './schema';
import { SourceFile } from './source';
import { issuesToDiagnostics } from './structure';

/** What an inventory loader returns for a name: the data, or why there is none. */
export type InventoryLookup = { inventory: unknown; file?: string } | { error: string };

export interface CompileInput extends CompileOptions {
  /** Path of the runbook as given (appears in diagnostics and the Plan). */
  file: string;
  /** The file's content; the Plan's sha256 is of its UTF-8 bytes. */
  text: string;
  /** An inventory that overrides the runbook's `inventory:` (e.g. `--inventory FILE`). */
  inventory?: unknown;
  /** Resolves a named inventory (`lab`, `prod-eu`); called only when the runbook names one. */
  loadInventory?: (name: string) => InventoryLookup | undefined;
  /** Parameter values; CLI strings are converted to the declared types. */
  params?: Record<string, unknown>;
  /**
   * Compile for a run (`plan`, `run`, drills): required parameters must have values and a runbook
   * that uses the inventory must resolve one (INVENTORY_REQUIRED instead of a warning).
   */
  requireParams?: boolean;
}

export interface CompileResult {
  plan?: Plan;
  diagnostics: Diagnostic[];
}

/**
 * Compiles a runbook. Diagnostics accumulate and are sorted by position; after a YAML syntax
 * error only that error is reported. `plan` is set only when there is no error. Never throws.
 */
export function compileRunbook(input: CompileInput): CompileResult {
  const { source, data, diagnostics } = SourceFile.parse(input.file, input.text);
  if (data === undefined && diagnostics.length) return { diagnostics };
  if (data === null || data === undefined) {
    return {
      diagnostics: [
        source.at(
          'DOCUMENT_EMPTY',
          [],
          'the file is empty; a runbook starts with apiVersion: rekindle/v1 and kind: Runbook',
          [0, 0],
        ),
      ],
    };
  }
  if (!isRecord(data)) {
    const what = Array.isArray(data) ? 'a list' : `a ${typeof data}`;
    return {
      diagnostics: [
        source.diag(
          'DOCUMENT_NOT_MAP',
          [],
          `the document is ${what}; a runbook is a map with apiVersion, kind, metadata and steps`,
        ),
      ],
    };
  }
  if (data.apiVersion !== API_VERSION) {
    const msg =
      data.apiVersion === undefined
        ? `apiVersion is missing; add 'apiVersion: ${API_VERSION}' first`
        : `apiVersion is ${JSON.stringify(data.apiVersion)}; this compiler reads '${API_VERSION}'`;
    return { diagnostics: [...diagnostics, source.diag('API_VERSION', ['apiVersion'], msg)] };
  }
  if (data.kind !== KIND) {
    const msg =
      data.kind === undefined
        ? `kind is missing; add 'kind: ${KIND}'`
        : `kind is ${JSON.stringify(data.kind)}; it must be '${KIND}'`;
    return { diagnostics: [...diagnostics, source.diag('KIND_INVALID', ['kind'], msg)] };
  }
  const structure = RunbookSchema.safeParse(data);
  if (!structure.success) {
    const ds = issuesToDiagnostics(structure.error.issues, {
      source,
      schema: RunbookSchema,
      data,
      base: [],
      what: describe,
    });
    diagnostics.push(...ds);
  }
  const ctx: PassContext = {
    source,
    data,
    diagnostics,
    steps: readSteps(data, 'steps'),
    rollback: readSteps(data, 'rollback'),
    byId: new Map(),
    needsGraph: new Map(),
    params: {},
    paramValues: {},
    options: { mode: input.mode },
    report(code, path, message, anchor, sub) {
      diagnostics.push(source.diag(code, path, message, anchor, sub));
    },
  };
  checkParams(ctx, input.params, input.requireParams ?? false);
  resolveInventory(ctx, input);
  checkSteps(ctx);
  checkActions(ctx);
  checkLiterals(ctx);
  checkExpressions(ctx);
  checkShell(ctx);
  checkForEach(ctx);
  checkRollback(ctx);
  const sorted = sortDiagnostics(diagnostics);
  if (hasErrors(sorted)) return { diagnostics: sorted };
  const sha256 = createHash('sha256').update(input.text, 'utf8').digest('hex');
  // Lower from zod's typed output, not from the raw YAML. Structure issues inside `${{ }}` values were left to
  // the expression passes; one that none of them reported sits in a field that cannot hold an expression.
  if (!structure.success) {
    const left = structure.error.issues.map((i) => {
      const path = i.path.filter((k): k is string | number => typeof k !== 'symbol');
      return source.diag('SCHEMA_TYPE', path, `${describe(path)} cannot be an expression here: ${i.message}`);
    });
    return { diagnostics: sortDiagnostics([...sorted, ...left]) };
  }
  return { plan: lower(ctx, structure.data, sha256), diagnostics: sorted };
}

function describe(path: ReadonlyArray<string | number>): string {
  if (path.length === 0) return 'the runbook';
  if ((path[0] === 'steps' || path[0] === 'rollback') && path.length === 2) return `${path[0]}[${path[1]}]`;
  return `'${path.join('.')}'`;
}

function resolveInventory(ctx: PassContext, input: CompileInput): void {
  const needsInventory =
    [...ctx.steps, ...ctx.rollback].some((s) => s.raw.forEach !== undefined) || ctx.source.text.includes('inventory.');
  let inv: unknown = input.inventory;
  const declared = ctx.data.inventory;
  if (inv === undefined && isRecord(declared)) inv = declared;
  if (inv === undefined && typeof declared === 'string') {
    const name = inventoryName(ctx, declared);
    const found = name && input.loadInventory ? input.loadInventory(name) : undefined;
    if (found && 'error' in found)
      ctx.report('INVENTORY_NOT_FOUND', ['inventory'], `inventory '${name}': ${found.error}`);
    else if (found) inv = found.inventory;
    else if (needsInventory) {
      const why = name ? `no inventory loader resolved '${name}'` : 'its name depends on a parameter without a value';
      if (input.requireParams)
        ctx.report(
          'INVENTORY_REQUIRED',
          ['inventory'],
          `no inventory for this run: ${why}; pass --inventory FILE or --param`,
        );
      else
        ctx.report(
          'INVENTORY_UNAVAILABLE',
          ['inventory'],
          `inventory checks were skipped: ${why}; pass --inventory FILE or --param`,
        );
    }
  } else if (inv === undefined && needsInventory) {
    const first = [...ctx.steps, ...ctx.rollback].find((s) => s.raw.forEach !== undefined);
    const path = first ? [...first.path, 'forEach'] : ['steps'];
    if (input.requireParams)
      ctx.report(
        'INVENTORY_REQUIRED',
        path,
        "no inventory for this run: the runbook has no 'inventory:' and none was given (--inventory FILE)",
        'key',
      );
    else
      ctx.report(
        'INVENTORY_UNAVAILABLE',
        path,
        "inventory checks were skipped: the runbook has no 'inventory:' and none was given (--inventory FILE)",
        'key',
      );
  }
  if (inv === undefined) return;
  if (!isRecord(inv) || !isRecord(inv.kafka) || !isRecord(inv.zookeeper) || !Array.isArray(inv.hosts)) {
    ctx.report(
      'INVENTORY_INVALID',
      ['inventory'],
      'the inventory must be a map with cluster, zookeeper, kafka and hosts (see compiler/inventory.ts)',
    );
    return;
  }
  ctx.inventory = inv;
}

/** The inventory name, evaluating `${{ params.x }}` with the known parameter values. */
function inventoryName(ctx: PassContext, declared: string): string | undefined {
  if (!hasTemplate(declared)) return declared;
  try {
    const parts = splitTemplate(declared);
    if (parts.length !== 1 || parts[0].kind !== 'expr') return undefined;
    const v = evaluateExpr(parseExpression(parts[0].text), {
      params: ctx.paramValues,
      inventory: {},
      steps: {},
      run: { mode: 'recovery', dryRun: false, workflowId: '' },
    });
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    return undefined; // the expression pass reports it
  }
}
