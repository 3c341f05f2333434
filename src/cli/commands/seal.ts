/**
 * `sealed-session seal` and `sealed-session unseal`: JSON in, cookie out, and back.
 */
import { defaultFormat, sealFormats } from '../../seal/codecs.js';
import { sealData, unsealData } from '../../seal/index.js';
import { commonOptions, oneOf, parseCommandArgs, parseDuration, passwordOptions } from '../args.js';
import { CliInputError, ExitCode, type ExitStatus } from '../errors.js';
import { readInput, type CliIo } from '../io.js';
import { keyringFrom } from '../passwords.js';
import { extractSealed } from '../cookie-input.js';

const sealOptions = {
  ...commonOptions,
  ...passwordOptions,
  format: { type: 'string', short: 'f' },
  ttl: { type: 'string' },
} as const;

const unsealOptions = {
  ...commonOptions,
  ...passwordOptions,
  ttl: { type: 'string' },
  compact: { type: 'boolean' },
} as const;

/** Runs `seal`: reads JSON from the argument or stdin and prints the sealed string. */
export async function seal(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const { values, positionals } = parseCommandArgs('seal', argv, sealOptions, 1);
  const format = oneOf('seal', 'format', values.format, sealFormats) ?? defaultFormat;
  const ttl = parseDuration('seal', 'ttl', values.ttl);
  const keyring = keyringFrom('seal', values, io);
  const text = await readInput(io, positionals[0], 'seal', 'JSON to seal');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CliInputError('Input is not valid JSON', { code: 'cli_bad_json' });
  }
  const sealed = await sealData(data, { password: keyring, format, ...(ttl === undefined ? {} : { ttl }) });
  io.stdout.write(`${sealed}\n`);
  return ExitCode.ok;
}

/** Runs `unseal`: reads a sealed cookie from the argument or stdin and prints its JSON. */
export async function unseal(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const { values, positionals } = parseCommandArgs('unseal', argv, unsealOptions, 1);
  const ttl = parseDuration('unseal', 'ttl', values.ttl);
  const keyring = keyringFrom('unseal', values, io);
  const { value } = extractSealed(await readInput(io, positionals[0], 'unseal', 'sealed cookie'));
  const data = await unsealData(value, { password: keyring, ...(ttl === undefined ? {} : { ttl }) });
  io.stdout.write(`${values.compact ? JSON.stringify(data) : JSON.stringify(data, null, 2)}\n`);
  return ExitCode.ok;
}
