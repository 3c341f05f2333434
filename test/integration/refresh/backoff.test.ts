/**
 * The provider answers a refresh grant with 429 and `Retry-After` (through a real proxy). Until
 * then, no request for that session may send another grant, on any instance sharing the store
 * (memory or Redis): each gets a retryable answer with the seconds left, keeps its cookie, and a
 * still-valid token is served as it is. Afterwards exactly one grant goes out.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { createRedisRefreshStore } from '../../../src/redis/index.js';
import { type SessionManager } from '../../../src/index.js';
import { createMemoryRefreshStore, RefreshCoordinator, type RefreshStore } from '../../../src/refresh/index.js';
import { startProxy } from '../../support/proxy.js';
import { type RunningRedis, startRedis } from '../../support/redis.js';
import { startHonoApp } from '../../support/web-app.js';
import { EXPIRED_OFFSET_MS, me, referenceManager, sealedCookieFor, type StormReply } from './helpers.js';

const DUE_SOON_OFFSET_MS = 3600_000 - 30_000;

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let redis: RunningRedis;
let reference: SessionManager;
let offsetMs = 0;
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
afterEach(() => {
  offsetMs = 0;
  proxy.state.fault = 'none';
});

function store(kind: 'memory' | 'redis'): RefreshStore {
  if (kind === 'memory') return createMemoryRefreshStore();
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  closers.push(() => client.disconnect());
  return createRedisRefreshStore(client, { keyPrefix: `backoff-${crypto.randomUUID()}:` });
}

/** Two app instances whose coordinators share one store. */
async function instances(kind: 'memory' | 'redis') {
  const provider = { baseUrl: proxy.url, issuer: emulator.url, clientId: emulator.clientId, apiKey: emulator.apiKey };
  const shared = store(kind);
  const start = () =>
    startHonoApp(provider, { now: () => Date.now() + offsetMs, handler: { coordinator: new RefreshCoordinator({ store: shared }) } });
  const apps = [await start(), await start()];
  for (const app of apps) closers.push(app.close);
  return apps.map((app) => app.origin);
}

function expectBackedOff(reply: StormReply, said: number) {
  expect(reply.status).toBe(401);
  expect(reply.body).toMatchObject({ authenticated: false, reason: 'rate_limit_exceeded', retryable: true });
  expect(reply.body.retryAfter).toBeGreaterThanOrEqual(1);
  expect(reply.body.retryAfter).toBeLessThanOrEqual(said);
  expect(reply.setCookies).toEqual([]);
}

describe.each(['memory', 'redis'] as const)('429 with Retry-After, two instances on a %s store', (kind) => {
  test.each([3])('Retry-After: %i: one grant until it has passed, then one more', async (said) => {
    const origins = await instances(kind);
    const cookie = await sealedCookieFor(reference, emulator.users.alice.email);
    offsetMs = EXPIRED_OFFSET_MS;
    proxy.state.fault = 'status429';
    proxy.state.retryAfterSec = said;
    const grantsBefore = proxy.state.refreshGrants;

    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => me(origins[i % 2]!, cookie)));
    for (const reply of burst) expectBackedOff(reply, said);
    for (let i = 0; i < 30; i++) expectBackedOff(await me(origins[i % 2]!, cookie), said);
    expect(proxy.state.refreshGrants - grantsBefore).toBe(1);

    // The provider is fine again; the first request after the back-off refreshes, once.
    proxy.state.fault = 'none';
    await expect.poll(async () => (await me(origins[0]!, cookie)).status, { timeout: (said + 3) * 1000, interval: 100 }).toBe(200);
    expect(proxy.state.refreshGrants - grantsBefore).toBe(2);
  });

  test('a token still valid is served as it is meanwhile, with one grant upstream', async () => {
    const origins = await instances(kind);
    const cookie = await sealedCookieFor(reference, emulator.users.bob.email);
    offsetMs = DUE_SOON_OFFSET_MS;
    proxy.state.fault = 'status429';
    proxy.state.retryAfterSec = 30;
    const grantsBefore = proxy.state.refreshGrants;
    for (let i = 0; i < 30; i++) {
      const reply = await me(origins[i % 2]!, cookie);
      expect(reply).toMatchObject({ status: 200, body: { authenticated: true, refreshed: false }, setCookies: [] });
    }
    expect(proxy.state.refreshGrants - grantsBefore).toBe(1);
  });
});
