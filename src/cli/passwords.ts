/**
 * Where the CLI finds cookie passwords: `--password` (repeatable, newest first),
 * `--password-file` (one per line, newest first), else `WORKOS_COOKIE_PASSWORD`.
 *
 * The environment variable is read whole, as `SessionManager` reads it: splitting it on commas
 * here would make the CLI disagree with the app about a password that contains one. Rotation
 * goes through repeated `--password` or a password file instead.
 */
import { readFileSync } from 'node:fs';
import { createKeyring, type Keyring } from '../seal/index.js';
import { CliInputError, CliUsageError } from './errors.js';
import type { CliIo } from './io.js';

/** Password sources on a command line. */
export interface PasswordFlags {
  password?: string[] | undefined;
  'password-file'?: string | undefined;
}

/** Name of the environment variable read when no password flag is given. */
export const PASSWORD_ENV = 'WORKOS_COOKIE_PASSWORD';

/** The passwords to use, newest first. Never includes them in an error message. */
export function passwordList(command: string, flags: PasswordFlags, io: CliIo): string[] {
  const list: string[] = [...(flags.password ?? [])];
  const file = flags['password-file'];
  if (file !== undefined) list.push(...readPasswordFile(file));
  if (list.length === 0) {
    const fromEnv = io.env[PASSWORD_ENV];
    if (fromEnv) list.push(fromEnv);
  }
  if (list.length === 0) {
    throw new CliUsageError(`no password: pass --password, --password-file or set ${PASSWORD_ENV}`, command);
  }
  return list;
}

/** A validated keyring from the command line's passwords (see {@link passwordList}). */
export function keyringFrom(command: string, flags: PasswordFlags, io: CliIo): Keyring {
  return createKeyring(passwordList(command, flags, io));
}

function readPasswordFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as { code?: unknown }).code;
    throw new CliInputError('cli_bad_input', `cannot read password file ${path}${typeof reason === 'string' ? ` (${reason})` : ''}`);
  }
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) throw new CliInputError('cli_bad_input', `password file ${path} holds no password`);
  return lines;
}

/** A secret shown only by its first four characters, enough to tell two apart. */
export function mask(secret: string): string {
  return secret.length <= 4 ? '…' : `${secret.slice(0, 4)}…`;
}
