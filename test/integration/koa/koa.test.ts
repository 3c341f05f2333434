/** The Koa middleware in a real Koa 3 app on Node's HTTP server, through the shared adapter scenario. */
import Koa from 'koa';
import { text } from 'node:stream/consumers';
import { type SessionState, sessionMiddleware } from '../../../src/koa/index.js';
import { adapterScenario, summary } from '../adapters/scenario.js';

adapterScenario('Koa', async ({ server, handler }) => {
  const app = new Koa<Partial<SessionState>>();
  app.silent = true; // the thrown route's error is expected
  if (handler) app.use(sessionMiddleware(handler));
  app.use(async (ctx, next) => {
    switch (`${ctx.method} ${ctx.path}`) {
      case 'GET /dashboard':
        ctx.body = 'dashboard';
        return;
      case 'GET /cached':
        ctx.cookies.set('theme', 'dark', { httpOnly: false });
        ctx.set('Cache-Control', 'public, max-age=600');
        ctx.body = summary(ctx.state.session);
        return;
      case 'GET /api/me':
        ctx.status = ctx.state.session?.authenticated ? 200 : 401;
        ctx.body = summary(ctx.state.session);
        return;
      case 'GET /boom':
        throw new Error('boom');
      case 'POST /echo':
        ctx.type = 'text/plain';
        ctx.body = await text(ctx.req);
        return;
      default:
        return next();
    }
  });
  server.on('request', app.callback());
});
