import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../core/errors';

/** Output helpers shared by every command: JSON on stdout with --json, one clear line on stderr on error. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

/** A subcommand: `pixdesk <group> [<name>] …`. `run` returns the exit code. */
export interface CliCommand {
  /** e.g. "brcode encode" or "qr". */
  path: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number> | number;
}

/** Parse options strictly; unknown flags become a clear usage error instead of being ignored. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new AppError('CLI_USAGE', `Uso inválido: ${msg}\nUso: ${usage}`);
  }
}

/** Require a string option, with a pt-BR message naming it. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new AppError('CLI_USAGE', `A opção --${flag} é obrigatória.`);
  return value;
}

/** Resolves at the first SIGINT or SIGTERM (long-running commands: `sandbox serve`, `api serve`). */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
