/**
 * The worker's logs: pino, JSON lines when the output is a pipe or a file (for journald, Loki, ...), human
 * text when it is a terminal. Every field and message passes through the Redactor first, and the Temporal
 * SDK's own logger (worker, activity and forwarded Core lines) is wired to the same pino instance, so there
 * is one format and one place where secrets are masked.
 */
import pino from 'pino';
import type { DestinationStream, Logger as Pino } from 'pino';
import pinoPretty from 'pino-pretty';
import type { LogLevel as SdkLogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import type { LogFormat, LogLevel } from './config';
import { Redactor } from './redact';

export interface WorkerLogOptions {
  format?: LogFormat;
  level?: LogLevel;
  /** Where lines go (default: stdout). */
  destination?: NodeJS.WritableStream & { fd?: number };
  /** Whether the destination is a terminal (default: its isTTY). */
  isTTY?: boolean;
  redactor?: Redactor;
}

/** `auto` means text on a terminal and JSON otherwise. */
export function resolveFormat(format: LogFormat, isTTY: boolean): 'json' | 'text' {
  if (format === 'auto') return isTTY ? 'text' : 'json';
  return format;
}

/** Creates the worker's pino logger; `redactor` masks secrets in every line. */
export function createWorkerLogger(opts: WorkerLogOptions = {}): {
  log: Pino;
  redactor: Redactor;
  format: 'json' | 'text';
} {
  const out = opts.destination ?? process.stdout;
  const isTTY = opts.isTTY ?? Boolean((out as { isTTY?: boolean }).isTTY);
  const format = resolveFormat(opts.format ?? 'auto', isTTY);
  const redactor = opts.redactor ?? new Redactor();
  // Synchronous writes: a line logged just before process.exit() must not be lost.
  const destination: DestinationStream =
    format === 'text'
      ? pinoPretty({
          colorize: isTTY,
          sync: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,service',
          destination: out,
        })
      : out === process.stdout
        ? pino.destination({ fd: 1, sync: true })
        : (out as unknown as DestinationStream);
  const log = pino(
    {
      level: opts.level ?? 'info',
      base: { service: 'rekindle-worker', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => redactor.value(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? redactor.text(a) : a)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
    },
    destination,
  );
  return { log, redactor, format };
}

const LEVELS: Record<SdkLogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The Temporal SDK's Logger interface over pino, for `Runtime.install({ logger })`. */
export class PinoSdkLogger implements SdkLogger {
  constructor(private readonly pino: Pino) {}

  log(level: SdkLogLevel, message: string, meta?: LogMetadata): void {
    this.pino[LEVELS[level] ?? 'info'](meta ?? {}, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
