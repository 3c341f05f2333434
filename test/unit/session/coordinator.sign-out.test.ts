/**
 * A sign-out ends every way back into the session through the coordinator: the grace window no
 * longer upgrades an old cookie, no refresh of that session starts, and a refresh running at the
 * time of the sign-out does not leave its session behind in the grace window.
 */
import { describe, expect, it, vi } from 'vitest';
import { RefreshCoordinator, SESSION_ENDED, type RefreshOutcome, type RefreshStore } from '../../../src/session/coordinator.js';
import { createMemoryRefreshStore } from '../../../src/session/stores/memory.js';

const OLD = 'rt_01HOLDOLDOLDOLDOLDOLDOLD';
const SID = 'session_01HSIGNEDOUT';
const success: RefreshOutcome = { ok: true, sealedSession: 'Fe26.2**rotated~2' };
const ended = { ok: false, reason: SESSION_ENDED, retryable: false };

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function counted(outcome: RefreshOutcome) {
  return vi.fn(async (): Promise<RefreshOutcome> => outcome);
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Two instances sharing a memory store on a fake clock, with the default windows. */
function pair() {
  const t = clock();
  const store = createMemoryRefreshStore({ now: t.now });
  const make = () => new RefreshCoordinator({ store, now: t.now, pollIntervalMs: 1 });
  return { t, a: make(), b: make() };
}

describe('RefreshCoordinator.endSession', () => {
  it('stops the grace window from upgrading an old cookie of that session, on every instance', async () => {
    const { a, b } = pair();
    expect(await a.run(OLD, counted(success), { sessionId: SID })).toMatchObject({ ok: true });
    expect(await b.run(OLD, counted(success), { sessionId: SID })).toMatchObject({ ok: true, shared: true });

    await b.endSession(SID);

    const refresh = counted(success);
    for (const c of [a, b]) expect(await c.run(OLD, refresh, { sessionId: SID })).toMatchObject(ended);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('starts no refresh for any token of that session, and leaves other sessions alone', async () => {
    const { a, b } = pair();
    await a.endSession(SID);
    const refresh = counted(success);
    for (let i = 0; i < 20; i++) {
      expect(await (i % 2 ? a : b).run(`rt_${i}`, refresh, { sessionId: SID })).toMatchObject(ended);
    }
    expect(refresh).not.toHaveBeenCalled();
    expect(await b.run('rt_other', refresh, { sessionId: 'session_other' })).toMatchObject({ ok: true, shared: false });
    expect(await b.run('rt_nosid', refresh)).toMatchObject({ ok: true, shared: false });
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('keeps the sign-out for the grace window plus the lock lifetime, then forgets it', async () => {
    const { t, a, b } = pair();
    await a.run(OLD, counted(success), { sessionId: SID });
    await a.endSession(SID);
    t.advance(30_000 + 10_000 - 1);
    expect(await b.run('rt_late', counted(success), { sessionId: SID })).toMatchObject(ended);
    t.advance(1);
    expect(await b.run('rt_later', counted(success), { sessionId: SID })).toMatchObject({ ok: true });
  });

  it('keeps a refresh that was running at the sign-out from leaving its session in the grace window', async () => {
    const { a, b } = pair();
    const upstream = deferred<RefreshOutcome>();
    const inFlight = a.run(OLD, () => upstream.promise, { sessionId: SID });
    const waiting = b.run(OLD, counted(success), { sessionId: SID });
    await new Promise((r) => setTimeout(r, 10));
    await b.endSession(SID);
    upstream.resolve(success);

    expect(await inFlight).toMatchObject(ended);
    expect(await waiting).toMatchObject(ended);
    // The grace entry holds the refusal, not the session, for callers without a session id too.
    expect(await b.run(OLD, counted(success))).toMatchObject({ ...ended, shared: true });
  });

  it('is kept in the instance when the shared store fails, and never throws', async () => {
    const refused = () => Promise.reject(new Error('ECONNREFUSED'));
    const broken: RefreshStore = { claim: refused, settle: refused, renew: refused, endSession: refused, isSessionEnded: refused };
    const errors: unknown[] = [];
    const c = new RefreshCoordinator({ store: broken, onStoreError: (e) => errors.push(e) });
    await expect(c.endSession(SID)).resolves.toBeUndefined();
    const refresh = counted(success);
    expect(await c.run(OLD, refresh, { sessionId: SID })).toMatchObject(ended);
    expect(refresh).not.toHaveBeenCalled();
    expect(errors.length).toBeGreaterThan(0);
  });

  it.each(['', ' ', 'x'.repeat(100_000), 'session_\u0000\ud800', '__proto__'])('takes any session id without throwing (%#)', async (sid) => {
    const { a } = pair();
    await expect(a.endSession(sid)).resolves.toBeUndefined();
    expect(await a.run(OLD, counted(success), { sessionId: sid })).toMatchObject(ended);
  });
});
