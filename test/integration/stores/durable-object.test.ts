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

describe('the Durable Object refuses what its store would never send', () => {
  let apps: StoreApps;
  beforeAll(async () => {
    apps = await startApps('hostile', 1, {});
  });
  afterAll(async () => {
    await apps?.close();
  });

  const send = (name: string, path: string, init: RequestInit = {}) =>
    fetch(`${apps.origins[0]}/__object/${path}?name=${encodeURIComponent(name)}`, { method: 'POST', ...init });
  const outcome = { ok: true, sealedSession: 'Fe26.2**sealed~1' };
  const claim = { owner: 'o', lockTtlMs: 5_000, acceptRetryable: false };

  const VARIANTS: [string, string, RequestInit, number][] = [
    ['an unknown operation', 'drop', { body: '{}' }, 404],
    ['an operation with a trailing slash', 'claim/', { body: JSON.stringify(claim) }, 404],
    ['an operation by a prototype name', '__proto__', { body: '{}' }, 404],
    ['a GET', 'claim', { method: 'GET' }, 405],
    ['a PUT', 'settle', { method: 'PUT', body: '{}' }, 405],
    ['no body', 'claim', {}, 400],
    ['a body that is not JSON', 'claim', { body: '{"owner":' }, 400],
    ['JSON null', 'claim', { body: 'null' }, 400],
    ['a JSON array', 'claim', { body: JSON.stringify([claim]) }, 400],
    ['a JSON string', 'claim', { body: '"claim"' }, 400],
    ['an empty owner', 'claim', { body: JSON.stringify({ ...claim, owner: '' }) }, 400],
    ['a numeric owner', 'claim', { body: JSON.stringify({ ...claim, owner: 7 }) }, 400],
    ['a negative lock ttl', 'claim', { body: JSON.stringify({ ...claim, lockTtlMs: -1 }) }, 400],
    ['a lock ttl in a string', 'claim', { body: JSON.stringify({ ...claim, lockTtlMs: '5000' }) }, 400],
    ['a lock ttl of 1e999', 'claim', { body: `{"owner":"o","lockTtlMs":1e999,"acceptRetryable":false}` }, 400],
    ['acceptRetryable as a string', 'claim', { body: JSON.stringify({ ...claim, acceptRetryable: 'true' }) }, 400],
    ['a settle without outcome', 'settle', { body: JSON.stringify({ owner: 'o', ttlMs: 5_000 }) }, 400],
    ['an outcome with ok "true"', 'settle', { body: JSON.stringify({ owner: 'o', outcome: { ...outcome, ok: 'true' }, ttlMs: 5_000 }) }, 400],
    ['a success without a cookie', 'settle', { body: JSON.stringify({ owner: 'o', outcome: { ok: true }, ttlMs: 5_000 }) }, 400],
    ['a failure with a negative retryAfter', 'settle', { body: JSON.stringify({ owner: 'o', outcome: { ok: false, reason: 'x', retryable: true, retryAfter: -3 }, ttlMs: 5_000 }) }, 400],
    ['a renew without owner', 'renew', { body: JSON.stringify({ lockTtlMs: 5_000 }) }, 400],
    ['a sign-out without ttl', 'end-session', { body: '{}' }, 400],
    ['a body past 64 KiB', 'settle', { body: JSON.stringify({ owner: 'o', outcome: { ...outcome, sealedSession: 'x'.repeat(70_000) }, ttlMs: 5_000 }) }, 400],
  ];

  it(`answers ${VARIANTS.length} malformed requests with a 4xx and keeps the key's lock and outcome`, async () => {
    const held = `held-${crypto.randomUUID()}`;
    const settledKey = `settled-${crypto.randomUUID()}`;
    expect(await (await send(held, 'claim', { body: JSON.stringify(claim) })).json()).toEqual({ status: 'acquired' });
    await (await send(settledKey, 'settle', { body: JSON.stringify({ owner: 'o', outcome, ttlMs: 60_000 }) })).body?.cancel();

    for (const name of [held, settledKey]) {
      for (const [label, path, init, status] of VARIANTS) {
        const response = await send(name, path, init);
        expect({ label, status: response.status }).toEqual({ label, status });
        expect(await response.json()).toMatchObject({ error: expect.any(String) });
      }
    }

    const again = { ...claim, owner: 'p' };
    expect(await (await send(held, 'claim', { body: JSON.stringify(again) })).json()).toEqual({ status: 'locked' });
    expect(await (await send(settledKey, 'claim', { body: JSON.stringify(again) })).json()).toEqual({ status: 'outcome', outcome });
  });
});
