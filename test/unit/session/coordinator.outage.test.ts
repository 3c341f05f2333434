/**
 * A shared store that fails while a refresh is in flight must not turn another instance's
 * successful rotation into a sign-out. Two coordinators stand for two instances; their shared
 * store is a memory store behind a switch that makes every operation fail (reject or hang).
 */
import { describe, expect, it, vi } from 'vitest';
import { REFRESH_IN_PROGRESS, RefreshCoordinator, refreshTokenKey, type RefreshOutcome, type RefreshStore } from '../../../src/session/coordinator.js';
import { createMemoryRefreshStore } from '../../../src/session/stores/memory.js';

const TOKEN = 'rt_01HOUTAGEOUTAGEOUTAGEOUTAG';
const rotated: RefreshOutcome = { ok: true, sealedSession: 'Fe26.2**rotated~2' };
const spent: RefreshOutcome = { ok: false, reason: 'invalid_grant', retryable: false };

type Failure = 'reject' | 'hang';

/** A store shared by the instances, with an outage switch. */
function sharedStore() {
  const inner = createMemoryRefreshStore();
  const state = { down: undefined as Failure | undefined };
  const gate = <T>(operation: () => Promise<T>): Promise<T> => {
    if (state.down === 'reject') return Promise.reject(new Error('ECONNRESET'));
    if (state.down === 'hang') return new Promise<T>(() => {});
    return operation();
  };
  const store: RefreshStore = {
    claim: (key, owner, options) => gate(() => inner.claim(key, owner, options)),
    settle: (key, owner, outcome, ttlMs) => gate(() => inner.settle(key, owner, outcome, ttlMs)),
    renew: (key, owner, lockTtlMs) => gate(() => inner.renew(key, owner, lockTtlMs)),
    endSession: (key, ttlMs) => gate(() => inner.endSession(key, ttlMs)),
    isSessionEnded: (key) => gate(() => inner.isSessionEnded(key)),
  };
  return { store, state };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function instance(store: RefreshStore, options: { waitTimeoutMs?: number; graceWindowMs?: number; now?: () => number } = {}) {
  return new RefreshCoordinator({ store, pollIntervalMs: 5, storeTimeoutMs: 30, waitTimeoutMs: 2_000, debug: false, ...options });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe.each<Failure>(['reject', 'hang'])('a store outage while a refresh is in flight (the store calls %s)', (failure) => {
  it('the waiting instance keeps waiting and receives the rotation, its own refresh never runs', async () => {
    const { store, state } = sharedStore();
    const [a, b] = [instance(store), instance(store)];
    const grant = deferred<RefreshOutcome>();
    const leader = a.run(TOKEN, () => grant.promise);
    await sleep(20);
    const own = vi.fn(async () => spent);
    const waiters = Array.from({ length: 10 }, () => b.run(TOKEN, own));
    await sleep(30); // they have seen the lock
    state.down = failure;
    grant.resolve(rotated); // answered while the store is down: its settle fails
    expect(await leader).toMatchObject({ ...rotated, shared: false });
    await sleep(100);
    state.down = undefined;
    for (const result of await Promise.all(waiters)) expect(result).toMatchObject({ ...rotated, shared: true });
    expect(own).not.toHaveBeenCalled();
  });

  it('the waiting instance answers refresh_in_progress, cookie kept, when the outage outlasts its wait', async () => {
    const { store, state } = sharedStore();
    const [a, b] = [instance(store), instance(store, { waitTimeoutMs: 200 })];
    void a.run(TOKEN, () => new Promise<RefreshOutcome>(() => {}));
    await sleep(20);
    const own = vi.fn(async () => spent);
    const waiting = b.run(TOKEN, own);
    await sleep(30);
    state.down = failure;
    expect(await waiting).toMatchObject({ ok: false, reason: REFRESH_IN_PROGRESS, retryable: true });
    expect(own).not.toHaveBeenCalled();
  });

  it('an invalid_grant received while the store was down waits for the winner’s success and hands it out', async () => {
    const { store, state } = sharedStore();
    const [a, c] = [instance(store), instance(store)];
    const grant = deferred<RefreshOutcome>();
    const winner = a.run(TOKEN, () => grant.promise);
    await sleep(20);
    state.down = failure;
    // An instance that never saw the lock refreshes on its own and loses the race.
    const loser = c.run(TOKEN, async () => spent);
    await sleep(60);
    grant.resolve(rotated);
    expect(await winner).toMatchObject(rotated);
    state.down = undefined; // the store is back: the winner's success reaches it
    expect(await loser).toMatchObject({ ...rotated, shared: false });
  });
});

describe('a doubtful invalid_grant', () => {
  it('is answered refresh_in_progress when no success shows up within the wait, and is final after a grace window', async () => {
    let now = 0;
    const { store, state } = sharedStore();
    const c = instance(store, { waitTimeoutMs: 150, graceWindowMs: 10_000, now: () => now });
    state.down = 'reject';
    const refresh = vi.fn(async () => spent);
    expect(await c.run(TOKEN, refresh)).toMatchObject({ ok: false, reason: REFRESH_IN_PROGRESS, retryable: true });
    await sleep(50); // the flight behind that answer has ended
    now = 9_000;
    expect(await c.run(TOKEN, refresh)).toMatchObject({ ok: false, reason: REFRESH_IN_PROGRESS, retryable: true });
    await sleep(50);
    now = 10_000;
    expect(await c.run(TOKEN, refresh)).toMatchObject({ ok: false, reason: 'invalid_grant', retryable: false });
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('follows a terminal outcome the store holds for the token', async () => {
    const { store, state } = sharedStore();
    const c = instance(store);
    state.down = 'reject';
    const loser = c.run(TOKEN, async () => {
      state.down = undefined;
      return spent;
    });
    // Another instance settles the token as dead while this one holds its answer in doubt.
    await sleep(5);
    await store.settle(await refreshTokenKey(TOKEN), 'other', spent, 1_000);
    expect(await loser).toMatchObject({ ok: false, reason: 'invalid_grant', retryable: false });
  });

  it('is not doubted when the store answered throughout: the sign-out is immediate', async () => {
    const { store } = sharedStore();
    const c = instance(store);
    expect(await c.run(TOKEN, async () => spent)).toMatchObject({ ok: false, reason: 'invalid_grant', retryable: false });
  });

  it('is not doubted by a coordinator without a shared store', async () => {
    const c = new RefreshCoordinator();
    expect(await c.run(TOKEN, async () => spent)).toMatchObject({ ok: false, reason: 'invalid_grant', retryable: false });
  });
});
