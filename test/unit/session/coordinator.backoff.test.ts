/**
 * A provider's `Retry-After` is remembered per refresh token, by every coordinator sharing the
 * store: no grant for that token leaves before it has passed, and nobody is told to wait longer
 * than the provider said (nor longer than `maxBackoffMs`).
 */
import { describe, expect, it, vi } from 'vitest';
import { RefreshCoordinator, type RefreshOutcome } from '../../../src/session/coordinator.js';
import { createMemoryRefreshStore } from '../../../src/session/stores/memory.js';

const TOKEN = 'rt_01HBACKOFFBACKOFFBACKOFF';
const success: RefreshOutcome = { ok: true, sealedSession: 'Fe26.2**new~2' };

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function counted(outcome: RefreshOutcome) {
  return vi.fn(async (): Promise<RefreshOutcome> => outcome);
}

function rateLimited(retryAfter?: unknown): RefreshOutcome {
  return { ok: false, reason: 'rate_limit_exceeded', retryable: true, retryAfter } as RefreshOutcome;
}

/** Two coordinators sharing one memory store on one fake clock: two instances. */
function pair(options: { maxBackoffMs?: number } = {}) {
  const t = clock();
  const store = createMemoryRefreshStore({ now: t.now });
  const make = () => new RefreshCoordinator({ store, now: t.now, pollIntervalMs: 1, ...options });
  return { t, store, a: make(), b: make() };
}

describe('RefreshCoordinator, Retry-After', () => {
  it('sends no grant for the token until Retry-After has passed, on any instance, and counts the seconds down', async () => {
    const { t, a, b } = pair();
    expect(await a.run(TOKEN, counted(rateLimited(3)))).toMatchObject({ ok: false, retryAfter: 3, shared: false });

    const later = counted(success);
    const seen: number[] = [];
    for (const [step, expected] of [[0, 3], [1_000, 2], [1_000, 1], [999, 1]] as const) {
      t.advance(step);
      for (const c of [a, b, a, b]) {
        const outcome = await c.run(TOKEN, later);
        expect(outcome).toMatchObject({ ok: false, reason: 'rate_limit_exceeded', retryable: true, shared: true, retryAfter: expected });
        seen.push(expected);
      }
    }
    expect(later).not.toHaveBeenCalled();
    t.advance(1);
    expect(await b.run(TOKEN, later)).toEqual({ ...success, shared: false });
    expect(later).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(16);
  });

  it('keeps 200 concurrent and 200 later calls on two instances to the one grant that was refused', async () => {
    const { t, a, b } = pair();
    const refresh = counted(rateLimited(5));
    const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).run(TOKEN, refresh)));
    for (let i = 0; i < 200; i++) {
      t.advance(20);
      burst.push(await (i % 2 ? a : b).run(TOKEN, refresh));
    }
    expect(refresh).toHaveBeenCalledTimes(1);
    for (const r of burst) expect(r).toMatchObject({ ok: false, reason: 'rate_limit_exceeded', retryable: true });
    for (const r of burst) expect(r.ok === false && r.retryAfter! >= 1 && r.retryAfter! <= 5).toBe(true);
  });

  it.each([
    { said: 0, blockedMs: 0 },
    { said: undefined, blockedMs: 0 },
    { said: Number.NaN, blockedMs: 0 },
    { said: -5, blockedMs: 0 },
    { said: '30', blockedMs: 0 },
    { said: null, blockedMs: 0 },
    { said: 0.4, blockedMs: 400 },
    { said: 2, blockedMs: 2_000 },
    { said: 90, blockedMs: 60_000 },
    { said: 1e308, blockedMs: 60_000 },
    { said: Number.POSITIVE_INFINITY, blockedMs: 60_000 },
  ])('Retry-After $said blocks the token for $blockedMs ms, never more', async ({ said, blockedMs }) => {
    const { t, a, b } = pair();
    const first = await a.run(TOKEN, counted(rateLimited(said)));
    expect(first).toMatchObject({ ok: false, retryable: true });
    if (first.ok) return;
    if (blockedMs === 0) expect(first.retryAfter ?? 0).toBe(0);
    else expect(first.retryAfter).toBe(blockedMs / 1000);

    const next = counted(success);
    if (blockedMs > 0) {
      t.advance(blockedMs - 1);
      const blocked = await b.run(TOKEN, next);
      expect(blocked).toMatchObject({ ok: false, shared: true, retryAfter: 1 });
      t.advance(1);
    }
    expect(await b.run(TOKEN, next)).toEqual({ ...success, shared: false });
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('honours a shorter maxBackoffMs', async () => {
    const { t, a } = pair({ maxBackoffMs: 5_000 });
    expect(await a.run(TOKEN, counted(rateLimited(3600)))).toMatchObject({ retryAfter: 5 });
    t.advance(5_000);
    const next = counted(success);
    expect(await a.run(TOKEN, next)).toMatchObject({ ok: true });
  });

  it('blocks only the token that was refused', async () => {
    const { a, b } = pair();
    await a.run(TOKEN, counted(rateLimited(30)));
    const other = counted(success);
    expect(await b.run(`${TOKEN}-other`, other)).toMatchObject({ ok: true, shared: false });
    expect(other).toHaveBeenCalledTimes(1);
  });

  it('drops retryAfter from a terminal failure, which is kept for the grace window as before', async () => {
    const { t, a } = pair();
    const outcome = await a.run(TOKEN, counted({ ok: false, reason: 'invalid_grant', retryable: false, retryAfter: 9 }));
    expect(outcome).toEqual({ ok: false, reason: 'invalid_grant', retryable: false, shared: false });
    t.advance(29_999);
    expect(await a.run(TOKEN, counted(success))).toMatchObject({ ok: false, reason: 'invalid_grant', shared: true });
  });

  it('keeps memory bounded under back-offs for many tokens', async () => {
    const t = clock();
    const store = createMemoryRefreshStore({ now: t.now, maxEntries: 50 });
    const c = new RefreshCoordinator({ store, now: t.now });
    for (let i = 0; i < 500; i++) await c.run(`${TOKEN}-${i}`, counted(rateLimited(60)));
    expect(store.size).toBeLessThanOrEqual(50);
  });
});
