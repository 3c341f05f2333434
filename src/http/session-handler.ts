import type { AuthenticationResponse, AuthorizationUrlOptions } from '../api/types.js';
import { constantTimeEqual, utf8Encode } from '../crypto/bytes.js';
import { parseCookieHeader } from '../cookies/parse.js';
import { type CookieOptions, deleteCookie, serializeCookie } from '../cookies/serialize.js';
import { isSecureDefault } from '../cookies/session-cookie.js';
import { RefreshCoordinator } from '../session/coordinator.js';
import { discard, readFormBody } from './form-body.js';
import { errorPage } from './pages.js';
import {
  cookiesThatFit,
  createRequestAuthenticator,
  type RequestAuthenticator,
  type RequestAuthenticatorOptions,
  withCookies,
} from './request-authenticator.js';
import { safeReturnTo } from './return-to.js';

/**
 * Options of {@link createSessionHandler}: those of {@link RequestAuthenticatorOptions} plus the
 * routes' settings.
 *
 * @example
 * ```ts
 * const options: SessionHandlerOptions = {
 *   sessions,
 *   redirectUri: 'https://app.example.com/auth/callback',
 *   afterSignInPath: '/dashboard',
 *   revokeOnSignOut: true,
 *   authorization: { provider: 'authkit' },
 * };
 * const auth = createSessionHandler(options);
 * ```
 */
export interface SessionHandlerOptions extends RequestAuthenticatorOptions {
  /** The callback URL registered with the provider, absolute (`https://app.example.com/auth/callback`). */
  redirectUri: string;
  /** Where the routes live. Default `/auth`: `/auth/sign-in`, `/auth/sign-out`, … */
  basePath?: string;
  /** Where to land after sign-in when the sign-in link named no `returnTo`. Default `/`. */
  afterSignInPath?: string;
  /** Where the provider sends the browser after sign-out. Default: the app's origin. */
  afterSignOutUrl?: string;
  /** Also revoke the session server-side on sign-out (the logout redirect ends it too). Default false. */
  revokeOnSignOut?: boolean;
  /** Extra parameters for the authorization URL (`provider`, `organizationId`, `screenHint`…). */
  authorization?: Omit<AuthorizationUrlOptions, 'redirectUri' | 'state' | 'codeChallenge' | 'codeChallengeMethod'>;
  /**
   * Called once a sign-in's code is exchanged and its session fits in the cookie, before the
   * browser is sent on: to keep the provider's OAuth tokens, record the sign-in, … It gets the
   * provider's whole answer, tokens included. When it throws, the sign-in fails (500, no cookie).
   */
  onSignIn?: (auth: AuthenticationResponse, request: Request) => void | Promise<void>;
}

/**
 * A Fetch handler for the auth routes plus the per-request session logic. Built by
 * {@link createSessionHandler}.
 *
 * @example
 * ```ts
 * async function serve(auth: SessionHandler, request: Request): Promise<Response> {
 *   const routed = await auth.handle(request);
 *   if (routed) return routed;
 *   const { session, setCookies } = await auth.authenticate(request);
 *   if (!session.authenticated) return Response.redirect(new URL(auth.signInPath(new URL(request.url).pathname), request.url), 302);
 *   return withCookies(new Response(`Hi ${session.user.email}`), setCookies);
 * }
 * ```
 */
export interface SessionHandler extends RequestAuthenticator {
  /** Answers the auth routes; `undefined` for any other request. Never throws. */
  handle(request: Request): Promise<Response | undefined>;
  /** The sign-in link for a page: `/auth/sign-in?returnTo=…`. */
  signInPath(returnTo?: string): string;
  /**
   * The path of each route, for links and forms (`<form method="post" action={auth.paths.signOut}>`)
   * and for middleware that must tell the routes from the app's pages.
   */
  readonly paths: Readonly<Record<'signIn' | 'signUp' | 'callback' | 'signOut' | 'switchOrganization' | 'refresh' | 'session', string>>;
}

const TOO_LARGE = 'Your account details are too large to keep in a session cookie. Please contact the site’s support.';
const STATE_TTL_SEC = 600;

/**
 * The cookie that carries a sign-in's state, sealed, from the sign-in redirect to the callback.
 * A sibling subdomain can plant a cookie for this host, including a genuine state cookie from a
 * sign-in of its own (login CSRF: the victim's browser ends signed in to the attacker's account),
 * but browsers refuse it a `__Host-` cookie: that prefix needs `Secure`, `Path=/`, no `Domain`,
 * and the host's own response. So over https the state cookie takes the prefix and is read under
 * that name only. Plain http is for loopback development, where there is no sibling to fear.
 */
function stateCookieOf(redirectUrl: URL): { name: string; options: CookieOptions } {
  const options = { maxAge: STATE_TTL_SEC, httpOnly: true, sameSite: 'lax' as const };
  return isSecureDefault(redirectUrl)
    ? { name: '__Host-wos-auth-state', options: { ...options, path: '/', secure: true } }
    : { name: 'wos-auth-state', options: { ...options, path: redirectUrl.pathname, secure: false } };
}

interface SignInState {
  state: string;
  codeVerifier: string;
  returnTo: string;
}

function redirect(location: string, status = 302): Response {
  return new Response(null, { status, headers: { location, 'cache-control': 'no-store' } });
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

/**
 * A POST from another site must not sign the user out or switch their organization (forced
 * logout, ASVS 5.0 3.5.3). Browsers send `Origin` on every POST; clients without it are not
 * browsers, and a cookie-carrying cross-site request from a browser always has it.
 */
function isSameOrigin(request: Request, origin: string): boolean {
  const sent = request.headers.get('origin');
  if (sent !== null) return sent === origin || sent === new URL(request.url).origin;
  const site = request.headers.get('sec-fetch-site');
  return site === null || site === 'same-origin' || site === 'none';
}

/**
 * Everything a web app needs for sign-in to sign-out, as one Fetch handler: mount it in Hono,
 * Next.js route handlers, Bun, Deno or workers as is, or in Express through `sealed-session/express`.
 *
 * Routes (under `basePath`, default `/auth`):
 * - `GET  sign-in?returnTo=/path` and `GET sign-up`: redirect to the provider with PKCE; the
 *   verifier and return path go into a short-lived cookie sealed with a key of its own
 *   (`__Host-wos-auth-state` over https, which a sibling subdomain cannot plant).
 * - `GET  <redirectUri path>`: the callback; checks `state` in constant time, exchanges the code,
 *   sets the session cookie, redirects to the return path (never to another origin).
 * - `POST sign-out`: clears the cookie and redirects to the provider's logout URL (works with an
 *   expired access token); revokes the session first when `revokeOnSignOut`.
 * - `POST switch-organization` (`organizationId`, `returnTo`) and `POST refresh`: a form or JSON
 *   body of at most 8 KiB (413 past it, 415 for another type, 400 when malformed), read only
 *   after the method, the origin and the session cookie have been checked.
 * - `GET  session`: the current session as JSON (no tokens).
 *
 * @example
 * const auth = createSessionHandler({ sessions, redirectUri: 'http://localhost:3000/auth/callback' });
 * app.all('/auth/*', (c) => auth.handle(c.req.raw));
 * app.use(async (c, next) => { const { session, setCookies } = await auth.authenticate(c.req.raw); … });
 */
export function createSessionHandler(options: SessionHandlerOptions): SessionHandler {
  const redirectUrl = new URL(options.redirectUri);
  const { sessions } = options;
  // One coordinator for page requests and the refresh routes: a tab posting to them races the
  // other tabs' requests for the same single-use token.
  const coordinator = options.coordinator ?? new RefreshCoordinator({ now: () => sessions.now() });
  const authenticator = createRequestAuthenticator({ ...options, coordinator, cookie: { url: redirectUrl, ...options.cookie } });
  const base = (options.basePath ?? '/auth').replace(/\/+$/, '');
  const paths = {
    signIn: `${base}/sign-in`,
    signUp: `${base}/sign-up`,
    callback: redirectUrl.pathname,
    signOut: `${base}/sign-out`,
    switchOrganization: `${base}/switch-organization`,
    refresh: `${base}/refresh`,
    session: `${base}/session`,
  } as const;
  const afterSignIn = safeReturnTo(options.afterSignInPath);
  const afterSignOutUrl = options.afterSignOutUrl ?? `${redirectUrl.origin}/`;
  const stateCookie = stateCookieOf(redirectUrl);

  async function signIn(request: Request, screenHint: 'sign-in' | 'sign-up'): Promise<Response> {
    const query = new URL(request.url).searchParams;
    const returnTo = safeReturnTo(query.get('returnTo'), afterSignIn);
    const loginHint = query.get('loginHint')?.slice(0, 320) || options.authorization?.loginHint;
    const { url, state, codeVerifier } = await sessions.getAuthorizationUrlWithPKCE({
      ...options.authorization,
      loginHint,
      redirectUri: options.redirectUri,
      screenHint: options.authorization?.screenHint ?? screenHint,
    });
    const sealed = await sessions.sealState({ state, codeVerifier, returnTo } satisfies SignInState, STATE_TTL_SEC);
    const response = redirect(url);
    response.headers.append('set-cookie', serializeCookie(stateCookie.name, sealed, stateCookie.options));
    return response;
  }

  async function callback(request: Request): Promise<Response> {
    const params = new URL(request.url).searchParams;
    const clearState = [deleteCookie(stateCookie.name, stateCookie.options)];
    const fail = (status: number, message: string) => withCookies(errorPage(status, message, paths.signIn), clearState);
    if (params.get('error')) return fail(400, `The identity provider returned an error: ${params.get('error')}.`);
    const code = params.get('code');
    const state = params.get('state');
    const sealed = parseCookieHeader(request.headers).get(stateCookie.name);
    if (!code || !state || !sealed) return fail(400, 'This sign-in link is incomplete or has expired.');
    let saved: SignInState;
    try {
      saved = await sessions.unsealState<SignInState>(sealed, STATE_TTL_SEC);
    } catch {
      return fail(400, 'This sign-in attempt has expired or was tampered with.');
    }
    if (typeof saved?.state !== 'string' || !constantTimeEqual(utf8Encode(saved.state), utf8Encode(state))) {
      return fail(400, 'This sign-in attempt does not match this browser.');
    }
    let auth: AuthenticationResponse;
    let cookie: string;
    try {
      auth = await sessions.authenticateWithCode({
        code,
        codeVerifier: saved.codeVerifier,
        userAgent: request.headers.get('user-agent') ?? undefined,
      });
      cookie = await sessions.sealSessionFromAuthResponse(auth);
    } catch {
      return fail(400, 'The sign-in code could not be exchanged. Please sign in again.');
    }
    const written = cookiesThatFit(() => authenticator.writeCookie(request, cookie));
    if (written === undefined) return fail(413, TOO_LARGE);
    await options.onSignIn?.(auth, request);
    return withCookies(redirect(safeReturnTo(saved.returnTo, afterSignIn)), [...written, ...clearState]);
  }

  async function signOut(request: Request): Promise<Response> {
    const read = authenticator.readCookie(request);
    let location = afterSignOutUrl;
    if (read.status === 'ok') {
      const session = sessions.loadSealedSession({ sessionData: read.value });
      try {
        const sessionId = await session.getSessionId();
        // Before anything that can be slow: from here on no instance upgrades an old cookie of this session.
        await coordinator.endSession(sessionId);
        if (options.revokeOnSignOut) await sessions.revokeSession({ sessionId }).catch(() => undefined);
        location = sessions.getLogoutUrl({ sessionId, returnTo: afterSignOutUrl });
      } catch {
        // A cookie we cannot read has no provider session to end; clearing it is all there is.
      }
    }
    return withCookies(redirect(location, 303), authenticator.clearCookie(request));
  }

  /** `POST refresh` and `POST switch-organization`: the body is read only once a session cookie is there. */
  async function refreshTo(request: Request, switching: boolean): Promise<Response> {
    const read = authenticator.readCookie(request);
    if (read.status !== 'ok') return discard(request, redirect(signInPath(), 303));
    const body = await readFormBody(request);
    if (!body.ok) return errorPage(body.status, body.message, afterSignIn);
    const returnTo = safeReturnTo(body.fields.get('returnTo'), afterSignIn);
    const organizationId = body.fields.get('organizationId');
    if (switching && !(organizationId && /^org_[A-Za-z0-9]{1,64}$/.test(organizationId))) {
      return errorPage(400, 'No valid organization was chosen.', returnTo);
    }
    const result = await sessions.loadSealedSession({ sessionData: read.value }).refresh({
      organizationId: switching ? organizationId : undefined,
      coordinator,
      userAgent: request.headers.get('user-agent') ?? undefined,
    });
    if (result.authenticated) {
      const written = cookiesThatFit(() => authenticator.writeCookie(request, result.sealedSession));
      // The browser keeps its cookie, which the grace window answers with the new session for a while.
      if (written === undefined) return errorPage(413, TOO_LARGE, returnTo);
      return withCookies(redirect(returnTo, 303), written);
    }
    if (result.retryable) return errorPage(503, 'The identity provider is not answering. Please try again in a moment.', returnTo);
    return withCookies(redirect(signInPath(returnTo), 303), authenticator.clearCookie(request));
  }

  async function sessionJson(request: Request): Promise<Response> {
    const { session, setCookies } = await authenticator.authenticate(request);
    if (!session.authenticated) return withCookies(json({ authenticated: false, reason: session.reason }, 200), setCookies);
    const { accessToken: _token, claims: _claims, ...visible } = session;
    return withCookies(json({ ...visible, expiresAt: session.expiresAt.toISOString() }), setCookies);
  }

  function signInPath(returnTo?: string): string {
    return `${paths.signIn}?returnTo=${encodeURIComponent(safeReturnTo(returnTo, afterSignIn))}`;
  }

  async function route(request: Request): Promise<Response | undefined> {
    const { pathname } = new URL(request.url);
    const method = request.method.toUpperCase();
    const post = method === 'POST';
    if (pathname === paths.callback && method === 'GET') return callback(request);
    if (pathname === paths.signIn && method === 'GET') return signIn(request, 'sign-in');
    if (pathname === paths.signUp && method === 'GET') return signIn(request, 'sign-up');
    if (pathname === paths.session && method === 'GET') return sessionJson(request);
    const isAction = pathname === paths.signOut || pathname === paths.switchOrganization || pathname === paths.refresh;
    if (!isAction) return undefined;
    // The cheap checks come first: no byte of a body is read for a request refused anyway.
    if (!post) return discard(request, new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } }));
    if (!isSameOrigin(request, redirectUrl.origin)) return discard(request, new Response('Cross-site request refused', { status: 403 }));
    if (pathname === paths.signOut) return discard(request, await signOut(request));
    return refreshTo(request, pathname === paths.switchOrganization);
  }

  async function handle(request: Request): Promise<Response | undefined> {
    try {
      return await route(request);
    } catch {
      return errorPage(500, 'Something went wrong while signing you in. Please try again.', paths.signIn);
    }
  }

  return { ...authenticator, handle, signInPath, paths };
}
