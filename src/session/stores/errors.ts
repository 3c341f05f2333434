/**
 * Errors of the refresh coordination layer. `RefreshCoordinator.run` never throws them at its
 * caller: store errors are reported to `onStoreError` and trigger the in-process fallback.
 */

/** Base class: every coordination error has a stable `code`. */
export class RefreshCoordinationError extends Error {
  /** Stable, machine-readable identifier. */
  readonly code: string = 'ERR_REFRESH_COORDINATION';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Invalid options given to the coordinator or a store (thrown at construction). */
export class RefreshOptionsError extends RefreshCoordinationError {
  override readonly code = 'ERR_REFRESH_OPTIONS';
}

/** The store failed (connection lost, command error, malformed reply). */
export class RefreshStoreError extends RefreshCoordinationError {
  override readonly code: string = 'ERR_REFRESH_STORE';
}

/** The store did not answer within `storeTimeoutMs`. */
export class RefreshStoreTimeoutError extends RefreshStoreError {
  override readonly code = 'ERR_REFRESH_STORE_TIMEOUT';
}

/** The store's connection is known to be down, so it was not even asked. */
export class RefreshStoreUnavailableError extends RefreshStoreError {
  override readonly code = 'ERR_REFRESH_STORE_UNAVAILABLE';
}
