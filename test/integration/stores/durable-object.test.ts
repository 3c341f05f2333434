/**
 * The Durable Object store in workerd: the Worker bundled from the sources, a Durable Object
 * namespace bound (objects in memory), and each app instance a Worker service of its own, so
 * each runs in an isolate of its own and they share only the namespace. The storm's apps run
 * there too, the emulator behind them; the rule tests reach the store through the apps.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefreshStore } from '../../../src/refresh/index.js';
import { bundle, WORKER_CONDITIONS } from '../../runtimes/build.js';
import { freePort, serveConfig } from '../../runtimes/workerd.js';
import { PASSWORD } from '../../support/web-app.js';
import { EXPIRED_OFFSET_MS, type Provider } from '../refresh/helpers.js';
import { describeStore, type StoreApps } from './conformance.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const WORKERD = join(root, 'node_modules', '@cloudflare', 'workerd-linux-64', 'bin', 'workerd');
const text = (value: string) => JSON.stringify(value);

let dir: string;
let script: string;
let store: StoreApps | undefined;
let connections = 0;

/** workerd serving `count` app services, each with `bindings` and the namespace of the `store` service. */
async function startApps(name: string, count: number, bindings: Record<string, string>): Promise<StoreApps> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const envLines = [
    '(name = "REFRESH_STORE", durableObjectNamespace = (className = "RefreshStoreObject", serviceName = "store"))',
    ...Object.entries(bindings).map(([key, value]) => `(name = ${text(key)}, text = ${text(value)})`),
  ];
  const app = `(modules = [(name = "worker", esModule = embed ${text(script)})], compatibilityDate = "2025-09-01", bindings = [${envLines.join(', ')}], globalOutbound = "loopback")`;
  const config = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "store", worker = .store),
    ${ports.map((_, i) => `(name = "app${i}", worker = ${app}),`).join('\n    ')}
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [${ports.map((port, i) => `(name = "app${i}", address = "127.0.0.1:${port}", http = (), service = "app${i}")`).join(', ')}],
);

const store :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed ${text(script)})],
  compatibilityDate = "2025-09-01",
  durableObjectNamespaces = [(className = "RefreshStoreObject", uniqueKey = "sealed-session-refresh-test")],
  durableObjectStorage = (inMemory = void),
  globalOutbound = "loopback",
);
`;
  const origins = ports.map((port) => `http://127.0.0.1:${port}`);
  const server = await serveConfig({ binary: WORKERD, dir, name, config, readyUrl: `${origins[0]}/__ready` });
  return { origins, close: server.close };
}

/** The store as the app in workerd at `origin` holds it, called over HTTP. */
function storeAt(origin: string): RefreshStore {
  const call = async <T>(method: string, args: unknown[]): Promise<T> => {
    const response = await fetch(`${origin}/__store/${method}`, { method: 'POST', body: JSON.stringify(args) });
    const body = (await response.json()) as { value: T; error?: string };
    if (!response.ok) throw new Error(`${method}: ${body.error}`);
    return body.value;
  };
  return {
    claim: (...args) => call('claim', args),
    settle: (...args) => call('settle', args),
    renew: (...args) => call('renew', args),
    endSession: (...args) => call('endSession', args),
    isSessionEnded: (...args) => call('isSessionEnded', args),
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealed-session-do-'));
  script = 'worker.js';
  await bundle(join(root, 'src'), join(root, 'test', 'integration', 'stores', 'durable-object-worker.ts'), join(dir, script), WORKER_CONDITIONS);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describeStore({
  name: 'Durable Objects (workerd)',
  start: async () => {
    store = await startApps('rules', 2, {});
  },
  stop: async () => {
    await store?.close();
  },
  connect: async () => {
    if (!store) throw new Error('workerd is not running');
    return storeAt(store.origins[connections++ % store.origins.length]!);
  },
  apps: (provider: Provider, count: number) =>
    startApps('storm', count, {
      WORKOS_CLIENT_ID: provider.clientId,
      WORKOS_API_KEY: provider.apiKey,
      WORKOS_BASE_URL: provider.baseUrl,
      WORKOS_ISSUER: provider.issuer,
      COOKIE_PASSWORD: PASSWORD,
      CLOCK_OFFSET_MS: String(EXPIRED_OFFSET_MS),
    }),
});
