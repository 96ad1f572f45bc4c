/** `rekindle audit RUN`: the audit report of a run, built from its Temporal history alone. */
import { writeFileSync } from 'node:fs';
import type { Command } from '../command';
import { CliError } from '../command';
import { parse, RUN_FORMS } from '../client/args';
import type { AuditReport } from '../../audit';

const usage = 'rekindle audit RUN [--format md|json|html] [--out FILE] [--verify] [--history FILE]';

const FORMATS = ['md', 'json', 'html'];

/** A payload the configured codec key cannot decode (audit's CodecError, recognised by name so it loads lazily). */
function codecFailure(err: unknown): unknown {
  if ((err as Error)?.name !== 'CodecError') return err;
  return new CliError(
    `${(err as Error).message}; set REKINDLE_CODEC_KEY_FILE (or codecKeyFile) to the key the run was written with`,
    8,
  );
}

export const command: Command = {
  summary: "Build a run's audit report from its workflow history (md, json or html)",
  help: `Usage: ${usage}

RUN is ${RUN_FORMS}: any run, completed or not, the latest on its cluster or not.
Fetches the full history of that run (with the runs it continued from) and decodes it through the
configured data converter, including the AES-GCM payload codec when REKINDLE_CODEC_KEY_FILE is set.
The report comes from the history alone: runbook name, SHA-256 and source, the Plan, parameters, who
started the run and when, every step with every attempt (inputs as rendered, outputs, errors with
their types), every approval and operator decision, rollback, the outcome and a timeline.

Options:
  --format F      md (default), json (stable keys) or html (one self-contained page)
  --json          same as --format json
  --out FILE      write the report to FILE instead of stdout
  --verify        replay the history against the current workflow code and report whether it
                  replays cleanly, with the history's SHA-256; exits 7 when it does not
  --history FILE  audit an exported history (rekindle history RUN --out FILE) instead of fetching;
                  RUN then only names the report
  --debug         print stack traces

Examples:
  rekindle audit rekindle-prod-eu --format html --out audit.html
  rekindle audit rekindle-prod-eu --json --verify`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      {
        format: { type: 'string', default: 'md' },
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
        verify: { type: 'boolean', default: false },
        history: { type: 'string' },
      },
      { min: 1, max: 1, usage },
    );
    const format = values.json ? 'json' : String(values.format);
    if (!FORMATS.includes(format)) throw new CliError(`--format must be md, json or html, not '${format}'`, 2);
    const run = positionals[0];
    const audit = await import('../../audit');
    const { loadConfig } = await import('../../worker/config');
    const config = loadConfig();
    let report: AuditReport;
    try {
      const dataConverter = audit.dataConverterFor(config.codecKeyFile);
      const opts = { verify: !!values.verify, ...(dataConverter ? { dataConverter } : {}) };
      if (values.history) {
        report = await audit.auditHistory(
          audit.readHistoryFile(String(values.history)),
          { workflowId: run, runId: '(from file)' },
          opts,
        );
      } else {
        const { withRun } = await import('../../client/with-run');
        report = await withRun(run, async ({ client, handle }) =>
          audit.auditHistories(
            await audit.fetchRunChain(client, handle.workflowId, handle.runId),
            handle.workflowId,
            opts,
          ),
        );
      }
    } catch (err) {
      const e = codecFailure(err) as Error & { code?: string };
      if (e?.code === 'AUDIT_NOT_A_RUN' || e?.code === 'AUDIT_HISTORY_FILE_INVALID')
        throw new CliError(`${e.message}; audit only reads Rekindle runs`);
      throw e;
    }
    const renderers: Record<string, (r: AuditReport) => string> = {
      md: audit.renderMarkdown,
      json: audit.renderJson,
      html: audit.renderHtml,
    };
    const text = renderers[format](report);
    if (values.out) {
      writeFileSync(String(values.out), text);
      console.error(`wrote ${format} audit of ${report.workflowId} to ${String(values.out)}`);
    } else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    if (report.verify && !report.verify.replayed) {
      console.error(
        `rekindle audit: the history does NOT replay against the current workflow code (${report.verify.error?.type}: ${report.verify.error?.message})`,
      );
      return 7;
    }
    return 0;
  },
};
