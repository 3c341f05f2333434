/**
 * Express (and any `(req, res, next)` framework) adapter: mounts the auth routes and puts the
 * session of every request on `req.session` and `res.locals.session` (or another property name).
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestSession, SessionHandler } from '../http/index.js';
import { appendSetCookies, keepUncacheable, requestUrl, sendFetchResponse, toFetchRequest } from '../node/fetch-bridge.js';

/** Options of {@link sessionMiddleware}. */
export interface SessionMiddlewareOptions {
  /** Trust `X-Forwarded-Proto` (behind a TLS-terminating proxy). Default false. */
  trustProxy?: boolean;
  /**
   * Name of the property set on `req` and `res.locals`. Default `'session'`; choose another
   * (e.g. `'auth'`) when express-session or cookie-session already own `req.session`.
   */
  property?: string;
}

/**
 * A request after {@link sessionMiddleware}, with the session under `Property` (default
 * `session`). Pass your framework's request type as `Base`. With Express, declaring the
 * property once on `Express.Request` saves the casts.
 */
export type SessionRequest<Property extends string = 'session', Base extends IncomingMessage = IncomingMessage> = Base & {
  [key in Property]: RequestSession;
};

declare global {
  // Express declares its request type in this global namespace; merging into it is how a
  // middleware types the property it sets.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * The request's session, set by {@link sessionMiddleware} (typed here for its default
       * `property`; with another, type the request with {@link SessionRequest}).
       */
      session: RequestSession;
    }
  }
}

type NodeRequest = IncomingMessage & { originalUrl?: string; body?: unknown };
type NodeResponse = ServerResponse & { locals?: Record<string, unknown> };

/**
 * Express (or any `(req, res, next)` framework) middleware around a {@link SessionHandler}:
 * answers the handler's routes (`/auth/sign-in`, `/auth/sign-out`, the redirect URI's path, …),
 * and for every other request authenticates (and refreshes, if due) the session, sets
 * `req.session` and `res.locals.session`, appends any `Set-Cookie` and calls `next()`. Mount it
 * before your routes.
 * A request with an invalid `Host` is answered 400; the auth routes answer bad bodies with a
 * 4xx themselves. A response that carries a refreshed or deleted session cookie is `Cache-Control:
 * no-store`, whatever the app's route sets. Other errors go to `next(error)`.
 *
 * @example
 * ```ts
 * const auth = createSessionHandler({ sessions, redirectUri: 'http://localhost:3000/auth/callback' });
 * app.use(sessionMiddleware(auth));
 * app.get('/', (req, res) => res.send(req.session.authenticated ? `Hi ${req.session.user.email}` : 'Hello'));
 * ```
 */
export function sessionMiddleware(handler: SessionHandler, options: SessionMiddlewareOptions = {}) {
  const routePaths = new Set(Object.values(handler.paths));
  const property = options.property ?? 'session';
  return async function sealedSession(req: NodeRequest, res: NodeResponse, next: (error?: unknown) => void): Promise<void> {
    try {
      const url = requestUrl(req, options);
      if (url === undefined) {
        res.statusCode = 400;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        return void res.end('Bad Request: invalid Host header');
      }
      const isRoute = routePaths.has(url.pathname);
      const request = toFetchRequest(req, res, url, isRoute);
      if (isRoute) {
        const response = await handler.handle(request);
        if (response) return void (await sendFetchResponse(res, response));
      }
      const { session, setCookies } = await handler.authenticate(request);
      (req as unknown as Record<string, unknown>)[property] = session;
      if (res.locals) res.locals[property] = session;
      else res.locals = { [property]: session };
      if (setCookies.length > 0) {
        appendSetCookies(res, setCookies);
        keepUncacheable(res);
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}
