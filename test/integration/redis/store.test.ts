import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisRefreshStore, redisKeys, DEFAULT_KEY_PREFIX } from '../../../src/redis/index.js';
import type { RefreshOutcome } from '../../../src/session/stores/types.js';
import { RefreshStoreError, RefreshStoreUnavailableError } from '../../../src/session/stores/errors.js';
import { type RunningRedis, startRedis } from '../../support/redis.js';

const ok: RefreshOutcome = { ok: true, sealedSession: 'Fe26.2**sealed~2' };
const dead: RefreshOutcome = { ok: false, reason: 'invalid_grant', retryable: false };
const busy: RefreshOutcome = { ok: false, reason: 'rate_limited', retryable: true, retryAfter: 1 };
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
beforeEach(async () => {
  await redis.flushall();
});

describe('createRedisRefreshStore', () => {
  it('locks with an owner and a TTL, and hands out the settled outcome for ttlMs', async () => {
    const store = createRedisRefreshStore(redis);
    const [outcomeKey, , lockKey] = redisKeys(DEFAULT_KEY_PREFIX, 'k');
    expect(await store.claim('k', 'a', claim)).toEqual({ status: 'acquired' });
    expect(await redis.get(lockKey)).toBe('a');
    expect(await redis.pttl(lockKey)).toBeGreaterThan(900);
    expect(await store.claim('k', 'b', claim)).toEqual({ status: 'locked' });

    await store.settle('k', 'a', ok, 30_000);
    expect(await redis.exists(lockKey)).toBe(0);
    expect(await redis.pttl(outcomeKey)).toBeGreaterThan(29_000);
    expect(await store.claim('k', 'b', claim)).toEqual({ status: 'outcome', outcome: ok });
  });

  it('lets an expired lock be taken over, and never deletes the new holder’s lock', async () => {
    const store = createRedisRefreshStore(redis);
    const lockKey = redisKeys(DEFAULT_KEY_PREFIX, 'k')[2];
    await store.claim('k', 'a', { ...claim, lockTtlMs: 50 });
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.claim('k', 'b', claim)).toEqual({ status: 'acquired' });
    await store.settle('k', 'a', busy, 1_000); // the old holder comes back late
    expect(await redis.get(lockKey)).toBe('b');
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

  it('loads its scripts again after SCRIPT FLUSH', async () => {
    const store = createRedisRefreshStore(redis, { keyPrefix: 'app:' });
    await store.claim('k', 'a', claim);
    await redis.script('FLUSH');
    await store.settle('k', 'a', ok, 1_000);
    expect(await redis.keys('app:*')).toEqual(['app:{k}:outcome']);
  });

  it('rejects a tampered value instead of returning it', async () => {
    const store = createRedisRefreshStore(redis);
    await redis.set(redisKeys(DEFAULT_KEY_PREFIX, 'k')[0], 's{"ok":false}');
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
    await redis.set(redisKeys(DEFAULT_KEY_PREFIX, 'k')[2], 'x');
    await redis.lpush(redisKeys(DEFAULT_KEY_PREFIX, 'k')[0], 'wrong type');
    const error = await store.claim('k', 'a', claim).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshStoreError);
    expect((error as RefreshStoreError).code).toBe('ERR_REFRESH_STORE');
  });
});
