import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startEmulator } from '../../demo/emulator.js';
import { createSessionHandler, SessionManager, type SessionHandlerOptions, type RequestSession } from '../../src/index.js';

export const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';

/**
 * A small Hono app using the Fetch handler the way the README shows: auth routes mounted as is,
 * every other request authenticated, `/api/me` answering with the session.
 */
export async function startHonoApp(provider: { baseUrl: string; issuer?: string; clientId: string; apiKey: string }, options: {
  now?: () => number;
  handler?: Partial<SessionHandlerOptions>;
} = {}) {
  let port = 0;
  const app = new Hono<{ Variables: { session: RequestSession } }>();
  const sessions = new SessionManager({
    clientId: provider.clientId,
    apiKey: provider.apiKey,
    cookiePassword: PASSWORD,
    baseUrl: provider.baseUrl,
    issuer: provider.issuer,
    now: options.now,
  });
  const origin = () => `http://localhost:${port}`;
  let auth: ReturnType<typeof createSessionHandler> | undefined;
  const handler = () =>
    (auth ??= createSessionHandler({ sessions, redirectUri: `${origin()}/auth/callback`, ...options.handler }));

  app.all('/auth/*', async (c, next) => (await handler().handle(c.req.raw)) ?? next());
  app.use('*', async (c, next) => {
    const { session, setCookies } = await handler().authenticate(c.req.raw);
    c.set('session', session);
    await next();
    for (const cookie of setCookies) c.res.headers.append('set-cookie', cookie);
    if (setCookies.length > 0) c.res.headers.set('cache-control', 'no-store');
  });
  app.get('/api/me', (c) => {
    const session = c.get('session');
    if (!session.authenticated) {
      return c.json({ authenticated: false, reason: session.reason, retryable: session.retryable, detail: session.detail, retryAfter: session.retryAfter }, 401);
    }
    return c.json({
      authenticated: true, email: session.user.email, organizationId: session.organizationId ?? null, role: session.role ?? null,
      refreshed: session.refreshed, sessionId: session.sessionId, expiresAt: session.expiresAt.toISOString(), cookieError: session.cookieError,
    });
  });
  app.get('/', (c) => c.text('home'));

  const server = serve({ fetch: app.fetch, port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  port = (server.address() as AddressInfo).port;
  return {
    origin: origin(),
    sessions,
    handler,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The emulator and a {@link startHonoApp} app signing in there directly, for a test file: started
 * before its tests, closed after them. The fields are there once the tests run.
 */
export function appOnEmulatorForFile() {
  const started = {} as { emulator: Awaited<ReturnType<typeof startEmulator>>; app: Awaited<ReturnType<typeof startHonoApp>> };
  beforeAll(async () => {
    started.emulator = await startEmulator();
    started.app = await startHonoApp({ baseUrl: started.emulator.url, clientId: started.emulator.clientId, apiKey: started.emulator.apiKey });
  });
  afterAll(async () => {
    await started.app?.close();
    await started.emulator?.close();
  });
  return started;
}
