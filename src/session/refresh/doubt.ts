/**
 * An `invalid_grant` received while the shared store was failing may be the loser's side of a
 * race another instance won: held in doubt, it is checked against the store; a success the store
 * could not take is written there once it is back.
 */
import type { RefreshClaim, RefreshOutcome } from '../stores/types.js';
import { outcomeKind } from '../stores/types.js';
import { REFRESH_IN_PROGRESS, type Settings } from './options.js';
import { delay, unrefTimer } from './timers.js';

/** Most refresh tokens whose `invalid_grant` is held in doubt at once. */
const MAX_DOUBTS = 10_000;

/** When the first doubtful `invalid_grant` of each token was held back, oldest dropped first. */
export class Doubts {
  readonly #first = new Map<string, number>();
  readonly #windowMs: number;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Whether an `invalid_grant` of `key` at `now` is held in doubt: within one window of the token's first. */
  hold(key: string, now: number): boolean {
    const first = this.#first.get(key);
    if (first !== undefined) return now - first < this.#windowMs;
    this.#first.set(key, now);
    if (this.#first.size > MAX_DOUBTS) this.#first.delete(this.#first.keys().next().value!);
    return true;
  }
}

/**
 * After a doubtful `invalid_grant`, looks in the shared store for the outcome of the refresh
 * that spent the token, until the wait (from `started`, a `performance.now()`) runs out: a
 * success (or a terminal failure) found there, else `refresh_in_progress`, retryable, so the
 * cookie is kept and the next request looks again.
 */
export async function confirm(
  claim: () => Promise<RefreshClaim>,
  report: (error: unknown) => void,
  started: number,
  { waitTimeoutMs, pollIntervalMs }: Settings,
): Promise<RefreshOutcome> {
  for (;;) {
    try {
      const found = await claim();
      if (found.status === 'outcome' && outcomeKind(found.outcome) !== 'retryable') return found.outcome;
    } catch (error) {
      report(error);
    }
    const left = waitTimeoutMs - (performance.now() - started);
    if (left <= 0) return { ok: false, reason: REFRESH_IN_PROGRESS, retryable: true };
    await delay(Math.min(pollIntervalMs, left));
  }
}

/**
 * Writes a success to the shared store in the background, retrying with a growing pause
 * until the store takes it or its grace window (`ttlMs`) has passed.
 *
 * @param settle Writes the outcome for the time left of its window.
 */
export function publish(settle: (ttlMs: number) => Promise<void>, ttlMs: number, { pollIntervalMs, storeTimeoutMs }: Settings): void {
  const until = performance.now() + ttlMs;
  let pause = pollIntervalMs;
  const attempt = (): void => {
    const left = until - performance.now();
    if (left <= 0) return;
    settle(left).catch(() => {
      pause = Math.min(pause * 2, storeTimeoutMs);
      unrefTimer(setTimeout(attempt, pause));
    });
  };
  unrefTimer(setTimeout(attempt, pause));
}
