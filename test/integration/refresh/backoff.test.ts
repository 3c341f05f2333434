/**
 * The provider answers a refresh grant with 429 and `Retry-After` (through a real proxy). Until
 * then, no request for that session may send another grant, on any instance sharing the store
 * (memory or Redis): each gets a retryable answer with the seconds left, keeps its cookie, and a
 * still-valid token is served as it is. Afterwards exactly one grant goes out.
 */
import { describe, expect, test } from 'vitest';
import { RefreshCoordinator } from '../../../src/refresh/index.js';
import { benchForFile, EXPIRED_OFFSET_MS, me, sealedCookieFor, sharedStore, startApp, type StormReply } from './helpers.js';

const DUE_SOON_OFFSET_MS = 3600_000 - 30_000;

const bench = benchForFile({ redis: true });

/** Two app instances whose coordinators share one store. */
async function instances(kind: 'memory' | 'redis') {
  const store = sharedStore(bench, kind);
  const start = () => startApp(bench, { handler: { coordinator: new RefreshCoordinator({ store }) } });
  return [(await start()).origin, (await start()).origin];
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
    const cookie = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
    bench.offsetMs = EXPIRED_OFFSET_MS;
    bench.proxy.state.fault = 'status429';
    bench.proxy.state.retryAfterSec = said;
    const grantsBefore = bench.proxy.state.refreshGrants;

    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => me(origins[i % 2]!, cookie)));
    for (const reply of burst) expectBackedOff(reply, said);
    for (let i = 0; i < 30; i++) expectBackedOff(await me(origins[i % 2]!, cookie), said);
    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);

    // The provider is fine again; the first request after the back-off refreshes, once.
    bench.proxy.state.fault = 'none';
    await expect.poll(async () => (await me(origins[0]!, cookie)).status, { timeout: (said + 3) * 1000, interval: 100 }).toBe(200);
    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(2);
  });

  test('a token still valid is served as it is meanwhile, with one grant upstream', async () => {
    const origins = await instances(kind);
    const cookie = await sealedCookieFor(bench.reference, bench.emulator.users.bob.email);
    bench.offsetMs = DUE_SOON_OFFSET_MS;
    bench.proxy.state.fault = 'status429';
    bench.proxy.state.retryAfterSec = 30;
    const grantsBefore = bench.proxy.state.refreshGrants;
    for (let i = 0; i < 30; i++) {
      const reply = await me(origins[i % 2]!, cookie);
      expect(reply).toMatchObject({ status: 200, body: { authenticated: true, refreshed: false }, setCookies: [] });
    }
    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
  });
});
