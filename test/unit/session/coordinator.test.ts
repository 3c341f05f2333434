import { describe, expect, it, vi } from 'vitest';
import {
  REFRESH_ERROR,
  REFRESH_IN_PROGRESS,
  RefreshCoordinator,
  refreshTokenKey,
  type RefreshOutcome,
  type RefreshStore,
} from '../../../src/session/coordinator.js';
import { RefreshOptionsError, RefreshStoreError, RefreshStoreTimeoutError } from '../../../src/session/stores/errors.js';
import { createMemoryRefreshStore } from '../../../src/session/stores/memory.js';

const TOKEN = 'rt_01HZZZZZZZZZZZZZZZZZZZZZZZ';

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const success = (n = 1): RefreshOutcome => ({ ok: true, sealedSession: `Fe26.2**new-session-${n}~2` });

/** A refresh function that counts its calls and answers `outcome` after a macrotask. */
function counted(outcome: RefreshOutcome | (() => RefreshOutcome)) {
  const fn = vi.fn(async (): Promise<RefreshOutcome> => {
    await new Promise((r) => setTimeout(r, 5));
    return typeof outcome === 'function' ? outcome() : outcome;
  });
  return fn;
}

describe('RefreshCoordinator, in-process single flight', () => {
  it('runs refresh exactly once for 200 concurrent calls and gives all of them its outcome', async () => {
    const c = new RefreshCoordinator({ now: clock().now });
    const refresh = counted(success());
    const results = await Promise.all(Array.from({ length: 200 }, () => c.run(TOKEN, refresh)));
    expect(refresh).toHaveBeenCalledTimes(1);
    for (const r of results) expect(r).toMatchObject(success());
    expect(results.filter((r) => !r.shared)).toHaveLength(1);
  });

  it('keeps different tokens apart', async () => {
    const c = new RefreshCoordinator();
    let n = 0;
    const refresh = counted(() => success(++n));
    const [a, b] = await Promise.all([c.run('token-a', refresh), c.run('token-b', refresh)]);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(a.ok && b.ok && a.sealedSession !== b.sealedSession).toBe(true);
  });

  it('returns fresh objects: one caller mutating its result does not affect another', async () => {
    const c = new RefreshCoordinator();
    const [a, b] = await Promise.all([c.run(TOKEN, counted(success())), c.run(TOKEN, counted(success()))]);
    expect(a).not.toBe(b);
  });
});

describe('RefreshCoordinator, grace window', () => {
  it('answers a late call inside the window with the stored outcome, without refreshing', async () => {
    const t = clock();
    const c = new RefreshCoordinator({ now: t.now, graceWindowMs: 30_000 });
    const refresh = counted(success());
    expect(await c.run(TOKEN, refresh)).toEqual({ ...success(), shared: false });
    t.advance(29_999);
    expect(await c.run(TOKEN, refresh)).toEqual({ ...success(), shared: true, kept: true });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('refreshes again once the window is over', async () => {
    const t = clock();
    const c = new RefreshCoordinator({ now: t.now, graceWindowMs: 30_000 });
    const refresh = counted({ ok: false, reason: 'invalid_grant', retryable: false });
    await c.run(TOKEN, counted(success()));
    t.advance(30_000);
    expect(await c.run(TOKEN, refresh)).toEqual({ ok: false, reason: 'invalid_grant', retryable: false, shared: false });
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});

describe('RefreshCoordinator, failures', () => {
  it('shares a retryable failure with concurrent callers but lets the next call retry', async () => {
    const c = new RefreshCoordinator({ now: clock().now });
    const failing = counted({ ok: false, reason: 'server_error', retryable: true });
    const results = await Promise.all(Array.from({ length: 20 }, () => c.run(TOKEN, failing)));
    expect(failing).toHaveBeenCalledTimes(1);
    for (const r of results) expect(r).toMatchObject({ ok: false, reason: 'server_error', retryable: true });

    const next = counted(success());
    expect(await c.run(TOKEN, next)).toEqual({ ...success(), shared: false });
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('keeps a terminal failure for the grace window, then tries again', async () => {
    const t = clock();
    const c = new RefreshCoordinator({ now: t.now, graceWindowMs: 1_000 });
    const dead = counted({ ok: false, reason: 'invalid_grant', retryable: false });
    await c.run(TOKEN, dead);
    t.advance(999);
    expect(await c.run(TOKEN, dead)).toEqual({ ok: false, reason: 'invalid_grant', retryable: false, shared: true, kept: true });
    expect(dead).toHaveBeenCalledTimes(1);
    t.advance(1);
    await c.run(TOKEN, dead);
    expect(dead).toHaveBeenCalledTimes(2);
  });

  it('turns a throwing refresh into a retryable failure that is not kept', async () => {
    const c = new RefreshCoordinator();
    const throwing = vi.fn(async (): Promise<RefreshOutcome> => {
      throw new Error('boom');
    });
    const results = await Promise.all([c.run(TOKEN, throwing), c.run(TOKEN, throwing)]);
    expect(throwing).toHaveBeenCalledTimes(1);
    for (const r of results) expect(r).toMatchObject({ ok: false, reason: REFRESH_ERROR, retryable: true });
    await c.run(TOKEN, throwing);
    expect(throwing).toHaveBeenCalledTimes(2);
  });

  it('returns refresh_in_progress when waiting takes longer than waitTimeoutMs, and never throws', async () => {
    const c = new RefreshCoordinator({ waitTimeoutMs: 30, lockTtlMs: 1_000 });
    const hang = deferred<RefreshOutcome>();
    const results = await Promise.all([c.run(TOKEN, () => hang.promise), c.run(TOKEN, () => hang.promise)]);
    for (const r of results) expect(r).toMatchObject({ ok: false, reason: REFRESH_IN_PROGRESS, retryable: true });
    hang.resolve(success());
  });
});

describe('RefreshCoordinator, hashing', () => {
  it('never shows the raw refresh token to the store', async () => {
    const inner = createMemoryRefreshStore();
    const seen: unknown[] = [];
    const spy: RefreshStore = {
      claim: (...args) => (seen.push(args), inner.claim(...args)),
      settle: (...args) => (seen.push(args), inner.settle(...args)),
      renew: (...args) => (seen.push(args), inner.renew(...args)),
      endSession: (...args) => (seen.push(args), inner.endSession(...args)),
      isSessionEnded: (...args) => (seen.push(args), inner.isSessionEnded(...args)),
    };
    const c = new RefreshCoordinator({ store: spy });
    await c.run(TOKEN, counted(success()));
    await c.run(TOKEN, counted(success()));
    const everything = JSON.stringify(seen);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(TOKEN.slice(3, 20));
    const key = await refreshTokenKey(TOKEN);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((seen[0] as unknown[])[0]).toBe(key);
  });

  it('derives a stable, token-specific key', async () => {
    expect(await refreshTokenKey('a')).toBe(await refreshTokenKey('a'));
    expect(await refreshTokenKey('a')).not.toBe(await refreshTokenKey('b'));
  });
});

describe('RefreshCoordinator, several coordinators on one store', () => {
  it('refreshes once across coordinators sharing a memory store', async () => {
    const store = createMemoryRefreshStore();
    const coordinators = [0, 1, 2].map(() => new RefreshCoordinator({ store }));
    const refresh = counted(success());
    const results = await Promise.all(
      Array.from({ length: 90 }, (_, i) => coordinators[i % 3]!.run(TOKEN, refresh)),
    );
    expect(refresh).toHaveBeenCalledTimes(1);
    for (const r of results) expect(r).toMatchObject(success());
  });

  it('takes over the lock of a holder that died (renews nothing more), after lockTtlMs', async () => {
    const t = clock();
    const store = createMemoryRefreshStore({ now: t.now });
    const options = { store, lockTtlMs: 1_000, pollIntervalMs: 5, waitTimeoutMs: 5_000 };
    const gone = () => Promise.reject(new Error('process gone'));
    const dead = new RefreshCoordinator({ ...options, store: { ...store, claim: store.claim, renew: gone, settle: gone } });
    const alive = new RefreshCoordinator(options);
    const hanging = vi.fn(() => new Promise<RefreshOutcome>(() => {}));
    void dead.run(TOKEN, hanging);
    await vi.waitFor(() => expect(hanging).toHaveBeenCalled());

    const refresh = counted(success());
    const waiting = Promise.all(Array.from({ length: 10 }, () => alive.run(TOKEN, refresh)));
    await new Promise((r) => setTimeout(r, 30));
    expect(refresh).not.toHaveBeenCalled();
    t.advance(1_000);
    const results = await waiting;
    expect(refresh).toHaveBeenCalledTimes(1);
    for (const r of results) expect(r).toMatchObject(success());
  });
});

describe('RefreshCoordinator, store failures', () => {
  const refused = () => Promise.reject(new Error('ECONNREFUSED'));
  const broken: RefreshStore = { claim: refused, settle: refused, renew: refused, endSession: refused, isSessionEnded: refused };

  it('falls back to in-process single flight and still refreshes once', async () => {
    const errors: RefreshStoreError[] = [];
    const c = new RefreshCoordinator({ store: broken, onStoreError: (e) => errors.push(e) });
    const refresh = counted(success());
    const results = await Promise.all(Array.from({ length: 50 }, () => c.run(TOKEN, refresh)));
    expect(refresh).toHaveBeenCalledTimes(1);
    for (const r of results) expect(r).toMatchObject(success());
    expect(errors[0]).toBeInstanceOf(RefreshStoreError);
    expect(errors[0]!.code).toBe('ERR_REFRESH_STORE');
    // The local fallback keeps the grace window too.
    expect(await c.run(TOKEN, refresh)).toMatchObject({ ...success(), shared: true });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('treats a store that does not answer as down', async () => {
    const never = () => new Promise<never>(() => {});
    const silent: RefreshStore = { claim: never, settle: never, renew: never, endSession: never, isSessionEnded: never };
    const errors: RefreshStoreError[] = [];
    const c = new RefreshCoordinator({ store: silent, storeTimeoutMs: 20, onStoreError: (e) => errors.push(e) });
    const refresh = counted(success());
    expect(await c.run(TOKEN, refresh)).toMatchObject(success());
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(errors[0]).toBeInstanceOf(RefreshStoreTimeoutError);
    expect(errors[0]!.code).toBe('ERR_REFRESH_STORE_TIMEOUT');
  });

  it('survives an observer that throws', async () => {
    const c = new RefreshCoordinator({ store: broken, onStoreError: () => { throw new Error('observer'); } });
    expect(await c.run(TOKEN, counted(success()))).toMatchObject(success());
  });
});

describe('RefreshCoordinator, options', () => {
  it.each([
    { graceWindowMs: 0 },
    { lockTtlMs: -1 },
    { waitTimeoutMs: Number.NaN },
    { pollIntervalMs: Number.POSITIVE_INFINITY },
  ])('rejects %o with a coded error', (options) => {
    expect(() => new RefreshCoordinator(options)).toThrow(RefreshOptionsError);
    try {
      new RefreshCoordinator(options);
    } catch (error) {
      expect((error as RefreshOptionsError).code).toBe('ERR_REFRESH_OPTIONS');
    }
  });
});
