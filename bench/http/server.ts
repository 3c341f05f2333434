/**
 * One HTTP server for case 4, run in its own process: a Hono app that authenticates every
 * request to `/api/me`, either with our Fetch authenticator or with @workos-inc/node the way its
 * README shows (or not at all: the framework's ceiling). All answer the same small JSON. Prints
 * `listening <port>` when ready.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AddressInfo } from 'node:net';
import { WorkOS } from '@workos-inc/node';
import { createRequestAuthenticator, SessionManager } from '../../src/index.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const mode = env('BENCH_MODE');
const baseUrl = env('BENCH_BASE_URL');
const clientId = env('BENCH_CLIENT_ID');
const apiKey = env('BENCH_API_KEY');
const password = env('BENCH_PASSWORD');
const COOKIE = 'wos-session';

type Me = { email: string; organizationId: string | null; role: string | null };
type Authenticate = (request: Request) => Promise<{ me: Me | undefined; setCookies: string[] }>;

function ours(): Authenticate {
  const sessions = new SessionManager({ clientId, apiKey, cookiePassword: password, baseUrl, issuer: process.env.BENCH_ISSUER || undefined });
  const auth = createRequestAuthenticator({ sessions, cookie: { name: COOKIE } });
  return async (request) => {
    const { session, setCookies } = await auth.authenticate(request);
    if (!session.authenticated) return { me: undefined, setCookies };
    return { me: { email: session.user.email, organizationId: session.organizationId ?? null, role: session.role ?? null }, setCookies };
  };
}

function official(): { authenticate: (cookie: string | undefined) => ReturnType<Authenticate> } {
  const url = new URL(baseUrl);
  const workos = new WorkOS(apiKey, { apiHostname: url.hostname, port: Number(url.port), https: false, clientId });
  return {
    authenticate: async (cookie) => {
      const result = await workos.userManagement.loadSealedSession({ sessionData: cookie ?? '', cookiePassword: password }).authenticate();
      if (!result.authenticated) return { me: undefined, setCookies: [] };
      return { me: { email: result.user.email, organizationId: result.organizationId ?? null, role: result.role ?? null }, setCookies: [] };
    },
  };
}

const app = new Hono();
if (mode === 'ours') {
  const authenticate = ours();
  app.get('/api/me', async (c) => {
    const { me, setCookies } = await authenticate(c.req.raw);
    for (const value of setCookies) c.header('set-cookie', value, { append: true });
    return me ? c.json(me) : c.json({ authenticated: false }, 401);
  });
} else if (mode === 'workos') {
  const sdk = official();
  app.get('/api/me', async (c) => {
    const { me } = await sdk.authenticate(getCookie(c, COOKIE));
    return me ? c.json(me) : c.json({ authenticated: false }, 401);
  });
} else if (mode === 'none') {
  // The ceiling: same route and answer, no authentication at all.
  app.get('/api/me', (c) => (getCookie(c, COOKIE) ? c.json({ email: 'ceiling@example.com', organizationId: null, role: null }) : c.json({}, 401)));
} else {
  throw new Error(`BENCH_MODE must be "ours", "workos" or "none", not ${mode}`);
}

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
server.once('listening', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
