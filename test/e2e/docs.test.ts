/**
 * Docs as tests: every command README.md and docs/*.md show in a shell code block, run the way a user runs
 * it, through the package as `npm pack` ships it, installed into a temporary prefix.
 * - Read-only commands (validate, plan, list, status, watch, audit, history, drill list) run for real
 *   against the lab; those that name a run get a scratch run that has ended.
 * - Mutating commands (run, approve, reject, decide, pause, resume, cancel, drill schedule/pause/unpause/
 *   trigger/delete, worker) act on a throw-away cluster whose inventory points at nothing; a command that
 *   needs a run at a gate, at a failed step or at its end gets the scratch runbook, which has the README's
 *   step ids (gate approve-restore, step preflight).
 * - Usage lines (`[optional]` syntax, in blocks or inline) must equal a usage line of that command's --help.
 * - Every command's --help runs and prints a usage line.
 * - EXCEPTIONS (test/support/docs-cases.ts) lists what is not run, with the reason; the summary names them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { casesOf, substitute } from '../support/docs-cases';
import type { DocCase, Target } from '../support/docs-cases';
import { documentedCommands, helpUsageLines } from '../support/doc-commands';
import { DocsSandbox, SCRATCH_RUNBOOK } from '../support/docs-sandbox';
import type { CliResult } from '../support/docs-sandbox';
import { REPO } from '../support/installed';

jest.setTimeout(180_000);

const docs = documentedCommands(REPO);
const summary: Array<{ label: string; where: string; ran: boolean; reason?: string }> = [];
let sb: DocsSandbox;
const helps = new Map<string, string>();
const t0 = Date.now();

beforeAll(async () => {
  sb = await DocsSandbox.create();
  // The README's `npx rekindle worker &` is the worker every scratch run uses; it is started first.
  const documented = docs.find((d) => /^(npx )?rekindle worker$/.test(d.text) && d.background);
  if (!documented) throw new Error("the README no longer shows 'npx rekindle worker &'; docs.test.ts needs a worker");
  await sb.startWorker(['worker']);
}, 900_000);

afterAll(async () => {
  await sb?.close();
  const ran = summary.filter((s) => s.ran);
  const skipped = summary.filter((s) => !s.ran);
  const lines = skipped.map((s) => `  skipped ${s.where} '${s.label}': ${s.reason}`);
  const i = sb?.installed;
  process.stdout.write(
    `\ndocs as tests: ran ${ran.length} commands and usage checks from ${docs.length} documented lines, skipped ${skipped.length}` +
      ` (${((Date.now() - t0) / 1000).toFixed(0)} s; pack ${((i?.packMs ?? 0) / 1000).toFixed(0)} s, install ${i?.cached ? 'cached' : `${((i?.installMs ?? 0) / 1000).toFixed(0)} s`})\n${lines.join('\n')}\n`,
  );
}, 300_000);

function expectOk(r: CliResult, what: string): void {
  if (r.code !== 0) throw new Error(`'${what}' exited ${r.code}\n--- stdout\n${r.out}\n--- stderr\n${r.err}`);
}

async function helpOf(command: string): Promise<string> {
  if (!helps.has(command)) {
    const r = await sb.cli([command, '--help']);
    expectOk(r, `rekindle ${command} --help`);
    helps.set(command, r.out);
  }
  return helps.get(command)!;
}

/** The target a mutating or run-reading command acts on, prepared in the state the command needs. */
async function targetFor(argv: string[]): Promise<Target> {
  const [cmd, sub] = argv;
  const run = (cluster: string) => ({ cluster, run: `rekindle-${cluster}` });
  if (['status', 'watch', 'audit', 'history'].includes(cmd)) return run(await sb.completedRun());
  if (['approve', 'reject', 'pause', 'cancel'].includes(cmd)) return run(await sb.runAt('waiting-approval'));
  if (cmd === 'decide') return run(await sb.runAt('waiting-decision'));
  if (cmd === 'resume') {
    const cluster = await sb.runAt('waiting-approval');
    await sb.must(['pause', cluster]);
    return run(cluster);
  }
  if (cmd === 'run') {
    const cluster = sb.newCluster();
    return { ...run(cluster), ...(argv.includes('--watch') || argv[1] === 'FILE' ? { file: SCRATCH_RUNBOOK } : {}) };
  }
  if (cmd === 'drill' && sub === 'schedule') {
    const cluster = sb.newCluster();
    sb.scheduleId = `docs-drill-${cluster}`;
    sb.trackSchedule(sb.scheduleId);
    sb.track(`rekindle-drill-${cluster}`);
    return { cluster, scheduleId: sb.scheduleId };
  }
  if (cmd === 'drill' && ['pause', 'unpause', 'trigger', 'delete'].includes(sub)) {
    if (!sb.scheduleId) {
      const cluster = sb.newCluster();
      sb.scheduleId = `docs-drill-${cluster}`;
      sb.trackSchedule(sb.scheduleId);
      sb.track(`rekindle-drill-${cluster}`);
      await sb.must([
        'drill',
        'schedule',
        '--every',
        '1d',
        'runbooks/dr-drill.yaml',
        '--param',
        `cluster=${cluster}`,
        '--id',
        sb.scheduleId,
      ]);
    }
    return { scheduleId: sb.scheduleId };
  }
  return {};
}

async function runCase(c: DocCase): Promise<void> {
  if (c.kind === 'usage') {
    expect(helpUsageLines(await helpOf(c.command))).toContain(c.usage);
    return;
  }
  if (c.kind === 'npm') {
    const r = await promisify(execFile)('npm', ['--silent', ...c.argv], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 170_000,
    }).then(
      (x) => ({ code: 0, out: x.stdout, err: x.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({
        code: e.code ?? -1,
        out: e.stdout ?? '',
        err: e.stderr ?? '',
      }),
    );
    expectOk(r, `npm ${c.argv.join(' ')}`);
    return;
  }
  if (c.kind !== 'rekindle') return;
  const { argv } = c;
  if (argv[0] === 'worker') {
    expect(c.background).toBe(true); // the harness's worker, started in beforeAll from this very command
    return;
  }
  if (
    argv.includes('--help') ||
    ['validate', 'plan', 'list'].includes(argv[0]) ||
    (argv[0] === 'drill' && argv[1] === 'list')
  ) {
    expectOk(await sb.cli(substitute(argv, {})), c.label);
    return;
  }
  const target = await targetFor(argv);
  const args = substitute(argv, target);
  if (argv[0] === 'run' && argv.includes('--watch')) {
    // `run --watch` follows the run until it ends: answer its gate, then it must exit 0 (succeeded).
    const { done } = sb.spawnCli(args);
    await sb.waitPhase(target.cluster!, 'waiting-approval');
    await sb.approve(target.cluster!);
    expectOk(await done, args.join(' '));
    return;
  }
  expectOk(await sb.cli(args), `rekindle ${args.join(' ')}`);
  if (argv[0] === 'drill' && argv[1] === 'delete') sb.scheduleId = undefined;
}

describe('every documented command works through the installed package', () => {
  it.each(docs.map((d) => [`${d.where} ${d.text}`, d] as const))('%s', async (_name, doc) => {
    for (const c of casesOf(doc)) {
      if (c.kind === 'skip') {
        summary.push({ label: c.label, where: doc.where, ran: false, reason: c.reason });
        continue;
      }
      await runCase(c);
      summary.push({ label: c.label, where: doc.where, ran: true });
    }
  });

  it('every command has --help with a usage line', async () => {
    const top = await sb.cli(['--help']);
    expectOk(top, 'rekindle --help');
    const commands = [...top.out.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]);
    expect(commands).toEqual(expect.arrayContaining(['run', 'status', 'drill', 'worker', 'audit']));
    // Two at a time: each is a process of its own, and the machine has few cores.
    for (let i = 0; i < commands.length; i += 2) await Promise.all(commands.slice(i, i + 2).map((c) => helpOf(c)));
    for (const c of commands) {
      expect(helpUsageLines(await helpOf(c)).length).toBeGreaterThan(0);
      summary.push({ label: `rekindle ${c} --help`, where: 'rekindle --help', ran: true });
    }
  });
});
