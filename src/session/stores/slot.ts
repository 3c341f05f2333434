/**
 * The state a store keeps for one refresh-token key, and the `RefreshStore` rules as pure
 * functions over it. The in-memory store keeps slots in a map; the Durable Object store keeps
 * one in each object's storage.
 */
import type { RefreshClaim, RefreshClaimOptions, RefreshOutcome } from './types.js';
import { isBackoff, outcomeKind } from './types.js';

/** A value and the time (ms) it lapses. */
export interface Timed<T> {
  value: T;
  expiresAt: number;
}

/** Lock, outcome and retry marker of one key; each absent or alive until its `expiresAt`. */
export interface Slot {
  lock?: Timed<string>;
  result?: Timed<RefreshOutcome>;
  retry?: Timed<RefreshOutcome>;
}

function alive<T>(entry: Timed<T> | undefined, now: number): Timed<T> | undefined {
  return entry !== undefined && entry.expiresAt > now ? entry : undefined;
}

/** The slot without its lapsed entries. */
export function prune(slot: Slot, now: number): Slot {
  return { lock: alive(slot.lock, now), result: alive(slot.result, now), retry: alive(slot.retry, now) };
}

/** Whether nothing is left to keep. */
export function isEmpty(slot: Slot): boolean {
  return slot.lock === undefined && slot.result === undefined && slot.retry === undefined;
}

/** When the last entry of the slot lapses (0 when empty). */
export function lapsesAt(slot: Slot): number {
  return Math.max(slot.lock?.expiresAt ?? 0, slot.result?.expiresAt ?? 0, slot.retry?.expiresAt ?? 0);
}

/** A back-off as claimed: `retryAfter` is what is left of it, in whole seconds. */
function remaining(marker: Timed<RefreshOutcome>, now: number): RefreshOutcome {
  const outcome = marker.value;
  if (!isBackoff(outcome)) return outcome;
  return { ...outcome, retryAfter: Math.ceil((marker.expiresAt - now) / 1000) };
}

/** The answer to `owner`'s claim on a pruned slot, and the slot to write when the lock was taken. */
export function claimed(slot: Slot, owner: string, options: RefreshClaimOptions, now: number): { claim: RefreshClaim; next?: Slot } {
  if (slot.result !== undefined) return { claim: { status: 'outcome', outcome: slot.result.value } };
  if (slot.retry !== undefined && (options.acceptRetryable || isBackoff(slot.retry.value))) {
    return { claim: { status: 'outcome', outcome: remaining(slot.retry, now) } };
  }
  if (slot.lock !== undefined) return { claim: { status: 'locked' } };
  return { claim: { status: 'acquired' }, next: { lock: { value: owner, expiresAt: now + options.lockTtlMs } } };
}

/** The slot after `owner`'s attempt ended with `outcome` (see the rules on `RefreshStore`). */
export function settled(slot: Slot, owner: string, outcome: RefreshOutcome, expiresAt: number): Slot {
  const next: Slot = { ...slot };
  const kind = outcomeKind(outcome);
  if (kind === 'success') {
    next.result = { value: outcome, expiresAt };
    next.retry = undefined;
  } else if (kind === 'terminal') {
    if (next.result?.value.ok !== true) next.result = { value: outcome, expiresAt };
  } else if (next.result === undefined && (next.lock === undefined || next.lock.value === owner)) {
    next.retry = { value: outcome, expiresAt };
  }
  if (next.lock?.value === owner) next.lock = undefined;
  return next;
}

/** The slot with `owner`'s lock extended to `expiresAt`, or `undefined` when `owner` does not hold it. */
export function renewed(slot: Slot, owner: string, expiresAt: number): Slot | undefined {
  if (slot.lock?.value !== owner) return undefined;
  return { ...slot, lock: { value: owner, expiresAt } };
}
