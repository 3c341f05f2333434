/**
 * Base class of every error the library throws: one constructor shape, `(message, options)`,
 * a stable `code` fixed by the class (or, where one class covers several codes, given in
 * `options`), `name` equal to the class name, and `options.cause` kept as `cause`.
 *
 * @example
 * ```ts
 * import { SealedSessionError } from 'sealed-session/errors';
 *
 * try {
 *   await sessions.authenticateWithCode({ code, codeVerifier });
 * } catch (error) {
 *   if (error instanceof SealedSessionError) console.warn(error.name, error.code);
 *   throw error;
 * }
 * ```
 */
export abstract class SealedSessionError<Code extends string = string> extends Error {
  /** Stable machine-readable code: match on it (or on the class), not on the message. */
  abstract readonly code: Code;

  /** @param message - human-readable detail; @param options - optional `cause`, and a leaf's own fields. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
