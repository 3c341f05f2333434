/**
 * Koa adapter: a middleware that answers the auth routes and puts the session of every other
 * request on `ctx.state.session`.
 * @packageDocumentation
 */
import type { ServerResponse } from 'node:http';
import type { Context, Middleware } from 'koa';
import type { RequestSession, SessionHandler } from '../http/index.js';
import { keepUncacheable, requestUrl, toFetchRequest } from '../node/fetch-bridge.js';

/**
 * The state {@link sessionMiddleware} adds: give it to `new Koa<SessionState>()` (or your
 * router's state type) to have `ctx.state.session` typed.
 */
export interface SessionState {
  /** The session of this request; narrow on `authenticated`. */
  session: RequestSession;
}

/** Options of {@link sessionMiddleware}. */
export interface SessionMiddlewareOptions {
  /** Trust `X-Forwarded-Proto` (behind a TLS-terminating proxy). Default false. */
  trustProxy?: boolean;
}

/** Writes a Fetch `Response` of the auth routes to Koa's response, keeping every `Set-Cookie` separate. */
async function send(ctx: Context, response: Response): Promise<void> {
  ctx.status = response.status;
  for (const [name, value] of response.headers) if (name !== 'set-cookie') ctx.set(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) ctx.append('Set-Cookie', cookies);
  if (response.body !== null) ctx.body = Buffer.from(await response.arrayBuffer());
}

/**
 * Puts `cookies` back when the headers are written, if something removed them since: Koa's
 * error handler clears every header before it writes its page, and a refreshed session cookie
 * lost there leaves the browser with a spent refresh token.
 */
function restoreOnWrite(res: ServerResponse, cookies: readonly string[]): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const current = this.getHeader('set-cookie');
    const kept = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
    const missing = cookies.filter((cookie) => !kept.includes(cookie));
    if (missing.length > 0) this.setHeader('set-cookie', [...kept, ...missing]);
    return Reflect.apply(writeHead, this, args) as ServerResponse;
  } as ServerResponse['writeHead'];
}

/**
 * Koa middleware around a {@link SessionHandler}: answers its routes (`/auth/sign-in`,
 * `/auth/sign-out`, the redirect URI's path, …), and for every other request authenticates (and
 * refreshes, if due) the session, sets `ctx.state.session` and calls `next()`. Use it before
 * your routes and before any body parser (the auth routes read their own bodies, 8 KiB at most).
 * A request with an invalid `Host` is answered 400; the auth routes answer bad bodies with a 4xx.
 * A refreshed or deleted session cookie is appended to Koa's `Set-Cookie` header, kept through
 * Koa's error handling, and that response is `Cache-Control: no-store` whatever the app sets.
 * Errors of the app go on to Koa's (or the app's) error handling unchanged.
 *
 * @example
 * ```ts
 * const auth = createSessionHandler({ sessions, redirectUri: 'http://localhost:3000/auth/callback' });
 * const app = new Koa<SessionState>();
 * app.use(sessionMiddleware(auth));
 * app.use((ctx) => {
 *   ctx.body = ctx.state.session.authenticated ? `Hi ${ctx.state.session.user.email}` : 'Hello';
 * });
 * ```
 */
export function sessionMiddleware(handler: SessionHandler, options: SessionMiddlewareOptions = {}): Middleware<SessionState> {
  const routePaths = new Set(Object.values(handler.paths));
  return async function sealedSession(ctx, next) {
    const url = requestUrl(ctx.req, options);
    if (url === undefined) {
      ctx.status = 400;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'Bad Request: invalid Host header';
      return;
    }
    const isRoute = routePaths.has(url.pathname);
    const request = toFetchRequest(ctx.req, ctx.res, url, isRoute);
    if (isRoute) {
      const response = await handler.handle(request);
      if (response) return send(ctx, response);
    }
    const { session, setCookies } = await handler.authenticate(request);
    ctx.state.session = session;
    if (setCookies.length === 0) return next();
    ctx.append('Set-Cookie', setCookies);
    keepUncacheable(ctx.res);
    try {
      await next();
    } catch (error) {
      restoreOnWrite(ctx.res, setCookies);
      throw error;
    }
  };
}
