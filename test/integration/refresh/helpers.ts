/**
 * Helpers shared by the refresh storm tests: the emulator behind a counting proxy, app instances
 * on it (alone or sharing a refresh store), a user signed in and the cookie an app would set,
 * many requests carrying one cookie, and what came back.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { SessionManager } from '../../../src/index.js';
import { createRedisRefreshStore } from '../../../src/redis/index.js';
import { createMemoryRefreshStore, type RefreshStore } from '../../../src/refresh/index.js';
import { startProxy } from '../../support/proxy.js';
import { type RunningRedis, startRedis } from '../../support/redis.js';
import { signedIn } from '../../support/signin.js';
import { PASSWORD, startHonoApp } from '../../support/web-app.js';

/** An access token is expired (and the refresh buffer passed) when the app's clock is this far ahead. */
export const EXPIRED_OFFSET_MS = 3600_000 + 60_000;

export interface Provider {
  /** What the app talks to (the counting proxy). */
  baseUrl: string;
  /** The emulator's own URL: the `iss` of its tokens. */
  issuer: string;
  clientId: string;
  apiKey: string;
}

/** A manager with the test apps' password (on the real clock unless `now` is given): it can open and check their cookies. */
export function referenceManager(provider: Provider, now?: () => number): SessionManager {
  return new SessionManager({ ...provider, cookiePassword: PASSWORD, now });
}

/**
 * What a test file runs against: the emulator behind a counting fault proxy (and a redis-server
 * when asked for), started before the file's tests and closed after them with all the tests
 * registered. After each test the apps' clock is the real one again and the proxy passes all.
 */
export interface Bench {
  emulator: Awaited<ReturnType<typeof startEmulator>>;
  proxy: Awaited<ReturnType<typeof startProxy>>;
  /** What an app is configured with: the proxy, and the emulator as the issuer. */
  provider: Provider;
  /** A manager on the real clock that opens the test apps' cookies. */
  reference: SessionManager;
  /** How far ahead of the real clock {@link Bench.now} runs. */
  offsetMs: number;
  /** The apps' clock. */
  now(): number;
  /** Runs `close` after the file's tests, before the servers stop; the last registered first. */
  onClose(close: () => unknown): void;
}

export interface RedisBench extends Bench {
  redis: RunningRedis;
}

export function benchForFile(): Bench;
export function benchForFile(options: { redis: true }): RedisBench;
export function benchForFile(options: { redis?: boolean } = {}): Bench {
  const closers: (() => unknown)[] = [];
  const bench = { offsetMs: 0, now: () => Date.now() + bench.offsetMs, onClose: (close) => void closers.push(close) } as RedisBench;
  beforeAll(async () => {
    const [emulator, redis] = await Promise.all([startEmulator(), options.redis ? startRedis() : undefined]);
    closers.push(() => emulator.close());
    if (redis) closers.push(() => redis.stop());
    const proxy = await startProxy(emulator.url);
    closers.push(() => proxy.close());
    const provider: Provider = { baseUrl: proxy.url, issuer: emulator.url, clientId: emulator.clientId, apiKey: emulator.apiKey };
    Object.assign(bench, { emulator, proxy, provider, reference: referenceManager(provider), ...(redis && { redis }) });
  });
  afterEach(() => {
    bench.offsetMs = 0;
    bench.proxy.state.fault = 'none';
  });
  afterAll(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return bench;
}

/** A Hono app instance on the bench's provider (on the bench's clock unless `now` is given), closed with the bench. */
export async function startApp(bench: Bench, options: Parameters<typeof startHonoApp>[1] = {}) {
  const app = await startHonoApp(bench.provider, { now: bench.now, ...options });
  bench.onClose(app.close);
  return app;
}

/** A client of the bench's redis-server, disconnected with the bench. */
export function redisClient(bench: RedisBench): Redis {
  const client = new Redis(bench.redis.url, { maxRetriesPerRequest: 1 });
  bench.onClose(() => client.disconnect());
  return client;
}

/**
 * A refresh store for app instances to share: one memory store (on the clock `now`, if given),
 * or a key prefix of its own on the bench's redis-server.
 */
export function sharedStore(bench: RedisBench, kind: 'memory' | 'redis', now?: () => number): RefreshStore {
  if (kind === 'memory') return createMemoryRefreshStore({ now });
  return createRedisRefreshStore(redisClient(bench), { keyPrefix: `${crypto.randomUUID()}:` });
}

/** Signs `email` in at the emulator and returns the sealed cookie a callback would have set. */
export async function sealedCookieFor(manager: SessionManager, email: string): Promise<string> {
  return (await signedIn(manager, email)).cookie;
}

/** What one request of a storm got back. */
export interface StormReply {
  status: number;
  body: {
    authenticated?: boolean; reason?: string; refreshed?: boolean; email?: string;
    retryable?: boolean; detail?: string; retryAfter?: number; cookieError?: string;
  };
  /** Every `Set-Cookie` of the response. */
  setCookies: string[];
  /** The `wos-session` value the response sets, if any. */
  newCookie: string | undefined;
}

/** The value of the `name` cookie a response sets, or `undefined`. */
export function setCookieValue(response: Response, name = 'wos-session'): string | undefined {
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) === name) return pair.slice(eq + 1);
  }
  return undefined;
}

/** `GET /api/me` on `origin` with the session cookie `cookie`. */
export async function me(origin: string, cookie: string): Promise<StormReply> {
  const response = await fetch(new URL('/api/me', origin), { headers: { cookie: `wos-session=${cookie}` } });
  return { status: response.status, body: (await response.json()) as StormReply['body'], newCookie: setCookieValue(response), setCookies: response.headers.getSetCookie() };
}

/** `count` concurrent requests carrying `cookie`, spread round-robin over `origins`. */
export function storm(origins: readonly string[], cookie: string, count: number): Promise<StormReply[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => me(origins[i % origins.length]!, cookie)));
}
