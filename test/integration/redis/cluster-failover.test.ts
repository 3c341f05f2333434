/**
 * A Redis Cluster failover in the middle of a refresh. One app instance holds the refresh lock
 * of an expired session and its grant is held at the proxy; two other instances wait for it.
 * Then the master serving that token's key is killed, and the provider answers the grant either
 * before its replica is promoted (the holder cannot store the outcome) or after. No response may
 * sign the user out, and the refresh token is spent once.
 */
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { type SessionManager, unsealData } from '../../../src/index.js';
import { createRedisRefreshStore, DEFAULT_KEY_PREFIX, redisRefreshKey } from '../../../src/redis/index.js';
import { RefreshCoordinator, type RefreshStore } from '../../../src/refresh/index.js';
import { refreshTokenKey } from '../../../src/session/coordinator.js';
import { startProxy } from '../../support/proxy.js';
import { type RunningCluster, startRedisCluster } from '../../support/redis-cluster.js';
import type { RunningRedis } from '../../support/redis.js';
import { PASSWORD, startHonoApp } from '../../support/web-app.js';
import { EXPIRED_OFFSET_MS, me, referenceManager, sealedCookieFor, storm } from '../refresh/helpers.js';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let cluster: RunningCluster;
let reference: SessionManager;
let inspector: Cluster;
const closers: (() => unknown)[] = [];

/** An app instance on its own `Cluster` client, counting the claims that found another owner's lock. */
async function instance() {
  const client = new Cluster(cluster.startupNodes, { redisOptions: { maxRetriesPerRequest: 1 } });
  client.on('error', () => undefined);
  closers.push(() => client.disconnect());
  const redis = createRedisRefreshStore(client);
  const seen = { locked: 0 };
  const store: RefreshStore = {
    ...redis,
    claim: async (key, owner, options) => {
      const claim = await redis.claim(key, owner, options);
      if (claim.status === 'locked') seen.locked++;
      return claim;
    },
  };
  const coordinator = new RefreshCoordinator({ store, pollIntervalMs: 20, storeTimeoutMs: 500, debug: false });
  const provider = { baseUrl: proxy.url, issuer: emulator.url, clientId: emulator.clientId, apiKey: emulator.apiKey };
  const app = await startHonoApp(provider, { now: () => Date.now() + EXPIRED_OFFSET_MS, handler: { coordinator } });
  closers.push(app.close);
  return { origin: app.origin, seen };
}

/** A signed-in session whose refresh token's key lives on a master with a replica to promote. */
async function sessionOnReplicatedMaster(): Promise<{ cookie: string; master: RunningRedis; key: string }> {
  for (;;) {
    const cookie = await sealedCookieFor(reference, emulator.users.alice.email);
    const { refreshToken } = await unsealData<{ refreshToken: string }>(cookie, { password: PASSWORD });
    const key = redisRefreshKey(DEFAULT_KEY_PREFIX, await refreshTokenKey(refreshToken));
    const master = await cluster.masterOf(key);
    if (await cluster.replicated(master)) return { cookie, master, key };
  }
}

beforeAll(async () => {
  [emulator, cluster] = await Promise.all([startEmulator(), startRedisCluster()]);
  proxy = await startProxy(emulator.url);
  reference = referenceManager({ baseUrl: proxy.url, issuer: emulator.url, clientId: emulator.clientId, apiKey: emulator.apiKey });
  inspector = new Cluster(cluster.startupNodes, { redisOptions: { maxRetriesPerRequest: 1 } });
  inspector.on('error', () => undefined);
  closers.push(() => inspector.disconnect());
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await proxy?.close();
  await cluster?.stop();
  await emulator?.close();
});

describe('a failover of the master holding a refresh lock, mid-refresh', () => {
  test.each(['before', 'after'] as const)('the provider answers %s the replica is promoted: one grant, nobody signed out', async (when) => {
    const [holder, ...waiting] = [await instance(), await instance(), await instance()];
    const { cookie, master, key } = await sessionOnReplicatedMaster();
    const grantsBefore = proxy.state.refreshGrants;

    proxy.state.fault = 'hold';
    const first = me(holder!.origin, cookie);
    await expect.poll(() => proxy.state.refreshGrants - grantsBefore, { timeout: 5_000, interval: 10 }).toBe(1);
    const replies = storm(waiting.map((w) => w.origin), cookie, 40);
    await expect.poll(() => waiting.every((w) => w.seen.locked > 0), { timeout: 5_000, interval: 10 }).toBe(true);

    await master.kill();
    if (when === 'after') await cluster.settled(key);
    proxy.state.fault = 'none';
    proxy.release();

    const all = [await first, ...(await replies)];
    expect(all.filter((r) => r.status !== 200)).toEqual([]);
    for (const reply of all) expect(reply.body).toMatchObject({ authenticated: true, email: 'alice@acme.test' });
    const cookies = new Set(all.map((r) => r.newCookie));
    expect(cookies.size).toBe(1);
    expect(proxy.state.refreshGrants - grantsBefore).toBe(1);

    // The rotation reaches the store once the cluster has settled: late requests with the old cookie get it.
    await cluster.settled(key);
    await expect.poll(() => inspector.hexists(key, 'outcome'), { timeout: 5_000, interval: 20 }).toBe(1);
    const late = await storm([holder!.origin, ...waiting.map((w) => w.origin)], cookie, 9);
    for (const reply of late) expect(reply).toMatchObject({ status: 200, newCookie: [...cookies][0] });
    expect(proxy.state.refreshGrants - grantsBefore).toBe(1);
  });
});
