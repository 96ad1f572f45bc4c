/**
 * The shell property: an interpolated value can never run a command, wherever the template puts it.
 * Every context in test/support/shell-contexts.ts is compiled as a real runbook: validate must refuse
 * the unsafe ones (SHELL_CONTEXT_UNSAFE), and the others are rendered by the engine's own resolver with
 * generated hostile values and EXECUTED on a lab sshd host the way ssh.exec runs them (`sh -c`), many
 * cases per SSH exec. Each case must print exactly the value (proving it stayed one literal), and the
 * canary file the values try to create must never appear. A control renders one value unquoted and sees
 * the canary appear, so the check can fail.
 *
 * SHELL_PROPERTY_CASES sets the number of cases (default 1,000; `npm run test:shell` runs 10,000).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { compileRunbook } from '../../compiler/compile';
import { resolveValue } from '../../compiler/expr';
import type { PlanValue } from '../../compiler/plan';
import { shellJoin, shellQuote } from '../../activities/ssh/quote';
import { SshPool, SshShell } from '../../activities/ssh/index';
import { CONTEXTS, hex, hostileValue } from '../support/shell-contexts';
import type { ShellContext } from '../support/shell-contexts';
import { labInventory, uniqueName } from '../support/lab';

const CASES = Number(process.env.SHELL_PROPERTY_CASES ?? 1000);
const SEED = Number(process.env.SHELL_PROPERTY_SEED ?? 20261128);
const BATCH = 500;
const HOST = 'kafka-1';
const inv = labInventory() as unknown as Record<string, unknown>;
const shell = new SshShell(new SshPool());
const canary = `/tmp/${uniqueName('rkc').replace(/[^a-z0-9-]/gi, '')}`;
const local = mkdtempSync(join(tmpdir(), 'rekindle-shellprop-'));

function runbook(c: ShellContext): string {
  const args = c.args ? `\n      args: ${JSON.stringify(c.args)}` : '';
  return `apiVersion: rekindle/v1
kind: Runbook
metadata: { name: shell-property }
parameters:
  v: { type: string, default: x }
steps:
  - id: s
    uses: ssh.exec
    with:
      host: ${HOST}
      command: ${JSON.stringify(c.command)}${args}
`;
}

function compiled(c: ShellContext) {
  return compileRunbook({ file: `${c.name}.yaml`, text: runbook(c) });
}

const ctxFor = (v: string) => ({
  params: { v },
  inventory: {},
  steps: {},
  run: { mode: 'drill' as const, dryRun: false, workflowId: 'shell-property' },
});

/** The command ssh.exec would run for value v: the engine resolves the template, the activity appends args. */
function render(withInputs: Record<string, PlanValue>, v: string): string {
  const command = resolveValue(withInputs.command, ctxFor(v)) as string;
  const args = (resolveValue(withInputs.args ?? [], ctxFor(v)) as string[]) ?? [];
  return shellJoin(command, args);
}

/** Runs commands on the host, each as `sh -c` (as ssh.exec's wrapper does), and returns each one's stdout as hex. */
async function runBatch(commands: string[]): Promise<string[]> {
  const script = commands
    .map(
      (cmd, i) =>
        `printf '\\n@@%d@@' ${i}; timeout 20 sh -c ${shellQuote(cmd)} </dev/null 2>/dev/null | od -v -An -tx1 | tr -d ' \\n'`,
    )
    .join('\n');
  const file = join(local, `${uniqueName('batch')}.sh`);
  writeFileSync(file, `${script}\n`);
  const remote = `/tmp/${uniqueName('rk-shellprop')}.sh`;
  await shell.upload(inv, HOST, file, remote);
  const r = await shell.run(inv, HOST, `sh ${remote}; rm -f ${remote}`, {
    timeoutMs: 600_000,
    maxOutputBytes: 64 * 1024 * 1024,
  });
  const out: string[] = [];
  for (const m of r.stdout.matchAll(/@@(\d+)@@([0-9a-f]*)/g)) out[Number(m[1])] = m[2];
  return out;
}

const canaries = async () => (await shell.run(inv, HOST, `ls -d ${canary}* 2>/dev/null | wc -l`)).stdout.trim();

afterAll(async () => {
  await shell.run(inv, HOST, `rm -rf ${canary}*`).catch(() => undefined);
  await shell.pool.close();
});

describe('every context is quoted or refused at validate', () => {
  test.each(CONTEXTS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { plan, diagnostics } = compiled(c);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (c.expect === 'refused') {
      expect(errors.map((d) => d.code)).toEqual(['SHELL_CONTEXT_UNSAFE']);
      expect(errors[0].message).toMatch(/cannot be quoted here|would run this argument/);
    } else {
      expect(errors).toEqual([]);
      expect(plan?.steps[0].with.command).toBeDefined();
    }
  });
});

describe(`hostile values × quoted contexts, executed on ${HOST} (${CASES} cases)`, () => {
  test('the control: the same value rendered unquoted creates the canary (so the check can fail)', async () => {
    const raw = `printf '%s|' x; touch ${canary}`;
    await runBatch([raw]);
    expect(await canaries()).toBe('1');
    await shell.run(inv, HOST, `rm -rf ${canary}*`);
    expect(await canaries()).toBe('0');
  }, 120_000);

  test('every value prints back exactly, and no canary file ever appears', async () => {
    const quoted = CONTEXTS.filter((c) => c.expect !== 'refused');
    const plans = quoted.map((c) => compiled(c).plan?.steps[0].with as Record<string, PlanValue>);
    const values = fc.sample(hostileValue(canary), { numRuns: CASES, seed: SEED });
    const cases = values.map((v, i) => ({ v, c: quoted[i % quoted.length], inputs: plans[i % quoted.length] }));
    const mismatches: string[] = [];
    for (let start = 0; start < cases.length; start += BATCH) {
      const batch = cases.slice(start, start + BATCH);
      const got = await runBatch(batch.map((k) => render(k.inputs, k.v)));
      batch.forEach((k, i) => {
        const want = hex((k.c.expect as (v: string) => string)(k.v));
        if (got[i] !== want) mismatches.push(`${k.c.name}: ${JSON.stringify(k.v)} printed ${got[i]}, expected ${want}`);
      });
      expect(await canaries()).toBe('0');
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(cases.length).toBe(CASES);
  }, 1_800_000);
});
