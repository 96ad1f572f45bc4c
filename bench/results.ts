/** bench/RESULTS.md: each benchmark owns one `## ` section and replaces only that one. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const RESULTS = join(__dirname, 'RESULTS.md');

/** Replaces the section that starts with `heading` (or appends it), keeping every other section. */
export function writeSection(heading: string, body: string): void {
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf(heading);
  let next: string;
  if (start < 0) next = `${current.trimEnd()}\n\n${body}\n`;
  else {
    const after = current.indexOf('\n## ', start + heading.length);
    next = `${current.slice(0, start)}${body}\n${after < 0 ? '' : current.slice(after)}`;
  }
  writeFileSync(RESULTS, next);
}

/** When and where a measurement was made, with the load: a loaded machine inflates wall times. */
export function measuredOn(): string {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  return `Measured ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}, ${cpus().length} cores, load average ${load}`;
}
