/**
 * After a rotation the old cookie is upgraded to the new session for the grace window. A
 * sign-out must close that door on every instance, with and without `revokeOnSignOut`, whether
 * the instances share a memory store or Redis: a copy of the old cookie taken before the
 * sign-out must not become a session after it.
 */
import { describe, expect, test } from 'vitest';
import { RefreshCoordinator } from '../../../src/refresh/index.js';
import { benchForFile, EXPIRED_OFFSET_MS, me, sealedCookieFor, sharedStore, startApp } from './helpers.js';

const bench = benchForFile({ redis: true });

/** Two app instances whose coordinators share one store (one memory store object, or one Redis prefix). */
async function instances(kind: 'memory' | 'redis', revokeOnSignOut: boolean) {
  const store = sharedStore(bench, kind, bench.now);
  const start = () => startApp(bench, { handler: { revokeOnSignOut, coordinator: new RefreshCoordinator({ store, now: bench.now }) } });
  return [await start(), await start()];
}

function signOut(origin: string, cookie: string) {
  return fetch(new URL('/auth/sign-out', origin), { method: 'POST', redirect: 'manual', headers: { cookie: `wos-session=${cookie}`, origin } });
}

describe.each(['memory', 'redis'] as const)('sign-out on a %s store', (kind) => {
  test.each([false, true])('revokeOnSignOut %s: an old cookie gets nothing on any instance afterwards', async (revokeOnSignOut) => {
    const [a, b] = await instances(kind, revokeOnSignOut);
    const oldCookie = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
    bench.offsetMs = EXPIRED_OFFSET_MS;
    const grantsBefore = bench.proxy.state.refreshGrants;

    const rotated = await me(a!.origin, oldCookie);
    expect(rotated).toMatchObject({ status: 200, body: { refreshed: true } });
    // Before the sign-out, the old cookie is upgraded on either instance (the grace window).
    expect(await me(b!.origin, oldCookie)).toMatchObject({ status: 200, newCookie: rotated.newCookie });

    // The owner signs out on the other instance, with the current cookie.
    const out = await signOut(b!.origin, rotated.newCookie!);
    expect(out.status).toBe(303);

    for (const app of [a!, b!, a!, b!]) {
      const stolen = await me(app.origin, oldCookie);
      expect(stolen.status).toBe(401);
      expect(stolen.body).toMatchObject({ authenticated: false, reason: 'invalid_grant', detail: 'session_ended', retryable: false });
      expect(stolen.newCookie ?? '').toBe('');
    }
    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
  });

  test('signing out with the old cookie itself closes the grace window too', async () => {
    const [a, b] = await instances(kind, false);
    const oldCookie = await sealedCookieFor(bench.reference, bench.emulator.users.bob.email);
    bench.offsetMs = EXPIRED_OFFSET_MS;
    expect(await me(a!.origin, oldCookie)).toMatchObject({ status: 200 });
    expect((await signOut(a!.origin, oldCookie)).status).toBe(303);
    expect(await me(b!.origin, oldCookie)).toMatchObject({ status: 401, body: { detail: 'session_ended' } });
  });

  test('a refresh running at the sign-out does not hand its session to the old cookie', async () => {
    const [a, b] = await instances(kind, false);
    const oldCookie = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
    bench.offsetMs = EXPIRED_OFFSET_MS;
    bench.proxy.state.fault = 'hold';
    const grantsBefore = bench.proxy.state.refreshGrants;
    const inFlight = me(a!.origin, oldCookie);
    await expect.poll(() => bench.proxy.state.refreshGrants - grantsBefore, { timeout: 5_000, interval: 10 }).toBe(1);
    bench.proxy.state.fault = 'none';
    // The still-valid token of the old cookie identifies the session to sign out.
    expect((await signOut(b!.origin, oldCookie)).status).toBe(303);
    bench.proxy.release();

    expect(await inFlight).toMatchObject({ status: 401, body: { detail: 'session_ended' } });
    expect(await me(b!.origin, oldCookie)).toMatchObject({ status: 401, body: { detail: 'session_ended' } });
    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
  });

  test('other sessions keep their grace window', async () => {
    const [a, b] = await instances(kind, true);
    const mine = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
    const theirs = await sealedCookieFor(bench.reference, bench.emulator.users.bob.email);
    bench.offsetMs = EXPIRED_OFFSET_MS;
    const rotatedMine = await me(a!.origin, mine);
    const rotatedTheirs = await me(a!.origin, theirs);
    await signOut(b!.origin, rotatedMine.newCookie!);
    expect(await me(b!.origin, theirs)).toMatchObject({ status: 200, newCookie: rotatedTheirs.newCookie });
  });
});
