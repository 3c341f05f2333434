/**
 * Starts a throwaway Redis Cluster for a test file: three masters with one replica each, every
 * node a `redis-server` on a free loopback port, joined with `redis-cli --cluster create`.
 *
 * @example
 * ```ts
 * let cluster: RunningCluster;
 * beforeAll(async () => { cluster = await startRedisCluster(); });
 * afterAll(() => cluster.stop());
 * const client = new Cluster(cluster.startupNodes);
 * ```
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { type RunningRedis, startRedis } from './redis.js';

/** Path of the CLI: `REDIS_CLI` or `redis-cli` on the PATH. */
export const REDIS_CLI = process.env.REDIS_CLI ?? 'redis-cli';

/** A running cluster. */
export interface RunningCluster {
  /** Every node, masters and replicas. */
  nodes: RunningRedis[];
  /** Where an ioredis `Cluster` may start. */
  startupNodes: { host: string; port: number }[];
  /** The node that serves `key`'s slot as master right now, as the surviving nodes see it. */
  masterOf(key: string): Promise<RunningRedis>;
  /** Whether `master` has a replica in sync, which a failover would promote. */
  replicated(master: RunningRedis): Promise<boolean>;
  /**
   * Resolves once every live node reports `cluster_state:ok` and the same master for `key`, and
   * every live replica has synced with its master.
   */
  settled(key: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Failure detection after one second: a failover takes a few seconds, not the default 15. */
const NODE_TIMEOUT_MS = 1_000;

function alive(node: RunningRedis): boolean {
  return !node.exited();
}

async function ask<T>(node: RunningRedis, command: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(node.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await command(redis);
  } finally {
    redis.disconnect();
  }
}

/** The port of the master serving `slot`, as `node` sees the cluster. */
async function masterPortOf(node: RunningRedis, key: string): Promise<number | undefined> {
  return ask(node, async (redis) => {
    const slot = (await redis.cluster('KEYSLOT', key)) as number;
    const ranges = await redis.cluster('SLOTS');
    const range = ranges.find(([from, to]) => from <= slot && slot <= to);
    return range?.[2]?.[1];
  });
}

/** The cluster is up as `node` sees it and, when `node` is a replica, it has synced with its master. */
async function clusterOk(node: RunningRedis): Promise<boolean> {
  return ask(node, async (redis) => {
    const replication = await redis.info('replication');
    const synced = !/role:slave/.test(replication) || /master_link_status:up/.test(replication);
    return synced && /cluster_state:ok/.test(await redis.cluster('INFO'));
  });
}

/** Starts the cluster; rejects if it is not serving every slot within `timeoutMs`. */
export async function startRedisCluster(timeoutMs = 30_000): Promise<RunningCluster> {
  const dirs = await Promise.all(Array.from({ length: 6 }, () => mkdtemp(join(tmpdir(), 'sealed-session-cluster-'))));
  const args = [
    '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(NODE_TIMEOUT_MS),
    // A replica that never synced cannot be promoted: sync at once rather than after 5 s.
    '--repl-diskless-sync-delay', '0',
  ];
  const nodes = await Promise.all(dirs.map((dir) => startRedis({ args, dir })));
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.kill()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  try {
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await promisify(execFile)(REDIS_CLI, ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'], { timeout: timeoutMs });
  } catch (error) {
    await stop();
    throw error;
  }

  async function masterOf(key: string): Promise<RunningRedis> {
    const witness = nodes.find(alive);
    const port = witness && (await masterPortOf(witness, key));
    const master = nodes.find((node) => node.port === port);
    if (master === undefined) throw new Error(`no master serves ${key}`);
    return master;
  }

  async function replicated(master: RunningRedis): Promise<boolean> {
    const replication = await ask(master, (redis) => redis.info('replication'));
    return /slave0:.*state=online/.test(replication);
  }

  async function settled(key: string, wait = timeoutMs): Promise<void> {
    const deadline = Date.now() + wait;
    for (;;) {
      const live = nodes.filter(alive);
      const states = await Promise.all(live.map(async (node) => ({ ok: await clusterOk(node).catch(() => false), master: await masterPortOf(node, key).catch(() => undefined) })));
      const masters = new Set(states.map((state) => state.master));
      const master = nodes.find((node) => node.port === [...masters][0]);
      if (states.every((state) => state.ok) && masters.size === 1 && master !== undefined && alive(master)) return;
      if (Date.now() > deadline) throw new Error(`the cluster did not settle within ${wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  try {
    await settled('any');
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, startupNodes: nodes.map((node) => ({ host: '127.0.0.1', port: node.port })), masterOf, replicated, settled, stop };
}
