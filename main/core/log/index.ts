/**
 * The application log: pino, writing JSON lines to `<profile>/logs/pixdesk.log` with size-based rotation,
 * every line redacted (see redact.ts). Services take a {@link Logger} in; Core builds one per profile unless
 * one is injected (tests inject {@link createMemoryLogger}). Log events are short English phrases with
 * structured fields (`accountId`, `op`, `err` …); what a person reads stays in the pt-BR errors of the UI.
 */
import path from 'node:path';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactText, sanitize } from './redact';
import { RotatingFile, type RotatingFileOptions } from './rotating-file';

export type { Logger } from 'pino';
export { isSecretKey, redactText, REDACTED, sanitize } from './redact';
export { RotatingFile, type RotatingFileOptions } from './rotating-file';

/** Where the log lives inside a profile folder. */
export const LOG_DIR = 'logs';
export const LOG_FILE = 'pixdesk.log';

/** The log file of a profile. */
export function logFileOf(profileDir: string): string {
  return path.join(profileDir, LOG_DIR, LOG_FILE);
}

type Level = NonNullable<LoggerOptions['level']>;
const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function levelFrom(env: NodeJS.ProcessEnv): Level {
  const v = env.PIXDESK_LOG_LEVEL?.toLowerCase();
  return v && LEVELS.has(v) ? v : 'info';
}

/**
 * pino options shared by every PixDesk logger: what is logged is sanitised before pino sees it (secret-named
 * keys, errors with their causes), and each finished line is redacted again by shape (JWTs, PEM keys, …).
 */
function options(level: Level, base: Record<string, unknown>): LoggerOptions {
  return {
    level,
    base: { pid: process.pid, ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    // `err` arrives already as a plain, sanitised object (see the hook): no second serialiser.
    serializers: { err: (e: unknown) => e },
    formatters: { bindings: (b) => sanitize(b) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        if (first instanceof Error) {
          // pino would take the message from the error itself; give it the sanitised copy instead.
          const msg = typeof rest[0] === 'string' ? rest.shift() : first.message;
          return method.apply(this, [{ err: sanitize(first) }, msg, ...rest] as Parameters<typeof method>);
        }
        if (first !== null && typeof first === 'object') {
          return method.apply(this, [sanitize(first), ...rest] as Parameters<typeof method>);
        }
        return method.apply(this, args);
      },
      streamWrite: (line) => redactText(line),
    },
  };
}

/** A logger over any destination (a file, memory, stderr), with PixDesk's redaction. */
export function createLogger(destination: DestinationStream, opts: { level?: Level; base?: Record<string, unknown> } = {}): Logger {
  return pino(options(opts.level ?? levelFrom(process.env), opts.base ?? {}), destination);
}

/** A profile's log and the file under it; `close` releases the file. */
export interface ProfileLog {
  log: Logger;
  file: string;
  close(): void;
}

/**
 * Open `<profile>/logs/pixdesk.log` (0600, folder 0700) with rotation: by default 5 files of at most 5 MiB.
 * `PIXDESK_LOG_LEVEL` (fatal … trace, silent) sets the level; info by default.
 */
export function openProfileLog(profileDir: string, opts: Omit<RotatingFileOptions, 'file'> & { level?: Level; base?: Record<string, unknown> } = {}): ProfileLog {
  const file = new RotatingFile({ file: logFileOf(profileDir), ...opts });
  return { log: createLogger(file, opts), file: file.file, close: () => file.close() };
}

/** A logger that keeps its lines in memory, for tests: same options and redaction as the file one. */
export function createMemoryLogger(level: Level = 'trace'): { log: Logger; lines: string[]; entries(): Record<string, unknown>[] } {
  const lines: string[] = [];
  const log = createLogger({ write: (l: string) => void lines.push(l) }, { level });
  return { log, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** A logger that drops everything (the default of services built without one). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * The dispatcher's `onUnexpected` callback: an error that is not an AppError (a bug, a disk failure) is
 * logged with its stack and cause; the caller only ever sees the generic pt-BR message.
 */
export function logUnexpected(log: Logger): (op: string, e: unknown) => void {
  return (op, e) => log.error({ op, err: e }, 'unexpected error in a contract operation');
}

/**
 * Log one error to a profile's log without keeping the file open (a startup failure, a CLI command that
 * crashed). Returns the log file, or null when it cannot be written (read-only disk): logging never adds
 * a second failure.
 */
export function logErrorTo(profileDir: string, fields: Record<string, unknown>, msg: string, base: Record<string, unknown> = {}): string | null {
  try {
    const p = openProfileLog(profileDir, { base });
    try {
      p.log.error(fields, msg);
    } finally {
      p.close();
    }
    return p.file;
  } catch {
    return null;
  }
}
