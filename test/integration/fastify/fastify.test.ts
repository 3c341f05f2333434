/** The Fastify plugin in a real Fastify 5 app on Node's HTTP server, through the shared adapter scenario. */
import Fastify from 'fastify';
import { sessionPlugin } from '../../../src/fastify/index.js';
import { adapterScenario, summary } from '../adapters/scenario.js';

adapterScenario('Fastify', async ({ server, handler }) => {
  const app = Fastify({
    serverFactory: (listener) => server.on('request', listener),
    forceCloseConnections: true,
  });
  // A parser for forms, as apps add one: the auth routes must not be handed to it.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  if (handler) await app.register(sessionPlugin, { handler });
  app.get('/dashboard', async () => 'dashboard');
  // In a plugin of its own, under a prefix: the plugin's hook covers every context of the app.
  await app.register(async (api) => {
    api.get('/me', async (request, reply) => {
      reply.code(request.session?.authenticated ? 200 : 401);
      return summary(request.session);
    });
  }, { prefix: '/api' });
  app.get('/cached', async (request, reply) => {
    reply.header('set-cookie', 'theme=dark; Path=/').header('cache-control', 'public, max-age=600');
    return summary(request.session);
  });
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  app.post('/echo', async (request, reply) => {
    reply.type('text/plain');
    return typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  });
  await app.ready();
  return () => app.close();
});
