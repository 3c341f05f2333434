/**
 * The Express adapter in a real Express 5 app over real HTTP, against the WorkOS emulator:
 * sign-in, the session on `req` and `res.locals`, refresh with the app's own cookies kept,
 * organization switch with and without a body parser, sign-out and hostile input.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { sessionMiddleware, type SessionRequest as SessionRequestAs } from '../../../src/express/index.js';
import { createSessionHandler, type RequestSession, SessionManager } from '../../../src/index.js';
import { TestClient } from '../../support/client.js';
import { HOSTILE_COOKIE_HEADERS } from '../../support/hostile-cookies.js';
import { PASSWORD } from '../../support/web-app.js';

const EXPIRED_OFFSET_MS = 3600_000 + 60_000;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type SessionRequest = Request & { session?: RequestSession };

let emulator: Emulator;
let offsetMs = 0;
const servers: Server[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => {
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections(); // the test clients' idle keep-alive sockets
    return closed;
  }));
  await emulator?.close();
});
afterEach(() => {
  offsetMs = 0;
});

/** What a route sees of the session; the same shape from `req.session` and `res.locals.session`. */
function summary(session: RequestSession | undefined) {
  if (session === undefined) return null;
  if (!session.authenticated) return { authenticated: false, reason: session.reason };
  return {
    authenticated: true,
    email: session.user.email,
    organizationId: session.organizationId ?? null,
    role: session.role ?? null,
    refreshed: session.refreshed,
  };
}

/**
 * An Express app with the adapter mounted the way the README shows. `bodyParser` mounts
 * `express.urlencoded()` and `express.json()` before the adapter, as many apps do.
 */
async function startExpressApp(options: { bodyParser: boolean }) {
  const app: Express = express();
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  const sessions = new SessionManager({
    clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: PASSWORD, baseUrl: emulator.url,
    now: () => Date.now() + offsetMs,
  });
  const auth = createSessionHandler({ sessions, redirectUri: `${origin}/auth/callback` });

  if (options.bodyParser) app.use(express.urlencoded({ extended: false }), express.json());
  app.use('/early', (_req, res, next) => {
    res.cookie('early', 'bird');
    next();
  });
  app.use(sessionMiddleware(auth));
  app.get('/api/me', (req: SessionRequest, res) => {
    const session = req.session;
    res.status(session?.authenticated ? 200 : 401).json({ req: summary(session), locals: summary(res.locals.session as RequestSession) });
  });
  app.get('/theme', (req: SessionRequest, res) => {
    res.cookie('theme', 'dark');
    res.json({ session: summary(req.session) });
  });
  app.get('/early', (req: SessionRequest, res) => {
    res.json({ session: summary(req.session) });
  });
  app.post('/echo', express.urlencoded({ extended: false }), (req: SessionRequest, res) => {
    res.json({ body: req.body as unknown, session: summary(req.session) });
  });
  app.get('/dashboard', (_req, res) => {
    res.send('dashboard');
  });
  // Like Express's default handler (a body parser's 400 stays a 400), but says which error it was.
  app.use((error: { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error.status ?? 500).json({ error: String(error) });
  });
  return { origin, sessions };
}

async function signIn(origin: string, email = emulator.users.alice.email): Promise<TestClient> {
  const client = new TestClient(origin);
  const hops = await client.follow(`/auth/sign-in?returnTo=%2Fdashboard&loginHint=${encodeURIComponent(email)}`);
  const last = hops.at(-1)!;
  expect(last.status).toBe(200);
  expect(new URL(last.url).pathname).toBe('/dashboard');
  expect(client.jar.has('wos-session')).toBe(true);
  return client;
}

async function getJson(client: TestClient, path: string) {
  const response = await client.request(path);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, response };
}

function switchOrganization(client: TestClient, origin: string, organizationId: string, type: 'form' | 'json') {
  const body = type === 'form'
    ? new URLSearchParams({ organizationId, returnTo: '/dashboard' })
    : JSON.stringify({ organizationId, returnTo: '/dashboard' });
  const contentType = type === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
  return client.request('/auth/switch-organization', { method: 'POST', headers: { origin, 'content-type': contentType }, body });
}

for (const bodyParser of [false, true]) {
  describe(`Express 5, ${bodyParser ? 'with' : 'without'} a body parser before the adapter`, () => {
    let app: Awaited<ReturnType<typeof startExpressApp>>;
    beforeAll(async () => {
      app = await startExpressApp({ bodyParser });
    });

    test('sign-in through the emulator puts the session on req.session and res.locals.session', async () => {
      const client = await signIn(app.origin);
      const { status, body } = await getJson(client, '/api/me');
      expect(status).toBe(200);
      const expected = { authenticated: true, email: 'alice@acme.test', refreshed: false };
      expect(body).toMatchObject({ req: expected, locals: expected });
      expect(await getJson(new TestClient(app.origin), '/api/me')).toMatchObject({
        status: 401,
        body: { req: { authenticated: false, reason: 'no_session_cookie_provided' }, locals: { reason: 'no_session_cookie_provided' } },
      });
    });

    test('a refreshed request keeps the cookies the app sets, after and before the adapter', async () => {
      const client = await signIn(app.origin);
      const before = client.jar.get('wos-session');
      offsetMs = EXPIRED_OFFSET_MS;

      const themed = await client.request('/theme');
      expect(themed.status).toBe(200);
      expect(((await themed.json()) as { session: unknown }).session).toMatchObject({ authenticated: true, refreshed: true });
      const names = themed.headers.getSetCookie().map((header) => header.split('=', 1)[0]);
      expect(names.sort()).toEqual(['theme', 'wos-session']);
      expect(themed.headers.get('cache-control')).toBe('no-store');
      expect(client.jar.get('theme')).toBe('dark');
      expect(client.jar.get('wos-session')).not.toBe(before);

      const early = await client.request('/early', { headers: { cookie: `wos-session=${before}` } });
      expect(((await early.json()) as { session: unknown }).session).toMatchObject({ authenticated: true, refreshed: true });
      expect(early.headers.getSetCookie().map((header) => header.split('=', 1)[0]).sort()).toEqual(['early', 'wos-session']);
    });

    for (const type of ['form', 'json'] as const) {
      test(`switch organization by ${type} POST`, async () => {
        const client = await signIn(app.origin);
        const { globex } = emulator.organizations;
        const switched = await switchOrganization(client, app.origin, globex.id, type);
        expect(switched.status).toBe(303);
        expect(switched.headers.get('location')).toBe('/dashboard');
        expect((await getJson(client, '/api/me')).body).toMatchObject({ req: { organizationId: globex.id, role: 'member' } });
      });
    }

    test('requests other than the auth routes keep their body for the app', async () => {
      const client = await signIn(app.origin);
      const response = await client.request('/echo', {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'note=hello',
      });
      expect(await response.json()).toMatchObject({ body: { note: 'hello' }, session: { authenticated: true } });
    });

    test('sign-out clears the cookie and redirects to the provider’s logout URL, even with an expired token', async () => {
      const client = await signIn(app.origin);
      const { body } = await getJson(client, '/api/me');
      expect(body.req).toMatchObject({ authenticated: true });
      offsetMs = EXPIRED_OFFSET_MS;
      const signOut = await client.request('/auth/sign-out', { method: 'POST', headers: { origin: app.origin } });
      expect(signOut.status).toBe(303);
      const logout = new URL(signOut.headers.get('location')!);
      expect(logout.origin + logout.pathname).toBe(`${emulator.url}/user_management/sessions/logout`);
      expect(logout.searchParams.get('session_id')).toMatch(/^session_/);
      expect(signOut.headers.getSetCookie()[0]).toMatch(/^wos-session=; .*Max-Age=0/);
      expect(client.jar.has('wos-session')).toBe(false);
      expect((await getJson(client, '/api/me')).status).toBe(401);
    });
  });
}

describe('a custom property, beside another library that owns req.session', () => {
  test('the session goes to req.auth and res.locals.auth; req.session is left alone', async () => {
    const app: Express = express();
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
    const sessions = new SessionManager({ clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: PASSWORD, baseUrl: emulator.url });
    const auth = createSessionHandler({ sessions, redirectUri: `${origin}/auth/callback` });
    app.use((req, _res, next) => {
      (req as Request & { session?: unknown }).session = { owner: 'express-session' };
      next();
    });
    app.use(sessionMiddleware(auth, { property: 'auth' }));
    app.get('/dashboard', (_req, res) => res.send('dashboard'));
    app.get('/api/me', (req, res) => {
      const { auth: session } = req as SessionRequestAs<'auth', Request>;
      res.json({ auth: summary(session), locals: summary(res.locals.auth as RequestSession), session: (req as Request & { session?: unknown }).session });
    });
    const client = await signIn(origin);
    const { body } = await getJson(client, '/api/me');
    const expected = { authenticated: true, email: 'alice@acme.test' };
    expect(body).toMatchObject({ auth: expected, locals: expected, session: { owner: 'express-session' } });
  });
});

describe('hostile input at the edge: signed out or refused, never a 500', () => {
  let app: Awaited<ReturnType<typeof startExpressApp>>;
  beforeAll(async () => {
    app = await startExpressApp({ bodyParser: true });
  });

  for (const [name, header] of HOSTILE_COOKIE_HEADERS) {
    test(`Cookie header: ${name}`, async () => {
      const page = await fetch(new URL('/api/me', app.origin), { headers: { cookie: header } });
      expect(page.status).toBe(401);
      expect(((await page.json()) as { req: unknown }).req).toMatchObject({ authenticated: false });
      const session = await fetch(new URL('/auth/session', app.origin), { headers: { cookie: header } });
      expect(session.status).toBe(200);
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

  test('junk bodies on the auth routes', async () => {
    const client = await signIn(app.origin);
    for (const [type, body] of [['application/json', '{not json'], ['application/x-www-form-urlencoded', '%%%=&&='], ['text/plain', 'x']]) {
      const response = await client.request('/auth/switch-organization', { method: 'POST', headers: { origin: app.origin, 'content-type': type! }, body });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    const tooBig = await client.request('/auth/switch-organization', {
      method: 'POST', headers: { origin: app.origin, 'content-type': 'text/plain' }, body: 'x'.repeat(200_000),
    });
    expect(tooBig.status).toBeLessThan(500);
  });
});
