/** The Redis store on one redis-server, each app instance on a connection of its own. */
import type { Redis } from 'ioredis';
import { createRedisRefreshStore } from '../../../src/redis/index.js';
import { type RunningRedis, startRedis } from '../../support/redis.js';
import { client } from '../redis/helpers.js';
import { describeStore } from './conformance.js';

let server: RunningRedis;
const clients: Redis[] = [];

describeStore({
  name: 'Redis',
  start: async () => {
    server = await startRedis();
  },
  stop: async () => {
    for (const redis of clients.splice(0)) redis.disconnect();
    await server?.stop();
  },
  connect: async () => {
    const redis = client(server.url);
    clients.push(redis);
    return createRedisRefreshStore(redis);
  },
});
