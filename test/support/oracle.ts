/**
 * The real `kafka-consumer-groups` as a test oracle: test/oracle/ResetOracle.java, compiled with javac
 * against the lab's kafka-tools jars (cached by source hash) and run as one JVM that answers many cases.
 */
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { labConfig, paths } from '../../lab/config';

const SOURCE = join(__dirname, '..', 'oracle', 'ResetOracle.java');
const MAIN = 'org.apache.kafka.tools.consumer.group.ResetOracle';

export interface ToolReset {
  ok: boolean;
  /** group -> "topic:partition" -> new offset. */
  offsets?: Record<string, Record<string, number>>;
  /** What printOffsetsToReset printed for the result. */
  table?: string;
  error?: string;
  /** Everything else the tool printed (warnings, per-group errors). */
  out: string;
}

export interface ParseAnswer {
  ms?: number;
  nanos?: string;
  error?: string;
}

/** The class path of the oracle: the compiled harness and the tools jars. Compiles once per source version. */
export function oracleClassPath(): string {
  const c = labConfig();
  const tools = paths.kafkaTools(c);
  if (!existsSync(join(tools, 'kafka-tools-3.9.1.jar')))
    throw new Error(`kafka-tools is not in ${tools}: run bash lab/install/binaries.sh (or npm run lab -- up)`);
  const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 12);
  const out = join(c.cacheDir, 'oracle', hash);
  if (!existsSync(join(out, 'org'))) {
    mkdirSync(out, { recursive: true });
    execFileSync('javac', ['-nowarn', '-cp', `${tools}/*`, '-d', out, SOURCE], { stdio: 'inherit' });
  }
  return `${out}:${tools}/*`;
}

/** One running oracle JVM. Requests are answered in order. */
export class Oracle {
  private next = 1;
  private readonly waiting = new Map<number, (v: Record<string, unknown>) => void>();
  private readonly ready: Promise<void>;

  private constructor(private readonly proc: ChildProcessWithoutNullStreams) {
    const lines = createInterface({ input: proc.stdout });
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as Record<string, unknown>;
      if (msg.ready) return markReady();
      const done = this.waiting.get(msg.id as number);
      this.waiting.delete(msg.id as number);
      done?.(msg);
    });
    proc.stderr.resume();
  }

  /** Starts the JVM against these bootstrap servers and waits until it answers. */
  static async start(bootstrap: string): Promise<Oracle> {
    const proc = spawn('java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-cp', oracleClassPath(), MAIN, bootstrap], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const o = new Oracle(proc);
    await Promise.race([
      o.ready,
      new Promise((_, reject) => proc.once('exit', (code) => reject(new Error(`oracle exited with ${code}`)))),
    ]);
    return o;
  }

  private ask(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.proc.stdin.write(`${JSON.stringify({ ...req, id })}\n`);
    });
  }

  /** `kafka-consumer-groups <args>` as the tool computes it (add --dry-run to the args to keep it one). */
  async reset(args: string[]): Promise<ToolReset> {
    return (await this.ask({ op: 'reset', args })) as unknown as ToolReset;
  }

  /** Utils.getDateTime of each value (what --to-datetime reads). */
  async datetimes(values: string[]): Promise<ParseAnswer[]> {
    return (await this.ask({ op: 'datetime', values })).results as ParseAnswer[];
  }

  /** java.time.Duration.parse of each value (what --by-duration reads), in nanoseconds. */
  async durations(values: string[]): Promise<ParseAnswer[]> {
    return (await this.ask({ op: 'duration', values })).results as ParseAnswer[];
  }

  /** Ends the JVM (closing stdin lets it close its Admin and exit). */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.stdin.end();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
