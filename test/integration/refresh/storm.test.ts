/**
 * The refresh storm in one process: many requests of one browser arrive together with an expired
 * access token. The request handler must spend the single-use refresh token once, hand the new
 * cookie to every request, keep it for requests that still carry the old cookie during the
 * grace window, and sign the old cookie out cleanly after it.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { RefreshCoordinator } from '../../../src/refresh/index.js';
import { benchForFile, EXPIRED_OFFSET_MS, me, sealedCookieFor, startApp, storm } from './helpers.js';

const REQUESTS = 200;
const GRACE_WINDOW_MS = 30_000; // the coordinator's default

const bench = benchForFile();
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp(bench);
});

describe(`${REQUESTS} concurrent requests carrying one expired session`, () => {
  test('one refresh grant upstream; every request authenticated with the same new cookie; late old-cookie requests follow the grace window', async () => {
    const oldCookie = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
    const grantsBefore = bench.proxy.state.refreshGrants;
    bench.offsetMs = EXPIRED_OFFSET_MS;

    const replies = await storm([app.origin], oldCookie, REQUESTS);

    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
    for (const reply of replies) expect(reply.body).toMatchObject({ authenticated: true, refreshed: true, email: 'alice@acme.test' });
    const newCookies = new Set(replies.map((r) => r.newCookie));
    expect(newCookies.size).toBe(1);
    const [newCookie] = [...newCookies];
    expect(newCookie).toMatch(/^Fe26\.2\*/);
    expect(newCookie).not.toBe(oldCookie);

    // The new cookie is a working session on its own: on the real clock it needs no refresh.
    bench.offsetMs = 0;
    expect(await me(app.origin, newCookie!)).toMatchObject({ status: 200, body: { authenticated: true, refreshed: false }, newCookie: undefined });

    // A straggler still carrying the old cookie inside the grace window gets the same new cookie.
    bench.offsetMs = EXPIRED_OFFSET_MS + GRACE_WINDOW_MS - 5_000;
    const late = await me(app.origin, oldCookie);
    expect(late).toMatchObject({ status: 200, body: { authenticated: true, refreshed: true }, newCookie });
    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);

    // After the window the old cookie is what it is: a spent refresh token. Signed out, cookie cleared.
    bench.offsetMs = EXPIRED_OFFSET_MS + GRACE_WINDOW_MS + 5_000;
    const stale = await me(app.origin, oldCookie);
    expect(stale).toMatchObject({ status: 401, body: { authenticated: false, reason: 'invalid_grant' }, newCookie: '' });
    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(2);
  });

  test('a terminal outcome is shared too: a storm on a spent token reaches the provider once and clears every cookie', async () => {
    const cookie = await sealedCookieFor(bench.reference, bench.emulator.users.bob.email);
    // Spend the token behind the app's back, as another device holding a copy of the cookie would.
    expect(await bench.reference.loadSealedSession({ sessionData: cookie }).refresh()).toMatchObject({ authenticated: true });
    const grantsBefore = bench.proxy.state.refreshGrants;
    bench.offsetMs = EXPIRED_OFFSET_MS;

    const replies = await storm([app.origin], cookie, REQUESTS);

    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
    for (const reply of replies) {
      expect(reply).toMatchObject({ status: 401, body: { authenticated: false, reason: 'invalid_grant' }, newCookie: '' });
    }
  });
});

describe('grace window configured on the coordinator', () => {
  let custom: Awaited<ReturnType<typeof startApp>>;
  let clockMs = 0;

  beforeAll(async () => {
    // The coordinator's own clock drives the window, independently of the token clock.
    const coordinator = new RefreshCoordinator({ graceWindowMs: 2_000, now: () => Date.now() + clockMs });
    custom = await startApp(bench, { now: () => Date.now() + EXPIRED_OFFSET_MS, handler: { coordinator } });
  });

  test('inside a 2 s window the old cookie is upgraded; after it the user is signed out with 401, never a 500', async () => {
    const oldCookie = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
    const grantsBefore = bench.proxy.state.refreshGrants;

    const first = await storm([custom.origin], oldCookie, 20);
    const newCookie = first[0]!.newCookie;
    for (const reply of first) expect(reply).toMatchObject({ status: 200, body: { authenticated: true }, newCookie });

    clockMs = 1_000;
    expect(await me(custom.origin, oldCookie)).toMatchObject({ status: 200, body: { authenticated: true }, newCookie });

    clockMs = 2_500;
    const after = await storm([custom.origin], oldCookie, 20);
    for (const reply of after) {
      expect(reply).toMatchObject({ status: 401, body: { authenticated: false, reason: 'invalid_grant' }, newCookie: '' });
    }
    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(2);
    expect(await bench.reference.authenticateWithSessionCookie({ sessionData: newCookie })).toMatchObject({ authenticated: true });
  });
});
