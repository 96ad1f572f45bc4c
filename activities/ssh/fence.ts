/**
 * Fencing: two attempts never act on the same target of a host at once (docs/fencing.md).
 *
 * A lock is `<lockDir>/<key>.lock` on the host, held with flock(1) by a keeper process that lives as long
 * as this attempt's SSH channel: the attempt releases it by writing RELEASE, and a dead worker's keeper
 * ends when sshd closes the channel, so the kernel frees the lock only once its holder is gone.
 * `<key>.owner` names the holding attempt's token; every command the attempt runs on that host first
 * checks the token under `<key>.guard` and registers its process group in `<key>.pids`. A new holder that
 * finds another token there takes over: it ends the dead holder's process groups that still run (a
 * `tar -x` outlives its channel), refuses if they will not die, and logs the takeover in `<key>.log`.
 * A stale attempt that comes back finds the token changed and is refused before its command runs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientChannel } from 'ssh2';
import { ActionCancelledError, type ActionContext } from '../errors';
import { SshCommandFailedError, TargetLockedError } from './errors';
import type { SshPool } from './pool';
import { shellQuote } from './quote';
import type { SshTarget } from './target';

/** A held lock, as the commands run under it need it. */
export interface FenceHold {
  dir: string;
  key: string;
  token: string;
}

/** One target to lock: a host and the name of what is locked on it (`kafka-logs`, `step-…`). */
export interface FenceTarget {
  host: string;
  key: string;
}

/** What acquiring found: the previous holder's token when it was taken over, and the process groups ended. */
export interface Takeover {
  host: string;
  key: string;
  previous: string;
  killed: number[];
}

/** Printed on stderr (exit 75) by a command whose attempt no longer holds the lock. */
export const FENCED_MARK = '__REKINDLE_FENCED';

const EXIT_HELD = 75;
const DEFAULT_LOCK_DIR = '~/.rekindle/locks';
const KEY = /^[A-Za-z0-9._-]{1,100}$/;

const scope = new AsyncLocalStorage<ReadonlyMap<string, FenceHold>>();

/** The lock this attempt holds on `host`, when the current code runs inside Fence.hold. */
export function heldOn(host: string): FenceHold | undefined {
  return scope.getStore()?.get(host);
}

/**
 * The wrapper's prelude for a fenced command ($2 dir, $3 key, $4 token): check the token, then register
 * the pid with its start time (so a reused pid is never taken for it).
 */
export function fencePrelude(): string {
  const f = (ext: string) => `"$2/$3.${ext}"`;
  return (
    `exec 8>>${f('guard')} && flock 8 && [ "$(cat ${f('owner')} 2>/dev/null)" = "$4" ] || { echo ${FENCED_MARK} >&2; exit ${EXIT_HELD}; };` +
    ` echo "$$:$(cut -d' ' -f22 /proc/$$/stat)" >> ${f('pids')}; exec 8>&-;`
  );
}

/**
 * The keeper ($1 dir, $2 key, $3 token, $4 wait seconds): takes the lock, takes over from a dead holder,
 * then holds until RELEASE or EOF. A registered command is `alive` while its wrapper (`timeout`, same pid
 * and start time) runs, i.e. until the command returns; then its whole group is ended. A daemon that a
 * command that has returned left behind on purpose (a service start) is never touched.
 */
const KEEPER = [
  'd=$1; k=$2; t=$3; w=$4',
  'case $d in "~/"*) d="$HOME/${d#??}";; esac',
  'mkdir -p -m 700 -- "$d" || exit 71',
  'exec 9>>"$d/$k.lock" || exit 71',
  `flock -w "$w" 9 || { printf 'HELD %s\n' "$(cat "$d/$k.owner" 2>/dev/null)"; exit ${EXIT_HELD}; }`,
  'alive() { p=${1%%:*}; [ "$(cut -d" " -f22 /proc/$p/stat 2>/dev/null)" = "${1#*:}" ]; }',
  'end() { p=${2%%:*}; kill -$1 -"$p" 2>/dev/null; kill -$1 "$p" 2>/dev/null; }',
  'exec 8>>"$d/$k.guard"; flock 8',
  'prev=$(cat "$d/$k.owner" 2>/dev/null); left=',
  'for x in $(cat "$d/$k.pids" 2>/dev/null); do alive "$x" && left="$left $x"; done',
  'n=0; sig=TERM; still=$left',
  'while [ -n "$still" ]; do',
  '  now=; for x in $still; do alive "$x" && { end $sig "$x"; now="$now $x"; }; done; still=$now',
  '  [ -z "$still" ] && break',
  `  [ $n -ge 100 ] && { printf 'HELD %s (processes%s will not end)\n' "$prev" "$still"; exit ${EXIT_HELD}; }`,
  '  [ $n -ge 25 ] && sig=KILL; n=$((n+1)); sleep 0.2',
  'done',
  'printf \'%s\\n\' "$t" > "$d/$k.owner.new" && mv -f "$d/$k.owner.new" "$d/$k.owner" && : > "$d/$k.pids" || exit 71',
  '[ -n "$prev" ] && printf \'%s takeover by %s from %s, ended:%s\\n\' "$(date -u +%FT%TZ)" "$t" "$prev" "$left" >> "$d/$k.log"',
  'flock -u 8; exec 8>&-',
  'printf \'ACQUIRED\\t%s\\t%s\\t%s\\n\' "$d" "$prev" "$left"',
  'IFS= read -r line',
  // A clean release ends what the attempt left running and clears the token; EOF (the worker died) leaves
  // both, so the next holder knows it takes over and ends them itself.
  'if [ "$line" = RELEASE ]; then exec 8>>"$d/$k.guard"; flock 8; for x in $(cat "$d/$k.pids"); do alive "$x" && end KILL "$x"; done; rm -f "$d/$k.owner"; : > "$d/$k.pids"; fi',
].join('\n');

/** Takes and releases fence locks on inventory hosts, over the worker's SSH pool. */
export class Fence {
  constructor(
    private readonly pool: SshPool,
    private readonly target: (inventory: Record<string, unknown>, host: string) => SshTarget,
  ) {}

  /**
   * Runs `work` holding every target's lock (taken in a fixed order, so two holders cannot deadlock), and
   * releases them however it ends. Throws TargetLockedError when a lock stays held for `waitMs`.
   */
  async hold<T>(
    inventory: Record<string, unknown>,
    targets: FenceTarget[],
    token: string,
    ctx: ActionContext,
    work: (takeovers: Takeover[]) => Promise<T>,
    waitMs = 10_000,
  ): Promise<T> {
    const sorted = [...targets].sort((a, b) => `${a.host}/${a.key}`.localeCompare(`${b.host}/${b.key}`));
    const keepers: Keeper[] = [];
    try {
      for (const t of sorted) keepers.push(await this.acquire(inventory, t, token, ctx, waitMs));
      const held = new Map(keepers.map((k) => [k.hold.host, k.hold.fence]));
      const takeovers = keepers.flatMap((k) => (k.takeover ? [k.takeover] : []));
      return await scope.run(held, () => work(takeovers));
    } finally {
      for (const k of keepers.reverse()) await k.release();
    }
  }

  private acquire(
    inventory: Record<string, unknown>,
    t: FenceTarget,
    token: string,
    ctx: ActionContext,
    waitMs: number,
  ): Promise<Keeper> {
    if (!KEY.test(t.key)) throw new Error(`fence key ${t.key} is not a file name`);
    const target = this.target(inventory, t.host);
    const words = [target.entry.lockDir ?? DEFAULT_LOCK_DIR, t.key, token, String(Math.ceil(waitMs / 1000))];
    const command = `exec sh -c ${shellQuote(KEEPER)} keeper ${words.map(shellQuote).join(' ')}`;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        reject(err);
      };
      void this.pool
        .channel(
          target,
          command,
          (stream) =>
            new Promise<void>((closed) => {
              let out = '';
              let err = '';
              let code: number | null = null;
              const onAbort = () => stream.close();
              ctx.signal.addEventListener('abort', onAbort, { once: true });
              stream.on('data', (c: Buffer) => {
                out += c.toString();
                const m = /^ACQUIRED\t(.*)\t(.*)\t(.*)\n/m.exec(out);
                if (!m || settled) return;
                settled = true;
                ctx.signal.removeEventListener('abort', onAbort);
                const fence = { dir: m[1], key: t.key, token };
                const killed = m[3]
                  .trim()
                  .split(/\s+/)
                  .filter(Boolean)
                  .map((x) => Number(x.split(':')[0]));
                resolve({
                  hold: { host: t.host, fence },
                  takeover: m[2] ? { host: t.host, key: t.key, previous: m[2], killed } : undefined,
                  release: () => releaseKeeper(stream, done),
                });
              });
              stream.stderr.on('data', (c: Buffer) => (err += c.toString()));
              stream.on('exit', (c: number | null) => (code = c));
              const done = new Promise<void>((r) => stream.on('close', () => r()));
              void done.then(() => {
                ctx.signal.removeEventListener('abort', onAbort);
                if (ctx.signal.aborted) fail(new ActionCancelledError('cancelled while waiting for a fence lock'));
                else if (code === EXIT_HELD)
                  fail(new TargetLockedError(t.host, t.key, /HELD (.*)/.exec(out)?.[1] ?? ''));
                else fail(new SshCommandFailedError(t.host, code, { stderrTail: err.slice(-2000), phase: 'fence' }));
                closed();
              });
            }),
        )
        .catch(fail);
    });
  }
}

interface Keeper {
  hold: { host: string; fence: FenceHold };
  takeover?: Takeover;
  release(): Promise<void>;
}

/** Asks the keeper to release and waits (up to 15 s) for it to end; closes the channel if it does not. */
async function releaseKeeper(stream: ClientChannel, done: Promise<void>): Promise<void> {
  stream.end('RELEASE\n');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise<void>((r) => (timer = setTimeout(r, 15_000)))]);
  clearTimeout(timer);
  stream.close();
}
