import { SealedSessionError } from '../errors/base.js';

/**
 * Stable machine-readable codes carried by {@link SealError}, one per subclass. The first six
 * describe the sealed value (treat it as no session); `seal_weak_password` and
 * `seal_bad_options` mean the configuration or the call is wrong, and every call will fail alike.
 * `session.authenticate()` reports them as the `detail` of an `invalid_session_cookie` failure.
 */
export type SealErrorCode =
  | 'seal_malformed'
  | 'seal_bad_mac'
  | 'seal_expired'
  | 'seal_bad_timestamp'
  | 'seal_unknown_password'
  | 'seal_bad_payload'
  | 'seal_weak_password'
  | 'seal_bad_options';

/**
 * Base class of every error thrown by `sealData`, `unsealData`, `unsealWithDetails` and
 * `createKeyring`. Unsealing throws nothing else, so any throw there means "no valid session".
 *
 * @example
 * ```ts
 * try {
 *   await unsealData(cookie, { password: keyring });
 * } catch (error) {
 *   if (error instanceof SealError) console.warn('bad cookie:', error.code);
 * }
 * ```
 */
export abstract class SealError extends SealedSessionError<SealErrorCode> {}

/**
 * The sealed value is not a well-formed Iron seal or Fernet token (shape, encoding, length):
 * a cookie of another app, one cut short on the way, or junk. Thrown by unsealing; the value
 * will never open, so treat it as no session and delete the cookie.
 */
export class SealMalformedError extends SealError {
  /** Always `'seal_malformed'`. */
  readonly code = 'seal_malformed';
}

/**
 * The integrity check failed: tampered data, or sealed under a password this keyring lacks.
 * Thrown by unsealing. Treat it as no session and delete the cookie. When it starts for many
 * users right after a deploy, a password still in use was dropped from the list: put it back,
 * after the new one, until the old cookies have been re-sealed.
 */
export class SealBadMacError extends SealError {
  /** Always `'seal_bad_mac'`. */
  readonly code = 'seal_bad_mac';
}

/**
 * The seal is authentic but past its expiry (Iron) or older than the allowed `ttl` (Fernet).
 * Thrown by unsealing. Expected, not an attack: start over (sign the user in again, restart
 * the flow whose state it held).
 */
export class SealExpiredError extends SealError {
  /** Always `'seal_expired'`. */
  readonly code = 'seal_expired';
}

/**
 * The seal is authentic but its time is implausible: a Fernet token dated more than the allowed
 * clock skew in the future, or an Iron expiry further ahead than the `ttl` the caller accepts.
 * Thrown by unsealing. Treat it as invalid; when it is frequent, compare the clocks of the
 * hosts that seal and open, or the `ttl` each side uses.
 */
export class SealTimestampError extends SealError {
  /** Always `'seal_bad_timestamp'`. */
  readonly code = 'seal_bad_timestamp';
}

/**
 * No password in the keyring can serve this seal (unknown Iron id, or no Fernet key at all).
 * Thrown by unsealing. Treat it as no session; when it is frequent, the cookies come from
 * another deployment, or a password id still in use was retired: add that password back.
 */
export class SealUnknownPasswordError extends SealError {
  /** Always `'seal_unknown_password'`. */
  readonly code = 'seal_unknown_password';
}

/**
 * The payload is unusable: on unseal, an authentic seal whose plaintext does not decrypt or is
 * not safe JSON; on seal, data that cannot be represented as JSON or is too large. When
 * sealing, fix the data (seal ids rather than whole objects: a cookie holds about 4 KB); when
 * unsealing, treat the value as no session.
 */
export class SealPayloadError extends SealError {
  /** Always `'seal_bad_payload'`. */
  readonly code = 'seal_bad_payload';
}

/**
 * Why a password configuration was refused: `missing` (no password, an empty one, or a keyring
 * not built by `createKeyring`), `too_short` (under 32 characters), `weak` (repetitive, or too
 * few distinct characters), `bad_id` (an `{ id, secret }` entry whose id is not 1 to 64 word
 * characters), `duplicate_id` (two entries share an id), `no_key_for_format` (no password
 * seals the requested format, or the `passwordId` asked for does not seal it), `bad_format` (an
 * entry's `format` is not `'iron'` or `'fernet'`, or it declares `'fernet'` with a secret that
 * is not a 32-byte key), `bad_open_only` (an entry's `openOnly` is not a boolean).
 */
export type SealPasswordProblem =
  | 'missing'
  | 'too_short'
  | 'weak'
  | 'bad_id'
  | 'duplicate_id'
  | 'no_key_for_format'
  | 'bad_format'
  | 'bad_open_only';

/**
 * The password configuration is unusable: empty, too short, too predictable, a malformed or
 * duplicate id, or no key for the requested format. A configuration error, raised when the
 * keyring is built (or on first use when a plain password is passed).
 */
export class SealPasswordError extends SealError {
  /** Always `'seal_weak_password'`. */
  readonly code = 'seal_weak_password';
  /** Which rule was broken. */
  readonly problem: SealPasswordProblem;

  /** @param message - what to do about it; @param options - `problem`, which rule was broken. */
  constructor(message: string, options: { problem: SealPasswordProblem; cause?: unknown }) {
    super(message, options);
    this.problem = options.problem;
  }
}

/**
 * An option has an invalid value (e.g. a negative `ttl` or an unknown `format`). A bug in the
 * call, not in the data: fix the call; retrying cannot help.
 */
export class SealOptionsError extends SealError {
  /** Always `'seal_bad_options'`. */
  readonly code = 'seal_bad_options';
}
