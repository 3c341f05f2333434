import type { SealFormat } from '../seal/index.js';
import type { SessionPayload } from './payload.js';

/** A cookie that unsealed with the manager's keyring, and what it held. */
export interface OpenedSession {
  readonly payload: SessionPayload;
  readonly format: SealFormat;
  readonly isNewest: boolean;
}

interface Entry {
  readonly opened: OpenedSession;
  /** The clock when the seal was opened: a hit is only trusted when time has not gone back. */
  readonly openedAtMs: number;
}

/** How many opened cookies a manager remembers by default. */
export const OPENED_CACHE_SIZE = 1_000;

/**
 * Whether a cookie that unsealed at one instant still unseals at any later one, so that the
 * result may be reused without opening the seal again. Iron seals without an expiry carry no
 * time at all (the WorkOS SDKs write none), and a Fernet token is only refused for being dated
 * too far in the future, which time passing can only fix. An Iron seal with an expiry is left
 * to the seal layer every time rather than copying its expiry rules here.
 */
export function isTimeIndependent(sealed: string, format: SealFormat): boolean {
  if (format === 'fernet') return true;
  // `Fe26.2*id*encSalt*iv*ciphertext*expiry*…`: the sixth field.
  return sealed.split('*', 6)[5] === '';
}

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
 * cookies can neither fill nor flush the cache. The access token inside is still verified on
 * every use (the verifier re-checks expiry on each of its own hits).
 *
 * Bounded by two generations of maps: when the young one is full it becomes the old one and
 * the previous old one is dropped. O(1) per operation, unlike evicting entries one at a time
 * from the front of a single Map, which V8 makes slower as deleted slots pile up there.
 */
export class OpenedSessionCache {
  readonly #half: number;
  #young = new Map<string, Entry>();
  #old = new Map<string, Entry>();

  /** @param size Most cookies held at once (below 2 disables the cache). */
  constructor(size: number = OPENED_CACHE_SIZE) {
    this.#half = Math.max(0, Math.floor(size / 2));
  }

  /** Entries currently held (at most `size`). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  /** The opened session of `sealed`, unless it is unknown or the clock went back since. */
  get(sealed: string, nowMs: number): OpenedSession | undefined {
    let entry = this.#young.get(sealed);
    if (!entry) {
      entry = this.#old.get(sealed);
      // A cookie still in use moves to the young generation, so it outlives the idle ones.
      if (entry) this.#insert(sealed, entry);
    }
    return entry && nowMs >= entry.openedAtMs ? entry.opened : undefined;
  }

  /** Remembers a cookie that just unsealed with the manager's keyring. */
  remember(sealed: string, opened: OpenedSession, nowMs: number): void {
    if (this.#half > 0) this.#insert(sealed, { opened, openedAtMs: nowMs });
  }

  #insert(sealed: string, entry: Entry): void {
    if (this.#young.size >= this.#half) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(sealed, entry);
  }
}
