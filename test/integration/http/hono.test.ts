import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { startProxy } from '../../support/proxy.js';
import { TestClient } from '../../support/client.js';
import { HOSTILE_COOKIE_HEADERS } from '../../support/hostile-cookies.js';
import { startHonoApp } from '../../support/web-app.js';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let app: Awaited<ReturnType<typeof startHonoApp>>;
let offsetMs = 0;

beforeAll(async () => {
  emulator = await startEmulator();
  proxy = await startProxy(emulator.url);
  app = await startHonoApp(
    { baseUrl: proxy.url, issuer: emulator.url, clientId: emulator.clientId, apiKey: emulator.apiKey },
    { now: () => Date.now() + offsetMs },
  );
});
afterAll(async () => {
  await app.close();
  await proxy.close();
  await emulator.close();
});
afterEach(() => {
  offsetMs = 0;
  proxy.state.fault = 'none';
});

async function signedIn(email = emulator.users.alice.email) {
  const client = new TestClient(app.origin);
  const hops = await client.follow(`/auth/sign-in?returnTo=%2Fdashboard%3Ftab%3D1&loginHint=${encodeURIComponent(email)}`);
  const last = hops.at(-1)!;
  expect(new URL(last.url).pathname).toBe('/dashboard');
  expect(new URL(last.url).search).toBe('?tab=1');
  expect(client.jar.has('wos-session')).toBe(true);
  expect(client.jar.has('wos-auth-state')).toBe(false);
  return client;
}

async function me(client: TestClient) {
  const response = await client.request('/api/me');
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, response };
}

describe('sign-in to sign-out through the Fetch handler (Hono)', () => {
  test('sign in with PKCE, read the session, sign out via the provider’s logout URL', async () => {
    const client = await signedIn();
    const signInHops = await new TestClient(app.origin).request('/auth/sign-in');
    const cookie = signInHops.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^wos-auth-state=Fe26\.2\*/);
    expect(cookie).toMatch(/Path=\/auth\/callback; Max-Age=600; HttpOnly; SameSite=Lax/);
    expect(new URL(signInHops.headers.get('location')!).searchParams.get('code_challenge_method')).toBe('S256');

    const { status, body } = await me(client);
    expect(status).toBe(200);
    expect(body).toMatchObject({ authenticated: true, email: 'alice@acme.test', refreshed: false });

    const signOut = await client.request('/auth/sign-out', { method: 'POST', headers: { origin: app.origin } });
    expect(signOut.status).toBe(303);
    const logout = new URL(signOut.headers.get('location')!);
    expect(logout.pathname).toBe('/user_management/sessions/logout');
    expect(logout.searchParams.get('session_id')).toBe(body.sessionId);
    expect(signOut.headers.getSetCookie()[0]).toMatch(/^wos-session=; Path=\/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax/);
    expect(client.jar.has('wos-session')).toBe(false);
    expect((await me(client)).body).toMatchObject({ authenticated: false, reason: 'no_session_cookie_provided' });
  });

  test('sign-out works with an expired access token', async () => {
    const client = await signedIn();
    offsetMs = 2 * 3600_000;
    const signOut = await client.request('/auth/sign-out', { method: 'POST', headers: { origin: app.origin } });
    expect(new URL(signOut.headers.get('location')!).searchParams.get('session_id')).toMatch(/^session_/);
  });

  test('sign-out refuses GET and cross-site POSTs', async () => {
    const client = await signedIn();
    expect((await client.request('/auth/sign-out')).status).toBe(405);
    expect((await client.request('/auth/sign-out', { method: 'POST', headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect(client.jar.has('wos-session')).toBe(true);
  });

  test('switch organization keeps working across refreshes', async () => {
    const client = await signedIn();
    const switched = await client.request('/auth/switch-organization', {
      method: 'POST',
      headers: { origin: app.origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ organizationId: emulator.organizations.acme.id, returnTo: '/settings' }),
    });
    expect(switched.status).toBe(303);
    expect(switched.headers.get('location')).toBe('/settings');
    expect((await me(client)).body).toMatchObject({ organizationId: emulator.organizations.acme.id, role: 'admin' });
    offsetMs = 3600_000 + 60_000; // expired: the next request refreshes, and the organization stays
    const after = await me(client);
    expect(after.body).toMatchObject({ authenticated: true, refreshed: true, organizationId: emulator.organizations.acme.id });
  });
});

describe('refresh in the request path', () => {
  test('proactive: inside the buffer before expiry the session is refreshed and a new cookie set', async () => {
    const client = await signedIn();
    const before = client.jar.get('wos-session');
    offsetMs = 3600_000 - 30_000;
    const { body, response } = await me(client);
    expect(body).toMatchObject({ authenticated: true, refreshed: true });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(client.jar.get('wos-session')).not.toBe(before);
    offsetMs = 0; // the emulator stamps the new token with the real clock
    expect((await me(client)).body).toMatchObject({ authenticated: true, refreshed: false });
  });

  test('proactive refresh slower than the wait budget: answered at once with the current token, the next request gets the new cookie', async () => {
    const quick = await startHonoApp(
      { baseUrl: proxy.url, issuer: emulator.url, clientId: emulator.clientId, apiKey: emulator.apiKey },
      { now: () => Date.now() + offsetMs, handler: { proactiveRefreshWaitMs: 100 } },
    );
    try {
      const client = new TestClient(quick.origin);
      await client.follow(`/auth/sign-in?loginHint=${encodeURIComponent(emulator.users.alice.email)}`);
      const before = client.jar.get('wos-session');
      offsetMs = 3600_000 - 30_000;
      const grants = proxy.state.refreshGrants;
      proxy.state.fault = 'hold';
      const served = await me(client);
      expect(served.status).toBe(200);
      expect(served.body).toMatchObject({ authenticated: true, refreshed: false });
      expect(client.jar.get('wos-session')).toBe(before);
      expect(proxy.state.refreshGrants - grants).toBe(1); // the refresh is under way upstream
      proxy.state.fault = 'none';
      proxy.release();
      let next = await me(client);
      for (let attempt = 0; attempt < 40 && !(next.body as { refreshed?: boolean }).refreshed; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        next = await me(client);
      }
      expect(next.body).toMatchObject({ authenticated: true, refreshed: true });
      expect(client.jar.get('wos-session')).not.toBe(before);
      expect(proxy.state.refreshGrants - grants).toBe(1); // picked up from the grace window, not refreshed again
    } finally {
      await quick.close();
    }
  });

  test('expired: refreshed transparently', async () => {
    const client = await signedIn();
    offsetMs = 3600_000 + 5 * 60_000;
    expect((await me(client)).body).toMatchObject({ authenticated: true, refreshed: true });
  });

  test('transient failure with a still-valid token: served, cookie kept', async () => {
    const client = await signedIn();
    const before = client.jar.get('wos-session');
    offsetMs = 3600_000 - 30_000;
    proxy.state.fault = 'status500';
    const { status, body, response } = await me(client);
    expect(status).toBe(200);
    expect(body).toMatchObject({ authenticated: true, refreshed: false });
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(client.jar.get('wos-session')).toBe(before);
  });

  for (const fault of ['status500', 'status429', 'reset'] as const) {
    test(`transient failure (${fault}) with an expired token: signed out for now, cookie kept`, async () => {
      const client = await signedIn();
      const before = client.jar.get('wos-session');
      offsetMs = 3600_000 + 60_000;
      proxy.state.fault = fault;
      const { status, body, response } = await me(client);
      expect(status).toBe(401);
      expect(body).toMatchObject({ authenticated: false, retryable: true });
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(client.jar.get('wos-session')).toBe(before);
      proxy.state.fault = 'none';
      // A 429's Retry-After holds every grant for that token back until it has passed.
      const next = fault === 'status429' ? { authenticated: false, reason: 'rate_limit_exceeded' } : { authenticated: true, refreshed: true };
      expect((await me(client)).body).toMatchObject(next);
    });
  }

  test('terminal failure (refresh token revoked): cookie cleared', async () => {
    const client = await signedIn();
    const { body } = await me(client);
    await app.sessions.revokeSession({ sessionId: body.sessionId as string });
    // The emulator's revoke ends the session but not its refresh token: spend it instead.
    await app.sessions.loadSealedSession({ sessionData: client.jar.get('wos-session')! }).refresh();
    offsetMs = 3600_000 + 60_000;
    const after = await me(client);
    expect(after.body).toMatchObject({ authenticated: false, reason: 'invalid_grant', retryable: false });
    expect(after.response.headers.getSetCookie()[0]).toMatch(/^wos-session=; .*Max-Age=0/);
    expect(client.jar.has('wos-session')).toBe(false);
  });
});

describe('cookie size: chunking', () => {
  test('a session padded past 4096 bytes is chunked, read back intact, and stale chunks go when it shrinks', async () => {
    const client = await signedIn(emulator.users.bob.email);
    const setMetadata = (metadata: Record<string, string>) =>
      fetch(`${emulator.url}/user_management/users/${emulator.users.bob.id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ metadata }),
      });
    const big: Record<string, string> = {};
    for (let i = 0; i < 40; i++) big[`note_${i}`] = 'x'.repeat(90);
    await setMetadata(big);
    const grown = await client.request('/auth/refresh', { method: 'POST', headers: { origin: app.origin } });
    expect(grown.status).toBe(303);
    const written = grown.headers.getSetCookie();
    for (const header of written) expect(new TextEncoder().encode(header).length).toBeLessThanOrEqual(4096);
    expect(client.jar.has('wos-session')).toBe(false);
    expect(client.jar.has('wos-session.0')).toBe(true);
    expect(client.jar.has('wos-session.1')).toBe(true);
    expect(client.sessionCookieBytes()).toBeGreaterThan(4096);
    expect((await me(client)).body).toMatchObject({ authenticated: true, email: 'bob@globex.test' });

    await setMetadata({});
    const shrunk = await client.request('/auth/refresh', { method: 'POST', headers: { origin: app.origin } });
    expect(shrunk.headers.getSetCookie().some((h) => /^wos-session\.1=; .*Max-Age=0/.test(h))).toBe(true);
    expect([...client.jar.keys()].filter((name) => name.startsWith('wos-session'))).toEqual(['wos-session']);
    expect((await me(client)).body).toMatchObject({ authenticated: true });
  });
});

describe('hostile input at the edge: a signed-out result or a 400, never a 500', () => {
  test('tampered or missing state on the callback', async () => {
    const client = new TestClient(app.origin);
    const start = await client.request(`/auth/sign-in?loginHint=${encodeURIComponent(emulator.users.alice.email)}`);
    const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = new URL(atProvider.headers.get('location')!);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state');
    expect((await client.request(forged.pathname + forged.search)).status).toBe(400);
    const stranger = new TestClient(app.origin);
    expect((await stranger.request(callback.pathname + callback.search)).status).toBe(400);
    client.jar.set('wos-auth-state', 'Fe26.2*1*tampered');
    expect((await client.request(callback.pathname + callback.search)).status).toBe(400);
    expect((await client.request('/auth/callback?error=access_denied')).status).toBe(400);
  });

  test('open-redirect attempts land on a local path', async () => {
    for (const target of ['https://evil.example/', '//evil.example', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)', '%2F%2Fevil.example']) {
      const client = new TestClient(app.origin);
      const hops = await client.follow(`/auth/sign-in?loginHint=${encodeURIComponent(emulator.users.alice.email)}&returnTo=${encodeURIComponent(target)}`);
      const final = new URL(hops.at(-1)!.url);
      expect(final.origin).toBe(app.origin);
    }
  });

  for (const [name, header] of HOSTILE_COOKIE_HEADERS) {
    test(`Cookie header: ${name}`, async () => {
      const response = await fetch(new URL('/api/me', app.origin), { headers: { cookie: header } });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { authenticated: boolean };
      expect(body.authenticated).toBe(false);
    });
  }

  test('switch-organization with junk input', async () => {
    const client = await signedIn();
    const response = await client.request('/auth/switch-organization', {
      method: 'POST', headers: { origin: app.origin, 'content-type': 'application/json' }, body: '{not json',
    });
    expect(response.status).toBe(400);
  });
});
