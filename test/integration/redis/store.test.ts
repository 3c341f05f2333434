import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisRefreshStore, redisRefreshKey, redisSessionKey, DEFAULT_KEY_PREFIX } from '../../../src/redis/index.js';
import type { RefreshOutcome } from '../../../src/session/stores/types.js';
import { RefreshStoreError, RefreshStoreUnavailableError } from '../../../src/session/stores/errors.js';
import { type RunningRedis, startRedis } from '../../support/redis.js';

const ok: RefreshOutcome = { ok: true, sealedSession: 'Fe26.2**sealed~2' };
const dead: RefreshOutcome = { ok: false, reason: 'invalid_grant', retryable: false };
const busy: RefreshOutcome = { ok: false, reason: 'server_error', retryable: true };
const slowDown: RefreshOutcome = { ok: false, reason: 'rate_limit_exceeded', retryable: true, retryAfter: 3 };
const claim = { lockTtlMs: 1_000, acceptRetryable: false };

let server: RunningRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});
/** The server's clock in ms, which the scripts' deadlines follow. */
async function serverNow(): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

beforeEach(async () => {
  await redis.flushall();
});

describe('createRedisRefreshStore', () => {
  it('locks with an owner and a TTL, and hands out the settled outcome for ttlMs', async () => {
    const store = createRedisRefreshStore(redis);
    const key = redisRefreshKey(DEFAULT_KEY_PREFIX, 'k');
    expect(key).toBe('sealed-session:refresh:k');
    expect(await store.claim('k', 'a', claim)).toEqual({ status: 'acquired' });
    expect(await redis.hget(key, 'lock')).toBe('a');
    expect(await redis.pttl(key)).toBeGreaterThan(900);
    expect(await store.claim('k', 'b', claim)).toEqual({ status: 'locked' });

    await store.settle('k', 'a', ok, 30_000);
    expect(await redis.hexists(key, 'lock')).toBe(0);
    expect(await redis.pttl(key)).toBeGreaterThan(29_000);
    expect(await store.claim('k', 'b', claim)).toEqual({ status: 'outcome', outcome: ok });
  });

  it('lets an expired lock be taken over, and never deletes the new holder’s lock', async () => {
    const store = createRedisRefreshStore(redis);
    const key = redisRefreshKey(DEFAULT_KEY_PREFIX, 'k');
    await store.claim('k', 'a', { ...claim, lockTtlMs: 50 });
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.claim('k', 'b', claim)).toEqual({ status: 'acquired' });
    await store.settle('k', 'a', busy, 1_000); // the old holder comes back late
    expect(await redis.hget(key, 'lock')).toBe('b');
    expect(await store.claim('k', 'w', { ...claim, acceptRetryable: true })).toEqual({ status: 'locked' });
  });

  it('never lets a failure mask a success; a success replaces a failure', async () => {
    const store = createRedisRefreshStore(redis);
    await store.settle('k', 'a', ok, 1_000);
    await store.settle('k', 'b', dead, 1_000);
    expect(await store.claim('k', 'c', claim)).toEqual({ status: 'outcome', outcome: ok });
    await store.settle('j', 'a', dead, 1_000);
    expect(await store.claim('j', 'c', claim)).toEqual({ status: 'outcome', outcome: dead });
    await store.settle('j', 'b', ok, 1_000);
    expect(await store.claim('j', 'c', claim)).toEqual({ status: 'outcome', outcome: ok });
  });

  it('shows a retryable marker to waiters only, and drops it when a new attempt starts', async () => {
    const store = createRedisRefreshStore(redis);
    await store.claim('k', 'a', claim);
    await store.settle('k', 'a', busy, 1_000);
    expect(await store.claim('k', 'w', { ...claim, acceptRetryable: true })).toEqual({ status: 'outcome', outcome: busy });
    expect(await store.claim('k', 'n', claim)).toEqual({ status: 'acquired' });
    expect(await store.claim('k', 'w', { ...claim, acceptRetryable: true })).toEqual({ status: 'locked' });
  });

  it('shows a back-off to every claim, fresh or waiting, with the seconds its marker has left', async () => {
    const store = createRedisRefreshStore(redis);
    const key = redisRefreshKey(DEFAULT_KEY_PREFIX, 'k');
    await store.claim('k', 'a', claim);
    await store.settle('k', 'a', slowDown, 3_000);
    expect(await redis.hget(key, 'retry')).toMatch(/^b\{/);
    for (const acceptRetryable of [false, true, false]) {
      expect(await store.claim('k', 'n', { ...claim, acceptRetryable })).toEqual({ status: 'outcome', outcome: slowDown });
    }
    expect(await redis.hexists(key, 'lock')).toBe(0);
    await redis.hset(key, 'retry_at', (await serverNow()) + 1_200);
    expect(await store.claim('k', 'n', claim)).toEqual({ status: 'outcome', outcome: { ...slowDown, retryAfter: 2 } });
    await redis.hset(key, 'retry_at', await serverNow());
    expect(await store.claim('k', 'n', claim)).toEqual({ status: 'acquired' });
  });

  it('renews a lock only for its owner', async () => {
    const store = createRedisRefreshStore(redis);
    const key = redisRefreshKey(DEFAULT_KEY_PREFIX, 'k');
    await store.claim('k', 'a', { ...claim, lockTtlMs: 200 });
    expect(await store.renew('k', 'a', 5_000)).toBe(true);
    expect(await redis.pttl(key)).toBeGreaterThan(4_000);
    expect(await store.renew('k', 'b', 60_000)).toBe(false);
    expect(await redis.pttl(key)).toBeLessThanOrEqual(5_000);
    expect(await redis.hget(key, 'lock')).toBe('a');
    await store.settle('k', 'a', ok, 1_000);
    expect(await store.renew('k', 'a', 5_000)).toBe(false);
    expect(await redis.hexists(key, 'lock')).toBe(0);
  });

  it('keeps a sign-out marker for its TTL, under a key of its own', async () => {
    const store = createRedisRefreshStore(redis);
    expect(await store.isSessionEnded('s')).toBe(false);
    await store.endSession('s', 40_000);
    expect(await store.isSessionEnded('s')).toBe(true);
    expect(await store.isSessionEnded('t')).toBe(false);
    const key = redisSessionKey(DEFAULT_KEY_PREFIX, 's');
    expect(key).toBe('sealed-session:refresh:ended:s');
    expect(await redis.pttl(key)).toBeGreaterThan(39_000);
    await redis.pexpire(key, 1);
    await new Promise((r) => setTimeout(r, 5));
    expect(await store.isSessionEnded('s')).toBe(false);
  });

  it('loads its scripts again after SCRIPT FLUSH', async () => {
    const store = createRedisRefreshStore(redis, { keyPrefix: 'app:' });
    await store.claim('k', 'a', claim);
    await redis.script('FLUSH');
    await store.settle('k', 'a', ok, 1_000);
    expect(await redis.keys('app:*')).toEqual(['app:k']);
    expect(await redis.hkeys('app:k')).toEqual(['outcome', 'outcome_at']);
  });

  it('rejects a tampered value instead of returning it', async () => {
    const store = createRedisRefreshStore(redis);
    await redis.hset(redisRefreshKey(DEFAULT_KEY_PREFIX, 'k'), 'outcome', 's{"ok":false}', 'outcome_at', (await serverNow()) + 60_000);
    await expect(store.claim('k', 'a', claim)).rejects.toBeInstanceOf(RefreshStoreError);
  });

  it('fails fast when the connection is known to be down', async () => {
    const gone = new Redis(server.url);
    const ended = new Promise((r) => gone.once('end', r));
    await gone.quit();
    await ended;
    const store = createRedisRefreshStore(gone);
    await expect(store.claim('k', 'a', claim)).rejects.toBeInstanceOf(RefreshStoreUnavailableError);
  });

  it('wraps command errors in a coded RefreshStoreError', async () => {
    const store = createRedisRefreshStore(redis);
    await redis.lpush(redisRefreshKey(DEFAULT_KEY_PREFIX, 'k'), 'wrong type');
    const error = await store.claim('k', 'a', claim).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshStoreError);
    expect((error as RefreshStoreError).code).toBe('ERR_REFRESH_STORE');
  });
});
