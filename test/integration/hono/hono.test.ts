/** The Hono middleware in a real Hono 4 app on Hono's Node server, through the shared adapter scenario. */
import { getRequestListener, serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { createSessionHandler, SessionManager } from '../../../src/index.js';
import { type SessionEnv, sessionMiddleware } from '../../../src/hono/index.js';
import { PASSWORD } from '../../support/web-app.js';
import { adapterScenario, summary } from '../adapters/scenario.js';

adapterScenario('Hono', async ({ server, handler }) => {
  const app = new Hono<Partial<SessionEnv>>();
  if (handler) app.use(sessionMiddleware(handler));
  app.get('/dashboard', (c) => c.text('dashboard'));
  app.get('/api/me', (c) => c.json(summary(c.var.session), c.var.session?.authenticated ? 200 : 401));
  app.get('/cached', (c) => {
    c.header('set-cookie', 'theme=dark; Path=/');
    c.header('cache-control', 'public, max-age=600');
    return c.json(summary(c.var.session));
  });
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.post('/echo', async (c) => c.text(await c.req.text()));
  server.on('request', getRequestListener(app.fetch));
}, 'server');

test('a response with immutable headers (relayed from fetch) still carries the cookie change, no-store', async () => {
  const upstream = serve({ fetch: () => new Response('relayed', { headers: { 'cache-control': 'public, max-age=600' } }), port: 0 });
  await new Promise<void>((resolve) => upstream.once('listening', () => resolve()));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
  // No provider is reached: a cookie that does not unseal is deleted without one.
  const sessions = new SessionManager({ clientId: 'client_relay', cookiePassword: PASSWORD, baseUrl: 'http://127.0.0.1:9' });
  const app = new Hono()
    .use(sessionMiddleware(createSessionHandler({ sessions, redirectUri: 'http://localhost/auth/callback' })))
    .get('/relayed', () => fetch(upstreamUrl));
  try {
    const response = await app.request('/relayed', { headers: { cookie: 'wos-session=Fe26.2*1*not-a-session' } });
    expect(await response.text()).toBe('relayed');
    expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^wos-session=; Path=\/; Max-Age=0; /)]);
    expect(response.headers.get('cache-control')).toBe('no-store');
  } finally {
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  }
});
