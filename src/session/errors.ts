import { SealedSessionError } from '../errors/base.js';

/**
 * The configuration is unusable: thrown by `new SessionManager(...)`, `createSessionHandler(...)`
 * and `createRequestAuthenticator(...)`, so a misconfigured app fails at startup (and by
 * `getAuthorizationUrl` for a bad `redirectUri`). Each problem names the option, what was given
 * (never a secret) and the fix; retrying cannot help.
 */
export class ConfigError extends SealedSessionError<'config_invalid'> {
  /** Always `'config_invalid'`. */
  readonly code = 'config_invalid';
  /** Every problem found, one human-readable line each (also in `message`). */
  readonly problems: readonly string[];

  /** @param message - every problem, for logs; @param options - `problems`, the same as a list. */
  constructor(message: string, options: { problems: readonly string[]; cause?: unknown }) {
    super(message, options);
    this.problems = options.problems;
  }
}

/** The {@link ConfigError} listing `problems`, one line each. */
export function configErrorOf(problems: readonly string[]): ConfigError {
  return new ConfigError(`sealed-session is misconfigured:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`, { problems });
}

/** Codes of {@link SessionError}: the `AuthenticateFailureReason` of the cookie that caused it. */
export type SessionErrorCode = 'no_session_cookie_provided' | 'invalid_session_cookie' | 'invalid_jwt';

/**
 * A session operation that must return a value (a logout URL, the session id) could not, because
 * of the cookie. Thrown by `session.getLogoutUrl()` and `session.getSessionId()` when the cookie
 * is missing, does not unseal, or holds an invalid access token. The cookie is useless: delete
 * it and treat the user as signed out.
 */
export class SessionError extends SealedSessionError<SessionErrorCode> {
  /** Which check failed: no cookie, a cookie that does not unseal, or an invalid access token. */
  readonly code: SessionErrorCode;

  /** @param message - what could not be read; @param options - `code`, which check failed. */
  constructor(message: string, options: { code: SessionErrorCode; cause?: unknown }) {
    super(message, options);
    this.code = options.code;
  }
}
