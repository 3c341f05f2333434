import { NextResponse } from 'next/server.js';
import type { Impersonator, User } from '../api/types.js';
import { parseCookieHeader, readChunkedCookie } from '../cookies/index.js';
import { TokenRefreshError, type TokenRefreshErrorCode } from './errors.js';
import { MIDDLEWARE_HEADER, partitionAuthkitHeaders, applyResponseHeaders, REDIRECT_URI_HEADER, SESSION_HEADER, SIGN_UP_PATHS_HEADER, URL_HEADER } from './headers.js';
import { pathMatcher } from './paths.js';
import { runtime } from './runtime.js';
import { cookiesAfter } from './set-cookie.js';
import { signInLink } from './sign-in.js';
import { userInfo, type NoUserInfo, type UserInfo } from './user-info.js';

/** Sign-in enforced by the proxy itself. */
export interface AuthkitMiddlewareAuth {
  /** Redirect signed-out visitors of every matched path to sign-in. */
  enabled: boolean;
  /** Paths open to signed-out visitors (Next.js matcher syntax). The callback path always is. */
  unauthenticatedPaths: string[];
}

/** Options of {@link authkitProxy} and {@link authkitMiddleware}. */
export interface AuthkitMiddlewareOptions {
  /** Log each request's session outcome (never a token). */
  debug?: boolean;
  /** Redirect signed-out visitors to sign-in, except on `unauthenticatedPaths`. */
  middlewareAuth?: AuthkitMiddlewareAuth;
  /** The callback URL for sign-ins started under this proxy. Default `NEXT_PUBLIC_WORKOS_REDIRECT_URI`. */
  redirectUri?: string;
  /** Paths whose sign-in opens the sign-up screen. */
  signUpPaths?: string[];
  /** Refresh this many seconds before the access token expires. Default 60 (half the lifetime of tokens under two minutes); 0 disables. */
  refreshBufferSeconds?: number;
  /** Not supported: the access token stays on the server; client code gets it through `useAccessToken`. */
  eagerAuth?: boolean;
}

/** Options of {@link authkit}. */
export interface AuthkitOptions {
  /** Log the session outcome (never a token). */
  debug?: boolean;
  /** The callback URL for a sign-in started from this request. */
  redirectUri?: string;
  /** Which screen `authorizationUrl` opens. Default `sign-in`. */
  screenHint?: 'sign-up' | 'sign-in';
  /** Refresh this many seconds before the access token expires. */
  refreshBufferSeconds?: number;
  /** Not supported: see {@link AuthkitMiddlewareOptions.eagerAuth}. */
  eagerAuth?: boolean;
  /** Called when this request refreshed the session. */
  onSessionRefreshSuccess?: (data: { accessToken: string; user: User; impersonator?: Impersonator; organizationId?: string }) => void | Promise<void>;
  /** Called when the request's session could not be refreshed; `isTransient` when its cookie was kept. */
  onSessionRefreshError?: (params: { error: unknown; request: Request; isTransient: boolean }) => void | Promise<void>;
}

/**
 * What {@link authkit} returns: the session, the headers to hand on (request headers for the
 * page, `Set-Cookie` for the browser: give both to {@link handleAuthkitProxy}), and for a
 * signed-out request the sign-in link.
 */
export interface AuthkitResponse {
  session: UserInfo | NoUserInfo;
  headers: Headers;
  authorizationUrl?: string;
}

let warnedEagerAuth = false;

function warnEagerAuth(eagerAuth: boolean | undefined): void {
  if (!eagerAuth || warnedEagerAuth) return;
  warnedEagerAuth = true;
  console.warn('[sealed-session/next] eagerAuth is not supported: the access token is not put in a script-readable cookie. Use useAccessToken() in client components.');
}

// Reasons of a request that never got as far as a refresh: no cookie, a broken one, no keys.
const NOT_A_REFRESH: ReadonlySet<string> = new Set(['no_session_cookie_provided', 'invalid_session_cookie', 'invalid_cookie_chunks', 'invalid_jwt', 'jwks_unavailable']);

function refreshFailure(reason: string): TokenRefreshErrorCode | undefined {
  return NOT_A_REFRESH.has(reason) ? undefined : (reason as TokenRefreshErrorCode);
}

/**
 * Authenticates a request (refreshing its session when due, shared with concurrent requests),
 * for proxies that do more than {@link authkitProxy}. Never throws on a bad or missing cookie:
 * the request is signed out, with a sign-in link.
 *
 * @example
 * ```ts
 * // proxy.ts
 * export default async function proxy(request: NextRequest) {
 *   const { session, headers, authorizationUrl } = await authkit(request);
 *   if (request.nextUrl.pathname.startsWith('/admin') && !session.user) return handleAuthkitProxy(request, headers, { redirect: authorizationUrl });
 *   return handleAuthkitProxy(request, headers);
 * }
 * ```
 */
export async function authkit(request: Request, options: AuthkitOptions = {}): Promise<AuthkitResponse> {
  warnEagerAuth(options.eagerAuth);
  const rt = runtime(options.redirectUri);
  const { session, setCookies } = await rt.authenticator(options.refreshBufferSeconds).authenticate(request);
  const url = new URL(request.url);
  const headers = new Headers();
  headers.set(MIDDLEWARE_HEADER, 'true');
  headers.set(URL_HEADER, request.url);
  if (options.redirectUri) headers.set(REDIRECT_URI_HEADER, options.redirectUri);
  for (const header of setCookies) headers.append('set-cookie', header);
  const sent = parseCookieHeader(request.headers);
  if (session.authenticated || readChunkedCookie(sent, rt.cookie.name).status !== 'absent') {
    // A page rendered for one user must never be served to another from a shared cache.
    headers.set('cache-control', 'private, no-store');
    headers.set('vary', 'Cookie');
  }
  if (options.debug) {
    const outcome = session.authenticated ? (session.refreshed ? 'refreshed' : 'authenticated') : `signed out (${session.reason})`;
    console.log(`[sealed-session/next] ${request.method} ${url.pathname}: ${outcome}`);
  }

  if (session.authenticated) {
    const current = readChunkedCookie(cookiesAfter(sent, setCookies), rt.cookie.name);
    if (current.status === 'ok') headers.set(SESSION_HEADER, current.value);
    if (session.refreshed) {
      await options.onSessionRefreshSuccess?.({
        accessToken: session.accessToken,
        user: session.user,
        ...(session.impersonator && { impersonator: session.impersonator }),
        ...(session.organizationId && { organizationId: session.organizationId }),
      });
    }
    return { session: userInfo(session), headers };
  }
  const failed = refreshFailure(session.reason);
  if (failed !== undefined && options.onSessionRefreshError) {
    const error = new TokenRefreshError(`Failed to refresh session: ${failed}`, failed, { isTransient: session.retryable });
    await options.onSessionRefreshError({ error, request, isTransient: session.retryable });
  }
  const authorizationUrl = await signInLink(rt, options.screenHint ?? 'sign-in', { returnTo: `${url.pathname}${url.search}`, redirectUri: options.redirectUri });
  return { session: { user: null }, headers, authorizationUrl };
}

/**
 * The proxy's response from {@link authkit}'s headers: carry on to the page with the session's
 * request headers (client-sent look-alikes dropped), or redirect (307 for GET and HEAD, 303
 * otherwise). Only `Set-Cookie`, `Cache-Control` and `Vary` reach the browser.
 *
 * @throws {TypeError} when `redirect` is not a URL.
 * @example
 * ```ts
 * const { headers } = await authkit(request);
 * return handleAuthkitProxy(request, headers);
 * ```
 */
export function handleAuthkitProxy(
  request: Request,
  authkitHeaders: Headers,
  options: { redirect?: string | URL; redirectStatus?: 300 | 301 | 302 | 303 | 307 | 308 } = {},
): NextResponse {
  const { requestHeaders, responseHeaders } = partitionAuthkitHeaders(request, authkitHeaders);
  if (options.redirect !== undefined && options.redirect !== '') {
    const target = new URL(options.redirect, request.url);
    const method = request.method.toUpperCase();
    const status = options.redirectStatus ?? (method === 'GET' || method === 'HEAD' ? 307 : 303);
    return applyResponseHeaders(NextResponse.redirect(target, status), responseHeaders);
  }
  return applyResponseHeaders(NextResponse.next({ request: { headers: requestHeaders } }), responseHeaders);
}

/** @deprecated The name of authkit-nextjs 2; use {@link handleAuthkitProxy}. */
export const handleAuthkitHeaders = handleAuthkitProxy;

/**
 * The proxy of Next.js 16 (`proxy.ts`): authenticates every matched request, refreshes sessions
 * before they expire (once for all concurrent requests of a user), hands the session to
 * `withAuth`, and with `middlewareAuth` sends signed-out visitors to sign-in.
 *
 * @throws {TypeError} at once when a path pattern is invalid.
 * @example
 * ```ts
 * // proxy.ts
 * import { authkitProxy } from 'sealed-session/next';
 * export default authkitProxy({ middlewareAuth: { enabled: true, unauthenticatedPaths: ['/'] } });
 * export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
 * ```
 */
export function authkitProxy(options: AuthkitMiddlewareOptions = {}): (request: Request) => Promise<NextResponse> {
  const { debug = false, redirectUri, signUpPaths = [], refreshBufferSeconds } = options;
  const middlewareAuth = options.middlewareAuth ?? { enabled: false, unauthenticatedPaths: [] };
  const isSignUp = pathMatcher(signUpPaths);
  const isPublic = pathMatcher(middlewareAuth.unauthenticatedPaths);
  warnEagerAuth(options.eagerAuth);
  return async function proxy(request: Request): Promise<NextResponse> {
    const { pathname } = new URL(request.url);
    const screenHint = isSignUp(pathname) ? 'sign-up' : 'sign-in';
    const { session, headers, authorizationUrl } = await authkit(request, { debug, redirectUri, refreshBufferSeconds, screenHint });
    if (signUpPaths.length > 0) headers.set(SIGN_UP_PATHS_HEADER, signUpPaths.join(','));
    // The callback must stay open, or signing in would loop.
    const callbackPath = new URL(redirectUri ?? runtime(redirectUri).redirectUri).pathname;
    if (middlewareAuth.enabled && !session.user && pathname !== callbackPath && !isPublic(pathname)) {
      return handleAuthkitProxy(request, headers, { redirect: authorizationUrl });
    }
    return handleAuthkitProxy(request, headers);
  };
}

/** The Next.js 15 name (`middleware.ts`) of {@link authkitProxy}. */
export const authkitMiddleware = authkitProxy;
