/** The Express middleware in a real Express 5 app, through the shared adapter scenario. */
import express from 'express';
import { sessionMiddleware, type SessionRequest } from '../../../src/express/index.js';
import type { RequestSession } from '../../../src/index.js';
import { adapterScenario, summary } from '../adapters/scenario.js';

adapterScenario('Express', async ({ server, handler }) => {
  const app = express();
  app.set('env', 'production'); // error pages without a stack trace, which differs with the middleware
  if (handler) app.use(sessionMiddleware(handler));
  const sessionOf = (req: express.Request) => (req as Partial<SessionRequest<'session', express.Request>>).session as RequestSession | undefined;
  app.get('/dashboard', (_req, res) => res.send('dashboard'));
  app.get('/api/me', (req, res) => res.status(sessionOf(req)?.authenticated ? 200 : 401).json(summary(sessionOf(req))));
  app.get('/cached', (req, res) => res.cookie('theme', 'dark').set('Cache-Control', 'public, max-age=600').json(summary(sessionOf(req))));
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.post('/echo', express.text({ type: '*/*' }), (req, res) => res.type('text/plain').send(req.body as string));
  server.on('request', app);
});
