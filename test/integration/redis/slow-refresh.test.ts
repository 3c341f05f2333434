/**
 * A refresh that outlives its Redis lock's TTL: the grant is held at a real proxy for many lock
 * lifetimes while a second app instance receives the same expired cookie. The holder renews its
 * lock, so the second instance waits for the outcome instead of spending the same token.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { createRedisRefreshStore } from '../../../src/redis/index.js';
import { type SessionManager } from '../../../src/index.js';
import { RefreshCoordinator } from '../../../src/refresh/index.js';
import { startProxy } from '../../support/proxy.js';
import { type RunningRedis, startRedis } from '../../support/redis.js';
import { startHonoApp } from '../../support/web-app.js';
import { EXPIRED_OFFSET_MS, me, referenceManager, sealedCookieFor } from '../refresh/helpers.js';
import { sleep } from './helpers.js';

const LOCK_TTL_MS = 300;

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let redis: RunningRedis;
let reference: SessionManager;
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  [emulator, redis] = await Promise.all([startEmulator(), startRedis()]);
  proxy = await startProxy(emulator.url);
  reference = referenceManager({ baseUrl: proxy.url, issuer: emulator.url, clientId: emulator.clientId, apiKey: emulator.apiKey });
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await proxy?.close();
  await redis?.stop();
  await emulator?.close();
});

/** An app instance on its own Redis connection, with a lock far shorter than the provider timeout (8 s). */
async function instance() {
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  closers.push(() => client.disconnect());
  const coordinator = new RefreshCoordinator({ store: createRedisRefreshStore(client), lockTtlMs: LOCK_TTL_MS, waitTimeoutMs: 20_000, pollIntervalMs: 20 });
  const provider = { baseUrl: proxy.url, issuer: emulator.url, clientId: emulator.clientId, apiKey: emulator.apiKey };
  const app = await startHonoApp(provider, { now: () => Date.now() + EXPIRED_OFFSET_MS, handler: { coordinator } });
  closers.push(app.close);
  return app.origin;
}

test.each([5, 10])('a grant held for %i lock lifetimes is the only grant: the other instance waits and gets its session', async (lifetimes) => {
  const [a, b] = [await instance(), await instance()];
  const cookie = await sealedCookieFor(reference, emulator.users.alice.email);
  const grantsBefore = proxy.state.refreshGrants;

  proxy.state.fault = 'hold';
  const first = me(a, cookie);
  await expect.poll(() => proxy.state.refreshGrants - grantsBefore, { timeout: 5_000, interval: 10 }).toBe(1);
  const waiting = [];
  for (let i = 0; i < lifetimes; i++) {
    await sleep(LOCK_TTL_MS);
    waiting.push(me(b, cookie), me(a, cookie));
  }
  expect(proxy.state.refreshGrants - grantsBefore).toBe(1);
  proxy.state.fault = 'none';
  proxy.release();

  const replies = await Promise.all([first, ...waiting]);
  expect(proxy.state.refreshGrants - grantsBefore).toBe(1);
  for (const reply of replies) expect(reply).toMatchObject({ status: 200, body: { authenticated: true } });
  expect(new Set(replies.map((r) => r.newCookie)).size).toBe(1);
});
