import { Redis } from 'ioredis';
import { RefreshCoordinator, type RefreshCoordinatorOptions, type RefreshOutcome } from '../../../src/session/coordinator.js';
import { createRedisRefreshStore } from '../../../src/redis/index.js';

/** An ioredis client that gives up quickly, so a dead server shows as errors, not hangs. */
export function client(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 50, 500) });
  // Connection errors are expected in the outage tests; the coordinator reports them itself.
  redis.on('error', () => undefined);
  return redis;
}

/** A coordinator on its own connection to `url`, as one app instance would have. */
export function instance(url: string, options: Omit<RefreshCoordinatorOptions, 'store'> = {}) {
  const redis = client(url);
  const coordinator = new RefreshCoordinator({ pollIntervalMs: 10, ...options, store: createRedisRefreshStore(redis) });
  return { redis, coordinator };
}

export function uniqueToken(): string {
  return `rt_${crypto.randomUUID()}`;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A refresh function that counts calls and answers after `ms`. */
export function slowRefresh(outcome: RefreshOutcome, ms = 50) {
  const calls = { count: 0 };
  const refresh = async (): Promise<RefreshOutcome> => {
    calls.count++;
    await sleep(ms);
    return outcome;
  };
  return { calls, refresh };
}
