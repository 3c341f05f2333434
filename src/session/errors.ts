/** The manager's configuration is unusable. `problems` lists every issue found, one line each. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`sealed-session is misconfigured:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Codes of {@link SessionError}. */
export type SessionErrorCode = 'no_session_cookie_provided' | 'invalid_session_cookie' | 'invalid_jwt';

/** A session operation that must return a value (a logout URL) could not, because of the cookie. */
export class SessionError extends Error {
  readonly code: SessionErrorCode;

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionError';
    this.code = code;
  }
}
