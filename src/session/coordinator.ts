/**
 * Refresh coordination for single-use refresh tokens: parallel requests of one browser carry the
 * same cookie, and every one that spent its token after the first would get `invalid_grant`.
 * Web standards only: this module runs on workers.
 */
import { createEvents, type Events } from './events.js';
import { Doubts, confirm, publish } from './refresh/doubt.js';
import { Flights } from './refresh/flights.js';
import { randomOwner, refreshTokenKey, sessionKey } from './refresh/keys.js';
import { keepLock } from './refresh/lock.js';
import { settingsOf, type RefreshCoordinatorOptions, type RefreshRunOptions, type Settings, type SharedRefreshOutcome } from './refresh/options.js';
import { inProgress, invoke, isInvalidGrant, sessionEnded, ttlFor } from './refresh/outcomes.js';
import { delay, within } from './refresh/timers.js';
import { RefreshStoreError, RefreshStoreTimeoutError } from './stores/errors.js';
import { createMemoryRefreshStore } from './stores/memory.js';
import type { RefreshClaim, RefreshOutcome, RefreshStore } from './stores/types.js';
import { isBackoff } from './stores/types.js';

export { refreshTokenKey, sessionKey } from './refresh/keys.js';
export {
  REFRESH_ERROR,
  REFRESH_IN_PROGRESS,
  SESSION_ENDED,
  type RefreshCoordinatorOptions,
  type RefreshRunOptions,
  type SharedRefreshOutcome,
} from './refresh/options.js';
export type { RefreshClaim, RefreshClaimOptions, RefreshOutcome, RefreshStore } from './stores/types.js';

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
  readonly #flights = new Flights<SharedRefreshOutcome>();
  /** Store failures reported so far: a flight during which it grew ran with the store degraded. */
  #failures = 0;
  /** When the first doubtful `invalid_grant` of a token was held back, by key (see `#doubtful`). */
  readonly #doubts: Doubts;
  /**
   * Digests in progress, by token: two calls of the same tick share one, so neither finishes
   * hashing after the other's whole flight has ended.
   */
  readonly #hashing = new Flights<string>();

  /** @throws {RefreshOptionsError} when a duration is not a positive number. */
  constructor(options: RefreshCoordinatorOptions = {}) {
    this.#settings = settingsOf(options);
    this.#doubts = new Doubts(this.#settings.graceWindowMs);
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
      const outcome = await within(existing, waitTimeoutMs, inProgress);
      return { ...outcome, shared: true };
    }
    const flight = this.#flights.share(key, () => this.#fly(key, options.sessionId, refresh));
    return { ...(await within(flight, waitTimeoutMs, inProgress)) };
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
    return this.#hashing.share(refreshToken, () => refreshTokenKey(refreshToken));
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
    const { lockTtlMs, maxBackoffMs } = this.#settings;
    const { key, owner, sessionId } = run;
    const report = (error: unknown): void => this.#report(error);
    const stopRenewing = keepLock(() => this.#call(() => store.renew(key, owner, lockTtlMs)), lockTtlMs, report);
    let outcome = await invoke(run.refresh, maxBackoffMs);
    stopRenewing();
    if (isInvalidGrant(outcome) && this.#doubtful(store, run)) {
      const claim = (): Promise<RefreshClaim> => this.#call(() => this.#store.claim(key, owner, { lockTtlMs, acceptRetryable: false }));
      outcome = await confirm(claim, report, run.started, this.#settings);
    }
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
    if (outcome.ok && (!kept || store !== this.#store)) {
      publish((left) => this.#call(() => this.#store.settle(key, owner, outcome, left)), ttl, this.#settings);
    }
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
    return this.#doubts.hold(run.key, this.#now());
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