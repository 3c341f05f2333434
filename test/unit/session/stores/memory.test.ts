import { describe, expect, it, vi } from 'vitest';
import { RefreshCoordinator, type RefreshOutcome } from '../../../../src/session/coordinator.js';
import { RefreshOptionsError } from '../../../../src/session/stores/errors.js';
import { createMemoryRefreshStore } from '../../../../src/session/stores/memory.js';

const ok: RefreshOutcome = { ok: true, sealedSession: 'sealed-new' };
const dead: RefreshOutcome = { ok: false, reason: 'invalid_grant', retryable: false };
const busy: RefreshOutcome = { ok: false, reason: 'rate_limited', retryable: true };
const claim = { lockTtlMs: 1_000, acceptRetryable: false };

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('createMemoryRefreshStore', () => {
  it('locks, reports the lock to others, and hands out the settled outcome', async () => {
    const s = createMemoryRefreshStore();
    expect(await s.claim('k', 'a', claim)).toEqual({ status: 'acquired' });
    expect(await s.claim('k', 'b', claim)).toEqual({ status: 'locked' });
    await s.settle('k', 'a', ok, 1_000);
    expect(await s.claim('k', 'b', claim)).toEqual({ status: 'outcome', outcome: ok });
  });

  it('expires locks and outcomes with the clock', async () => {
    const t = clock();
    const s = createMemoryRefreshStore({ now: t.now });
    await s.claim('k', 'a', claim);
    t.advance(1_000);
    expect(await s.claim('k', 'b', claim)).toEqual({ status: 'acquired' });
    await s.settle('k', 'b', ok, 500);
    t.advance(500);
    expect(s.size).toBe(1);
    expect(await s.claim('k', 'c', claim)).toEqual({ status: 'acquired' });
  });

  it('releases only its own lock (compare-and-delete)', async () => {
    const t = clock();
    const s = createMemoryRefreshStore({ now: t.now });
    await s.claim('k', 'a', claim);
    t.advance(1_000);
    await s.claim('k', 'b', claim);
    await s.settle('k', 'a', busy, 1_000); // the expired holder finishes late
    expect(await s.claim('k', 'c', { ...claim, acceptRetryable: true })).toEqual({ status: 'locked' });
  });

  it('never lets a failure mask a success, but lets a success replace a failure', async () => {
    const s = createMemoryRefreshStore();
    await s.settle('k', 'a', ok, 1_000);
    await s.settle('k', 'b', dead, 1_000);
    expect(await s.claim('k', 'c', claim)).toEqual({ status: 'outcome', outcome: ok });
    await s.settle('j', 'a', dead, 1_000);
    await s.settle('j', 'b', ok, 1_000);
    expect(await s.claim('j', 'c', claim)).toEqual({ status: 'outcome', outcome: ok });
  });

  it('shows a retry marker only to waiters, and drops it when a new attempt starts', async () => {
    const s = createMemoryRefreshStore();
    await s.claim('k', 'a', claim);
    await s.settle('k', 'a', busy, 1_000);
    expect(await s.claim('k', 'w', { ...claim, acceptRetryable: true })).toEqual({ status: 'outcome', outcome: busy });
    expect(await s.claim('k', 'b', claim)).toEqual({ status: 'acquired' });
    expect(await s.claim('k', 'w', { ...claim, acceptRetryable: true })).toEqual({ status: 'locked' });
  });

  it('shows a back-off to every claim, fresh or waiting, with the seconds left, until it expires', async () => {
    const t = clock();
    const s = createMemoryRefreshStore({ now: t.now });
    const slowDown: RefreshOutcome = { ok: false, reason: 'rate_limit_exceeded', retryable: true, retryAfter: 3 };
    await s.claim('k', 'a', claim);
    await s.settle('k', 'a', slowDown, 3_000);
    for (const acceptRetryable of [false, true]) {
      expect(await s.claim('k', 'n', { ...claim, acceptRetryable })).toEqual({ status: 'outcome', outcome: slowDown });
    }
    t.advance(1_800);
    expect(await s.claim('k', 'n', claim)).toEqual({ status: 'outcome', outcome: { ...slowDown, retryAfter: 2 } });
    t.advance(1_200);
    expect(await s.claim('k', 'n', claim)).toEqual({ status: 'acquired' });
  });

  it('renews a lock only for its owner, and not once it has expired', async () => {
    const t = clock();
    const s = createMemoryRefreshStore({ now: t.now });
    await s.claim('k', 'a', claim);
    t.advance(900);
    expect(await s.renew('k', 'a', 1_000)).toBe(true);
    expect(await s.renew('k', 'b', 1_000)).toBe(false);
    t.advance(900);
    expect(await s.claim('k', 'b', claim)).toEqual({ status: 'locked' });
    t.advance(100);
    expect(await s.renew('k', 'a', 1_000)).toBe(false);
    expect(await s.claim('k', 'b', claim)).toEqual({ status: 'acquired' });
  });

  it('keeps sign-out markers for their TTL, bounded by maxEntries', async () => {
    const t = clock();
    const s = createMemoryRefreshStore({ now: t.now, maxEntries: 10 });
    await s.endSession('s', 1_000);
    expect(await s.isSessionEnded('s')).toBe(true);
    expect(await s.isSessionEnded('k')).toBe(false);
    t.advance(1_000);
    expect(await s.isSessionEnded('s')).toBe(false);
    for (let i = 0; i < 1_000; i++) await s.endSession(`s${i}`, 60_000);
    expect(await s.isSessionEnded('s999')).toBe(true);
    expect(await s.isSessionEnded('s989')).toBe(false);
    expect(s.size).toBe(0);
  });

  it('is bounded: evicts the least recently used keys beyond maxEntries', async () => {
    const s = createMemoryRefreshStore({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) await s.settle(k, 'o', ok, 60_000);
    await s.claim('a', 'x', claim); // touch: 'b' is now the oldest
    for (const k of ['d', 'e']) await s.settle(k, 'o', ok, 60_000);
    expect(s.size).toBe(3);
    expect((await s.claim('a', 'x', claim)).status).toBe('outcome');
    expect((await s.claim('b', 'x', claim)).status).toBe('acquired');
  });

  it('stays bounded under many distinct tokens', async () => {
    const store = createMemoryRefreshStore({ maxEntries: 100 });
    const c = new RefreshCoordinator({ store });
    for (let i = 0; i < 500; i++) await c.run(`token-${i}`, async () => ok);
    expect(store.size).toBe(100);
  });

  it('wakes waiters when a key is settled', async () => {
    const s = createMemoryRefreshStore();
    const woke = vi.fn();
    const waiting = s.waitForChange('k', 10_000).then(woke);
    await s.settle('k', 'a', ok, 1_000);
    await waiting;
    expect(woke).toHaveBeenCalledOnce();
  });

  it('rejects a bad maxEntries with a coded error', () => {
    expect(() => createMemoryRefreshStore({ maxEntries: 0 })).toThrow(RefreshOptionsError);
  });
});
