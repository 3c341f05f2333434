import { LongStringCache } from '../jwt/string-cache.js';
import type { SealFormat } from '../seal/index.js';
import type { SessionPayload } from './payload.js';

/** A cookie that unsealed with the manager's keyring, and what it held. */
export interface OpenedSession {
  readonly payload: SessionPayload;
  readonly format: SealFormat;
  /** Id of the password that opened it. */
  readonly passwordId: string;
  /** A refresh would seal it with another password (see `resealPasswordId`). */
  readonly sealedWithOldPassword: boolean;
}

interface Entry {
  readonly opened: OpenedSession;
  /** The clock when the seal was opened: a hit is only trusted when time has not gone back. */
  readonly openedAtMs: number;
}

/** How many opened cookies a manager remembers by default. */
export const OPENED_CACHE_SIZE = 1_000;

/** Makes the cached payload read-only, so no caller can change what the next request reads. */
export function freezePayload(payload: SessionPayload): SessionPayload {
  Object.freeze(payload.user.metadata);
  Object.freeze(payload.user);
  if (payload.impersonator) Object.freeze(payload.impersonator);
  return Object.freeze(payload);
}

/**
 * Opened session cookies of one manager, keyed by the exact sealed string. A browser sends the
 * same cookie on every request until it is re-sealed, and a hit skips the key derivation, the
 * MAC, the decryption and the JSON parse. Only cookies that opened with the manager's own
 * keyring are ever stored, so a tampered cookie (a different string) cannot hit, and forged
 * cookies can neither fill nor flush the cache. Only seals without an expiry of their own are
 * stored (the seal layer says which): opened without a `ttl`, those open at every later time,
 * while an expiry is left to the seal layer to judge each time. The access token inside is
 * still verified on every use (the verifier re-checks expiry on each of its own hits).
 */
export class OpenedSessionCache {
  readonly #entries: LongStringCache<Entry>;

  /** @param size Most cookies held at once (0 disables the cache). */
  constructor(size: number = OPENED_CACHE_SIZE) {
    this.#entries = new LongStringCache(size);
  }

  /** Entries currently held (about `size` at most). */
  get size(): number {
    return this.#entries.size;
  }

  /** The opened session of `sealed`, unless it is unknown or the clock went back since. */
  get(sealed: string, nowMs: number): OpenedSession | undefined {
    const entry = this.#entries.get(sealed);
    return entry && nowMs >= entry.openedAtMs ? entry.opened : undefined;
  }

  /** Remembers a cookie that just unsealed with the manager's keyring. */
  remember(sealed: string, opened: OpenedSession, nowMs: number): void {
    this.#entries.set(sealed, { opened, openedAtMs: nowMs });
  }
}
