/**
 * `sealed-session keygen`: a strong cookie password (Iron) or a Fernet key.
 */
import { codecFor, defaultFormat, sealFormats, type SealFormat } from '../../seal/codecs.js';
import { createKeyring } from '../../seal/index.js';
import { commonOptions, oneOf, parseCommandArgs } from '../args.js';
import { ExitCode, type ExitStatus } from '../errors.js';
import type { CliIo } from '../io.js';
import { PASSWORD_ENV } from '../passwords.js';

const options = {
  ...commonOptions,
  format: { type: 'string', short: 'f' },
  fernet: { type: 'boolean' },
  env: { type: 'boolean' },
} as const;

/**
 * A random key in the text the format's codec gives it: 32 bytes in base64url, 43 characters
 * for Iron and padded to 44 for Fernet, exactly what Python's `Fernet.generate_key()` prints.
 * Either one also works as the other format's key.
 */
export function generateKey(format: SealFormat): string {
  const codec = codecFor(format);
  for (;;) {
    const key = codec.encodeKey(crypto.getRandomValues(new Uint8Array(codec.keyBytes)));
    // A leading dash would be read as an option after `--password`; one draw in 64 is redrawn.
    if (key.startsWith('-')) continue;
    // Never hand out a key the library would refuse (practically unreachable for random bytes).
    createKeyring({ format, secret: key });
    return key;
  }
}

/** Runs `keygen`. */
export function keygen(argv: readonly string[], io: CliIo): ExitStatus {
  const { values } = parseCommandArgs('keygen', argv, options, 0);
  const format = values.fernet ? 'fernet' : (oneOf('keygen', 'format', values.format, sealFormats) ?? defaultFormat);
  const key = generateKey(format);
  io.stdout.write(values.env ? `${PASSWORD_ENV}=${key}\n` : `${key}\n`);
  return ExitCode.ok;
}
