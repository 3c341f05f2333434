/**
 * Refresh stores: the contract, the in-memory default and the errors. The Redis store lives
 * behind its own entry point, `sealed-session/redis`.
 */
export { createMemoryRefreshStore, DEFAULT_MAX_ENTRIES, type MemoryRefreshStore, type MemoryRefreshStoreOptions } from './memory.js';
export {
  isBackoff,
  isRefreshOutcome,
  outcomeKind,
  type OutcomeKind,
  type RefreshClaim,
  type RefreshClaimOptions,
  type RefreshOutcome,
  type RefreshStore,
} from './types.js';
export {
  RefreshCoordinationError,
  RefreshLockLostError,
  RefreshOptionsError,
  RefreshStoreError,
  RefreshStoreTimeoutError,
  RefreshStoreUnavailableError,
} from './errors.js';
