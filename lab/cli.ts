/**
 * `npm run lab -- up|down|status|reset [--zk-nodes 1|3] [--json]`
 * Prints where everything is; `status --json` is the stable machine-readable form.
 */
import { parseArgs } from 'node:util';
import { savedConfig } from './config';
import type { LabStatus } from './index';
import { down, reset, status, up } from './index';

const HELP = `Usage: npm run lab -- <command> [options]

Commands:
  up       Start (or reuse) Temporal, ZooKeeper, three Kafka brokers and one sshd per host; wait until ready
  down     Stop exactly what the lab started, by pid
  status   Show each component: up or down, pid and address
  reset    Stop the lab and wipe lab/state (downloads in ~/.cache/rekindle are kept)

Options:
  --zk-nodes 1|3   ZooKeeper ensemble size for a fresh lab (default 1)
  --json           Machine-readable output (status and up)
Environment:
  REKINDLE_LAB_STATE        state directory (default lab/state)
  REKINDLE_LAB_PORT_OFFSET  added to every default port
  TEMPORAL_CLI              Temporal CLI binary to use instead of building one`;

function printStatus(s: LabStatus, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(s, null, 2));
    return;
  }
  for (const c of s.components) {
    const state = c.up ? 'up  ' : 'DOWN';
    console.log(
      `${state}  ${c.name.padEnd(14)} ${c.kind.padEnd(10)} pid ${String(c.pid ?? '-').padEnd(8)} ${c.host}:${c.port}`,
    );
  }
  const cfg = savedConfig();
  if (cfg) console.log(`\nTemporal UI   http://127.0.0.1:${cfg.ports.temporalUi}`);
  console.log(`Inventory     ${s.inventory}`);
}

/** The lab's flags, one line per flag. */
const FLAGS = {
  'zk-nodes': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMANDS = ['up', 'down', 'status', 'reset'];

/** Parses `argv`; an unknown flag, command or surplus argument is a usage error (exit 2) naming it. */
function parse(argv: string[]): { cmd?: string; json: boolean; zkNodes?: 1 | 3; help: boolean } | string {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    const known = Object.keys(FLAGS)
      .map((f) => `--${f}`)
      .join(', ');
    const unknown = /Unknown option '([^']+)'/.exec((err as Error).message)?.[1];
    return `${unknown ? `unknown option '${unknown}'` : (err as Error).message.split('. ')[0]}; known options: ${known}`;
  }
  const [cmd, ...surplus] = parsed.positionals;
  if (cmd !== undefined && cmd !== 'help' && !COMMANDS.includes(cmd))
    return `unknown command '${cmd}'; known commands: ${COMMANDS.join(', ')}`;
  if (surplus.length) return `unexpected argument '${surplus[0]}'`;
  const zk = parsed.values['zk-nodes'];
  if (zk !== undefined && zk !== '1' && zk !== '3') return `--zk-nodes takes 1 or 3, not '${zk}'`;
  return {
    cmd: cmd === 'help' ? undefined : cmd,
    json: !!parsed.values.json,
    help: !!parsed.values.help || cmd === 'help',
    ...(zk ? { zkNodes: Number(zk) as 1 | 3 } : {}),
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'string') {
    console.error(`lab: ${args}\n\n${HELP}`);
    return 2;
  }
  if (args.help || args.cmd === undefined) {
    console.log(HELP);
    return 0;
  }
  const { cmd, json, zkNodes } = args;
  const log = json ? () => {} : (s: string) => console.log(s);
  switch (cmd) {
    case 'up': {
      const started = Date.now();
      const s = await up({ zkNodes }, log);
      printStatus(s, json);
      if (!json) console.log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    }
    case 'down':
      await down(savedConfig(), log);
      return 0;
    case 'reset':
      await reset(log);
      return 0;
    case 'status': {
      const s = await status();
      printStatus(s, json);
      return s.components.length > 0 && s.components.every((c) => c.up) ? 0 : 3;
    }
    default:
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`lab: ${err.message}`);
    process.exit(1);
  },
);
