/**
 * A refresh that outlives its Redis lock's TTL: the grant is held at a real proxy for many lock
 * lifetimes while a second app instance receives the same expired cookie. The holder renews its
 * lock, so the second instance waits for the outcome instead of spending the same token.
 */
import { expect, test } from 'vitest';
import { createRedisRefreshStore } from '../../../src/redis/index.js';
import { RefreshCoordinator } from '../../../src/refresh/index.js';
import { benchForFile, EXPIRED_OFFSET_MS, me, redisClient, sealedCookieFor, startApp } from '../refresh/helpers.js';
import { sleep } from './helpers.js';

const LOCK_TTL_MS = 300;

const bench = benchForFile({ redis: true });

/** An app instance on its own Redis connection, with a lock far shorter than the provider timeout (8 s). */
async function instance() {
  const store = createRedisRefreshStore(redisClient(bench));
  const coordinator = new RefreshCoordinator({ store, lockTtlMs: LOCK_TTL_MS, waitTimeoutMs: 20_000, pollIntervalMs: 20 });
  return (await startApp(bench, { now: () => Date.now() + EXPIRED_OFFSET_MS, handler: { coordinator } })).origin;
}

test.each([5, 10])('a grant held for %i lock lifetimes is the only grant: the other instance waits and gets its session', async (lifetimes) => {
  const [a, b] = [await instance(), await instance()];
  const cookie = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
  const grantsBefore = bench.proxy.state.refreshGrants;

  bench.proxy.state.fault = 'hold';
  const first = me(a, cookie);
  await expect.poll(() => bench.proxy.state.refreshGrants - grantsBefore, { timeout: 5_000, interval: 10 }).toBe(1);
  const waiting = [];
  for (let i = 0; i < lifetimes; i++) {
    await sleep(LOCK_TTL_MS);
    waiting.push(me(b, cookie), me(a, cookie));
  }
  expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
  bench.proxy.state.fault = 'none';
  bench.proxy.release();

  const replies = await Promise.all([first, ...waiting]);
  expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
  for (const reply of replies) expect(reply).toMatchObject({ status: 200, body: { authenticated: true } });
  expect(new Set(replies.map((r) => r.newCookie)).size).toBe(1);
});
