/**
 * The Express adapter in a real Express 5 app over real HTTP, against the WorkOS emulator, in
 * what is Express's own beyond the shared adapter scenario: the session on `req` and
 * `res.locals`, cookies set before the adapter, caching set every way Express can, a body
 * parser before the adapter, a custom property, proxies' headers and request targets.
 */
import { BAD_HOSTS } from '../../support/hostile-hosts.js';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { sessionMiddleware, type SessionRequest as SessionRequestAs } from '../../../src/express/index.js';
import { createSessionHandler, type RequestSession, SessionManager } from '../../../src/index.js';
import { TestClient } from '../../support/client.js';
import { BODY_PROBES } from '../../support/hostile-bodies.js';
import { HOSTILE_RETURN_TO } from '../../support/hostile-return-to.js';
import { rawExchange, rawRequest, statuses } from '../../support/raw-http.js';
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
 * Routes that try to make their response cacheable, each its own way, and the `Cache-Control`
 * the response keeps when it carries no session cookie.
 */
const CACHING_ROUTES: Record<string, { send: (res: Response) => void; own: string | null }> = {
  '/cached/before': { send: (res) => res.send('ok'), own: 'public, max-age=600' },
  '/cached/set': { send: (res) => res.set('Cache-Control', 'public, max-age=600').send('ok'), own: 'public, max-age=600' },
  '/cached/set-object': { send: (res) => res.set({ 'Cache-Control': 'public', 'X-Kept': 'yes' }).send('ok'), own: 'public' },
  '/cached/header': { send: (res) => res.header('cache-control', 's-maxage=600').send('ok'), own: 's-maxage=600' },
  '/cached/set-header-upper-case': { send: (res) => res.setHeader('CACHE-CONTROL', 'public').end('ok'), own: 'public' },
  '/cached/set-header-list': { send: (res) => res.setHeader('Cache-Control', ['public', 'max-age=600']).end('ok'), own: 'public, max-age=600' },
  '/cached/write-head': { send: (res) => res.writeHead(200, { 'Cache-Control': 'public, max-age=600', 'X-Kept': 'yes' }).end('ok'), own: 'public, max-age=600' },
  '/cached/write-head-message': { send: (res) => res.writeHead(200, 'Fine', { 'cache-control': 'public' }).end('ok'), own: 'public' },
  '/cached/write-head-list': { send: (res) => res.writeHead(200, ['Cache-Control', 'public', 'X-Kept', 'yes']).end('ok'), own: 'public' },
  '/cached/removed': { send: (res) => { res.removeHeader('cache-control'); res.send('ok'); }, own: null },
  '/cached/flushed': { send: (res) => { res.set('Cache-Control', 'public'); res.flushHeaders(); res.end('ok'); }, own: 'public' },
  '/cached/json': { send: (res) => res.set('Cache-Control', 'public').json({ ok: true }), own: 'public' },
  '/cached/redirect': { send: (res) => res.set('Cache-Control', 'public').redirect('/dashboard'), own: 'public' },
  '/cached/status': { send: (res) => res.set('Cache-Control', 'public').sendStatus(204), own: 'public' },
};

/**
 * An Express app with the adapter mounted the way the README shows. `bodyParser` mounts
 * `express.urlencoded()` and `express.json()` before the adapter, as many apps do.
 */
async function startExpressApp(options: { bodyParser: boolean; trustProxy?: boolean }) {
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
  app.use('/cached/before', (_req, res, next) => {
    res.set('Cache-Control', 'public, max-age=600');
    next();
  });
  app.use(sessionMiddleware(auth, { trustProxy: options.trustProxy }));
  for (const [path, { send }] of Object.entries(CACHING_ROUTES)) app.get(path, (_req, res) => send(res));
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

    // Without a body parser, the shared adapter scenario switches organizations and echoes bodies.
    if (bodyParser) {
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
    }

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
      (req as unknown as { session: unknown }).session = { owner: 'express-session' };
      next();
    });
    app.use(sessionMiddleware(auth, { property: 'auth' }));
    app.get('/dashboard', (_req, res) => res.send('dashboard'));
    app.get('/api/me', (req, res) => {
      const { auth: session } = req as SessionRequestAs<'auth', Request>;
      res.json({ auth: summary(session), locals: summary(res.locals.auth as RequestSession), session: (req as unknown as { session: unknown }).session });
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

describe('a response that sets the session cookie is never cacheable, whatever the route sets', () => {
  let app: Awaited<ReturnType<typeof startExpressApp>>;
  beforeAll(async () => {
    app = await startExpressApp({ bodyParser: false });
  });

  for (const [path, { own }] of Object.entries(CACHING_ROUTES)) {
    test(path, async () => {
      const client = await signIn(app.origin);
      offsetMs = EXPIRED_OFFSET_MS;
      const refreshed = await client.request(path);
      expect(refreshed.status).toBeLessThan(400);
      expect(refreshed.headers.getSetCookie().some((header) => header.startsWith('wos-session='))).toBe(true);
      expect(refreshed.headers.get('cache-control')).toBe('no-store');
      if (path.includes('-object') || path.includes('write-head') && !path.includes('message')) expect(refreshed.headers.get('x-kept')).toBe('yes');

      // Without a cookie to set, the route's own choice stands.
      offsetMs = 0;
      const plain = await client.request(path);
      expect(plain.headers.getSetCookie()).toEqual([]);
      expect(plain.headers.get('cache-control')).toBe(own);
    });
  }
});

describe('invalid Host, forwarded headers and request targets: a 4xx or a normal answer, never a 5xx', () => {
  let app: Awaited<ReturnType<typeof startExpressApp>>;
  beforeAll(async () => {
    app = await startExpressApp({ bodyParser: false, trustProxy: true });
  });

  const REQUESTS = [
    ['GET', '/api/me'], ['GET', '/auth/sign-in'], ['GET', '/auth/session'], ['GET', '/auth/callback?code=x&state=y'],
    ['POST', '/auth/sign-out'], ['POST', '/auth/refresh'],
  ] as const;

  test(`${BAD_HOSTS.length} invalid Host headers on ${REQUESTS.length} routes: 400`, async () => {
    for (const host of BAD_HOSTS) {
      for (const [method, target] of REQUESTS) {
        const answer = await rawExchange(app.origin, rawRequest(method, target, { host, origin: app.origin, cookie: 'wos-session=x' }));
        expect(statuses(answer), `${method} ${target} Host: ${host.slice(0, 40)}`).toEqual([400]);
        expect(answer).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
      }
    }
  });

  test('valid Host forms are served', async () => {
    const { port } = new URL(app.origin);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`, 'app.example', 'my_service:8080', 'a.b-c.example']) {
      const answer = await rawExchange(app.origin, rawRequest('GET', '/api/me', { host }));
      expect(statuses(answer), host).toEqual([401]);
    }
  });

  test('forwarded headers of any shape', async () => {
    const { host } = new URL(app.origin);
    const values = ['javascript', 'https, http', 'HTTPS', '', ' ', 'ht tp', 'https://evil.example', 'http\u00ff', ',,,', 'x'.repeat(9000)];
    for (const value of values) {
      for (const [method, target] of REQUESTS) {
        const headers = { host, origin: app.origin, 'x-forwarded-proto': value, 'x-forwarded-host': value || 'evil.example', 'x-forwarded-for': value, forwarded: `for=${value};proto=${value}` };
        const codes = statuses(await rawExchange(app.origin, rawRequest(method, target, headers)));
        expect(codes.length, `${target} ${value.slice(0, 40)}`).toBe(1);
        expect(codes[0], `${target} ${value.slice(0, 40)}`).toBeLessThan(500);
      }
    }
  });

  test('request targets that are not plain paths', async () => {
    const { host } = new URL(app.origin);
    const targets = [
      '//evil.example/auth/sign-in', '//evil.example/api/me', '///evil.example/api/me', '/\\evil.example/api/me', 'http://evil.example/api/me',
      `http://${host}/auth/sign-in`, '*', '/auth/%zz', '/api/me?%', '/auth/sign-in?returnTo=%', '/%00', '/%ff%fe', `/${'a'.repeat(8000)}`,
      '/auth/../auth/sign-in', '/auth/./sign-in', '/auth/sign-in?returnTo=%2F%2Fevil.example', '/auth/sign-in?returnTo=/.//evil.example/',
    ];
    for (const target of targets) {
      for (const method of ['GET', 'POST']) {
        const answer = await rawExchange(app.origin, rawRequest(method, target, { host, origin: app.origin }));
        const codes = statuses(answer);
        expect(codes.length, `${method} ${target.slice(0, 60)}`).toBe(1);
        expect(codes[0], `${method} ${target.slice(0, 60)}`).toBeLessThan(500);
        // A redirect to this app carries no other host.
        const location = /^location: (.*)$/im.exec(answer)?.[1]?.trim();
        if (location?.startsWith('/')) expect(new URL(location, app.origin).origin).toBe(app.origin);
      }
    }
  });
});

// Without a body parser the adapter reads the bodies itself: the shared adapter scenario probes that.
describe('POST bodies of the auth routes, with a body parser before the adapter', () => {
  let app: Awaited<ReturnType<typeof startExpressApp>>;
  beforeAll(async () => {
    app = await startExpressApp({ bodyParser: true });
  });

  // A body parser reads a declared body to its end before it answers: that wait is its own.
  for (const probe of BODY_PROBES.filter((each) => !each.headersOnly)) {
    test(probe.name, async () => {
      const codes = statuses(await rawExchange(app.origin, probe.request(app.origin), { end: probe.end }));
      if (probe.end && codes.length === 0) return; // the server may drop a connection that broke its promise
      expect(codes[0]).toBe(probe.status);
      for (const code of codes) expect(code).toBeLessThan(500);
    });
  }
});

describe('Location headers written through the adapter', () => {
  test('POST /auth/refresh with hostile return paths redirects on this origin', async () => {
    const app = await startExpressApp({ bodyParser: false });
    const client = await signIn(app.origin);
    for (const returnTo of HOSTILE_RETURN_TO.filter((_, index) => index < 45 || index % 16 === 0)) {
      const response = await client.request('/auth/refresh', {
        method: 'POST', headers: { origin: app.origin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ returnTo }),
      });
      expect(response.status).toBe(303);
      const location = response.headers.get('location')!;
      expect(location.startsWith('//') || location.startsWith('/\\')).toBe(false);
      expect(new URL(location, app.origin).origin).toBe(app.origin);
    }
  });
});
