/** The Hono middleware in a real Hono 4 app on Hono's Node server, through the shared adapter scenario. */
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { type SessionEnv, sessionMiddleware } from '../../../src/hono/index.js';
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
