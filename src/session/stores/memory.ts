/**
 * In-process refresh store: the default. Web standards only (it runs on workers).
 *
 * It coordinates every coordinator of one process (or isolate) that shares it, and keeps the
 * grace-window outcomes and the sign-out markers. Memory is bounded twice: every entry expires,
 * and the number of keys of each kind is capped with least-recently-used eviction.
 */
import { RefreshOptionsError } from './errors.js';
import { claimed, isEmpty, prune, renewed, type Slot, settled } from './slot.js';
import type { RefreshClaim, RefreshClaimOptions, RefreshOutcome, RefreshStore } from './types.js';

/** Options of {@link createMemoryRefreshStore}. */
export interface MemoryRefreshStoreOptions {
  /**
   * Maximum number of refresh-token keys kept, and of signed-out sessions kept; the least
   * recently used are evicted first. Default 10 000.
   */
  maxEntries?: number;
  /** Clock in milliseconds, for TTLs. Default `Date.now`. */
  now?: () => number;
}

/** A {@link RefreshStore} held in memory, with its current size for monitoring. */
export interface MemoryRefreshStore extends RefreshStore {
  /** Number of refresh-token keys currently held (expired ones may linger until touched or evicted). */
  readonly size: number;
  waitForChange(key: string, timeoutMs: number): Promise<void>;
}

/** Default cap on the number of keys. At ~200 bytes a key that is a few MB at most. */
export const DEFAULT_MAX_ENTRIES = 10_000;

function checkMaxEntries(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RefreshOptionsError(`maxEntries must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Creates the in-memory refresh store (the coordinator's default).
 *
 * @example Share one store between two coordinators of the same process
 * ```ts
 * const store = createMemoryRefreshStore({ maxEntries: 50_000 });
 * const a = new RefreshCoordinator({ store });
 * const b = new RefreshCoordinator({ store });
 * ```
 */
export function createMemoryRefreshStore(options: MemoryRefreshStoreOptions = {}): MemoryRefreshStore {
  const maxEntries = checkMaxEntries(options.maxEntries ?? DEFAULT_MAX_ENTRIES);
  const now = options.now ?? Date.now;
  // Map iteration order is insertion order: re-inserting on every touch makes it an LRU list.
  const slots = new Map<string, Slot>();
  const ended = new Map<string, number>();
  const listeners = new Map<string, Set<() => void>>();

  function read(key: string): Slot | undefined {
    const slot = slots.get(key);
    if (slot === undefined) return undefined;
    const live = prune(slot, now());
    slots.delete(key);
    if (isEmpty(live)) return undefined;
    slots.set(key, live);
    return live;
  }

  function write(key: string, slot: Slot): void {
    slots.delete(key);
    if (isEmpty(slot)) return;
    slots.set(key, slot);
    evict(slots);
  }

  function evict(map: Map<string, unknown>): void {
    while (map.size > maxEntries) {
      const oldest = map.keys().next();
      if (oldest.done === true) break;
      map.delete(oldest.value);
    }
  }

  function notify(key: string): void {
    const waiting = listeners.get(key);
    if (waiting === undefined) return;
    listeners.delete(key);
    for (const wake of waiting) wake();
  }

  return {
    get size() {
      return slots.size;
    },

    async claim(key: string, owner: string, claim: RefreshClaimOptions): Promise<RefreshClaim> {
      const { claim: answer, next } = claimed(read(key) ?? {}, owner, claim, now());
      if (next !== undefined) write(key, next);
      return answer;
    },

    async settle(key: string, owner: string, outcome: RefreshOutcome, ttlMs: number): Promise<void> {
      write(key, settled(read(key) ?? {}, owner, outcome, now() + ttlMs));
      notify(key);
    },

    async renew(key: string, owner: string, lockTtlMs: number): Promise<boolean> {
      const next = renewed(read(key) ?? {}, owner, now() + lockTtlMs);
      if (next === undefined) return false;
      write(key, next);
      return true;
    },

    async endSession(sessionKey: string, ttlMs: number): Promise<void> {
      ended.delete(sessionKey);
      ended.set(sessionKey, now() + ttlMs);
      evict(ended);
    },

    async isSessionEnded(sessionKey: string): Promise<boolean> {
      const expiresAt = ended.get(sessionKey);
      if (expiresAt === undefined) return false;
      if (expiresAt > now()) return true;
      ended.delete(sessionKey);
      return false;
    },

    waitForChange(key: string, timeoutMs: number): Promise<void> {
      return new Promise<void>((resolve) => {
        let set = listeners.get(key);
        if (set === undefined) listeners.set(key, (set = new Set()));
        const waiting = set;
        const wake = (): void => {
          clearTimeout(timer);
          waiting.delete(wake);
          if (waiting.size === 0 && listeners.get(key) === waiting) listeners.delete(key);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        waiting.add(wake);
      });
    },
  };
}
