/**
 * What test/e2e/docs.test.ts does with each documented command: run it, compare it with `--help` (a
 * usage line), or skip it for a stated reason. The exceptions are this short, explicit list.
 */
import type { DocCommand } from './doc-commands';
import { expandAlternatives, isUsageLine, normalize, words } from './doc-commands';

/** Commands the test does not run, each with its reason. Matched against the command with `npx ` removed. */
export const EXCEPTIONS: Array<{ match: RegExp; reason: string }> = [
  {
    match: /^npm run drill\b|^rekindle drill run\b/,
    reason:
      'the full drill (minutes, destructive on the lab): test/e2e/drill.test.ts runs it through the same installed entry point',
  },
  { match: /^npm test\b/, reason: 'the whole test suite, of which this test is a part' },
  {
    match: /^npm run lab -- (down|reset)\b/,
    reason: 'stops (reset also wipes) the lab that every other lab test of this run uses',
  },
  {
    match: /^docker compose\b/,
    reason: 'needs Docker, which the CI machines lack: test/unit/compose.test.ts checks the compose stack instead',
  },
];

/** One thing to do for a documented command. */
export type DocCase =
  | { kind: 'skip'; label: string; reason: string }
  | { kind: 'usage'; label: string; command: string; usage: string }
  | { kind: 'rekindle'; label: string; argv: string[]; background: boolean }
  | { kind: 'npm'; label: string; argv: string[] };

/** The cases of one documented command: one per choice of every `a|b` alternation. */
export function casesOf(doc: DocCommand): DocCase[] {
  const text = normalize(doc.text);
  if (isUsageLine(text)) {
    const [, command, ...rest] = words(text);
    return command.split('|').map((c) => {
      const usage = ['rekindle', c, ...rest].join(' ');
      return { kind: 'usage', label: usage, command: c, usage };
    });
  }
  const argvs = expandAlternatives(words(text.replace(/<workflow id>/g, 'RUN')));
  return argvs.map((argv): DocCase => {
    const label = argv.join(' ');
    const exception = EXCEPTIONS.find((e) => e.match.test(label));
    if (exception) return { kind: 'skip', label, reason: exception.reason };
    if (argv[0] === 'rekindle') return { kind: 'rekindle', label, argv: argv.slice(1), background: doc.background };
    if (argv[0] === 'npm') return { kind: 'npm', label, argv: argv.slice(1) };
    return { kind: 'skip', label, reason: 'not a Rekindle command (add an exception or teach docs.test.ts)' };
  });
}

/** What stands in for the documentation's placeholders and example names in one mutating command. */
export interface Target {
  /** The run: a workflow id (`rekindle-<cluster>`). */
  run?: string;
  /** The throw-away cluster. */
  cluster?: string;
  /** A runbook to use instead of the documented one (the scratch runbook, when the run must end). */
  file?: string;
  /** A schedule id. */
  scheduleId?: string;
}

/** Commands whose first argument names a run. */
export const RUN_COMMANDS = new Set([
  'status',
  'watch',
  'pause',
  'resume',
  'cancel',
  'approve',
  'reject',
  'decide',
  'audit',
  'history',
]);

const PLACEHOLDERS: Record<string, (t: Target) => string | undefined> = {
  RUN: (t) => t.run,
  FILE: (t) => t.file,
  ID: (t) => t.scheduleId,
  NAME: () => 'oncall-lead',
  GATE: () => 'approve-restore',
  STEP: () => 'preflight',
};

/**
 * Puts the target into a documented command: the run argument, `cluster=` parameters, `FILE`, `k=v` and
 * the other placeholders; `--param cluster=NAME` of a schedule names the throw-away cluster too.
 * @throws when a placeholder is left that the test does not know, naming it.
 */
export function substitute(argv: string[], t: Target): string[] {
  const out = argv.map((w, i) => {
    if (i === 1 && RUN_COMMANDS.has(argv[0]) && t.run) return t.run;
    if (t.cluster && (w === 'k=v' || /^cluster=/.test(w))) return `cluster=${t.cluster}`;
    if (t.file && i === 1 && argv[0] === 'run') return t.file;
    const fill = PLACEHOLDERS[w]?.(t);
    return fill ?? w;
  });
  const left = out.find((w) => /^[A-Z][A-Z0-9_.]*$/.test(w) || /^<.*>$/.test(w) || w === 'k=v');
  if (left)
    throw new Error(
      `the documented command 'rekindle ${argv.join(' ')}' has a placeholder '${left}' this test cannot fill; add it to docs-cases.ts`,
    );
  return out;
}
