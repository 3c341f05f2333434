/**
 * Hono adapter: a middleware that answers the auth routes and puts the session of every other
 * request on `c.var.session`.
 * @packageDocumentation
 */
import type { MiddlewareHandler } from 'hono';
import { type RequestSession, type SessionHandler, withCookies } from '../http/index.js';

/**
 * The environment {@link sessionMiddleware} adds: `c.var.session` (and `c.get('session')`).
 * Chained (`new Hono().use(sessionMiddleware(auth))`) the app picks it up by itself; otherwise
 * give it to `new Hono<SessionEnv>()`.
 */
export interface SessionEnv {
  Variables: {
    /** The session of this request; narrow on `authenticated`. */
    session: RequestSession;
  };
}

/**
 * Hono middleware around a {@link SessionHandler}: answers its routes (`/auth/sign-in`,
 * `/auth/sign-out`, the redirect URI's path, …), and for every other request authenticates (and
 * refreshes, if due) the session, sets `c.var.session` and calls `next()`. Use it before your
 * routes and before anything that reads a body (the auth routes read their own, 8 KiB at most).
 * A refreshed or deleted session cookie is appended to the app's response, whatever it is
 * (the app's error page included), and that response is `Cache-Control: no-store`. The `Host`
 * is the server's to check; a request whose URL the server could not make valid is answered 400.
 *
 * @example
 * ```ts
 * const auth = createSessionHandler({ sessions, redirectUri: 'http://localhost:3000/auth/callback' });
 * const app = new Hono().use(sessionMiddleware(auth));
 * app.get('/', (c) => c.text(c.var.session.authenticated ? `Hi ${c.var.session.user.email}` : 'Hello'));
 * ```
 */
export function sessionMiddleware(handler: SessionHandler): MiddlewareHandler<SessionEnv> {
  const routePaths = new Set(Object.values(handler.paths));
  return async function sealedSession(c, next) {
    // Hono's Node server passes some invalid hosts (`1.2.3.999`) through as an unparsed URL.
    if (!URL.canParse(c.req.url)) return c.text('Bad Request: invalid Host header', 400);
    if (routePaths.has(c.req.path)) {
      const response = await handler.handle(c.req.raw);
      if (response) return response;
    }
    const { session, setCookies } = await handler.authenticate(c.req.raw);
    c.set('session', session);
    await next();
    if (setCookies.length === 0) return;
    const response = withCookies(c.res, setCookies);
    // Cleared first: assigning over a response merges the old one's headers into the new one.
    c.res = undefined;
    c.res = response;
  };
}
