import { SealedSessionError } from '../errors/base.js';

/** Exit statuses scripts can rely on. */
export const ExitCode = {
  ok: 0,
  /** Bad input or a failed check: bad seal, wrong password, signature, expired with `--require-valid`. */
  failure: 1,
  /** The command line itself is wrong. */
  usage: 2,
} as const;

/** An exit status of the CLI. */
export type ExitStatus = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Base class of every error the CLI reports itself. Each maps to an exit status, so scripts can
 * tell "you called me wrong" (2) from "your input or check failed" (1).
 */
export abstract class CliError extends SealedSessionError<'cli_usage' | CliInputCode> {
  /** Exit status this error ends the process with. */
  abstract readonly exitCode: ExitStatus;
}

/** Codes of {@link CliInputError}. */
export type CliInputCode = 'cli_bad_json' | 'cli_no_cookie' | 'cli_empty_input' | 'cli_bad_input';

/** The command line is wrong: unknown option, missing argument, bad option value. */
export class CliUsageError extends CliError {
  readonly code = 'cli_usage';
  readonly exitCode = ExitCode.usage;
  /** The command whose help to point at, when known. */
  readonly command: string | undefined;

  /** @param message - what is wrong; @param options - `command`, whose help to point at. */
  constructor(message: string, options: { command?: string; cause?: unknown } = {}) {
    super(message, options);
    this.command = options.command;
  }
}

/** The input cannot be used: not JSON, no sealed cookie in it, empty. */
export class CliInputError extends CliError {
  readonly code: CliInputCode;
  readonly exitCode = ExitCode.failure;

  /** @param message - what is wrong; @param options - `code`, which kind of input problem. */
  constructor(message: string, options: { code: CliInputCode; cause?: unknown }) {
    super(message, options);
    this.code = options.code;
  }
}
