/**
 * Redis refresh store: coordinates refreshes across instances. Node only (ioredis). Waiters poll
 * the token's key rather than subscribe: pub/sub needs a second connection per client and loses
 * messages while reconnecting, and waits are rare and short.
 *
 * Every script touches one key, so a Redis Cluster serves it from the node holding that key,
 * whether the slot is stable, moved (`MOVED`) or being migrated (`ASK`); ioredis's `Cluster`
 * follows the redirections and loads a script on each node the first time it runs there.
 */
import { RefreshStoreError, RefreshStoreUnavailableError } from '../session/stores/errors.js';
import { isBackoff, type RefreshClaim, type RefreshClaimOptions, type RefreshOutcome, type RefreshStore } from '../session/stores/types.js';
import { decodeOutcome, encodeOutcome } from './codec.js';
import { CLAIM, END_SESSION, type LuaScript, RENEW, SESSION_ENDED, SETTLE } from './scripts.js';

/**
 * The part of an ioredis client the store uses. An ioredis `Redis` or `Cluster` fits; so does
 * any client with the same `eval`/`evalsha` signatures.
 */
export interface RedisScriptClient {
  /** ioredis connection status; when it says the connection is down the store fails fast. */
  readonly status?: string;
  /** Runs a script the server has cached, by SHA-1; rejects with a `NOSCRIPT…` error when it has not. */
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  /** Runs a script from its source (sent once per server, after a `NOSCRIPT` reply). */
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * Options of {@link createRedisRefreshStore}.
 */
export interface RedisRefreshStoreOptions {
  /** Prefix of every key the store writes. Default `'sealed-session:refresh:'`. */
  keyPrefix?: string;
}

/**
 * Default key prefix. Every instance of one app must use the same prefix (that is how they find
 * each other's locks); give each app sharing the server a prefix of its own.
 */
export const DEFAULT_KEY_PREFIX = 'sealed-session:refresh:';

// Commands would sit in ioredis' offline queue until it reconnects: fail now and let the
// coordinator fall back instead of holding the request.
const DOWN = new Set(['reconnecting', 'close', 'end']);

/**
 * The key of one refresh token hash: a hash holding its lock, outcome and retry marker (see
 * `scripts.ts`). Useful to inspect or clean up the store.
 *
 * @example
 * ```ts
 * redisRefreshKey('sealed-session:refresh:', 'k3y'); // 'sealed-session:refresh:k3y'
 * ```
 */
export function redisRefreshKey(prefix: string, key: string): string {
  return `${prefix}${key}`;
}

/**
 * The sign-out marker of a session key. Refresh-token keys are base64url, without `:`, so the
 * two never meet.
 *
 * @example
 * ```ts
 * redisSessionKey('sealed-session:refresh:', 's1d'); // 'sealed-session:refresh:ended:s1d'
 * ```
 */
export function redisSessionKey(prefix: string, sessionKey: string): string {
  return `${prefix}ended:${sessionKey}`;
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

function parseClaim(reply: unknown): RefreshClaim {
  if (Array.isArray(reply)) {
    const [status, value, left] = reply as unknown[];
    if (status === 'acquired' || status === 'locked') return { status };
    if (status === 'outcome' && typeof value === 'string') {
      const outcome = decodeOutcome(value);
      if (outcome !== undefined && !isBackoff(outcome)) return { status: 'outcome', outcome };
      // A back-off says how long is left of it, by the server's clock.
      if (outcome !== undefined && typeof left === 'number' && left > 0) {
        return { status: 'outcome', outcome: { ...outcome, retryAfter: Math.ceil(left / 1000) } };
      }
    }
  }
  throw new RefreshStoreError('malformed reply from the Redis refresh store');
}

/**
 * Creates a refresh store on Redis. Keys hold only a SHA-256 of the refresh token and outcomes,
 * whose `sealedSession` is itself encrypted; outcomes expire after the grace window, locks after
 * `lockTtlMs`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RefreshCoordinator } from 'sealed-session/refresh';
 * import { createRedisRefreshStore } from 'sealed-session/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!);
 * const coordinator = new RefreshCoordinator({ store: createRedisRefreshStore(redis) });
 * ```
 */
export function createRedisRefreshStore(redis: RedisScriptClient, options: RedisRefreshStoreOptions = {}): RefreshStore {
  const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;

  async function run(lua: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown> {
    if (redis.status !== undefined && DOWN.has(redis.status)) {
      throw new RefreshStoreUnavailableError(`Redis connection is ${redis.status}`);
    }
    try {
      try {
        return await redis.evalsha(lua.sha, keys.length, ...keys, ...args);
      } catch (error) {
        // First use on this server (or after SCRIPT FLUSH): send the source once.
        if (!isNoScript(error)) throw error;
        return await redis.eval(lua.source, keys.length, ...keys, ...args);
      }
    } catch (error) {
      throw new RefreshStoreError('Redis refresh store command failed', { cause: error });
    }
  }

  return {
    async claim(key: string, owner: string, claim: RefreshClaimOptions): Promise<RefreshClaim> {
      const ttl = Math.max(1, Math.ceil(claim.lockTtlMs));
      const reply = await run(CLAIM, [redisRefreshKey(prefix, key)], [owner, ttl, claim.acceptRetryable ? '1' : '0']);
      return parseClaim(reply);
    },

    async settle(key: string, owner: string, outcome: RefreshOutcome, ttlMs: number): Promise<void> {
      const ttl = Math.max(1, Math.ceil(ttlMs));
      await run(SETTLE, [redisRefreshKey(prefix, key)], [owner, encodeOutcome(outcome), ttl]);
    },

    async renew(key: string, owner: string, lockTtlMs: number): Promise<boolean> {
      const ttl = Math.max(1, Math.ceil(lockTtlMs));
      return (await run(RENEW, [redisRefreshKey(prefix, key)], [owner, ttl])) === 1;
    },

    async endSession(sessionKey: string, ttlMs: number): Promise<void> {
      const ttl = Math.max(1, Math.ceil(ttlMs));
      await run(END_SESSION, [redisSessionKey(prefix, sessionKey)], [ttl]);
    },

    async isSessionEnded(sessionKey: string): Promise<boolean> {
      return (await run(SESSION_ENDED, [redisSessionKey(prefix, sessionKey)], [])) === 1;
    },
  };
}
