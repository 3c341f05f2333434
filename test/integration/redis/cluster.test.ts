/**
 * The Redis store on a real Redis Cluster: each script touches one key, spread over the masters;
 * the scripts are loaded on every master that needs them; and slot migrations (`ASK`, then
 * `MOVED`) are followed without losing a lock.
 */
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRefreshStore, DEFAULT_KEY_PREFIX, redisRefreshKey } from '../../../src/redis/index.js';
import { refreshTokenKey } from '../../../src/session/coordinator.js';
import type { RefreshOutcome } from '../../../src/session/stores/types.js';
import { type RunningCluster, startRedisCluster } from '../../support/redis-cluster.js';
import type { RunningRedis } from '../../support/redis.js';

const ok: RefreshOutcome = { ok: true, sealedSession: 'Fe26.2**sealed~2' };
const fresh = { lockTtlMs: 5_000, acceptRetryable: false };

let cluster: RunningCluster;
let admin: Redis;
const clients: (Cluster | Redis)[] = [];

function connect(): Cluster {
  const client = new Cluster(cluster.startupNodes, { redisOptions: { maxRetriesPerRequest: 1 } });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

function direct(node: RunningRedis): Redis {
  const redis = new Redis(node.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  clients.push(redis);
  return redis;
}

const slotOf = (key: string) => admin.cluster('KEYSLOT', key) as Promise<number>;

async function nodeId(node: RunningRedis): Promise<string> {
  return (await direct(node).cluster('MYID')) as string;
}

beforeAll(async () => {
  cluster = await startRedisCluster();
  admin = direct(cluster.nodes[0]!);
});
afterAll(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await cluster?.stop();
});

describe('the Redis store on a Redis Cluster', () => {
  it('spreads refresh tokens over the slots and the masters, whatever the prefix', async () => {
    const prefixes = [DEFAULT_KEY_PREFIX, 'app:', '', 'x{', '}y:', '{}:', 'ü:'];
    for (const prefix of prefixes) {
      const keys = await Promise.all(Array.from({ length: 30 }, async () => redisRefreshKey(prefix, await refreshTokenKey(`rt_${crypto.randomUUID()}`))));
      const slots = new Set(await Promise.all(keys.map(slotOf)));
      expect(slots.size).toBeGreaterThan(25);
      const masters = new Set(await Promise.all(keys.map(async (key) => (await cluster.masterOf(key)).port)));
      expect(masters.size).toBe(3);
    }
  });

  it('runs every script on every master, loading it again after SCRIPT FLUSH', async () => {
    const store = createRedisRefreshStore(connect());
    const keys = await Promise.all(Array.from({ length: 30 }, () => refreshTokenKey(`rt_${crypto.randomUUID()}`)));
    const masters = new Set(await Promise.all(keys.map(async (key) => (await cluster.masterOf(redisRefreshKey(DEFAULT_KEY_PREFIX, key))).port)));
    expect(masters.size).toBe(3);
    for (const round of [1, 2]) {
      for (const node of cluster.nodes) await direct(node).script('FLUSH');
      for (const key of keys) {
        const owner = `o${round}`;
        expect(await store.claim(`${key}${round}`, owner, fresh)).toEqual({ status: 'acquired' });
        expect(await store.renew(`${key}${round}`, owner, 5_000)).toBe(true);
        await store.settle(`${key}${round}`, owner, ok, 5_000);
        expect(await store.claim(`${key}${round}`, 'other', fresh)).toEqual({ status: 'outcome', outcome: ok });
        await store.endSession(key, 5_000);
        expect(await store.isSessionEnded(key)).toBe(true);
      }
    }
  });

  it('follows a slot migration: a lock taken through ASK while it runs is still held after MOVED', async () => {
    const store = createRedisRefreshStore(connect());
    const other = createRedisRefreshStore(connect());
    const key = await refreshTokenKey(`rt_${crypto.randomUUID()}`);
    const lockKey = redisRefreshKey(DEFAULT_KEY_PREFIX, key);
    const slot = await slotOf(lockKey);
    const source = await cluster.masterOf(lockKey);
    const masters = await Promise.all(['{a}', '{b}', '{c}', '{d}', '{e}', '{f}'].map((tag) => cluster.masterOf(tag)));
    const target = masters.find((node) => node !== source)!;
    const [sourceId, targetId] = [await nodeId(source), await nodeId(target)];
    // Warm both clients' slot maps: they still point at the source when the slot moves.
    expect(await other.isSessionEnded('warm')).toBe(false);

    await direct(target).cluster('SETSLOT', slot, 'IMPORTING', sourceId);
    await direct(source).cluster('SETSLOT', slot, 'MIGRATING', targetId);
    expect(await store.claim(key, 'a', fresh)).toEqual({ status: 'acquired' }); // ASK: the source has no key of that slot
    expect(await other.claim(key, 'b', fresh)).toEqual({ status: 'locked' });
    const onTarget = direct(target);
    await onTarget.call('ASKING'); // the next command may read the importing slot
    expect(await onTarget.exists(lockKey)).toBe(1);

    for (const node of [target, source, ...masters.filter((m) => m !== source && m !== target)]) {
      await direct(node).cluster('SETSLOT', slot, 'NODE', targetId);
    }
    expect(await other.claim(key, 'b', fresh)).toEqual({ status: 'locked' }); // MOVED: the slot is the target's now
    expect(await store.renew(key, 'a', 5_000)).toBe(true);
    await store.settle(key, 'a', ok, 5_000);
    expect(await other.claim(key, 'b', fresh)).toEqual({ status: 'outcome', outcome: ok });
    expect(await cluster.masterOf(lockKey)).toBe(target);
  });
});
