/**
 * Dispatch of `sealed-session <command>` and the mapping of every failure to an exit status
 * and one line on stderr.
 */
import { readFileSync } from 'node:fs';
import { JwtError } from '../jwt/errors.js';
import { SealError } from '../seal/errors.js';
import { keygen } from './commands/keygen.js';
import { inspect } from './commands/inspect.js';
import { seal, unseal } from './commands/seal.js';
import { unknownOption } from './args.js';
import { CliError, CliUsageError, ExitCode, type ExitStatus } from './errors.js';
import { commandHelp, mainHelp, type CommandName } from './help.js';
import type { CliIo } from './io.js';

const commands: Record<CommandName, (argv: readonly string[], io: CliIo) => ExitStatus | Promise<ExitStatus>> = {
  keygen,
  seal,
  unseal,
  inspect,
};

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

// The word is not repeated: a cookie or a password given without its command lands here.
const UNKNOWN_COMMAND = `unknown command (expected ${Object.keys(commands).join(', ')})`;

/** The package version, read from the package.json two levels above this file (src/ or dist/). */
export function version(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const value = (pkg as { version?: unknown }).version;
    return typeof value === 'string' ? value : 'unknown';
  } catch {
    return 'unknown';
  }
}

// What a user most likely has to fix, for the failures whose library message cannot know.
const SEAL_HINTS: Partial<Record<string, string>> = {
  seal_bad_mac: 'wrong password, or the cookie was altered',
  seal_unknown_password: 'none of the given passwords sealed this cookie',
};

const HELP_FLAGS = new Set(['-h', '--help']);

async function dispatch(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(mainHelp);
    return ExitCode.usage;
  }
  if (HELP_FLAGS.has(first)) {
    io.stdout.write(mainHelp);
    return ExitCode.ok;
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${version()}\n`);
    return ExitCode.ok;
  }
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) io.stdout.write(mainHelp);
    else if (isCommand(topic)) io.stdout.write(commandHelp[topic]);
    else throw new CliUsageError(UNKNOWN_COMMAND);
    return ExitCode.ok;
  }
  if (!isCommand(first)) throw new CliUsageError(first.startsWith('-') ? unknownOption(first) : UNKNOWN_COMMAND);
  // Help wins over everything else on the line, even options that would not parse.
  if (rest.some((arg) => HELP_FLAGS.has(arg))) {
    io.stdout.write(commandHelp[first]);
    return ExitCode.ok;
  }
  return commands[first](rest, io);
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit status. */
export async function run(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const command = argv[0] !== undefined && isCommand(argv[0]) ? argv[0] : undefined;
  try {
    return await dispatch(argv, io);
  } catch (error) {
    io.stderr.write(`${errorLine(error, command)}\n`);
    return error instanceof CliError ? error.exitCode : ExitCode.failure;
  }
}

function errorLine(error: unknown, command: string | undefined): string {
  const prefix = command ? `sealed-session ${command}` : 'sealed-session';
  if (error instanceof CliUsageError) {
    const helpFor = error.command ?? command;
    return `${prefix}: ${error.message} (see 'sealed-session ${helpFor ? `${helpFor} ` : ''}--help')`;
  }
  if (error instanceof SealError) {
    const hint = SEAL_HINTS[error.code];
    return `${prefix}: ${oneLine(error.message)}${hint ? `: ${hint}` : ''} (${error.code})`;
  }
  if (error instanceof CliError || error instanceof JwtError) {
    return `${prefix}: ${oneLine(error.message)} (${error.code})`;
  }
  // A message of unknown origin may quote its input (a path, a value), which may be a secret.
  const code = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : typeof error;
  return `${prefix}: unexpected error: ${name}${typeof code === 'string' ? ` (${code})` : ''}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
