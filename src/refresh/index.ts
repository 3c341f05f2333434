/**
 * `sealed-session/refresh`: refresh coordination, so that the requests of one browser spend a
 * single-use refresh token once. `RefreshCoordinator` implements the `coordinator` option of
 * `createSessionHandler` and `session.refresh()`; a store lets several instances agree (the
 * in-memory store here, the Redis one at `sealed-session/redis`, or your own `RefreshStore`).
 * Web standards only.
 *
 * @example
 * ```ts
 * import { createSessionHandler, SessionManager } from 'sealed-session';
 * import { RefreshCoordinator } from 'sealed-session/refresh';
 *
 * const sessions = new SessionManager();
 * const auth = createSessionHandler({ sessions, redirectUri, coordinator: new RefreshCoordinator() });
 * ```
 * @packageDocumentation
 */
export {
  RefreshCoordinator,
  type RefreshCoordinatorOptions,
  type RefreshRunOptions,
  type SharedRefreshOutcome,
} from '../session/coordinator.js';
export { createMemoryRefreshStore, type MemoryRefreshStore, type MemoryRefreshStoreOptions } from '../session/stores/memory.js';
export type { RefreshClaim, RefreshClaimOptions, RefreshOutcome, RefreshStore } from '../session/stores/types.js';
