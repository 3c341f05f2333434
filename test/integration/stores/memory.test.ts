/** The in-memory store: the app instances of the storm are coordinators in one process sharing it. */
import { createMemoryRefreshStore } from '../../../src/refresh/index.js';
import { describeStore } from './conformance.js';

const store = createMemoryRefreshStore();

describeStore({
  name: 'memory',
  start: async () => undefined,
  stop: async () => undefined,
  connect: async () => store,
});
