/**
 * Errors of the refresh coordination layer. `RefreshCoordinator.run` never throws them at its
 * caller: store errors are reported to `onStoreError` and trigger the in-process fallback.
 */

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
export class RefreshCoordinationError extends Error {
  /** Stable, machine-readable identifier. */
  readonly code: string = 'ERR_REFRESH_COORDINATION';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Invalid options given to the coordinator or a store (thrown at construction): a duration or
 * `maxEntries` that is not a positive number. Fix the configuration.
 *
 * @example
 * ```ts
 * new RefreshCoordinator({ lockTtlMs: 0 }); // throws RefreshOptionsError (ERR_REFRESH_OPTIONS)
 * ```
 */
export class RefreshOptionsError extends RefreshCoordinationError {
  override readonly code = 'ERR_REFRESH_OPTIONS';
}

/**
 * The store failed (connection lost, command error, malformed reply). Thrown by stores; the
 * coordinator catches it, reports it to `onStoreError` and coordinates in-process instead.
 * Alert on it: until the store is back, two instances may race one refresh token.
 *
 * @example
 * ```ts
 * const coordinator = new RefreshCoordinator({
 *   store,
 *   onStoreError: (error: RefreshStoreError) => metrics.increment('refresh_store_error', { code: error.code }),
 * });
 * ```
 */
export class RefreshStoreError extends RefreshCoordinationError {
  override readonly code: string = 'ERR_REFRESH_STORE';
}

/**
 * The store did not answer within `storeTimeoutMs`. Reported like any {@link RefreshStoreError};
 * raise `storeTimeoutMs` only if the store is known to be slow, not down.
 *
 * @example
 * ```ts
 * onStoreError: (error) => { if (error instanceof RefreshStoreTimeoutError) console.warn('refresh store is slow'); }
 * ```
 */
export class RefreshStoreTimeoutError extends RefreshStoreError {
  override readonly code = 'ERR_REFRESH_STORE_TIMEOUT';
}

/**
 * The store's connection is known to be down, so it was not even asked (the Redis store checks
 * the client's `status`). Reported like any {@link RefreshStoreError}; the client reconnects on
 * its own.
 *
 * @example
 * ```ts
 * onStoreError: (error) => { if (error instanceof RefreshStoreUnavailableError) console.warn('Redis is down'); }
 * ```
 */
export class RefreshStoreUnavailableError extends RefreshStoreError {
  override readonly code = 'ERR_REFRESH_STORE_UNAVAILABLE';
}

/**
 * A lock holder found its lock gone while its refresh was still running (the store lost it, or
 * could not be reached to renew it for a whole `lockTtlMs`). Another instance may then have spent
 * the same token, and one of them got `invalid_grant`. Reported like any {@link RefreshStoreError}.
 *
 * @example
 * ```ts
 * onStoreError: (error) => { if (error instanceof RefreshLockLostError) metrics.increment('refresh_lock_lost'); }
 * ```
 */
export class RefreshLockLostError extends RefreshStoreError {
  override readonly code = 'ERR_REFRESH_LOCK_LOST';
}
