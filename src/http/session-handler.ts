import type { AuthenticationResponse, AuthorizationUrlOptions } from '../api/types.js';
import { constantTimeEqual, utf8Encode } from '../crypto/bytes.js';
import { parseCookieHeader } from '../cookies/parse.js';
import { deleteCookie, serializeCookie } from '../cookies/serialize.js';
import { ApiError } from '../api/errors.js';
import { RefreshCoordinator } from '../session/coordinator.js';
import type { SignInFailureCause } from '../session/events.js';
import { loadWithEvents } from '../session/manager.js';
import { SealExpiredError } from '../seal/errors.js';
import { discard, readFormBody } from './form-body.js';
import { checkSessionHandlerOptions } from './options.js';
import { describeError, detailsByDefault, errorPage, type PageProblem } from './pages.js';
import {
  cookiesThatFit,
  createRequestAuthenticator,
  eventsFor,
  type RequestAuthenticator,
  type RequestAuthenticatorOptions,
  withCookies,
} from './request-authenticator.js';
import type { RedirectUriOption } from './redirect-uri.js';
import { safeReturnTo } from './return-to.js';
import { idsOf, PKCE_CODES, type SignInState, STATE_TTL_SEC, stateCookieOf } from './sign-in-state.js';

/**
 * Options of {@link createSessionHandler}: those of {@link RequestAuthenticatorOptions} plus the
 * routes' settings.
 */
export interface SessionHandlerOptions extends RequestAuthenticatorOptions {
  /**
   * The callback URL registered with the provider, absolute (`https://app.example.com/auth/callback`);
   * or, for apps served from several origins (preview deployments), a list of them or a function
   * of the request (see {@link RedirectUriOption}). A callback must arrive at the URL its sign-in sent.
   */
  redirectUri: RedirectUriOption;
  /** Where the routes live. Default `/auth`: `/auth/sign-in`, `/auth/sign-out`, … */
  basePath?: string;
  /** Where to land after sign-in when the sign-in link named no `returnTo`. Default `/`. */
  afterSignInPath?: string;
  /** Where the provider sends the browser after sign-out. Default: the origin of the request's redirect URI. */
  afterSignOutUrl?: string;
  /**
   * Error pages of the sign-in routes add what failed and what to check (the provider's error,
   * the check that refused the callback, the settings to compare with the WorkOS dashboard).
   * Default: on when `NODE_ENV` is set to anything but `production` or is unset, off on runtimes
   * without `process`. Never on in production: the provider's text is not for visitors.
   */
  errorDetails?: boolean;
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

const TOO_LARGE: PageProblem = {
  status: 413,
  message: 'Your account details are too large to keep in a session cookie. Please contact the site’s support.',
  developer: ['The sealed session does not fit in cookie.maxChunks cookies: raise cookie.maxChunks, or keep the user’s metadata small.'],
};

function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
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
function isSameOrigin(request: Request, origin: string | undefined): boolean {
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
 * @throws {ConfigError} listing every invalid option (each problem names the option and the fix).
 * @example
 * ```ts
 * const auth = createSessionHandler({ sessions, redirectUri: 'http://localhost:3000/auth/callback' });
 * app.all('/auth/*', (c) => auth.handle(c.req.raw));
 * app.use(async (c, next) => { const { session, setCookies } = await auth.authenticate(c.req.raw); … });
 * ```
 */
export function createSessionHandler(options: SessionHandlerOptions): SessionHandler {
  const redirects = checkSessionHandlerOptions(options);
  const base = (options.basePath ?? '/auth').replace(/\/+$/, '');
  const { sessions } = options;
  const events = eventsFor(options);
  // One coordinator for page requests and the refresh routes: a tab posting to them races the
  // other tabs' requests for the same single-use token.
  const coordinator = options.coordinator ?? new RefreshCoordinator({ now: () => sessions.now(), onEvent: events.emit });
  const authenticator = createRequestAuthenticator({ ...options, coordinator, cookie: { url: redirects.fixed, ...options.cookie } });
  const paths = {
    signIn: `${base}/sign-in`,
    signUp: `${base}/sign-up`,
    callback: redirects.callbackPath,
    signOut: `${base}/sign-out`,
    switchOrganization: `${base}/switch-organization`,
    refresh: `${base}/refresh`,
    session: `${base}/session`,
  } as const;
  const afterSignIn = safeReturnTo(options.afterSignInPath);

  const showDetails = options.errorDetails ?? detailsByDefault();
  const page = (problem: PageProblem, retryHref: string) => errorPage(problem, retryHref, showDetails);

  function signInFailed(cause: SignInFailureCause, extra: { providerCode?: string; retryable?: boolean } = {}): void {
    const { providerCode, retryable = false } = extra;
    const at = sessions.now();
    events.emit(providerCode === undefined
      ? { type: 'sign_in.failed', at, cause, retryable }
      : { type: 'sign_in.failed', at, cause, providerCode, retryable });
  }

  async function signIn(request: Request, screenHint: 'sign-in' | 'sign-up'): Promise<Response> {
    const redirectUrl = redirects.forRequest(request);
    if (redirectUrl === undefined) {
      signInFailed('redirect_uri_not_allowed');
      return page(
        { status: 400, message: 'Signing in is not available at this address.', developer: [`${new URL(request.url).origin} is not an origin the redirectUri option allows.`] },
        afterSignIn,
      );
    }
    const redirectUri = redirectUrl.href;
    const query = new URL(request.url).searchParams;
    const returnTo = safeReturnTo(query.get('returnTo'), afterSignIn);
    const loginHint = query.get('loginHint')?.slice(0, 320) || options.authorization?.loginHint;
    const hint = options.authorization?.screenHint ?? screenHint;
    const { url, state, codeVerifier } = await sessions.getAuthorizationUrlWithPKCE({
      ...options.authorization,
      loginHint,
      redirectUri,
      screenHint: hint,
    });
    const sealed = await sessions.sealState({ state, codeVerifier, returnTo, redirectUri } satisfies SignInState, STATE_TTL_SEC);
    const stateCookie = stateCookieOf(redirectUrl);
    const response = redirect(url);
    response.headers.append('set-cookie', serializeCookie(stateCookie.name, sealed, stateCookie.options));
    events.emit({ type: 'sign_in.started', at: sessions.now(), redirectUri, screenHint: hint });
    return response;
  }

  async function callback(request: Request): Promise<Response> {
    const params = new URL(request.url).searchParams;
    const redirectUrl = redirects.forRequest(request);
    const stateCookie = redirectUrl && stateCookieOf(redirectUrl);
    const clearState = stateCookie ? [deleteCookie(stateCookie.name, stateCookie.options)] : [];
    const fail = (problem: PageProblem, cause: SignInFailureCause, extra?: { providerCode?: string; retryable?: boolean }) => {
      signInFailed(cause, extra);
      return withCookies(page(problem, paths.signIn), clearState);
    };
    const providerError = params.get('error');
    if (providerError) {
      const description = params.get('error_description');
      const problem = {
        status: 400,
        message: 'The sign-in was not completed. Please try again.',
        developer: [
          `The identity provider redirected back with error=${providerError}${description ? `: ${description}` : ''}.`,
          'Check the application in the WorkOS dashboard (redirect URI, enabled sign-in methods) and the authorization options.',
        ],
      };
      return fail(problem, 'provider_error', { providerCode: providerError.slice(0, 100) });
    }
    if (!redirectUrl || !stateCookie) {
      const problem = { status: 400, message: 'Signing in is not available at this address.', developer: [`${new URL(request.url).origin} is not an origin the redirectUri option allows.`] };
      return fail(problem, 'redirect_uri_not_allowed');
    }
    const code = params.get('code');
    const state = params.get('state');
    const sealed = parseCookieHeader(request.headers).get(stateCookie.name);
    if (!code || !state || !sealed) {
      const problem = {
        status: 400,
        message: 'This sign-in link is incomplete or has expired.',
        developer: [
          !code || !state
            ? `The callback URL has no ${!code ? 'code' : 'state'} parameter: start sign-in at ${paths.signIn}, not at the provider's URL.`
            : `No ${stateCookie.name} cookie came back with the callback. The sign-in began on another host or scheme than the redirect URI (${redirectUrl.origin}), took longer than ${STATE_TTL_SEC / 60} minutes, or the browser refused the cookie.`,
        ],
      };
      return fail(problem, 'missing_parameters');
    }
    let saved: SignInState;
    try {
      saved = await sessions.unsealState<SignInState>(sealed, STATE_TTL_SEC);
    } catch (error) {
      const problem = {
        status: 400,
        message: 'This sign-in attempt has expired or was tampered with.',
        developer: [`The ${stateCookie.name} cookie did not open: older than ${STATE_TTL_SEC / 60} minutes, altered, or sealed before the cookie password changed.`],
      };
      return fail(problem, error instanceof SealExpiredError ? 'state_expired' : 'state_invalid');
    }
    if (typeof saved?.state !== 'string' || !constantTimeEqual(utf8Encode(saved.state), utf8Encode(state))) {
      const problem = {
        status: 400,
        message: 'This sign-in attempt does not match this browser.',
        developer: ['The state parameter differs from the one this browser’s sign-in sent: a sign-in from an older tab finished after a newer one began, or the callback URL was replayed.'],
      };
      return fail(problem, 'state_mismatch');
    }
    if (saved.redirectUri !== redirectUrl.href) {
      const problem = {
        status: 400,
        message: 'This sign-in was started at another address. Please sign in again.',
        developer: [`The sign-in was sent to the provider with redirect URI ${String(saved.redirectUri)}, but the callback arrived at ${redirectUrl.href}.`],
      };
      return fail(problem, 'redirect_uri_mismatch');
    }
    const started = performance.now();
    let auth: AuthenticationResponse;
    let cookie: string;
    let ids: { userId: string; sessionId: string | undefined; organizationId: string | undefined };
    try {
      auth = await sessions.authenticateWithCode({
        code,
        codeVerifier: saved.codeVerifier,
        userAgent: request.headers.get('user-agent') ?? undefined,
      });
      cookie = await sessions.sealSessionFromAuthResponse(auth);
      ids = { userId: auth.user.id, ...idsOf(auth.accessToken) };
    } catch (error) {
      const api = error instanceof ApiError ? { providerCode: error.code, retryable: error.retryable } : {};
      const cause = api.providerCode !== undefined && PKCE_CODES.has(api.providerCode) ? 'pkce_failed' : 'code_exchange_failed';
      const problem = {
        status: 400,
        message: 'The sign-in code could not be exchanged. Please sign in again.',
        developer: [
          `Exchanging the code failed: ${describeError(error)}.`,
          `Check that clientId and apiKey belong to the same WorkOS environment, and that ${redirectUrl.href} is a Redirect URI of that environment in the WorkOS dashboard.`,
        ],
      };
      return fail(problem, cause, api);
    }
    const written = cookiesThatFit(() => authenticator.writeCookie(request, cookie));
    if (written === undefined) return fail(TOO_LARGE, 'cookie_too_large');
    await options.onSignIn?.(auth, request);
    events.emit({ type: 'sign_in.succeeded', at: sessions.now(), ...ids, durationMs: performance.now() - started });
    return withCookies(redirect(safeReturnTo(saved.returnTo, afterSignIn)), [...written, ...clearState]);
  }

  async function signOut(request: Request): Promise<Response> {
    const read = authenticator.readCookie(request);
    const origin = redirects.forRequest(request)?.origin ?? new URL(request.url).origin;
    const afterSignOutUrl = options.afterSignOutUrl ?? `${origin}/`;
    let location = afterSignOutUrl;
    let sessionId: string | undefined;
    let revoked = false;
    if (read.status === 'ok') {
      const session = loadWithEvents(sessions, read.value, events);
      try {
        sessionId = await session.getSessionId();
        // Before anything that can be slow: from here on no instance upgrades an old cookie of this session.
        await coordinator.endSession(sessionId);
        if (options.revokeOnSignOut) {
          revoked = await sessions.revokeSession({ sessionId }).then(() => true, () => false);
        }
        location = sessions.getLogoutUrl({ sessionId, returnTo: afterSignOutUrl });
      } catch {
        // A cookie we cannot read has no provider session to end; clearing it is all there is.
      }
    }
    events.emit({ type: 'sign_out', at: sessions.now(), sessionId, revoked });
    return withCookies(redirect(location, 303), authenticator.clearCookie(request));
  }

  /** `POST refresh` and `POST switch-organization`: the body is read only once a session cookie is there. */
  async function refreshTo(request: Request, switching: boolean): Promise<Response> {
    const read = authenticator.readCookie(request);
    if (read.status !== 'ok') return discard(request, redirect(signInPath(), 303));
    const body = await readFormBody(request);
    if (!body.ok) return page({ status: body.status, message: body.message }, afterSignIn);
    const returnTo = safeReturnTo(body.fields.get('returnTo'), afterSignIn);
    const organizationId = body.fields.get('organizationId');
    if (switching && !(organizationId && /^org_[A-Za-z0-9]{1,64}$/.test(organizationId))) {
      return page({ status: 400, message: 'No valid organization was chosen.', developer: ['The form needs an organizationId field of the form org_… .'] }, returnTo);
    }
    const result = await loadWithEvents(sessions, read.value, events).refresh({
      organizationId: switching ? organizationId : undefined,
      coordinator,
      userAgent: request.headers.get('user-agent') ?? undefined,
    });
    if (result.authenticated) {
      const written = cookiesThatFit(() => authenticator.writeCookie(request, result.sealedSession));
      // The browser keeps its cookie, which the grace window answers with the new session for a while.
      if (written === undefined) return page(TOO_LARGE, returnTo);
      return withCookies(redirect(returnTo, 303), written);
    }
    if (result.retryable) {
      const developer = [
        `The refresh failed with ${result.reason}${result.detail ? ` (${result.detail})` : ''}; the cookie was kept. Check that the provider at ${new URL(sessions.getJwksUrl()).origin} is reachable from the app.`,
      ];
      return page({ status: 503, message: 'The identity provider is not answering. Please try again in a moment.', developer }, returnTo);
    }
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
    const pathname = pathOf(request.url);
    // A server that could not make a valid URL of the request line and Host has let bad input through.
    if (pathname === undefined) return discard(request, new Response('Bad Request', { status: 400 }));
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
    if (!isSameOrigin(request, redirects.forRequest(request)?.origin)) return discard(request, new Response('Cross-site request refused', { status: 403 }));
    if (pathname === paths.signOut) return discard(request, await signOut(request));
    return refreshTo(request, pathname === paths.switchOrganization);
  }

  async function handle(request: Request): Promise<Response | undefined> {
    try {
      return await route(request);
    } catch (error) {
      return page(
        { status: 500, message: 'Something went wrong while signing you in. Please try again.', developer: [`${describeError(error)}.`] },
        paths.signIn,
      );
    }
  }

  return { ...authenticator, handle, signInPath, paths };
}
