/**
 * The refresh lock lives as long as its refresh: a holder renews it while the grant is in
 * flight, however slow, so no other coordinator spends the same token; a holder that stops
 * renewing (a dead process) loses it after `lockTtlMs`.
 */
import { describe, expect, it, vi } from 'vitest';
import { RefreshCoordinator, type RefreshOutcome, type RefreshStore } from '../../../src/session/coordinator.js';
import { RefreshLockLostError, type RefreshStoreError } from '../../../src/session/stores/errors.js';
import { createMemoryRefreshStore } from '../../../src/session/stores/memory.js';

const TOKEN = 'rt_01HSLOWSLOWSLOWSLOWSLOW';
const success: RefreshOutcome = { ok: true, sealedSession: 'Fe26.2**slow~2' };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function slow(ms: number) {
  return vi.fn(async (): Promise<RefreshOutcome> => {
    await sleep(ms);
    return success;
  });
}

describe('RefreshCoordinator, lock renewal', () => {
  it.each([3, 5])('a refresh %i× longer than lockTtlMs keeps its lock: one grant across three coordinators', async (times) => {
    const lockTtlMs = 300;
    const store = createMemoryRefreshStore();
    const coordinators = [0, 1, 2].map(() => new RefreshCoordinator({ store, lockTtlMs, pollIntervalMs: 5, waitTimeoutMs: 10_000 }));
    const refresh = slow(lockTtlMs * times);
    const leader = coordinators[0]!.run(TOKEN, refresh);
    const late: Promise<unknown>[] = [];
    for (let i = 0; i < times; i++) {
      await sleep(lockTtlMs);
      late.push(coordinators[i % 3]!.run(TOKEN, refresh), coordinators[(i + 1) % 3]!.run(TOKEN, refresh));
    }
    expect(await leader).toMatchObject({ ok: true, shared: false });
    for (const r of await Promise.all(late)) expect(r).toMatchObject({ ok: true, shared: true });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('stops renewing once the refresh has settled', async () => {
    const inner = createMemoryRefreshStore();
    let renewals = 0;
    const store: RefreshStore = { ...inner, claim: inner.claim, settle: inner.settle, renew: (...args) => (renewals++, inner.renew(...args)) };
    const c = new RefreshCoordinator({ store, lockTtlMs: 30 });
    await c.run(TOKEN, slow(100));
    const after = renewals;
    expect(after).toBeGreaterThan(0);
    await sleep(100);
    expect(renewals).toBe(after);
  });

  it('reports a lock lost under a running refresh with a coded error', async () => {
    const inner = createMemoryRefreshStore();
    const store: RefreshStore = { ...inner, claim: inner.claim, settle: inner.settle, renew: async () => false };
    const errors: RefreshStoreError[] = [];
    const c = new RefreshCoordinator({ store, lockTtlMs: 30, onStoreError: (e) => errors.push(e) });
    expect(await c.run(TOKEN, slow(80))).toMatchObject({ ok: true });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RefreshLockLostError);
    expect(errors[0]!.code).toBe('ERR_REFRESH_LOCK_LOST');
  });
});
