/**
 * One scenario for every framework adapter, run on the real framework over real HTTP against the
 * WorkOS emulator (behind a fault proxy that counts refresh grants): sign-in → authenticated
 * request → refresh under parallel requests → organization switch → sign-out, then the app's own
 * cookies, cache headers, errors and bodies, and hostile input (cookies, bodies, `Host`).
 *
 * Each framework's test mounts an app on the given server, with the adapter when a handler is
 * given and without it otherwise (to compare what the framework does on its own). The app has:
 * - `GET /dashboard`: 200 `dashboard`;
 * - `GET /api/me`: the session's {@link summary} as JSON, 200 when signed in, 401 otherwise;
 * - `GET /cached`: sets its own cookie `theme=dark` and `Cache-Control: public, max-age=600`,
 *   then answers like `/api/me`;
 * - `GET /boom`: throws `new Error('boom')`, left to the framework's own error handling;
 * - `POST /echo`: answers the request's body as text.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { createSessionHandler, type RequestSession, type SessionHandler, SessionManager } from '../../../src/index.js';
import { TestClient } from '../../support/client.js';
import { BODY_PROBES } from '../../support/hostile-bodies.js';
import { HOSTILE_COOKIE_HEADERS } from '../../support/hostile-cookies.js';
import { BAD_HOSTS } from '../../support/hostile-hosts.js';
import { startProxy } from '../../support/proxy.js';
import { rawExchange, rawRequest, statuses, streamUntilAnswered } from '../../support/raw-http.js';
import { PASSWORD } from '../../support/web-app.js';

/** Far enough ahead that the emulator's one-hour access tokens have expired. */
const EXPIRED_OFFSET_MS = 3600_000 + 60_000;
const PARALLEL = 16;

/**
 * Mounts the app on `server` (already listening), with the adapter around `handler` when there
 * is one. May return a function that shuts the framework down.
 */
export type Mount = (options: { server: Server; handler?: SessionHandler }) => Promise<(() => Promise<void>) | void>;

/** What `/api/me` and `/cached` answer: the session as the route sees it. */
export function summary(session: RequestSession | undefined) {
  if (session === undefined) return { authenticated: false, reason: 'no session on the request' };
  if (!session.authenticated) return { authenticated: false, reason: session.reason, retryable: session.retryable };
  return {
    authenticated: true,
    email: session.user.email,
    sessionId: session.sessionId,
    organizationId: session.organizationId ?? null,
    role: session.role ?? null,
    refreshed: session.refreshed,
  };
}

interface App {
  origin: string;
  close(): Promise<void>;
}

async function listen(): Promise<{ server: Server; origin: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://localhost:${(server.address() as AddressInfo).port}` };
}

function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections(); // the test clients' idle keep-alive sockets
  return closed;
}

function namesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((header) => header.split('=', 1)[0]!).sort();
}

/**
 * Defines the scenario's tests for one framework. `hosts` says who refuses an invalid `Host`:
 * the adapter (Node adapters, which build the URL from it: always 400) or the server (Fetch
 * adapters: a 4xx or a normal answer, never a 5xx).
 */
export function adapterScenario(framework: string, mount: Mount, hosts: 'adapter' | 'server' = 'adapter'): void {
  describe(`${framework} adapter over real HTTP against the emulator`, () => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    let proxy: Awaited<ReturnType<typeof startProxy>>;
    let app: App;
    let bare: App;
    let offsetMs = 0;

    async function start(withAdapter: boolean): Promise<App> {
      const { server, origin } = await listen();
      let handler: SessionHandler | undefined;
      if (withAdapter) {
        const sessions = new SessionManager({
          clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: PASSWORD,
          baseUrl: proxy.url, issuer: emulator.url, now: () => Date.now() + offsetMs,
        });
        handler = createSessionHandler({ sessions, redirectUri: `${origin}/auth/callback` });
      }
      const shutdown = await mount({ server, handler });
      return {
        origin,
        close: async () => {
          await shutdown?.();
          if (server.listening) await closeServer(server);
        },
      };
    }

    beforeAll(async () => {
      emulator = await startEmulator();
      proxy = await startProxy(emulator.url);
      app = await start(true);
      bare = await start(false);
    });
    afterAll(async () => {
      await app?.close();
      await bare?.close();
      await proxy?.close();
      await emulator?.close();
    });
    afterEach(() => {
      offsetMs = 0;
      proxy.state.fault = 'none';
    });

    async function signIn(email = emulator.users.alice.email): Promise<TestClient> {
      const client = new TestClient(app.origin);
      const hops = await client.follow(`/auth/sign-in?returnTo=%2Fdashboard&loginHint=${encodeURIComponent(email)}`);
      const last = hops.at(-1)!;
      expect(new URL(last.url).pathname).toBe('/dashboard');
      expect(last.status).toBe(200);
      expect(await last.text()).toBe('dashboard');
      expect(client.jar.has('wos-session')).toBe(true);
      expect(client.jar.has('wos-auth-state')).toBe(false);
      return client;
    }

    async function me(client: TestClient, init?: RequestInit) {
      const response = await client.request('/api/me', init);
      return { status: response.status, body: (await response.json()) as Record<string, unknown>, response };
    }

    test('sign-in → authenticated request → refresh under parallel requests → organization switch → sign-out', async () => {
      const client = await signIn();
      const first = await me(client);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ authenticated: true, email: 'alice@acme.test', refreshed: false });
      expect(first.response.headers.getSetCookie()).toEqual([]);

      // Every request of a page carries the same expired cookie: one refresh upstream serves them all.
      offsetMs = EXPIRED_OFFSET_MS;
      const grants = proxy.state.refreshGrants;
      const cookie = client.cookieHeader();
      const parallel = await Promise.all(Array.from({ length: PARALLEL }, () => fetch(new URL('/api/me', app.origin), { headers: { cookie } })));
      expect(proxy.state.refreshGrants - grants).toBe(1);
      for (const response of parallel) {
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ authenticated: true, email: 'alice@acme.test', refreshed: true });
        expect(namesOf(response)).toEqual(['wos-session']);
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
      client.store(parallel[0]!);
      expect(client.cookieHeader()).not.toBe(cookie);
      offsetMs = 0; // the emulator stamps the new token with the real clock
      expect((await me(client)).body).toMatchObject({ authenticated: true, email: 'alice@acme.test', refreshed: false });

      const { globex, acme } = emulator.organizations;
      const byForm = await client.request('/auth/switch-organization', {
        method: 'POST', headers: { origin: app.origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ organizationId: globex.id, returnTo: '/dashboard' }),
      });
      expect(byForm.status).toBe(303);
      expect(byForm.headers.get('location')).toBe('/dashboard');
      expect(byForm.headers.get('cache-control')).toBe('no-store');
      expect((await me(client)).body).toMatchObject({ authenticated: true, organizationId: globex.id, role: 'member' });
      const byJson = await client.request('/auth/switch-organization', {
        method: 'POST', headers: { origin: app.origin, 'content-type': 'application/json' },
        body: JSON.stringify({ organizationId: acme.id, returnTo: '/settings' }),
      });
      expect(byJson.status).toBe(303);
      expect(byJson.headers.get('location')).toBe('/settings');
      const switched = await me(client);
      expect(switched.body).toMatchObject({ authenticated: true, organizationId: acme.id, role: 'admin' });

      const signOut = await client.request('/auth/sign-out', { method: 'POST', headers: { origin: app.origin } });
      expect(signOut.status).toBe(303);
      const logout = new URL(signOut.headers.get('location')!);
      expect(logout.origin + logout.pathname).toBe(`${proxy.url}/user_management/sessions/logout`);
      expect(logout.searchParams.get('session_id')).toBe(switched.body.sessionId);
      expect(signOut.headers.getSetCookie()).toEqual([expect.stringMatching(/^wos-session=; Path=\/; Max-Age=0; /)]);
      expect(client.jar.has('wos-session')).toBe(false);
      expect(await me(client)).toMatchObject({ status: 401, body: { authenticated: false, reason: 'no_session_cookie_provided' } });
    });

    test('the auth routes keep the core’s method and origin checks', async () => {
      const client = await signIn();
      const getSignOut = await client.request('/auth/sign-out');
      expect(getSignOut.status).toBe(405);
      expect(getSignOut.headers.get('allow')).toBe('POST');
      const crossSite = await client.request('/auth/sign-out', { method: 'POST', headers: { origin: 'https://evil.example' } });
      expect(crossSite.status).toBe(403);
      expect(client.jar.has('wos-session')).toBe(true);
      const session = await client.request('/auth/session');
      expect(session.status).toBe(200);
      expect(await session.json()).toMatchObject({ authenticated: true, user: { email: 'alice@acme.test' } });
      expect(session.headers.get('cache-control')).toBe('no-store');
    });

    test('a refreshed response keeps the app’s own cookie and is no-store whatever the route sets', async () => {
      const client = await signIn();
      const plain = await client.request('/cached');
      expect(namesOf(plain)).toEqual(['theme']);
      expect(plain.headers.get('cache-control')).toBe('public, max-age=600');

      offsetMs = EXPIRED_OFFSET_MS;
      const refreshed = await client.request('/cached');
      expect(refreshed.status).toBe(200);
      expect(await refreshed.json()).toMatchObject({ authenticated: true, refreshed: true });
      expect(namesOf(refreshed)).toEqual(['theme', 'wos-session']);
      expect(refreshed.headers.get('cache-control')).toBe('no-store');
    });

    test('the app’s errors and not-found answers are the framework’s own, and a refreshed cookie survives them', async () => {
      for (const path of ['/boom', '/no-such-page']) {
        const expected = await fetch(new URL(path, bare.origin));
        const expectedBody = await expected.text();
        const signedOut = await fetch(new URL(path, app.origin));
        expect(signedOut.status, path).toBe(expected.status);
        expect(signedOut.headers.get('content-type'), path).toBe(expected.headers.get('content-type'));
        expect(await signedOut.text(), path).toBe(expectedBody);

        const client = await signIn();
        offsetMs = EXPIRED_OFFSET_MS;
        const refreshed = await client.request(path);
        offsetMs = 0;
        expect(refreshed.status, path).toBe(expected.status);
        expect(await refreshed.text(), path).toBe(expectedBody);
        expect(namesOf(refreshed), path).toEqual(['wos-session']);
        expect(refreshed.headers.get('cache-control'), path).toBe('no-store');
        expect((await me(client)).body, path).toMatchObject({ authenticated: true, refreshed: false });
      }
      expect((await fetch(new URL('/boom', app.origin))).status).toBeGreaterThanOrEqual(500);
    });

    test('the body of a request to the app’s own routes reaches the app', async () => {
      const client = await signIn();
      for (const [type, body] of [['text/plain', 'hello'], ['application/json', '{"note":"hello"}'], ['application/x-www-form-urlencoded', 'note=hello']]) {
        const response = await client.request('/echo', { method: 'POST', headers: { 'content-type': type! }, body });
        expect(response.status, type).toBe(200);
        expect(await response.text(), type).toBe(body);
      }
    });

    describe('hostile cookies: signed out or refused, never a 5xx', () => {
      for (const [name, header] of HOSTILE_COOKIE_HEADERS) {
        test(name, async () => {
          const page = await fetch(new URL('/api/me', app.origin), { headers: { cookie: header } });
          expect(page.status).toBe(401);
          expect(await page.json()).toMatchObject({ authenticated: false });
          const session = await fetch(new URL('/auth/session', app.origin), { headers: { cookie: header } });
          expect(session.status).toBe(200);
          expect(await session.json()).toMatchObject({ authenticated: false });
          const signOut = await fetch(new URL('/auth/sign-out', app.origin), {
            method: 'POST', headers: { cookie: header, origin: app.origin }, redirect: 'manual',
          });
          expect(signOut.status).toBe(303);
          const switched = await fetch(new URL('/auth/switch-organization', app.origin), {
            method: 'POST', redirect: 'manual',
            headers: { cookie: header, origin: app.origin, 'content-type': 'application/x-www-form-urlencoded' },
            body: `organizationId=${emulator.organizations.acme.id}`,
          });
          expect(switched.status).toBe(303);
        });
      }
    });

    describe('hostile bodies on the auth routes: the core’s 4xx, never read past the cap', () => {
      for (const probe of BODY_PROBES) {
        test(probe.name, async () => {
          const codes = statuses(await rawExchange(app.origin, probe.request(app.origin), { end: probe.end }));
          if (probe.end && codes.length === 0) return; // the server may drop a connection that broke its promise
          expect(codes[0]).toBe(probe.status);
          for (const code of codes) expect(code).toBeLessThan(500);
        });
      }

      test('a body that never ends is answered 413 and the server stops receiving it', async () => {
        const client = await signIn();
        const { host } = new URL(app.origin);
        const head = [
          'POST /auth/switch-organization HTTP/1.1', `host: ${host}`, `origin: ${app.origin}`, `cookie: ${client.cookieHeader()}`,
          'content-type: application/x-www-form-urlencoded', 'transfer-encoding: chunked',
        ].join('\r\n');
        const endless = 256 * 1024 * 1024;
        const { received, sent } = await streamUntilAnswered(app.origin, `${head}\r\n\r\n`, endless);
        expect(statuses(received)[0]).toBe(413);
        expect(sent).toBeLessThan(endless);
      });
    });

    test(`${BAD_HOSTS.length} invalid Host headers, on the auth routes and the app’s: ${hosts === 'adapter' ? '400' : 'a 4xx or a normal answer'}, no stack trace`, async () => {
      const requests = [['GET', '/api/me'], ['GET', '/auth/sign-in'], ['GET', '/auth/session'], ['POST', '/auth/sign-out']] as const;
      for (const host of BAD_HOSTS) {
        for (const [method, target] of requests) {
          const answer = await rawExchange(app.origin, rawRequest(method, target, { host, origin: app.origin, cookie: 'wos-session=x' }));
          const what = `${method} ${target} Host: ${host.slice(0, 40)}`;
          const codes = statuses(answer);
          if (hosts === 'adapter') expect(codes, what).toEqual([400]);
          else expect(codes.length === 1 && codes[0]! < 500, `${what}: ${codes.join()}`).toBe(true);
          expect(answer).not.toMatch(/at .*\.(ts|js):\d+/);
          // Whatever the Host, redirects go to the provider or to the app's own configured origin.
          const location = /^location: (.*)$/im.exec(answer)?.[1]?.trim();
          if (location) expect([proxy.url, app.origin], what).toContain(new URL(location, app.origin).origin);
        }
      }
      const { port } = new URL(app.origin);
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'app.example', 'my_service:8080']) {
        expect(statuses(await rawExchange(app.origin, rawRequest('GET', '/api/me', { host }))), host).toEqual([401]);
      }
    });
  });
}
