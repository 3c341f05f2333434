/**
 * Where the CLI finds cookie passwords: `--password` (repeatable, newest first),
 * `--password-file` (one per line, newest first), else `WORKOS_COOKIE_PASSWORD`.
 *
 * The environment variable is read whole, as `SessionManager` reads it: splitting it on commas
 * here would make the CLI disagree with the app about a password that contains one. Rotation
 * goes through repeated `--password` or a password file instead.
 */
import { closeSync, openSync, readSync } from 'node:fs';
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

/** A password file is a few lines; anything larger is not one (or is `/dev/zero`). */
const MAX_PASSWORD_FILE_BYTES = 64 * 1024;

/**
 * The passwords to use, newest first. Never includes them, nor the password file's path (a
 * secret may have been pasted there), in an error message.
 */
export function passwordList(command: string, flags: PasswordFlags, io: CliIo): string[] {
  const list: string[] = [...(flags.password ?? [])];
  if (list.length > 0) {
    io.stderr.write(
      `sealed-session ${command}: warning: --password leaves the secret in the process list and shell history; prefer ${PASSWORD_ENV} or --password-file\n`,
    );
  }
  const file = flags['password-file'];
  if (file !== undefined) list.push(...readPasswordFile(file));
  if (list.length === 0) {
    const fromEnv = io.env[PASSWORD_ENV];
    if (fromEnv) list.push(fromEnv);
  }
  if (list.length === 0) {
    throw new CliUsageError(`no password: set ${PASSWORD_ENV} or pass --password-file`, { command });
  }
  return list;
}

/** A validated keyring from the command line's passwords (see {@link passwordList}). */
export function keyringFrom(command: string, flags: PasswordFlags, io: CliIo): Keyring {
  return createKeyring(passwordList(command, flags, io));
}

function readPasswordFile(path: string): string[] {
  const lines = readBounded(path)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) throw new CliInputError('The --password-file holds no password', { code: 'cli_bad_input' });
  return lines;
}

function readBounded(path: string): string {
  const buffer = Buffer.alloc(MAX_PASSWORD_FILE_BYTES + 1);
  let length = 0;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    let read: number;
    do {
      read = readSync(fd, buffer, length, buffer.length - length, null);
      length += read;
    } while (read > 0 && length < buffer.length);
  } catch (error) {
    const reason = (error as { code?: unknown }).code;
    throw new CliInputError(`Cannot read the --password-file${typeof reason === 'string' ? ` (${reason})` : ''}`, { code: 'cli_bad_input' });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (length > MAX_PASSWORD_FILE_BYTES) {
    throw new CliInputError(`The --password-file is larger than ${MAX_PASSWORD_FILE_BYTES} bytes`, { code: 'cli_bad_input' });
  }
  return buffer.toString('utf8', 0, length);
}

/** A secret shown only by its first four characters, enough to tell two apart. */
export function mask(secret: string): string {
  return secret.length <= 4 ? '…' : `${secret.slice(0, 4)}…`;
}
