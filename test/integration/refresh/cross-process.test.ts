/**
 * The refresh storm across app processes sharing one Redis: each process runs the request
 * handler with a Redis-backed coordinator, and one browser's requests land on all of them at
 * once with an expired access token. The refresh token must be spent once in total, and the
 * session must survive the death of the process that holds the refresh lock.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { benchForFile, EXPIRED_OFFSET_MS, me, sealedCookieFor, storm, type StormReply } from './helpers.js';
import { type AppProcess, bundleAppWorker, kill, spawnApp } from './processes.js';

const PROCESSES = 3;
const REQUESTS = 200;
const LOCK_TTL_MS = 1_500;

const bench = benchForFile({ redis: true });
let worker: Awaited<ReturnType<typeof bundleAppWorker>> | undefined;
let apps: AppProcess[] = [];

function expectAllAuthenticated(replies: StormReply[]): string {
  expect(replies.filter((r) => r.status !== 200)).toEqual([]);
  const cookies = new Set(replies.map((r) => r.newCookie));
  expect(cookies.size).toBe(1);
  const [cookie] = [...cookies];
  expect(cookie).toMatch(/^Fe26\.2\*/);
  return cookie!;
}

beforeAll(async () => {
  const bundled = bundleAppWorker();
  const { provider, redis } = bench;
  const env = {
    PROVIDER_URL: provider.baseUrl, ISSUER: provider.issuer, CLIENT_ID: provider.clientId, API_KEY: provider.apiKey,
    REDIS_URL: redis.url, OFFSET_MS: String(EXPIRED_OFFSET_MS), LOCK_TTL_MS: String(LOCK_TTL_MS),
  };
  worker = await bundled;
  apps = await Promise.all(Array.from({ length: PROCESSES }, () => spawnApp(worker!.file, env)));
});

afterAll(async () => {
  await Promise.all(apps.map((app) => kill(app.child)));
  await worker?.dispose();
});

test(`${REQUESTS} requests over ${PROCESSES} processes on one Redis: one refresh grant upstream, all authenticated`, async () => {
  const oldCookie = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
  const grantsBefore = bench.proxy.state.refreshGrants;

  const replies = await storm(apps.map((a) => a.origin), oldCookie, REQUESTS);

  expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
  const newCookie = expectAllAuthenticated(replies);
  for (const reply of replies) expect(reply.body).toMatchObject({ authenticated: true, email: 'alice@acme.test' });
  expect(await bench.reference.authenticateWithSessionCookie({ sessionData: newCookie })).toMatchObject({ authenticated: true });

  // A straggler with the old cookie, on any process, gets the outcome Redis kept for the grace window.
  for (const app of apps) expect(await me(app.origin, oldCookie)).toMatchObject({ status: 200, newCookie });
  expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
});

test('the lock holder dies mid-refresh: another process takes the lock after its TTL and the session survives', async () => {
  const oldCookie = await sealedCookieFor(bench.reference, bench.emulator.users.bob.email);
  const grantsBefore = bench.proxy.state.refreshGrants;
  const [holder, ...survivors] = apps as [AppProcess, ...AppProcess[]];

  // The holder alone starts the refresh; its grant is held at the proxy and never released, so
  // it dies with the process and the token stays unspent. Later grants pass straight through.
  bench.proxy.state.fault = 'hold';
  const doomed = me(holder.origin, oldCookie).catch((error: unknown) => error);
  await expect.poll(() => bench.proxy.state.refreshGrants - grantsBefore, { timeout: 5_000, interval: 10 }).toBe(1);
  bench.proxy.state.fault = 'none';

  // The storm reaches the other processes, which find the lock taken and wait for its outcome.
  const pending = storm(survivors.map((a) => a.origin), oldCookie, REQUESTS);
  await kill(holder.child);
  expect(await doomed).toBeInstanceOf(Error);

  const replies = await pending;

  expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(2);
  const newCookie = expectAllAuthenticated(replies);
  for (const reply of replies) expect(reply.body).toMatchObject({ authenticated: true, email: 'bob@globex.test' });
  expect(await bench.reference.authenticateWithSessionCookie({ sessionData: newCookie })).toMatchObject({ authenticated: true });
});
