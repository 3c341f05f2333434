/**
 * `sealData` / `unsealData`: options, format dispatch, JSON and the guarantee that unsealing
 * throws nothing but {@link SealError}.
 */
import { utf8Decode, utf8Encode } from '../crypto/bytes.js';
import type { CodecKey, SealCodec } from './codec.js';
import { codecOf, codecs, defaultFormat, detectCodec, formatList, type SealFormat } from './codecs.js';
import { SealError, SealMalformedError, SealOptionsError, SealPasswordError, SealPayloadError } from './errors.js';
import { parsePayload, stringifyPayload } from './json.js';
import { resolveKeyring, stateOf, type FormatKeys, type Keyring, type PasswordInput } from './keyring.js';

/**
 * Defaults for {@link sealData} and {@link unsealData}.
 */
export const sealDefaults = {
  /** `'iron'`: what the WorkOS Node SDKs and authkit-* read and write. */
  format: defaultFormat,
  /**
   * Longest sealed string accepted or produced. Far above any cookie (4 KiB), low enough that a
   * hostile header cannot make us decode megabytes.
   */
  maxSealedLength: 64 * 1024,
} as const;

/**
 * Options of {@link sealData}.
 */
export interface SealOptions {
  /** A keyring from `createKeyring` (checked once, then reused), or passwords newest first. */
  password: PasswordInput | Keyring;
  /** `'iron'` (default, what the WorkOS Node SDKs write) or `'fernet'` (workos-python). */
  format?: SealFormat;
  /**
   * Iron: lifetime in seconds written into the seal (0 or absent = no expiry). Fernet tokens
   * always carry their creation time instead; bound their age with `ttl` when unsealing.
   */
  ttl?: number;
  /**
   * Seal with this password (one of `keyring.sealingIds(format)`) instead of the newest. To
   * re-seal a Fernet token for the app that wrote it, pass the `passwordId` that
   * `unsealWithDetails` reported: the token names no key, and that app holds only its own.
   */
  passwordId?: string;
  /** Clock in ms since the epoch (for tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * Options of {@link unsealData} and {@link unsealWithDetails}. The format is read from the seal,
 * so one set of options opens both.
 */
export interface UnsealOptions {
  /** A keyring from `createKeyring` (checked once, then reused), or passwords newest first. */
  password: PasswordInput | Keyring;
  /**
   * Longest accepted lifetime in seconds. Fernet: maximum token age. Iron: an embedded expiry
   * further than `ttl` (+60 s skew) in the future is refused; seals without expiry are accepted.
   */
  ttl?: number;
  /** Clock in ms since the epoch (for tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * Result of {@link unsealWithDetails}.
 */
export interface UnsealDetails<T> {
  /** The sealed value. */
  data: T;
  /** Format the seal was in. */
  format: SealFormat;
  /** Id of the password that opened it. */
  passwordId: string;
  /** `false` when another password would be used to seal now: re-seal to finish a rotation. */
  isNewest: boolean;
  /** When the seal was made, in ms since the epoch, for formats that record it (Fernet). */
  sealedAtMs: number | undefined;
  /**
   * The expiry written into the seal, in ms since the epoch (Iron sealed with a `ttl`). When
   * `undefined`, the seal, opened without a `ttl`, opens at every later time too.
   */
  expiresAtMs: number | undefined;
}

interface CallContext {
  readonly keyring: Keyring;
  readonly nowMs: number;
  readonly ttlSec: number;
}

function context(options: SealOptions | UnsealOptions | undefined): CallContext {
  if (typeof options !== 'object' || options === null) throw new SealOptionsError('Options object is required');
  if (options.password === undefined || options.password === null) {
    throw new SealPasswordError('The `password` option is required', { problem: 'missing' });
  }
  const ttl = options.ttl ?? 0;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0) {
    throw new SealOptionsError('`ttl` must be a finite number of seconds >= 0');
  }
  let nowMs: unknown;
  try {
    nowMs = options.now ? options.now() : Date.now();
  } catch (cause) {
    throw new SealOptionsError('`now()` threw', { cause });
  }
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs) || nowMs < 0) {
    throw new SealOptionsError('`now()` must return milliseconds since the epoch (a finite number >= 0)');
  }
  return { keyring: resolveKeyring(options.password), nowMs, ttlSec: ttl };
}

/**
 * Serializes `data` as JSON and seals it (encrypted and authenticated).
 *
 * @throws {@link errors!SealError}: `seal_bad_payload` (no JSON form, or too large),
 *   `seal_weak_password`, `seal_bad_options`.
 * @example
 * ```ts
 * const cookie = await sealData({ accessToken, refreshToken, user }, { password: keyring });
 * ```
 */
export async function sealData(data: unknown, options: SealOptions): Promise<string> {
  const ctx = context(options);
  const format = options.format ?? sealDefaults.format;
  const plaintext = utf8Encode(stringifyPayload(data));
  const codec = codecOf(format);
  if (!codec) throw new SealOptionsError(`\`format\` must be ${formatList("'")}`);
  const key = sealingKey(stateOf(ctx.keyring).formats[codec.format], codec, options.passwordId);
  const sealed = await codec.seal(key, plaintext, ctx);
  if (sealed.length > sealDefaults.maxSealedLength) {
    throw new SealPayloadError(`Sealed data is ${sealed.length} characters, above the ${sealDefaults.maxSealedLength} limit`);
  }
  return sealed;
}

function sealingKey(keys: FormatKeys, codec: SealCodec, passwordId: string | undefined): CodecKey {
  if (passwordId === undefined) {
    const newest = keys.sealing[0];
    if (!newest) throw new SealPasswordError(`No password seals ${codec.name}: add ${codec.keyShape}. ${codec.keyHelp}`, { problem: 'no_key_for_format' });
    return newest;
  }
  if (typeof passwordId !== 'string') throw new SealOptionsError('`passwordId` must be a string');
  const chosen = keys.sealing.find((key) => key.id === passwordId);
  if (!chosen) throw new SealPasswordError(`No password with id '${passwordId}' seals ${codec.name}`, { problem: 'no_key_for_format' });
  return chosen;
}

/**
 * Opens a seal in either format and returns the data with where it came from.
 *
 * @throws {@link errors!SealError} only, whatever `sealed` is.
 * @example
 * ```ts
 * const { data, isNewest } = await unsealWithDetails(cookie, { password: keyring });
 * if (!isNewest) setCookie(await sealData(data, { password: keyring }));
 * ```
 */
export async function unsealWithDetails<T = unknown>(sealed: unknown, options: UnsealOptions): Promise<UnsealDetails<T>> {
  try {
    return await open<T>(sealed, options);
  } catch (error) {
    if (error instanceof SealError) throw error;
    // Unreachable by design; kept so that a bug or a broken runtime still yields a SealError.
    throw new SealMalformedError('Seal could not be processed', { cause: error });
  }
}

/**
 * Opens a seal in either format and returns the data.
 *
 * @throws {@link errors!SealError} only, whatever `sealed` is.
 * @example
 * ```ts
 * const session = await unsealData<{ accessToken: string }>(cookie, { password: keyring });
 * ```
 */
export async function unsealData<T = unknown>(sealed: unknown, options: UnsealOptions): Promise<T> {
  return (await unsealWithDetails<T>(sealed, options)).data;
}

const NOUNS = [...codecs.values()].map((codec) => codec.noun).join(' or ');

async function open<T>(sealed: unknown, options: UnsealOptions): Promise<UnsealDetails<T>> {
  if (typeof sealed !== 'string') throw new SealMalformedError('Sealed value must be a string');
  if (sealed.length > sealDefaults.maxSealedLength) throw new SealMalformedError('Sealed value is too long');
  const ctx = context(options);
  const codec = detectCodec(sealed);
  if (!codec) throw new SealMalformedError(`Not ${NOUNS}`);
  const keys = stateOf(ctx.keyring).formats[codec.format];
  const opened = await codec.unseal(keys.opening, sealed, ctx);
  const text = utf8Decode(opened.plaintext);
  if (text === undefined) throw new SealPayloadError('Payload is not valid UTF-8');
  return {
    data: parsePayload(text) as T,
    format: codec.format,
    passwordId: opened.passwordId,
    isNewest: opened.passwordId === keys.sealing[0]?.id,
    sealedAtMs: opened.sealedAtMs,
    expiresAtMs: opened.expiresAtMs,
  };
}
