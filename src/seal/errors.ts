/**
 * Every failure of sealing or unsealing is a {@link SealError} with a stable `code`. Unsealing
 * never throws anything else, so callers can treat any throw as "no valid session".
 */

/** Stable machine-readable codes carried by {@link SealError}. */
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
 * `createKeyring`.
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
export class SealError extends Error {
  /** Stable code; match on this rather than on the message. */
  readonly code: SealErrorCode;

  /** @param code - stable code; @param message - human-readable detail; @param options - optional `cause`. */
  constructor(code: SealErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The sealed value is not a well-formed Iron seal or Fernet token (shape, encoding, length). */
export class SealMalformedError extends SealError {
  /** @param message - what is wrong with the shape. */
  constructor(message: string, options?: { cause?: unknown }) {
    super('seal_malformed', message, options);
  }
}

/** The integrity check failed: tampered data, or sealed under a password this keyring lacks. */
export class SealBadMacError extends SealError {
  /** @param message - which check failed. */
  constructor(message = 'Integrity check failed') {
    super('seal_bad_mac', message);
  }
}

/** The seal is authentic but past its expiry (Iron) or older than the allowed `ttl` (Fernet). */
export class SealExpiredError extends SealError {
  /** @param message - which limit was passed. */
  constructor(message = 'Seal has expired') {
    super('seal_expired', message);
  }
}

/**
 * The seal is authentic but its time is implausible: a Fernet token dated more than the allowed
 * clock skew in the future, or an Iron expiry further ahead than the `ttl` the caller accepts.
 */
export class SealTimestampError extends SealError {
  /** @param message - which limit was passed. */
  constructor(message: string) {
    super('seal_bad_timestamp', message);
  }
}

/** No password in the keyring can serve this seal (unknown Iron id, or no Fernet key at all). */
export class SealUnknownPasswordError extends SealError {
  /** @param message - which password was looked for. */
  constructor(message: string) {
    super('seal_unknown_password', message);
  }
}

/**
 * The payload is unusable: on unseal, an authentic seal whose plaintext does not decrypt or is
 * not safe JSON; on seal, data that cannot be represented as JSON or is too large.
 */
export class SealPayloadError extends SealError {
  /** @param message - what is wrong with the payload. */
  constructor(message: string, options?: { cause?: unknown }) {
    super('seal_bad_payload', message, options);
  }
}

/** Why a password configuration was refused. */
export type SealPasswordProblem =
  | 'missing'
  | 'too_short'
  | 'weak'
  | 'bad_id'
  | 'duplicate_id'
  | 'no_key_for_format';

/**
 * The password configuration is unusable: empty, too short, too predictable, a malformed or
 * duplicate id, or no key for the requested format. A configuration error, raised when the
 * keyring is built (or on first use when a plain password is passed).
 *
 * @example
 * ```ts
 * try {
 *   createKeyring(process.env.COOKIE_PASSWORD ?? '');
 * } catch (error) {
 *   if (error instanceof SealPasswordError) console.error(error.problem, error.message);
 * }
 * ```
 */
export class SealPasswordError extends SealError {
  /** Which rule was broken. */
  readonly problem: SealPasswordProblem;

  /** @param problem - which rule was broken; @param message - what to do about it. */
  constructor(problem: SealPasswordProblem, message: string) {
    super('seal_weak_password', message);
    this.problem = problem;
  }
}

/** An option has an invalid value (e.g. a negative `ttl` or an unknown `format`). */
export class SealOptionsError extends SealError {
  /** @param message - which option and why. */
  constructor(message: string, options?: { cause?: unknown }) {
    super('seal_bad_options', message, options);
  }
}
