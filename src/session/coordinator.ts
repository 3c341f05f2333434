/**
 * Refresh coordination for single-use refresh tokens: parallel requests of one browser carry the
 * same cookie, and every one that spent its token after the first would get `invalid_grant`.
 * Web standards only: this module runs on workers.
 */
import { createEvents, type EventOptions, type Events } from './events.js';
import { RefreshLockLostError, RefreshOptionsError, RefreshStoreError, RefreshStoreTimeoutError } from './stores/errors.js';
import { createMemoryRefreshStore } from './stores/memory.js';
import type { RefreshClaim, RefreshOutcome, RefreshStore } from './stores/types.js';
import { isBackoff, outcomeKind } from './stores/types.js';

export type { RefreshClaim, RefreshClaimOptions, RefreshOutcome, RefreshStore } from './stores/types.js';

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

/** The provider's answer to a refresh token that is spent, expired or revoked. */
const INVALID_GRANT = 'invalid_grant';

/** Most refresh tokens whose `invalid_grant` is held in doubt at once (see `#doubtful`). */
const MAX_DOUBTS = 10_000;

/** Options of {@link RefreshCoordinator.run}. */
export interface RefreshRunOptions {
  /**
   * The session (`sid`) the refresh token belongs to: once it has signed out, the call answers
   * `session_ended` instead of refreshing or handing out a kept session. The first call for a
   * token decides for the concurrent ones (a refresh token belongs to one session).
   */
  sessionId?: string;
}

interface Settings {
  graceWindowMs: number;
  lockTtlMs: number;
  waitTimeoutMs: number;
  pollIntervalMs: number;
  storeTimeoutMs: number;
  maxBackoffMs: number;
}

interface Flight {
  promise: Promise<SharedRefreshOutcome>;
}

/** One flight's refresh, as it goes from store to store. */
interface Run {
  key: string;
  sessionId: string | undefined;
  refresh: () => Promise<RefreshOutcome>;
  owner: string;
  /** `performance.now()` at the start: waits and doubts are measured from here. */
  started: number;
  /** Store failures reported when it started (see `#failures`). */
  failures: number;
}

const KEY_CONTEXT = 'sealed-session/refresh/v1\0';
const SESSION_KEY_CONTEXT = 'sealed-session/session/v1\0';
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The store key of a refresh token: base64url(SHA-256(context ‖ token)). One-way, so neither a
 * store nor anyone reading it learns the token; the context string separates it from any other
 * SHA-256 of the same token.
 */
export function refreshTokenKey(refreshToken: string): Promise<string> {
  return digestKey(KEY_CONTEXT, refreshToken);
}

/**
 * The store key of a session's sign-out marker: base64url(SHA-256(context ‖ sid)), apart from
 * every refresh-token key by its context string.
 */
export function sessionKey(sessionId: string): Promise<string> {
  return digestKey(SESSION_KEY_CONTEXT, sessionId);
}

async function digestKey(context: string, value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(context + value));
  return base64url(new Uint8Array(digest));
}

function randomOwner(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

function duration(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new RefreshOptionsError(`${name} must be a positive number of milliseconds, got ${String(v)}`);
  }
  return v;
}

function settingsOf(options: RefreshCoordinatorOptions): Settings {
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

/** A timer that never keeps a Node process alive (no-op elsewhere). */
function unrefTimer(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => unrefTimer(setTimeout(resolve, ms)));
}

/** Settles with `promise`, or with `onTimeout()` after `ms`, whichever comes first. */
function within<T>(promise: Promise<T>, ms: number, onTimeout: () => T | Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => Promise.resolve().then(onTimeout).then(resolve, reject), ms);
    unrefTimer(timer);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function inProgress(): SharedRefreshOutcome {
  return { ok: false, reason: REFRESH_IN_PROGRESS, retryable: true, shared: true };
}

function isInvalidGrant(outcome: RefreshOutcome): boolean {
  return !outcome.ok && !outcome.retryable && outcome.reason === INVALID_GRANT;
}

function sessionEnded(): RefreshOutcome {
  return { ok: false, reason: SESSION_ENDED, retryable: false };
}

/**
 * How long the store keeps an outcome: a back-off as long as the provider asked (capped), other
 * retryable failures only as long as a lock would live, the rest for the grace window.
 */
function ttlFor(outcome: RefreshOutcome, settings: Settings): number {
  if (outcome.ok || !outcome.retryable) return settings.graceWindowMs;
  return isBackoff(outcome) ? outcome.retryAfter * 1000 : settings.lockTtlMs;
}

/**
 * The outcome as stores keep it, from whatever `refresh` resolved to: only the outcome's own
 * fields, and `retryAfter` only on retryable failures, as seconds from 0 to `maxBackoffMs`, so no
 * answer can block a token for longer. `undefined` when it is not an outcome at all.
 */
function bounded(value: unknown, maxBackoffMs: number): RefreshOutcome | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.ok === true && typeof v.sealedSession === 'string') {
    return typeof v.sessionId === 'string' ? { ok: true, sealedSession: v.sealedSession, sessionId: v.sessionId } : { ok: true, sealedSession: v.sealedSession };
  }
  if (v.ok !== false || typeof v.reason !== 'string' || typeof v.retryable !== 'boolean') return undefined;
  const outcome: RefreshOutcome = { ok: false, reason: v.reason, retryable: v.retryable };
  if (v.retryable && typeof v.retryAfter === 'number' && v.retryAfter >= 0) {
    outcome.retryAfter = Math.min(v.retryAfter, maxBackoffMs / 1000);
  }
  return outcome;
}

async function invoke(refresh: () => Promise<RefreshOutcome>, maxBackoffMs: number): Promise<RefreshOutcome> {
  try {
    const outcome = bounded(await refresh(), maxBackoffMs);
    if (outcome !== undefined) return outcome;
  } catch {
    // A throwing refresh says nothing about whether the token was spent: keep the cookie.
  }
  return { ok: false, reason: REFRESH_ERROR, retryable: true };
}

/**
 * Runs refreshes so that each refresh token is spent at most once, whatever the concurrency.
 *
 * - Concurrent calls in this process with the same token share one promise.
 * - Calls in other processes sharing the store wait for the lock holder and adopt its outcome.
 *   The holder renews its lock while its refresh runs, however slow the provider: only a dead
 *   holder's lock expires and is taken over.
 * - A success stays available for `graceWindowMs` under the old token: late requests still
 *   carrying the old cookie receive the new sealed session.
 * - A terminal failure (`retryable: false`) is kept for the grace window too, so a dead token
 *   is not replayed upstream by every request; a later success always replaces it.
 * - A retryable failure reaches the callers that were waiting for that attempt. When the
 *   provider said when to come back (`retryAfter`, at most `maxBackoffMs`), every call for that
 *   token gets it, with the seconds left, until then; otherwise the next call tries again.
 * - {@link endSession} records a sign-out for the grace window plus the lock's lifetime: calls
 *   for that session then answer `session_ended`, including calls with an old cookie that the
 *   grace window would have upgraded, and refreshes that were running at the time.
 * - `run` never throws. If the store fails or is too slow, the coordinator falls back to
 *   in-process coordination and still refreshes: a Redis outage must not log users out. The
 *   price is that two instances may then race one token (one of them gets `invalid_grant`).
 * - A call already waiting for another instance's refresh never spends the token itself when
 *   the store fails: it keeps waiting for that refresh's outcome until `waitTimeoutMs`, then
 *   answers `refresh_in_progress` (retryable: the cookie is kept).
 * - An `invalid_grant` received while the store was failing may be the loser's side of a race
 *   another instance won: for up to `waitTimeoutMs` the call looks for that instance's success
 *   in the store and hands it out, else answers `refresh_in_progress`. This holds for one grace
 *   window from the token's first such answer; after it, `invalid_grant` is final. A success
 *   the store could not take is written there in the background once it is back.
 *
 * One coordinator per app, shared by every request: pass it to `createSessionHandler` (or
 * `createRequestAuthenticator`), or to `session.refresh({ coordinator })` when calling it yourself.
 *
 * @example
 * ```ts
 * const coordinator = new RefreshCoordinator({ store: createRedisRefreshStore(new Redis(process.env.REDIS_URL!)) });
 * const auth = createSessionHandler({ sessions, redirectUri, coordinator });
 * // or, by hand:
 * const result = await sessions.loadSealedSession({ sessionData: cookie }).refresh({ coordinator });
 * ```
 */
export class RefreshCoordinator {
  readonly #store: RefreshStore;
  /** In-process copy used when the shared store fails; `undefined` when the store is already local. */
  readonly #fallback: RefreshStore | undefined;
  readonly #settings: Settings;
  readonly #onStoreError: ((error: RefreshStoreError) => void) | undefined;
  readonly #events: Events;
  readonly #now: () => number;
  readonly #flights = new Map<string, Flight>();
  /** Store failures reported so far: a flight during which it grew ran with the store degraded. */
  #failures = 0;
  /** When the first doubtful `invalid_grant` of a token was held back, by key (see `#doubtful`). */
  readonly #doubts = new Map<string, number>();
  /**
   * Digests in progress, by token: two calls of the same tick share one, so neither finishes
   * hashing after the other's whole flight has ended.
   */
  readonly #hashing = new Map<string, Promise<string>>();

  /** @throws {RefreshOptionsError} when a duration is not a positive number. */
  constructor(options: RefreshCoordinatorOptions = {}) {
    this.#settings = settingsOf(options);
    const local = (): RefreshStore => createMemoryRefreshStore({ now: options.now });
    this.#store = options.store ?? local();
    this.#fallback = options.store === undefined ? undefined : local();
    this.#onStoreError = options.onStoreError;
    // An `onStoreError` already hears of fallbacks: no warning on top of it.
    this.#events = createEvents({ onEvent: options.onEvent, debug: options.debug ?? (options.onStoreError ? false : undefined) });
    this.#now = options.now ?? Date.now;
  }

  /**
   * Runs `refresh` at most once per refresh token across every caller sharing the store, and
   * gives every caller its outcome. Never throws.
   *
   * @param refreshToken The refresh token about to be spent (only its hash leaves this method).
   * @param refresh Spends the token upstream and seals the new session.
   * @param options The session the token belongs to, so a signed-out session stays out.
   */
  async run(
    refreshToken: string,
    refresh: () => Promise<RefreshOutcome>,
    options: RefreshRunOptions = {},
  ): Promise<SharedRefreshOutcome> {
    const { maxBackoffMs, waitTimeoutMs } = this.#settings;
    let key: string;
    try {
      key = await this.#keyOf(refreshToken);
    } catch {
      return { ...(await invoke(refresh, maxBackoffMs)), shared: false };
    }
    const existing = this.#flights.get(key);
    if (existing !== undefined) {
      const outcome = await within(existing.promise, waitTimeoutMs, inProgress);
      return { ...outcome, shared: true };
    }
    const flight = this.#start(key, options.sessionId, refresh);
    return { ...(await within(flight.promise, waitTimeoutMs, inProgress)) };
  }

  /**
   * Records that a session signed out, in the store (so every instance sees it) and in this
   * process. For the grace window plus the lock's lifetime, {@link run} answers `session_ended`
   * for it: an old cookie of that session is no longer upgraded to the newer one kept for the
   * grace window, and a refresh running at the time keeps its result to itself. Never throws.
   *
   * @param sessionId The session id (`sid`) of the cookie being signed out.
   */
  async endSession(sessionId: string): Promise<void> {
    const ttl = this.#settings.graceWindowMs + this.#settings.lockTtlMs;
    let key: string;
    try {
      key = await sessionKey(sessionId);
    } catch {
      return;
    }
    try {
      await this.#call(() => this.#store.endSession(key, ttl));
    } catch (error) {
      this.#report(error);
    }
    await this.#fallback?.endSession(key, ttl).catch(() => undefined);
  }

  #keyOf(refreshToken: string): Promise<string> {
    let pending = this.#hashing.get(refreshToken);
    if (pending === undefined) {
      pending = refreshTokenKey(refreshToken);
      this.#hashing.set(refreshToken, pending);
      const done = (): void => void this.#hashing.delete(refreshToken);
      pending.then(done, done);
    }
    return pending;
  }

  #start(key: string, sessionId: string | undefined, refresh: () => Promise<RefreshOutcome>): Flight {
    const flight: Flight = { promise: this.#fly(key, sessionId, refresh) };
    this.#flights.set(key, flight);
    const forget = (): void => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    void flight.promise.then(forget, forget);
    return flight;
  }

  async #fly(key: string, sessionId: string | undefined, refresh: () => Promise<RefreshOutcome>): Promise<SharedRefreshOutcome> {
    const run: Run = { key, sessionId, refresh, owner: randomOwner(), started: performance.now(), failures: this.#failures };
    if (sessionId !== undefined && (await this.#isEnded(sessionId))) return { ...sessionEnded(), shared: false };
    try {
      return await this.#coordinate(this.#store, run);
    } catch (error) {
      this.#report(error);
    }
    if (this.#fallback !== undefined) {
      try {
        return await this.#coordinate(this.#fallback, run);
      } catch {
        // The in-memory store does not fail; if it ever did, refreshing beats logging out.
      }
    }
    return { ...(await invoke(refresh, this.#settings.maxBackoffMs)), shared: false };
  }

  /**
   * Claim, wait or lead, on one store. Throws only the store's errors, and only before it has
   * seen another owner's lock: from then on a failing store is waited out like a held lock,
   * since spending the token here could turn that owner's rotation into an `invalid_grant`.
   */
  async #coordinate(store: RefreshStore, run: Run): Promise<SharedRefreshOutcome> {
    const { lockTtlMs, waitTimeoutMs, pollIntervalMs } = this.#settings;
    const { key, owner, sessionId } = run;
    const started = performance.now();
    let acceptRetryable = false;
    for (;;) {
      let claim: RefreshClaim;
      try {
        claim = await this.#call(() => store.claim(key, owner, { lockTtlMs, acceptRetryable }));
      } catch (error) {
        if (!acceptRetryable) throw error;
        this.#report(error);
        claim = { status: 'locked' };
      }
      if (claim.status === 'outcome') {
        // Found before any wait: the outcome was kept from a refresh that had finished.
        const outcome = await this.#unlessEnded(claim.outcome, sessionId);
        return acceptRetryable ? { ...outcome, shared: true } : { ...outcome, shared: true, kept: true };
      }
      if (claim.status === 'acquired') return { ...(await this.#lead(store, run)), shared: false };
      // From now on a retry marker is the answer to the attempt we have been waiting for.
      acceptRetryable = true;
      const left = waitTimeoutMs - (performance.now() - started);
      if (left <= 0) return inProgress();
      const pause = Math.min(pollIntervalMs, left);
      const wait = store.waitForChange?.bind(store);
      await (wait ? this.#call(() => wait(key, pause)).catch((error: unknown) => (this.#report(error), delay(pause))) : delay(pause));
    }
  }

  async #lead(store: RefreshStore, run: Run): Promise<RefreshOutcome> {
    const { key, owner, sessionId } = run;
    const stopRenewing = this.#keepLock(store, key, owner);
    let outcome = await invoke(run.refresh, this.#settings.maxBackoffMs);
    stopRenewing();
    if (isInvalidGrant(outcome) && this.#doubtful(store, run)) outcome = await this.#confirm(run);
    // Signed out while the grant was in flight: the new session must not outlive the sign-out
    // in the grace window, where an old cookie would pick it up.
    outcome = await this.#unlessEnded(outcome, sessionId);
    const ttl = ttlFor(outcome, this.#settings);
    let kept = true;
    try {
      await this.#call(() => store.settle(key, owner, outcome, ttl));
    } catch (error) {
      // The refresh happened: its outcome goes to the callers even if the store cannot keep it.
      this.#report(error);
      kept = false;
    }
    // A success the shared store did not take goes there once it is back, for the other instances.
    if (outcome.ok && (!kept || store !== this.#store)) this.#publish(key, owner, outcome, ttl);
    // Keep successes and back-offs locally too, so they survive a later store outage.
    if ((outcome.ok || isBackoff(outcome)) && this.#fallback !== undefined && store !== this.#fallback) {
      await this.#fallback.settle(key, owner, outcome, ttl).catch(() => undefined);
    }
    return outcome;
  }

  /**
   * Whether an `invalid_grant` may hide another instance's success: the shared store failed
   * while this refresh was in flight, or could not be asked at all, so another instance may
   * have spent the token and its outcome may not be visible yet. Held in doubt for one grace
   * window from the first doubtful answer of the token, no longer: a success kept by another
   * instance would have expired by then.
   */
  #doubtful(store: RefreshStore, run: Run): boolean {
    if (this.#fallback === undefined || (store === this.#store && this.#failures === run.failures)) return false;
    const now = this.#now();
    const first = this.#doubts.get(run.key);
    if (first !== undefined) return now - first < this.#settings.graceWindowMs;
    this.#doubts.set(run.key, now);
    if (this.#doubts.size > MAX_DOUBTS) this.#doubts.delete(this.#doubts.keys().next().value!);
    return true;
  }

  /**
   * After a doubtful `invalid_grant`, looks in the shared store for the outcome of the refresh
   * that spent the token, until the wait runs out: a success (or a terminal failure) found
   * there, else `refresh_in_progress`, retryable, so the cookie is kept and the next request
   * looks again.
   */
  async #confirm(run: Run): Promise<RefreshOutcome> {
    const { lockTtlMs, waitTimeoutMs, pollIntervalMs } = this.#settings;
    for (;;) {
      try {
        const claim = await this.#call(() => this.#store.claim(run.key, run.owner, { lockTtlMs, acceptRetryable: false }));
        if (claim.status === 'outcome' && outcomeKind(claim.outcome) !== 'retryable') return claim.outcome;
      } catch (error) {
        this.#report(error);
      }
      const left = waitTimeoutMs - (performance.now() - run.started);
      if (left <= 0) return { ok: false, reason: REFRESH_IN_PROGRESS, retryable: true };
      await delay(Math.min(pollIntervalMs, left));
    }
  }

  /**
   * Writes a success to the shared store in the background, retrying with a growing pause
   * until the store takes it or its grace window has passed.
   */
  #publish(key: string, owner: string, outcome: RefreshOutcome, ttlMs: number): void {
    const { pollIntervalMs, storeTimeoutMs } = this.#settings;
    const until = performance.now() + ttlMs;
    let pause = pollIntervalMs;
    const attempt = (): void => {
      const left = until - performance.now();
      if (left <= 0) return;
      this.#call(() => this.#store.settle(key, owner, outcome, left)).catch(() => {
        pause = Math.min(pause * 2, storeTimeoutMs);
        unrefTimer(setTimeout(attempt, pause));
      });
    };
    unrefTimer(setTimeout(attempt, pause));
  }

  /**
   * Renews `owner`'s lock every third of its lifetime until stopped. A lock that expired under a
   * live refresh would let another instance spend the same token; a dead holder stops renewing,
   * so its lock still expires after `lockTtlMs`. Returns the function that stops renewing.
   */
  #keepLock(store: RefreshStore, key: string, owner: string): () => void {
    const { lockTtlMs } = this.#settings;
    let active = true;
    const stop = (): void => {
      active = false;
      clearInterval(timer);
    };
    const timer = setInterval(() => {
      this.#call(() => store.renew(key, owner, lockTtlMs)).then(
        (held) => {
          if (held || !active) return;
          stop();
          this.#report(new RefreshLockLostError('the refresh lock expired or was taken while its refresh was running'));
        },
        (error: unknown) => this.#report(error),
      );
    }, lockTtlMs / 3);
    unrefTimer(timer);
    return stop;
  }

  /**
   * `outcome`, or `session_ended` when it hands out a session that signed out: the caller's
   * (`sessionId`) or the new cookie's (providers may start a new `sid` on refresh).
   */
  async #unlessEnded(outcome: RefreshOutcome, sessionId: string | undefined): Promise<RefreshOutcome> {
    if (!outcome.ok) return outcome;
    for (const id of new Set([sessionId, outcome.sessionId])) {
      if (id !== undefined && (await this.#isEnded(id))) return sessionEnded();
    }
    return outcome;
  }

  /** Whether the session signed out: asks the store, and this process when the store fails. */
  async #isEnded(sessionId: string): Promise<boolean> {
    let key: string;
    try {
      key = await sessionKey(sessionId);
    } catch {
      return false;
    }
    try {
      if (await this.#call(() => this.#store.isSessionEnded(key))) return true;
    } catch (error) {
      this.#report(error);
    }
    return (await this.#fallback?.isSessionEnded(key).catch(() => false)) ?? false;
  }

  /** A store operation bounded by `storeTimeoutMs`, with every failure as a {@link RefreshStoreError}. */
  async #call<T>(operation: () => Promise<T>): Promise<T> {
    const { storeTimeoutMs } = this.#settings;
    try {
      return await within(operation(), storeTimeoutMs, () => {
        throw new RefreshStoreTimeoutError(`refresh store did not answer within ${storeTimeoutMs} ms`);
      });
    } catch (error) {
      if (error instanceof RefreshStoreError) throw error;
      throw new RefreshStoreError('refresh store operation failed', { cause: error });
    }
  }

  #report(error: unknown): void {
    const storeError =
      error instanceof RefreshStoreError ? error : new RefreshStoreError('refresh store failed', { cause: error });
    this.#failures++;
    this.#events.emit({ type: 'store.fallback', at: this.#now(), code: storeError.code });
    if (this.#onStoreError === undefined) return;
    try {
      this.#onStoreError(storeError);
    } catch {
      // A failing observer must not turn into a failed refresh.
    }
  }
}
