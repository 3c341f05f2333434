/** The coordinator's options, the reasons it answers with, and the settings it runs on. */
import type { EventOptions } from '../events.js';
import { RefreshOptionsError, type RefreshStoreError } from '../stores/errors.js';
import type { RefreshOutcome, RefreshStore } from '../stores/types.js';

/**
 * Options of {@link RefreshCoordinator}. All durations are in milliseconds. The lock is renewed
 * every `lockTtlMs / 3` while its refresh runs, so a slow refresh keeps it; `lockTtlMs` is how
 * long a holder that died blocks the token.
 */
export interface RefreshCoordinatorOptions extends EventOptions {
  /** Where instances agree on who refreshes. Default: a private {@link createMemoryRefreshStore}. */
  store?: RefreshStore;
  /** How long a success (and a terminal failure) stays available under the old token. Default 30 000. */
  graceWindowMs?: number;
  /** Lifetime of the refresh lock, renewed while its refresh runs; a dead holder is taken over after it. Default 10 000. */
  lockTtlMs?: number;
  /** Longest a caller waits for someone else's refresh. Default `lockTtlMs + 5 000`. */
  waitTimeoutMs?: number;
  /** Interval between polls of a store without push notifications. Default 50. */
  pollIntervalMs?: number;
  /** Longest a single store operation may take before the store counts as down. Default 1 000. */
  storeTimeoutMs?: number;
  /**
   * Longest a provider's `Retry-After` is honoured for one token: no grant is sent for it
   * before then, and `retryAfter` never says more. Default 60 000.
   */
  maxBackoffMs?: number;
  /** Clock for the default memory stores' TTLs. Default `Date.now`. */
  now?: () => number;
  /**
   * Called when the store fails and the coordinator falls back to in-process coordination, with
   * the error; `onEvent` hears of it too, as a `store.fallback` event.
   */
  onStoreError?: (error: RefreshStoreError) => void;
}

/**
 * What {@link RefreshCoordinator.run} resolves to: the refresh's outcome, and whether this
 * caller received it from another caller's refresh.
 */
export type SharedRefreshOutcome = RefreshOutcome & {
  /** `true` when this call did not run `refresh` itself but received another call's outcome. */
  shared: boolean;
  /** `true` when that outcome was kept from a refresh that had already finished (the grace window). */
  kept?: boolean;
};

/** Reason returned when waiting for another caller's refresh took longer than `waitTimeoutMs`. */
export const REFRESH_IN_PROGRESS = 'refresh_in_progress';
/** Reason returned when `refresh` threw, or returned something that is not an outcome. */
export const REFRESH_ERROR = 'refresh_error';
/** Reason returned for a session that signed out (see {@link RefreshCoordinator.endSession}). */
export const SESSION_ENDED = 'session_ended';

/** Options of {@link RefreshCoordinator.run}. */
export interface RefreshRunOptions {
  /**
   * The session (`sid`) the refresh token belongs to: once it has signed out, the call answers
   * `session_ended` instead of refreshing or handing out a kept session. The first call for a
   * token decides for the concurrent ones (a refresh token belongs to one session).
   */
  sessionId?: string;
}

export interface Settings {
  graceWindowMs: number;
  lockTtlMs: number;
  waitTimeoutMs: number;
  pollIntervalMs: number;
  storeTimeoutMs: number;
  maxBackoffMs: number;
}

function duration(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new RefreshOptionsError(`${name} must be a positive number of milliseconds, got ${String(v)}`);
  }
  return v;
}

export function settingsOf(options: RefreshCoordinatorOptions): Settings {
  const lockTtlMs = duration('lockTtlMs', options.lockTtlMs, 10_000);
  return {
    graceWindowMs: duration('graceWindowMs', options.graceWindowMs, 30_000),
    lockTtlMs,
    waitTimeoutMs: duration('waitTimeoutMs', options.waitTimeoutMs, lockTtlMs + 5_000),
    pollIntervalMs: duration('pollIntervalMs', options.pollIntervalMs, 50),
    storeTimeoutMs: duration('storeTimeoutMs', options.storeTimeoutMs, 1_000),
    maxBackoffMs: duration('maxBackoffMs', options.maxBackoffMs, 60_000),
  };
}
