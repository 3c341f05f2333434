/**
 * How outcomes are written to Redis: one kind letter, then JSON. The letter lets the Lua
 * scripts rank outcomes (a success is never overwritten by a failure) and tell a back-off from
 * a plain retry marker without decoding JSON.
 */
import { isBackoff, isRefreshOutcome, outcomeKind, type RefreshOutcome } from '../session/stores/types.js';

const LETTER = { success: 's', terminal: 'f', retryable: 'r' } as const;
const BACKOFF = 'b';

function letterOf(outcome: RefreshOutcome): string {
  return isBackoff(outcome) ? BACKOFF : LETTER[outcomeKind(outcome)];
}

/** Serializes an outcome for the store. Only the outcome's own fields are kept. */
export function encodeOutcome(outcome: RefreshOutcome): string {
  const plain: RefreshOutcome = outcome.ok
    ? { ok: true, sealedSession: outcome.sealedSession, sessionId: outcome.sessionId }
    : { ok: false, reason: outcome.reason, retryable: outcome.retryable, retryAfter: outcome.retryAfter };
  return letterOf(outcome) + JSON.stringify(plain);
}

/** Parses a stored value; `undefined` when it is not a well-formed outcome. */
export function decodeOutcome(value: string): RefreshOutcome | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.slice(1));
  } catch {
    return undefined;
  }
  if (!isRefreshOutcome(parsed) || letterOf(parsed) !== value[0]) return undefined;
  return parsed;
}
