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

const IRON_SUFFIX = '~2';
/** `'*' + hmacSalt (64 hex) + '*' + hmac (43 base64url)`. */
const IRON_TAIL_LENGTH = 1 + 64 + 1 + 43;

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
  // An Iron seal that opened is `…*ciphertext*expiry*hmacSalt*hmac`, optionally with `~2`, and
  // the tail after the expiry has a fixed length; base64url never holds a `*`.
  const end = sealed.endsWith(IRON_SUFFIX) ? sealed.length - IRON_SUFFIX.length : sealed.length;
  return sealed[end - IRON_TAIL_LENGTH - 1] === '*';
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
