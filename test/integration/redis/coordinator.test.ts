import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_IN_PROGRESS, type RefreshOutcome } from '../../../src/session/coordinator.js';
import type { RefreshStoreError } from '../../../src/session/stores/errors.js';
import { type RunningRedis, freePort, startRedis } from '../../support/redis.js';
import { instance, sleep, slowRefresh, uniqueToken } from './helpers.js';

const ok: RefreshOutcome = { ok: true, sealedSession: 'Fe26.2**rotated~2' };

let server: RunningRedis;
const cleanup: (() => unknown)[] = [];

function track<T extends { redis: { disconnect(): void } }>(i: T): T {
  cleanup.push(() => i.redis.disconnect());
  return i;
}

beforeAll(async () => {
  server = await startRedis();
});
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});
afterAll(async () => {
  await server?.stop();
});

describe('RefreshCoordinator on Redis, several instances', () => {
  it('runs refresh exactly once for 100 concurrent calls split between two instances', async () => {
    const a = track(instance(server.url));
    const b = track(instance(server.url));
    const token = uniqueToken();
    const { calls, refresh } = slowRefresh(ok, 80);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).coordinator.run(token, refresh)),
    );
    expect(calls.count).toBe(1);
    for (const r of results) expect(r).toMatchObject(ok);
    expect(results.filter((r) => !r.shared)).toHaveLength(1);
  });

  it('keeps the outcome for the grace window, then refreshes again', async () => {
    const a = track(instance(server.url, { graceWindowMs: 300 }));
    const late = track(instance(server.url, { graceWindowMs: 300 }));
    const token = uniqueToken();
    await a.coordinator.run(token, slowRefresh(ok, 10).refresh);

    const again = slowRefresh({ ok: false, reason: 'invalid_grant', retryable: false }, 10);
    expect(await late.coordinator.run(token, again.refresh)).toEqual({ ...ok, shared: true, kept: true });
    expect(again.calls.count).toBe(0);
    await sleep(350);
    expect(await late.coordinator.run(token, again.refresh)).toMatchObject({ ok: false, reason: 'invalid_grant' });
    expect(again.calls.count).toBe(1);
  });

  it('shares a retryable failure with the waiters of other instances, then lets the next call retry', async () => {
    const a = track(instance(server.url));
    const b = track(instance(server.url));
    const token = uniqueToken();
    const failing = slowRefresh({ ok: false, reason: 'rate_limited', retryable: true }, 100);
    const leader = a.coordinator.run(token, failing.refresh);
    await sleep(30);
    const waiters = await Promise.all(Array.from({ length: 10 }, () => b.coordinator.run(token, failing.refresh)));
    expect(await leader).toMatchObject({ ok: false, reason: 'rate_limited', shared: false });
    for (const r of waiters) expect(r).toMatchObject({ ok: false, reason: 'rate_limited', retryable: true, shared: true });
    expect(failing.calls.count).toBe(1);

    const next = slowRefresh(ok, 10);
    expect(await b.coordinator.run(token, next.refresh)).toEqual({ ...ok, shared: false });
    expect(next.calls.count).toBe(1);
  });

  it('takes over after lockTtlMs when the lock holder dies, and serves everyone waiting', async () => {
    const lockTtlMs = 400;
    const dead = track(instance(server.url, { lockTtlMs }));
    const alive = track(instance(server.url, { lockTtlMs, waitTimeoutMs: 5_000 }));
    const token = uniqueToken();
    let hung = 0;
    void dead.coordinator.run(token, () => {
      hung++;
      return new Promise<RefreshOutcome>(() => {});
    });
    await sleep(50);
    expect(hung).toBe(1);
    dead.redis.disconnect(); // the holder's process is gone: nobody will release its lock

    const { calls, refresh } = slowRefresh(ok, 50);
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 20 }, () => alive.coordinator.run(token, refresh)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(lockTtlMs - 100);
    expect(calls.count).toBe(1);
    for (const r of results) expect(r).toMatchObject(ok);
  });

  it('answers refresh_in_progress, without throwing, when the wait exceeds waitTimeoutMs', async () => {
    const a = track(instance(server.url, { lockTtlMs: 5_000 }));
    const b = track(instance(server.url, { lockTtlMs: 5_000, waitTimeoutMs: 150 }));
    const token = uniqueToken();
    void a.coordinator.run(token, () => new Promise<RefreshOutcome>(() => {}));
    await sleep(30);
    const refresh = slowRefresh(ok);
    expect(await b.coordinator.run(token, refresh.refresh)).toMatchObject({
      ok: false,
      reason: REFRESH_IN_PROGRESS,
      retryable: true,
    });
    expect(refresh.calls.count).toBe(0);
  });
});

describe('RefreshCoordinator on Redis, Redis unavailable', () => {
  it('falls back to in-process single flight: one refresh per instance, nobody logged out', async () => {
    const own = await startRedis();
    cleanup.push(() => own.stop());
    const errors: RefreshStoreError[] = [];
    const options = { onStoreError: (e: RefreshStoreError) => errors.push(e), storeTimeoutMs: 300 };
    const a = track(instance(own.url, options));
    const b = track(instance(own.url, options));
    await Promise.all([a.redis.ping(), b.redis.ping()]);
    await own.kill();

    const token = uniqueToken();
    const { calls, refresh } = slowRefresh(ok, 30);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).coordinator.run(token, refresh)),
    );
    expect(calls.count).toBe(2);
    for (const r of results) expect(r).toMatchObject(ok);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.every((e) => e.code.startsWith('ERR_REFRESH_STORE'))).toBe(true);
  });

  it('does not hang when Redis was never reachable', async () => {
    const port = await freePort();
    const a = track(instance(`redis://127.0.0.1:${port}`, { storeTimeoutMs: 200 }));
    const { calls, refresh } = slowRefresh(ok, 10);
    const token = uniqueToken();
    const results = await Promise.all(Array.from({ length: 10 }, () => a.coordinator.run(token, refresh)));
    expect(calls.count).toBe(1);
    for (const r of results) expect(r).toMatchObject(ok);
  });
});
