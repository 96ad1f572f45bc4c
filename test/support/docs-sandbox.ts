/**
 * Where test/e2e/docs.test.ts runs the documented commands: the installed package's `rekindle`, in a
 * scratch project directory (the package's runbooks/ and inventories/, plus the scratch runbook), talking
 * to the lab's Temporal on a task queue of its own, with a worker started by the documented
 * `rekindle worker`. Mutating commands act on throw-away clusters whose inventory points at nothing.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, installedPackage } from './installed';
import type { CliResult, Installed } from './installed';
import { labConfigOrThrow, temporalAddress, uniqueName } from './lab';
import { Client, Connection } from '@temporalio/client';
import { approveUpdate, statusQuery } from '../../workflows/messages';

export { exec };
export type { CliResult };

const FIXTURES = join(__dirname, '..', 'fixtures', 'docs');
/** The scratch runbook, relative to the sandbox directory. */
export const SCRATCH_RUNBOOK = 'scratch/docs-scratch.yaml';

export class DocsSandbox {
  private worker?: ChildProcess;
  private readonly children = new Set<ChildProcess>();
  private readonly runs = new Set<string>();
  private readonly schedules = new Set<string>();
  private completed?: string;
  scheduleId?: string;

  private constructor(
    readonly installed: Installed,
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
    private readonly connection: Connection,
  ) {
    this.client = new Client({ connection });
  }

  /** The harness's own Temporal client: set-up and clean-up (polling, answering gates) stay in-process, cheap. */
  private readonly client: Client;

  /** Installs the package (or reuses the cached install) and prepares the scratch project directory. */
  static async create(): Promise<DocsSandbox> {
    const installed = await installedPackage();
    const dir = mkdtempSync(join(tmpdir(), 'rekindle-docs-'));
    cpSync(join(installed.packageDir, 'runbooks'), join(dir, 'runbooks'), { recursive: true });
    cpSync(join(installed.packageDir, 'inventories'), join(dir, 'inventories'), { recursive: true });
    mkdirSync(join(dir, 'scratch'));
    cpSync(join(FIXTURES, 'scratch.yaml'), join(dir, SCRATCH_RUNBOOK));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${join(installed.prefix, 'bin')}:${process.env.PATH ?? ''}`,
      REKINDLE_TEMPORAL_ADDRESS: temporalAddress(),
      REKINDLE_TASK_QUEUE: uniqueName('docs'),
      REKINDLE_LAB_STATE: labConfigOrThrow().stateDir,
      REKINDLE_USER: 'docs-tester',
    };
    for (const k of ['REKINDLE_CONFIG', 'REKINDLE_CODEC_KEY_FILE', 'REKINDLE_NAMESPACE']) delete env[k];
    return new DocsSandbox(installed, dir, env, await Connection.connect({ address: temporalAddress() }));
  }

  /** Runs the installed `rekindle` with `args` in the sandbox directory. */
  cli(args: string[], timeoutMs = 90_000): Promise<CliResult> {
    return exec(this.installed.bin, args, { cwd: this.dir, env: this.env, timeoutMs });
  }

  /** Starts the installed `rekindle` in the background; `done` resolves when it exits. */
  spawnCli(args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
    const child = spawn(this.installed.bin, args, { cwd: this.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const done = new Promise<CliResult>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), out, err })),
    );
    return { child, done };
  }

  /** Starts `rekindle <args>` (the documented worker command) and resolves once it polls. */
  async startWorker(args: string[]): Promise<void> {
    const { child, done } = this.spawnCli(args);
    this.worker = child;
    let seen = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('rekindle worker ready')) resolve();
      });
      void done.then((r) =>
        reject(new Error(`the worker exited (${r.code}) before it was ready:\n${r.out}\n${r.err}`)),
      );
    });
  }

  /** A new throw-away cluster: its inventory (everything at 127.0.0.1:1) is written into inventories/. */
  newCluster(): string {
    const cluster = uniqueName('docs');
    const inventory = readFileSync(join(FIXTURES, 'scratch-inventory.yaml'), 'utf8').replace(
      /^cluster: CLUSTER$/m,
      `cluster: ${cluster}`,
    );
    writeFileSync(join(this.dir, 'inventories', `${cluster}.yaml`), inventory);
    this.runs.add(`rekindle-${cluster}`);
    return cluster;
  }

  /** Remembers a workflow the test may have started, so `close` cancels it. */
  track(workflowId: string): void {
    this.runs.add(workflowId);
  }

  /** Remembers a schedule, so `close` deletes it. */
  trackSchedule(id: string | undefined): void {
    if (id) this.schedules.add(id);
  }

  /** The phase of the run on `cluster`, or undefined while it cannot say. */
  async phase(cluster: string): Promise<string | undefined> {
    try {
      return (await this.client.workflow.getHandle(`rekindle-${cluster}`).query(statusQuery)).phase;
    } catch {
      return undefined;
    }
  }

  /** Approves the scratch run's gate, as oncall-lead (in-process: a set-up step, not a documented command). */
  async approve(cluster: string): Promise<void> {
    await this.client.workflow
      .getHandle(`rekindle-${cluster}`)
      .executeUpdate(approveUpdate, { args: ['approve-restore', 'approve', 'oncall-lead', 'harness'] });
  }

  /** Polls until the run on `cluster` is in `phase`. @throws after `ms`, naming the last phase seen. */
  async waitPhase(cluster: string, phase: string, ms = 60_000): Promise<void> {
    const end = Date.now() + ms;
    let last: string | undefined;
    while (Date.now() < end) {
      last = await this.phase(cluster);
      if (last === phase) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`run on ${cluster} did not reach ${phase} within ${ms} ms (last phase: ${last ?? 'none'})`);
  }

  /** Runs `rekindle <args>` and throws unless it exits 0: for the harness's own set-up steps. */
  async must(args: string[]): Promise<CliResult> {
    const r = await this.cli(args);
    if (r.code !== 0) throw new Error(`set-up step 'rekindle ${args.join(' ')}' exited ${r.code}:\n${r.out}\n${r.err}`);
    return r;
  }

  /** A fresh scratch run, brought to `phase`: waiting-approval (at the gate) or waiting-decision (preflight failed). */
  async runAt(phase: 'waiting-approval' | 'waiting-decision'): Promise<string> {
    const cluster = this.newCluster();
    const fail = phase === 'waiting-decision' ? 'true' : 'false';
    await this.must([
      'run',
      SCRATCH_RUNBOOK,
      '--param',
      `cluster=${cluster}`,
      '--param',
      `failPreflight=${fail}`,
      '--json',
    ]);
    await this.waitPhase(cluster, 'waiting-approval');
    if (phase === 'waiting-decision') {
      await this.approve(cluster);
      await this.waitPhase(cluster, 'waiting-decision');
    }
    return cluster;
  }

  /** A scratch run that succeeded (made once, shared by the read-only commands). */
  async completedRun(): Promise<string> {
    if (this.completed) return this.completed;
    const cluster = await this.runAt('waiting-approval');
    await this.approve(cluster);
    await this.waitPhase(cluster, 'succeeded');
    this.completed = cluster;
    return cluster;
  }

  /** Cancels a run that is still running and waits (up to 60 s) until its rollback is done. */
  private async cancelRun(workflowId: string): Promise<void> {
    try {
      const handle = this.client.workflow.getHandle(workflowId);
      if ((await handle.describe()).status.name !== 'RUNNING') return;
      await handle.cancel();
      await Promise.race([handle.result().catch(() => undefined), new Promise((r) => setTimeout(r, 60_000).unref())]);
    } catch {
      // never started (a cluster made for a command that was refused), or already gone
    }
  }

  /** Cancels every run the test started, deletes its schedules, stops the worker and waits for it. */
  async close(): Promise<void> {
    await Promise.all(
      [...this.schedules].map((id) =>
        this.client.schedule
          .getHandle(id)
          .delete()
          .catch(() => undefined),
      ),
    );
    await Promise.all([...this.runs].map((id) => this.cancelRun(id)));
    for (const c of this.children) if (c !== this.worker) c.kill('SIGTERM');
    const w = this.worker;
    if (w && w.exitCode === null && w.signalCode === null) {
      const exited = new Promise((r) => w.once('exit', r));
      w.kill('SIGTERM');
      const timer = setTimeout(() => w.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await this.connection.close();
  }
}
