/**
 * The auth routes that refresh on demand (`POST /auth/refresh`, `POST /auth/switch-organization`)
 * race the page requests of the same browser exactly like page requests race each other: a tab
 * posts with the cookie it has while another response is rotating it. They must share the
 * handler's refresh coordination, or one side spends the token and the other signs the user out.
 */
import { beforeAll, expect, test } from 'vitest';
import { RefreshCoordinator } from '../../../src/refresh/index.js';
import { benchForFile, EXPIRED_OFFSET_MS, me, sealedCookieFor, setCookieValue, startApp } from './helpers.js';

const bench = benchForFile();
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  // The handler's default coordinator: nothing configured, as most single-instance apps run.
  app = await startApp(bench);
});

function post(path: string, cookie: string, fields: Record<string, string>) {
  return fetch(new URL(path, app.origin), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `wos-session=${cookie}`, origin: app.origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

async function organizationOf(cookie: string): Promise<string | undefined> {
  const result = await bench.reference.authenticateWithSessionCookie({ sessionData: cookie });
  if (!result.authenticated) throw new Error(`cookie does not authenticate: ${result.reason}`);
  return result.organizationId;
}

test('POST /auth/refresh with a cookie a page request has just rotated gets the rotated session', async () => {
  const oldCookie = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
  const grantsBefore = bench.proxy.state.refreshGrants;
  bench.offsetMs = EXPIRED_OFFSET_MS;
  const page = await me(app.origin, oldCookie);
  expect(page).toMatchObject({ status: 200, body: { refreshed: true } });

  const refreshed = await post('/auth/refresh', oldCookie, { returnTo: '/settings' });

  expect(refreshed.status).toBe(303);
  expect(refreshed.headers.get('location')).toBe('/settings');
  expect(setCookieValue(refreshed)).toBe(page.newCookie);
  expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
});

test('a page request with a cookie POST /auth/refresh has just rotated gets the rotated session', async () => {
  const oldCookie = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
  const grantsBefore = bench.proxy.state.refreshGrants;
  bench.offsetMs = EXPIRED_OFFSET_MS;
  const refreshed = await post('/auth/refresh', oldCookie, { returnTo: '/' });
  const newCookie = setCookieValue(refreshed);
  expect(newCookie).toMatch(/^Fe26\.2\*/);

  expect(await me(app.origin, oldCookie)).toMatchObject({ status: 200, body: { authenticated: true }, newCookie });
  expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
});

test('switching organization with a cookie a page request has just rotated switches, and signs nobody out', async () => {
  const oldCookie = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
  const { globex } = bench.emulator.organizations;
  bench.offsetMs = EXPIRED_OFFSET_MS;
  const page = await me(app.origin, oldCookie);
  expect(page).toMatchObject({ status: 200, body: { refreshed: true } });
  bench.offsetMs = 0;
  expect(await organizationOf(page.newCookie!)).toBeUndefined();

  const switched = await post('/auth/switch-organization', oldCookie, { organizationId: globex.id, returnTo: '/settings' });

  expect(switched.status).toBe(303);
  expect(switched.headers.get('location')).toBe('/settings');
  const switchedCookie = setCookieValue(switched);
  expect(switchedCookie).toMatch(/^Fe26\.2\*/);
  expect(await organizationOf(switchedCookie!)).toBe(globex.id);
});

test('Session.refresh: a switch issued while a plain refresh of the same token is in flight still switches', async () => {
  const cookie = await sealedCookieFor(bench.reference, bench.emulator.users.alice.email);
  const { acme } = bench.emulator.organizations;
  const coordinator = new RefreshCoordinator();
  const grantsBefore = bench.proxy.state.refreshGrants;
  const session = bench.reference.loadSealedSession({ sessionData: cookie });

  const [plain, switched] = await Promise.all([
    session.refresh({ coordinator }),
    session.refresh({ coordinator, organizationId: acme.id }),
  ]);

  expect(plain).toMatchObject({ authenticated: true, organizationId: undefined });
  expect(switched).toMatchObject({ authenticated: true, organizationId: acme.id, role: 'admin' });
  // The old token once, then the token the plain refresh produced, once, for the switch.
  expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(2);
});
