/**
 * Next.js middleware (`middleware.ts` at the project root) signing users in with WorkOS AuthKit.
 *
 * It answers the auth routes itself (`/auth/sign-in`, `/auth/callback`, `/auth/sign-out`, …),
 * sends signed-out visitors of protected pages to sign-in, and forwards the session to pages and
 * route handlers as request headers (`headers().get('x-session-email')`). Refreshed cookies go
 * back to the browser on the same response.
 *
 * Plain `(request: Request) => Promise<Response>`, no Next.js import, so it runs on the Edge
 * runtime and on Node alike; `npm run test:runtimes` runs it in workerd against the WorkOS
 * emulator. Configure with WORKOS_CLIENT_ID, WORKOS_API_KEY, WORKOS_COOKIE_PASSWORD and
 * WORKOS_REDIRECT_URI (`https://app.example.com/auth/callback`).
 */
import { createSessionHandler, SessionManager, withCookies, type RequestSession } from 'sealed-session';

/** Request headers that carry the session to the app. Only this middleware sets them. */
export const SESSION_HEADERS = {
  userId: 'x-session-user-id',
  email: 'x-session-email',
  sessionId: 'x-session-id',
  organizationId: 'x-session-organization-id',
  role: 'x-session-role',
} as const;

export interface AuthMiddlewareOptions {
  sessions: SessionManager;
  /** The callback registered with WorkOS; its path is served by this middleware. */
  redirectUri: string;
  /** Which pages need a session. Default: every page except `/`. */
  isProtected?: (pathname: string) => boolean;
}

/**
 * What `NextResponse.next({ request: { headers } })` returns: "carry on to the page, with these
 * request headers". In an app, `import { NextResponse } from 'next/server'` and call it instead;
 * spelled out here so the example runs without Next.js.
 */
function next(requestHeaders: Headers): Response {
  const response = new Response(null, { headers: { 'x-middleware-next': '1' } });
  const names: string[] = [];
  requestHeaders.forEach((value, name) => {
    names.push(name);
    response.headers.set(`x-middleware-request-${name}`, value);
  });
  response.headers.set('x-middleware-override-headers', names.join(','));
  return response;
}

/**
 * The request's headers with the session's, replacing any a client sent: a page must be able to
 * trust `x-session-*`.
 */
function forwardedHeaders(request: Request, session: RequestSession): Headers {
  const headers = new Headers(request.headers);
  for (const name of Object.values(SESSION_HEADERS)) headers.delete(name);
  if (!session.authenticated) return headers;
  headers.set(SESSION_HEADERS.userId, session.user.id);
  headers.set(SESSION_HEADERS.email, session.user.email);
  headers.set(SESSION_HEADERS.sessionId, session.sessionId);
  if (session.organizationId) headers.set(SESSION_HEADERS.organizationId, session.organizationId);
  if (session.role) headers.set(SESSION_HEADERS.role, session.role);
  return headers;
}

export function createAuthMiddleware(options: AuthMiddlewareOptions): (request: Request) => Promise<Response> {
  const auth = createSessionHandler({ sessions: options.sessions, redirectUri: options.redirectUri });
  const isProtected = options.isProtected ?? ((pathname: string) => pathname !== '/');
  // A request for an auth route that the handler does not answer (a HEAD, a stray GET of the
  // sign-out) must not be sent to sign-in: from sign-in itself that would loop.
  const authPaths = new Set<string>(Object.values(auth.paths));

  return async function middleware(request: Request): Promise<Response> {
    const routed = await auth.handle(request);
    if (routed) return routed;

    const url = new URL(request.url);
    const { session, setCookies } = await auth.authenticate(request);
    if (!session.authenticated && !authPaths.has(url.pathname) && isProtected(url.pathname)) {
      const signIn = new URL(auth.signInPath(url.pathname + url.search), url);
      return withCookies(new Response(null, { status: 307, headers: { location: signIn.href } }), setCookies);
    }
    return withCookies(next(forwardedHeaders(request, session)), setCookies);
  };
}

let fromEnv: ((request: Request) => Promise<Response>) | undefined;

/** The middleware as Next.js loads it, configured from the environment on first use. */
export function middleware(request: Request): Promise<Response> {
  fromEnv ??= createAuthMiddleware({
    sessions: new SessionManager(),
    redirectUri: process.env.WORKOS_REDIRECT_URI ?? new URL('/auth/callback', request.url).href,
  });
  return fromEnv(request);
}

/** Runs on every page, not on static assets. */
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
