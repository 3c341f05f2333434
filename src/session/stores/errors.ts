import { SealedSessionError } from '../../errors/base.js';

/**
 * Errors of the refresh coordination layer. `RefreshCoordinator.run` never throws them at its
 * caller: store errors are reported to `onStoreError` and trigger the in-process fallback.
 */

/** Stable codes of {@link RefreshCoordinationError}, one per subclass. */
export type RefreshCoordinationErrorCode = 'ERR_REFRESH_OPTIONS' | RefreshStoreErrorCode;

/**
 * Stable codes of {@link RefreshStoreError}: `ERR_REFRESH_STORE` for any store failure without a
 * more specific class.
 */
export type RefreshStoreErrorCode = 'ERR_REFRESH_STORE' | 'ERR_REFRESH_STORE_TIMEOUT' | 'ERR_REFRESH_STORE_UNAVAILABLE' | 'ERR_REFRESH_LOCK_LOST';

/**
 * Base class: every coordination error has a stable `code`. Only option errors reach the caller
 * (at construction); store errors go to `onStoreError`.
 *
 * @example
 * ```ts
 * try {
 *   coordinator = new RefreshCoordinator({ lockTtlMs: Number(process.env.LOCK_TTL_MS) });
 * } catch (error) {
 *   if (error instanceof RefreshCoordinationError) console.error(error.code, error.message);
 *   throw error;
 * }
 * ```
 */
export abstract class RefreshCoordinationError extends SealedSessionError<RefreshCoordinationErrorCode> {}

/**
 * Invalid options given to the coordinator or a store (thrown at construction): a duration or
 * `maxEntries` that is not a positive number. Fix the configuration.
 */
export class RefreshOptionsError extends RefreshCoordinationError {
  /** Always `'ERR_REFRESH_OPTIONS'`. */
  readonly code = 'ERR_REFRESH_OPTIONS';
}

/**
 * The store failed (connection lost, command error, malformed reply). Thrown by stores; the
 * coordinator catches it, reports it to `onStoreError` and coordinates in-process instead.
 * Alert on it: until the store is back, two instances may race one refresh token.
 */
export class RefreshStoreError extends RefreshCoordinationError {
  /** `'ERR_REFRESH_STORE'`, or a subclass's own code. */
  readonly code: RefreshStoreErrorCode = 'ERR_REFRESH_STORE';
}

/**
 * The store did not answer within `storeTimeoutMs`. Reported like any {@link RefreshStoreError};
 * raise `storeTimeoutMs` only if the store is known to be slow, not down.
 */
export class RefreshStoreTimeoutError extends RefreshStoreError {
  /** Always `'ERR_REFRESH_STORE_TIMEOUT'`. */
  override readonly code = 'ERR_REFRESH_STORE_TIMEOUT';
}

/**
 * The store's connection is known to be down, so it was not even asked (the Redis store checks
 * the client's `status`). Reported like any {@link RefreshStoreError}; the client reconnects on
 * its own.
 */
export class RefreshStoreUnavailableError extends RefreshStoreError {
  /** Always `'ERR_REFRESH_STORE_UNAVAILABLE'`. */
  override readonly code = 'ERR_REFRESH_STORE_UNAVAILABLE';
}

/**
 * A lock holder found its lock gone while its refresh was still running (the store lost it, or
 * could not be reached to renew it for a whole `lockTtlMs`). Another instance may then have spent
 * the same token, and one of them got `invalid_grant`. Reported like any {@link RefreshStoreError}.
 */
export class RefreshLockLostError extends RefreshStoreError {
  /** Always `'ERR_REFRESH_LOCK_LOST'`. */
  override readonly code = 'ERR_REFRESH_LOCK_LOST';
}
