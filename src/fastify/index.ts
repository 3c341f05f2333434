/**
 * Fastify adapter: a plugin that registers the auth routes and puts the session of every other
 * request on `request.session`.
 * @packageDocumentation
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { RequestSession, SessionHandler } from '../http/index.js';
import { keepUncacheable, requestUrl, toFetchRequest } from '../node/fetch-bridge.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The session of this request, set by `sessionPlugin` in an `onRequest` hook; narrow on
     * `authenticated`. Not set on the auth routes, which answer for themselves.
     */
    session: RequestSession;
  }
}

/** Options of {@link sessionPlugin}. */
export interface SessionPluginOptions {
  /** The app's one handler, from `createSessionHandler`: its routes and its session logic. */
  handler: SessionHandler;
  /** Trust `X-Forwarded-Proto` (behind a TLS-terminating proxy). Default false. */
  trustProxy?: boolean;
}

function badHost(reply: FastifyReply): FastifyReply {
  return reply.code(400).type('text/plain; charset=utf-8').send('Bad Request: invalid Host header');
}

async function plugin(fastify: FastifyInstance, options: SessionPluginOptions): Promise<void> {
  const { handler } = options;
  const routePaths = new Set(Object.values(handler.paths));
  fastify.decorateRequest('session');

  fastify.addHook('onRequest', async (request, reply) => {
    const url = requestUrl(request.raw, options);
    if (url === undefined) return badHost(reply);
    if (routePaths.has(url.pathname)) return;
    const { session, setCookies } = await handler.authenticate(toFetchRequest(request.raw, reply.raw, url, false));
    request.session = session;
    if (setCookies.length > 0) {
      reply.header('set-cookie', setCookies);
      keepUncacheable(reply.raw);
    }
  });

  // Its own context: the routes read their bodies themselves, capped as in the core, so no
  // parser of the app's may consume (or refuse) them first.
  await fastify.register(async (routes) => {
    routes.removeAllContentTypeParsers();
    routes.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const answer = async (request: FastifyRequest, reply: FastifyReply) => {
      const url = requestUrl(request.raw, options);
      if (url === undefined) return badHost(reply);
      const response = await handler.handle(toFetchRequest(request.raw, reply.raw, url, true));
      if (response === undefined) return reply.callNotFound();
      return reply.send(response);
    };
    for (const path of routePaths) routes.all(path, { exposeHeadRoute: false }, answer);
  });
}

/**
 * Fastify plugin around a {@link SessionHandler}: registers its routes (`/auth/sign-in`,
 * `/auth/sign-out`, the redirect URI's path, …) and, in an `onRequest` hook, authenticates (and
 * refreshes, if due) the session of every other request and sets `request.session`. It breaks
 * encapsulation (fastify-plugin), so the hook covers every route of the app; register it before
 * hooks that read the session.
 * A request with an invalid `Host` is answered 400; the auth routes read their own bodies (8 KiB
 * at most) and answer bad ones with a 4xx. A refreshed or deleted session cookie is added to the
 * reply's own `Set-Cookie` headers, and that response is `Cache-Control: no-store` whatever the
 * route sets. Errors of the app's routes go to Fastify's error handler.
 *
 * @example
 * ```ts
 * const auth = createSessionHandler({ sessions, redirectUri: 'http://localhost:3000/auth/callback' });
 * const app = Fastify();
 * await app.register(sessionPlugin, { handler: auth });
 * app.get('/', async (request) => (request.session.authenticated ? `Hi ${request.session.user.email}` : 'Hello'));
 * ```
 */
export const sessionPlugin = fastifyPlugin(plugin, { fastify: '5.x', name: 'sealed-session' });
