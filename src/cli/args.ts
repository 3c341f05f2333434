/**
 * Command-line parsing on `node:util` `parseArgs`, with its errors turned into
 * {@link CliUsageError}s of one line.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from './errors.js';

/** Option definitions as `parseArgs` takes them. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts. */
export const commonOptions = {
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** Options of the commands that need passwords. */
export const passwordOptions = {
  password: { type: 'string', short: 'p', multiple: true },
  'password-file': { type: 'string' },
} as const satisfies OptionSpec;

/** Parsed command line of one command. */
export interface ParsedArgs<O extends OptionSpec> {
  values: ReturnType<typeof parseArgs<{ options: O; args: string[]; strict: true; allowPositionals: true }>>['values'];
  positionals: string[];
}

/**
 * Parses `argv` against `options`; at most `maxPositionals` positional arguments. Values are
 * never repeated in errors: a mistyped flag may be followed by a secret, or be one.
 */
export function parseCommandArgs<O extends OptionSpec>(
  command: string,
  argv: readonly string[],
  options: O,
  maxPositionals: number,
): ParsedArgs<O> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CliUsageError(usageMessage(error), { command });
  }
  if (parsed.positionals.length > maxPositionals) {
    const expected = maxPositionals === 0 ? 'no arguments' : `at most ${maxPositionals} argument${maxPositionals > 1 ? 's' : ''}`;
    throw new CliUsageError(`expected ${expected}, got ${parsed.positionals.length}`, { command });
  }
  return parsed as ParsedArgs<O>;
}

// Shapes of option names worth repeating: ours are lowercase words. Anything else an unknown
// option could be (`--Zx81…`, a pasted key that starts with a dash) is not repeated.
const ECHOABLE_OPTION = /^(?:-[A-Za-z]|--[a-z][a-z-]{0,23})$/;

/** `unknown option '--name'`, or without the name when it might be a secret rather than a typo. */
export function unknownOption(arg: string): string {
  const name = arg.split('=', 1)[0] as string;
  return ECHOABLE_OPTION.test(name) ? `unknown option '${name}'` : 'unknown option';
}

function usageMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return unknownOption(/'([^']+)'/.exec(message)?.[1] ?? '');
  // Names only options of this command (missing value, value on a flag, value that looks like
  // an option); the value itself is never part of it.
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return message.replace(/\s*\n\s*/g, ' ');
  return 'invalid command line';
}

/** One of `choices`, or a usage error naming the option. */
export function oneOf<T extends string>(command: string, option: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new CliUsageError(`--${option} must be one of ${choices.join(', ')}`, { command });
}

const DURATION = /^(\d+)(s|m|h|d)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** Seconds from `3600`, `90s`, `30m`, `12h` or `7d`. */
export function parseDuration(command: string, option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) throw new CliUsageError(`--${option} must be seconds or a duration like 90s, 30m, 12h, 7d`, { command });
  const seconds = Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's') as keyof typeof UNIT_SECONDS];
  if (!Number.isSafeInteger(seconds)) throw new CliUsageError(`--${option} is too large`, { command });
  return seconds;
}
