/** The Redis store on a Redis Cluster (three masters, three replicas), each app instance with its own ioredis `Cluster`. */
import { Cluster } from 'ioredis';
import { createRedisRefreshStore } from '../../../src/redis/index.js';
import { type RunningCluster, startRedisCluster } from '../../support/redis-cluster.js';
import { describeStore } from './conformance.js';

let cluster: RunningCluster;
const clients: Cluster[] = [];

describeStore({
  name: 'Redis Cluster',
  start: async () => {
    cluster = await startRedisCluster();
  },
  stop: async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await cluster?.stop();
  },
  connect: async () => {
    const client = new Cluster(cluster.startupNodes, { redisOptions: { maxRetriesPerRequest: 1 } });
    client.on('error', () => undefined);
    clients.push(client);
    return createRedisRefreshStore(client);
  },
});
