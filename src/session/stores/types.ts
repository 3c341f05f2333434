/**
 * The contract between the refresh coordinator and the place where instances agree on who
 * rotates a refresh token. Stores see only key hashes and outcomes, never a refresh token.
 */

/**
 * Result of one refresh attempt, as produced by the session layer. What a {@link RefreshStore}
 * keeps and hands to the callers that waited.
 */
export type RefreshOutcome =
  | {
      /** The refresh succeeded. */
      ok: true;
      /** The new cookie value, already sealed with the cookie password. */
      sealedSession: string;
      /** The session id (`sid`) of the new cookie, so a sign-out can be checked before handing it out. */
      sessionId?: string;
    }
  | {
      /** The refresh failed. */
      ok: false;
      /** A WorkOS-style reason string (`invalid_grant`, `refresh_in_progress`, …). */
      reason: string;
      /** `true` for transient failures (network, 429, 5xx): keep the cookie and try later. */
      retryable: boolean;
      /** Seconds the caller should wait before trying again, when known. */
      retryAfter?: number;
    };

/**
 * How the store answered a {@link RefreshStore.claim}, by `status`:
 * - `'outcome'`: an outcome is stored for this key (`outcome`): use it, do not refresh.
 * - `'acquired'`: the caller now holds the lock and must refresh, then {@link RefreshStore.settle}.
 * - `'locked'`: another owner holds a live lock: wait and claim again.
 */
export type RefreshClaim =
  /** An outcome is stored for this key: use it, do not refresh. */
  | {
      /** An outcome is stored for this key. */
      status: 'outcome';
      /** The stored outcome: hand it to the caller instead of refreshing. */
      outcome: RefreshOutcome;
    }
  /** The caller now holds the lock and must refresh, then {@link RefreshStore.settle}. */
  | {
      /** The caller holds the lock now. */
      status: 'acquired';
    }
  /** Another owner holds a live lock: wait and claim again. */
  | {
      /** Another owner holds a live lock. */
      status: 'locked';
    };

/** Options of {@link RefreshStore.claim}. */
export interface RefreshClaimOptions {
  /** Lifetime of the lock if it is taken; after it a waiter may take the lock over. */
  lockTtlMs: number;
  /**
   * Whether a retryable-failure marker counts as an outcome. Waiters pass `true` (the attempt
   * they waited for failed, they get its answer); a fresh call passes `false` (it may retry).
   */
  acceptRetryable: boolean;
}

/**
 * Shared state for refresh coordination: a lock with expiry and owner, an outcome with a TTL,
 * a short-lived marker for retryable failures, and the sessions signed out lately.
 *
 * Implementations must make `claim`, `settle` and `renew` atomic per key. Rules every store follows:
 * - `claim`: a stored outcome wins; else a retry marker, if `acceptRetryable` or the marker is a
 *   back-off (a failure with `retryAfter`: the provider said when to come back, so nobody may try before),
 *   a back-off with `retryAfter` set to the whole seconds its marker has left; else take the lock
 *   if free (and drop any retry marker: a new attempt makes it stale); else report `locked`.
 * - `settle`: a success is stored for `ttlMs` and replaces anything; a terminal failure is stored
 *   for `ttlMs` unless a success is already there (a late winner must not be masked); a
 *   retryable failure only sets the retry marker for `ttlMs`. The lock is then released, but
 *   only if `owner` still holds it (compare-and-delete).
 * - `renew`: extends the lock to `lockTtlMs` from now, only if `owner` still holds it
 *   (compare-and-extend), so a live holder keeps its lock for as long as its refresh runs.
 * - `endSession` / `isSessionEnded`: a sign-out marker under a session key, kept for `ttlMs`.
 */
export interface RefreshStore {
  /** Looks up `key` and, when nothing is stored and nobody holds the lock, locks it for `owner`. */
  claim(key: string, owner: string, options: RefreshClaimOptions): Promise<RefreshClaim>;
  /** Records the outcome of the attempt made by `owner` and releases its lock. */
  settle(key: string, owner: string, outcome: RefreshOutcome, ttlMs: number): Promise<void>;
  /** Extends `owner`'s lock on `key` to `lockTtlMs` from now; `false` when `owner` no longer holds it. */
  renew(key: string, owner: string, lockTtlMs: number): Promise<boolean>;
  /** Records that the session under `sessionKey` signed out, for `ttlMs`. */
  endSession(sessionKey: string, ttlMs: number): Promise<void>;
  /** Whether the session under `sessionKey` signed out within its marker's lifetime. */
  isSessionEnded(sessionKey: string): Promise<boolean>;
  /**
   * Optional push notification: resolves when `key` is settled, or after `timeoutMs` at the
   * latest. Stores without it are polled every `pollIntervalMs`.
   */
  waitForChange?(key: string, timeoutMs: number): Promise<void>;
}

/** The kind of an outcome, which decides how long and where a store keeps it. */
export type OutcomeKind = 'success' | 'terminal' | 'retryable';

/** Classifies an outcome. */
export function outcomeKind(outcome: RefreshOutcome): OutcomeKind {
  if (outcome.ok) return 'success';
  return outcome.retryable ? 'retryable' : 'terminal';
}

/**
 * Whether a failure is a back-off: retryable, with a `retryAfter` from the provider. Stores show
 * its marker to every claim until it expires, so no instance sends a grant the provider said
 * it would refuse.
 */
export function isBackoff(outcome: RefreshOutcome): outcome is Extract<RefreshOutcome, { ok: false }> & { retryAfter: number } {
  return !outcome.ok && outcome.retryable && outcome.retryAfter !== undefined && outcome.retryAfter > 0;
}

/**
 * Checks that an untrusted value (read back from a store) is a well-formed outcome. A custom
 * store should reject anything else as a malformed reply.
 */
export function isRefreshOutcome(value: unknown): value is RefreshOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.ok === true) return typeof v.sealedSession === 'string' && (v.sessionId === undefined || typeof v.sessionId === 'string');
  if (v.ok !== false) return false;
  if (typeof v.reason !== 'string' || typeof v.retryable !== 'boolean') return false;
  return v.retryAfter === undefined || (typeof v.retryAfter === 'number' && Number.isFinite(v.retryAfter) && v.retryAfter >= 0);
}
