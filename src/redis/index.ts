/**
 * `sealed-session/redis`: refresh coordination across instances through Redis. Node only.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisRefreshStore } from 'sealed-session/redis';
 *
 * const store = createRedisRefreshStore(new Redis(process.env.REDIS_URL!), { keyPrefix: 'myapp:refresh:' });
 * ```
 * @packageDocumentation
 */
export {
  createRedisRefreshStore,
  DEFAULT_KEY_PREFIX,
  redisRefreshKey,
  redisSessionKey,
  type RedisRefreshStoreOptions,
  type RedisScriptClient,
} from './store.js';
