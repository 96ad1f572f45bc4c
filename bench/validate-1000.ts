/**
 * Benchmark: `rekindle validate` on a generated 1,000-step runbook must take under 1 s.
 * Measures the compile itself in-process (median of several runs) and the whole CLI as a process
 * (tsx start-up included), then writes the figures into the "Validation" section of bench/RESULTS.md.
 *
 *   npx tsx bench/validate-1000.ts [--steps N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRunbook } from '../compiler';
import { measuredOn, writeSection } from './results';

const ROOT = join(__dirname, '..');
const SECTION = '## Validation (bench/validate-1000.ts)';

/** A runbook of `n` steps: layered DAG (each step needs up to 3 earlier ones), fan-out, approvals, expressions. */
export function generateRunbook(n: number): string {
  const lines = [
    'apiVersion: rekindle/v1',
    'kind: Runbook',
    'metadata:',
    '  name: generated',
    'parameters:',
    '  backupSet: { type: string, default: latest }',
    '  strict: { type: boolean, default: true }',
    'inventory:',
    '  cluster: gen',
    '  backupStore: /b',
    "  zookeeper: { connect: 'z:2181', chroot: /kafka, nodes: [] }",
    '  kafka:',
    "    bootstrap: ['k:9092']",
    '    brokers: [{ id: 1, host: kafka-1, address: 127.0.0.1, port: 9092, internalPort: 9093, logDirs: [/d] }]',
    '  hosts:',
    '    - { name: kafka-1, address: 127.0.0.1, port: 22, user: root, identityFile: /k, control: svc, service: kafka }',
    'defaults:',
    '  timeout: 5m',
    '  retry: { maxAttempts: 3, initialInterval: 2s, backoffCoefficient: 2, maxInterval: 1m }',
    'steps:',
  ];
  for (let i = 0; i < n; i++) {
    const needs = [i - 1, i - 7, i - 31].filter((j) => j >= 0).map((j) => `s${j}`);
    lines.push(`  - id: s${i}`);
    if (needs.length) lines.push(`    needs: [${needs.join(', ')}]`);
    switch (i % 5) {
      case 0:
        lines.push('    uses: kafka.snapshot-state');
        break;
      case 1:
        lines.push('    uses: service.stop', '    forEach: ${{ inventory.kafka.brokers }}', '    maxParallel: 2');
        lines.push("    when: ${{ params.strict && run.mode != 'drill' }}");
        break;
      case 2:
        lines.push('    uses: ssh.exec', '    forEach: ${{ inventory.kafka.brokers }}');
        lines.push("    with: { command: 'echo ${{ params.backupSet }}; ls -l ${{ item.logDirs }}' }");
        break;
      case 3:
        lines.push('    uses: approval', '    with:', '      approvers: [a, b]', '      timeout: 1h');
        lines.push(`      summary: 'after \${{ steps.s${i - 3}.outputs.summary }}'`);
        break;
      default:
        lines.push('    uses: zookeeper.restore', "    with: { backup: '${{ params.backupSet }}', batchSize: 100 }");
    }
  }
  return lines.join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const idx = process.argv.indexOf('--steps');
  const n = idx > 0 ? Number(process.argv[idx + 1]) : 1000;
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-bench-'));
  try {
    const file = join(dir, 'generated.yaml');
    const text = generateRunbook(n);
    writeFileSync(file, text);
    const inProcess: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const r = compileRunbook({ file, text });
      inProcess.push(performance.now() - t0);
      if (!r.plan || r.diagnostics.length)
        throw new Error(`generated runbook is not valid: ${JSON.stringify(r.diagnostics[0])}`);
    }
    const cli: number[] = [];
    const cliCpu: number[] = [];
    for (let i = 0; i < 5; i++) {
      // bash's `time` reports the child's wall and CPU time; CPU time is what a busy machine cannot inflate.
      const cmd = `TIMEFORMAT='%R %U %S'; time '${process.execPath}' bin/rekindle.js validate --quiet '${file}' >/dev/null`;
      const r = spawnSync('bash', ['-c', cmd], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`rekindle validate failed: ${r.stderr}`);
      const [real, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
      cli.push(real * 1000);
      cliCpu.push((user + sys) * 1000);
    }
    const compileMs = median(inProcess);
    const cliMs = median(cli);
    const cpuMs = median(cliCpu);
    const verdict = cliMs < 1000 ? 'meets' : 'misses';
    const body = [
      SECTION,
      `Generated runbook: ${n} steps (${text.split('\n').length} lines; needs fan-in of up to 3, forEach, when, approvals, templated ssh.exec commands, step-output references).`,
      `- Compile in-process (\`compileRunbook\`, median of 7, first run included): **${compileMs.toFixed(0)} ms**`,
      `- \`rekindle validate\` as a process, including Node and tsx start-up (median of 5): **${cliMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU** (user+sys); the wall time ${verdict} the 1 s target.`,
      `- ${measuredOn()}.`,
    ].join('\n');
    writeSection(SECTION, body);
    console.log(body);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();
