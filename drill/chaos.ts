/**
 * Worker chaos: SIGKILLs the drill's worker at random moments of the recovery, a given number of
 * times. A moment is a step state change chosen at random (with a logged seed) among the first ones
 * of the run, so every kill really happens while the recovery is in flight.
 */
import type { StepStatus } from '../workflows/types';
import type { SupervisedWorker } from './worker-process';

/** A small deterministic PRNG (mulberry32), so a failing chaos run (or a generated test case) can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class WorkerChaos {
  readonly kills: Array<{ pid: number; afterStep: string; at: string }> = [];
  private readonly moments: number[];
  private changes = 0;
  private startsAtLastKill = -1;

  /** `kills` kills at distinct random step changes in [2, window]. */
  constructor(
    kills: number,
    readonly seed: number,
    private readonly log: (s: string) => void,
    window = 24,
  ) {
    const next = rng(seed);
    const picked = new Set<number>();
    while (picked.size < Math.min(kills, window - 1)) picked.add(2 + Math.floor(next() * (window - 1)));
    this.moments = [...picked].sort((a, b) => a - b);
  }

  get planned(): number {
    return this.moments.length;
  }

  /** Call on every step state change of the recovery run. */
  onStep(step: StepStatus, worker: SupervisedWorker): void {
    this.changes++;
    const due = this.moments.length > this.kills.length && this.changes >= this.moments[this.kills.length];
    // Only a worker started after the last kill: a step change seen since then was answered by it, so it
    // is up and polling (killing one mid start-up would stop the supervisor from restarting it).
    if (!due || !worker.pid || worker.starts <= this.startsAtLastKill) return;
    const pid = worker.pid;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    this.startsAtLastKill = worker.starts;
    this.kills.push({ pid, afterStep: `${step.id} ${step.state}`, at: new Date().toISOString() });
    this.log(
      `  ☠ chaos: SIGKILLed worker pid ${pid} (${this.kills.length} of ${this.moments.length}) after ${step.id} went ${step.state}`,
    );
  }
}
