/** Refresh outcomes: the ones the coordinator makes, and what it keeps of the ones `refresh` returns. */
import { isBackoff, type RefreshOutcome } from '../stores/types.js';
import { REFRESH_ERROR, REFRESH_IN_PROGRESS, SESSION_ENDED, type Settings, type SharedRefreshOutcome } from './options.js';

/** The provider's answer to a refresh token that is spent, expired or revoked. */
const INVALID_GRANT = 'invalid_grant';

export function inProgress(): SharedRefreshOutcome {
  return { ok: false, reason: REFRESH_IN_PROGRESS, retryable: true, shared: true };
}

export function isInvalidGrant(outcome: RefreshOutcome): boolean {
  return !outcome.ok && !outcome.retryable && outcome.reason === INVALID_GRANT;
}

export function sessionEnded(): RefreshOutcome {
  return { ok: false, reason: SESSION_ENDED, retryable: false };
}

/**
 * How long the store keeps an outcome: a back-off as long as the provider asked (capped), other
 * retryable failures only as long as a lock would live, the rest for the grace window.
 */
export function ttlFor(outcome: RefreshOutcome, settings: Settings): number {
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

export async function invoke(refresh: () => Promise<RefreshOutcome>, maxBackoffMs: number): Promise<RefreshOutcome> {
  try {
    const outcome = bounded(await refresh(), maxBackoffMs);
    if (outcome !== undefined) return outcome;
  } catch {
    // A throwing refresh says nothing about whether the token was spent: keep the cookie.
  }
  return { ok: false, reason: REFRESH_ERROR, retryable: true };
}
