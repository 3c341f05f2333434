/**
 * React Router 7 (framework mode) adapter, with the names and shapes of
 * `@workos-inc/authkit-react-router` 0.8 so an app switches by its imports, and its cookie (a
 * React Router cookie session around the Iron seal), so sessions carry over both ways.
 * Sign-in uses PKCE and a state cookie; refreshes are shared between concurrent requests.
 * @packageDocumentation
 */
import { data, redirect, type HeadersArgs, type LoaderFunctionArgs, type UNSAFE_DataWithResponseInit as DataWithResponseInit } from 'react-router';
import type { AuthenticationResponse, Impersonator, User } from '../api/types.js';
import { CookieTooLargeError } from '../cookies/errors.js';
import { createSessionHandler, type RequestSession, safeReturnTo, type SessionHandler, withCookies } from '../http/index.js';
import { RefreshCoordinator } from '../session/coordinator.js';
import { SessionManager } from '../session/manager.js';
import type { SessionInfo } from '../session/results.js';
import { type AuthKitConfig, configGeneration, configure, getConfig, type ValueSource } from './config.js';
import { reactRouterCookieEncoding } from './cookie.js';

export { configure, getConfig, type AuthKitConfig, type ValueSource };

/** The query parameter that makes the callback route start a sign-in rather than finish one. */
const INTENT = 'intent';

interface Core {
  generation: number;
  sessions: SessionManager;
  coordinator: RefreshCoordinator;
  /** Builds a handler on the shared manager and coordinator; `afterSignInPath` and `onSignIn` vary per callback route. */
  handler(extra?: { afterSignInPath?: string; onSignIn?: (auth: AuthenticationResponse, request: Request) => Promise<void> }): SessionHandler;
  auth: SessionHandler;
}

let built: Core | undefined;

function passwordsOf(value: AuthKitConfig['cookiePassword']): string[] {
  return typeof value === 'string' ? [value] : [...value];
}

/** The manager, coordinator and handler of the current configuration, built on first use. */
function core(): Core {
  const generation = configGeneration();
  if (built?.generation === generation) return built;
  const passwords = passwordsOf(getConfig('cookiePassword'));
  const port = getConfig('apiPort');
  const sessions = new SessionManager({
    clientId: getConfig('clientId'),
    apiKey: getConfig('apiKey'),
    cookiePassword: passwords,
    baseUrl: `${getConfig('apiHttps') ? 'https' : 'http'}://${getConfig('apiHostname')}${port ? `:${port}` : ''}`,
  });
  const coordinator = new RefreshCoordinator({ now: () => sessions.now() });
  const redirectUri = getConfig('redirectUri');
  const cookie = { name: getConfig('cookieName'), maxAge: getConfig('cookieMaxAge'), url: redirectUri, encoding: reactRouterCookieEncoding(passwords) };
  const handler: Core['handler'] = (extra = {}) =>
    createSessionHandler({ sessions, coordinator, redirectUri, cookie, authorization: { provider: 'authkit' }, ...extra });
  built = { generation, sessions, coordinator, handler, auth: handler() };
  return built;
}

/**
 * The manager behind the adapter, for what the helpers do not cover (`getAuthorizationUrl`,
 * `getLogoutUrl`, `revokeSession`, `jwks`). `@workos-inc/authkit-react-router` returns a
 * `@workos-inc/node` client here; for other WorkOS APIs, create one yourself.
 *
 * @example
 * ```ts
 * await getWorkOS().revokeSession({ sessionId });
 * ```
 */
export function getWorkOS(): SessionManager {
  return core().sessions;
}

/** What a signed-in loader sees; the `auth` fields merged into its data. */
export interface AuthorizedData {
  user: User;
  sessionId: string;
  organizationId: string | null;
  role: string | null;
  permissions: string[];
  entitlements: string[];
  featureFlags: string[];
  impersonator: Impersonator | null;
}

/** What a signed-out loader sees: every field `null`. */
export interface UnauthorizedData {
  user: null;
  sessionId: null;
  organizationId: null;
  role: null;
  permissions: null;
  entitlements: null;
  featureFlags: null;
  impersonator: null;
}

/** The session of a request that could not be kept. */
export type EndedSession = Extract<RequestSession, { authenticated: false }>;

/** Argument of `onSessionRefreshError`. */
export interface RefreshErrorOptions {
  /** Why the session ended: its reason (`invalid_grant`, `invalid_session_cookie`, …) and detail. */
  error: EndedSession;
  request: Request;
}

/** Argument of `onSessionRefreshSuccess`. */
export interface RefreshSuccessOptions {
  accessToken: string;
  user: User;
  impersonator: Impersonator | null;
  organizationId: string | null;
}

/**
 * Options of {@link authkitLoader}. The cookie's name and lifetime come from {@link configure};
 * the custom `storage` of `@workos-inc/authkit-react-router` has no equivalent (the session
 * lives in the cookie).
 */
export interface AuthKitLoaderOptions {
  /** Send signed-out visitors to sign-in (and back here after it). Default false. */
  ensureSignedIn?: boolean;
  /** Log each request's session outcome (reason, refreshed), never a token. Default false. */
  debug?: boolean;
  /** Called when the request carried a session that is over; a `Response` returned is answered instead. */
  onSessionRefreshError?: (options: RefreshErrorOptions) => void | Response | Promise<void | Response>;
  /** Called when this request refreshed the session. */
  onSessionRefreshSuccess?: (options: RefreshSuccessOptions) => void | Promise<void>;
}

type LoaderValue<Data> = Response | DataWithResponseInit<Data> | Data | null;
type AuthLoader<Data> = (
  args: LoaderFunctionArgs & { auth: AuthorizedData | UnauthorizedData; getAccessToken: () => string | null },
) => LoaderValue<Data> | Promise<LoaderValue<Data>>;
type AuthorizedAuthLoader<Data> = (
  args: LoaderFunctionArgs & { auth: AuthorizedData; getAccessToken: () => string },
) => LoaderValue<Data> | Promise<LoaderValue<Data>>;

const SIGNED_OUT: UnauthorizedData = {
  user: null,
  sessionId: null,
  organizationId: null,
  role: null,
  permissions: null,
  entitlements: null,
  featureFlags: null,
  impersonator: null,
};

function authorizedData(session: SessionInfo): AuthorizedData {
  return {
    user: session.user,
    sessionId: session.sessionId,
    organizationId: session.organizationId ?? null,
    role: session.role ?? null,
    permissions: [...(session.permissions ?? [])],
    entitlements: [...(session.entitlements ?? [])],
    featureFlags: [...(session.featureFlags ?? [])],
    impersonator: session.impersonator ?? null,
  };
}

/** Headers carrying `setCookies`, `no-store` when there are any. */
function cookieHeaders(setCookies: readonly string[], init?: HeadersInit): Headers {
  const headers = new Headers(init);
  for (const value of setCookies) headers.append('set-cookie', value);
  if (setCookies.length > 0) headers.set('cache-control', 'no-store');
  return headers;
}

/** What `data()` returns (its class is not exported). */
function isDataWithResponseInit(value: unknown): value is DataWithResponseInit<unknown> {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'DataWithResponseInit' && 'data' in value;
}

function pathOf(request: Request): string {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
}

function unavailable(retryAfter: number | undefined, setCookies: readonly string[] = []): Response {
  const headers = cookieHeaders(setCookies, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  headers.set('retry-after', String(retryAfter ?? 1));
  return new Response('Sign-in is briefly unavailable. Please try again in a moment.', { status: 503, headers });
}

/** The app loader's value with the auth fields merged in and the cookies added. */
async function merged(result: unknown, auth: AuthorizedData | UnauthorizedData, setCookies: readonly string[]): Promise<unknown> {
  if (result instanceof Response) {
    if (result.status >= 300 && result.status < 400) throw withCookies(result, setCookies);
    const response = withCookies(result, setCookies);
    if (!response.headers.get('content-type')?.toLowerCase().includes('application/json')) return response;
    const body: unknown = await response.json();
    const fields = typeof body === 'object' && body !== null ? body : {};
    return data({ ...fields, ...auth }, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
  if (isDataWithResponseInit(result)) {
    const fields = typeof result.data === 'object' && result.data !== null ? result.data : {};
    return data({ ...fields, ...auth }, { ...result.init, headers: cookieHeaders(setCookies, result.init?.headers) });
  }
  const fields = typeof result === 'object' && result !== null ? result : {};
  return data({ ...fields, ...auth }, { headers: cookieHeaders(setCookies) });
}

/** A `Response` or `data()` the app's loader threw, with the cookies added: a refreshed session must not be lost. */
function withThrownCookies(error: unknown, setCookies: readonly string[]): unknown {
  if (setCookies.length === 0) return error;
  if (error instanceof Response) return withCookies(error, setCookies);
  if (isDataWithResponseInit(error)) return data(error.data, { ...error.init, headers: cookieHeaders(setCookies, error.init?.headers) });
  return error;
}

/**
 * Authenticates the request's session (refreshing it when due, shared with concurrent requests)
 * and returns its `auth` fields as loader data, merged with what `loader` returns. The refreshed
 * or deleted cookie rides on the loader's own response, `Cache-Control: no-store`; export
 * {@link sessionHeaders} as the route's `headers` so the page's response says so too. A bad
 * cookie is a signed-out visitor, never a throw; errors of `loader` reach the route's error
 * boundary as they are.
 *
 * @example
 * ```ts
 * export const loader = (args: LoaderFunctionArgs) =>
 *   authkitLoader(args, async ({ auth }) => ({ greeting: auth.user ? `Hi ${auth.user.email}` : 'Hello' }));
 * ```
 */
export async function authkitLoader(args: LoaderFunctionArgs, options: AuthKitLoaderOptions & { ensureSignedIn: true }): Promise<DataWithResponseInit<AuthorizedData>>;
export async function authkitLoader(args: LoaderFunctionArgs, options?: AuthKitLoaderOptions): Promise<DataWithResponseInit<AuthorizedData | UnauthorizedData>>;
export async function authkitLoader<Data = unknown>(
  args: LoaderFunctionArgs,
  loader: AuthorizedAuthLoader<Data>,
  options: AuthKitLoaderOptions & { ensureSignedIn: true },
): Promise<DataWithResponseInit<Data & AuthorizedData>>;
export async function authkitLoader<Data = unknown>(
  args: LoaderFunctionArgs,
  loader: AuthLoader<Data>,
  options?: AuthKitLoaderOptions,
): Promise<DataWithResponseInit<Data & (AuthorizedData | UnauthorizedData)>>;
export async function authkitLoader<Data = unknown>(
  args: LoaderFunctionArgs,
  loaderOrOptions?: AuthLoader<Data> | AuthorizedAuthLoader<Data> | AuthKitLoaderOptions,
  maybeOptions: AuthKitLoaderOptions = {},
): Promise<unknown> {
  const loader = typeof loaderOrOptions === 'function' ? loaderOrOptions : undefined;
  const options = (typeof loaderOrOptions === 'object' ? loaderOrOptions : maybeOptions) ?? {};
  const { request } = args;
  const { session, setCookies } = await core().auth.authenticate(request);
  if (options.debug) {
    console.debug(`[sealed-session] ${session.authenticated ? `authenticated${session.refreshed ? ' (refreshed)' : ''}` : `signed out: ${session.reason}`}`);
  }

  if (!session.authenticated) {
    if (session.retryable) {
      if (options.ensureSignedIn) throw unavailable(session.retryAfter);
    } else if (session.reason !== 'no_session_cookie_provided' && options.onSessionRefreshError) {
      const answer = await options.onSessionRefreshError({ error: session, request });
      if (answer instanceof Response) return withCookies(answer, setCookies);
    }
    if (options.ensureSignedIn) {
      throw redirect(await getSignInUrl(pathOf(request)), { headers: cookieHeaders(setCookies, { 'cache-control': 'no-store' }) });
    }
  } else if (session.refreshed && options.onSessionRefreshSuccess) {
    await options.onSessionRefreshSuccess({
      accessToken: session.accessToken,
      user: session.user,
      impersonator: session.impersonator ?? null,
      organizationId: session.organizationId ?? null,
    });
  }

  const auth = session.authenticated ? authorizedData(session) : SIGNED_OUT;
  if (!loader) return data(auth, { headers: cookieHeaders(setCookies) });
  let result: unknown;
  try {
    result = session.authenticated
      ? await (loader as AuthorizedAuthLoader<Data>)({ ...args, auth: auth as AuthorizedData, getAccessToken: () => session.accessToken })
      : await (loader as AuthLoader<Data>)({ ...args, auth, getAccessToken: () => null });
  } catch (error) {
    throw withThrownCookies(error, setCookies);
  }
  return merged(result, auth, setCookies);
}

/**
 * A route `headers` function that gives the page's response `Cache-Control: no-store` when a
 * loader or action of the request set a session cookie (and otherwise keeps the route's own
 * `Cache-Control`). React Router passes only `Set-Cookie` from loaders to the page by itself.
 *
 * @example
 * ```ts
 * // app/root.tsx, and every route whose loader calls authkitLoader
 * export const headers = sessionHeaders;
 * ```
 */
export function sessionHeaders({ actionHeaders, loaderHeaders, parentHeaders, errorHeaders }: HeadersArgs): Headers {
  const headers = new Headers();
  const sources = [actionHeaders, loaderHeaders, errorHeaders, parentHeaders].filter((source): source is Headers => source !== undefined);
  const noStore = sources.some((source) => /(^|,)\s*no-store\s*(,|$)/i.test(source.get('cache-control') ?? ''));
  const own = loaderHeaders.get('cache-control') ?? parentHeaders.get('cache-control');
  if (noStore) headers.set('cache-control', 'no-store');
  else if (own !== null) headers.set('cache-control', own);
  return headers;
}

/** The link that starts a sign-in: the callback route, which sets the PKCE state cookie and redirects to AuthKit. */
function startLink(intent: 'sign-in' | 'sign-up', returnPathname: string | undefined): string {
  const url = new URL(getConfig('redirectUri'));
  url.search = '';
  url.searchParams.set(INTENT, intent);
  if (returnPathname !== undefined) url.searchParams.set('returnTo', safeReturnTo(returnPathname));
  return url.toString();
}

/**
 * The sign-in link: a URL of the callback route (the route of {@link authLoader}) that starts a
 * sign-in with PKCE and a state cookie, then sends the browser to AuthKit. Use it in `<a href>`
 * or `<Link reloadDocument>`: the callback route is a resource route.
 *
 * @example
 * ```ts
 * const signInUrl = await getSignInUrl('/dashboard');
 * ```
 */
export async function getSignInUrl(returnPathname?: string): Promise<string> {
  return startLink('sign-in', returnPathname);
}

/**
 * The sign-up link: like {@link getSignInUrl}, with AuthKit's sign-up screen.
 *
 * @example
 * ```ts
 * const signUpUrl = await getSignUpUrl();
 * ```
 */
export async function getSignUpUrl(returnPathname?: string): Promise<string> {
  return startLink('sign-up', returnPathname);
}

/** What `onSuccess` of {@link authLoader} receives. */
export interface AuthLoaderSuccessData {
  accessToken: string;
  refreshToken: string;
  user: User;
  impersonator: Impersonator | null;
}

/** Options of {@link authLoader}. */
export interface HandleAuthOptions {
  /** Where to land after sign-in when the sign-in link named no return path. Default `/`. */
  returnPathname?: string;
  /** Called after the code exchange, before the cookie is set; when it throws, the sign-in fails (500, no cookie). */
  onSuccess?: (data: AuthLoaderSuccessData) => void | Promise<void>;
}

/**
 * The loader of the callback route (the redirect URI's path, a resource route). It finishes a
 * sign-in (checks the state cookie in constant time, exchanges the code with the PKCE verifier,
 * sets the session cookie, redirects to the return path on this site only) and starts one for
 * the links of {@link getSignInUrl} and {@link getSignUpUrl}. A bad or replayed callback is a
 * 400 page, never a 500.
 *
 * @example
 * ```ts
 * // app/routes/callback.ts
 * export const loader = authLoader({ returnPathname: '/dashboard' });
 * ```
 */
export function authLoader(options: HandleAuthOptions = {}): (args: LoaderFunctionArgs) => Promise<Response> {
  let cached: { generation: number; handler: SessionHandler } | undefined;
  const onSignIn = options.onSuccess
    ? async (auth: AuthenticationResponse) =>
        options.onSuccess?.({
          accessToken: auth.accessToken,
          refreshToken: auth.refreshToken,
          user: auth.user,
          impersonator: auth.impersonator ?? null,
        })
    : undefined;
  const handlerOf = (): SessionHandler => {
    const shared = core();
    if (cached?.generation !== shared.generation) {
      cached = { generation: shared.generation, handler: shared.handler({ afterSignInPath: options.returnPathname, onSignIn }) };
    }
    return cached.handler;
  };
  return async function loader({ request }: LoaderFunctionArgs): Promise<Response> {
    const handler = handlerOf();
    const url = new URL(request.url);
    const intent = url.searchParams.get(INTENT);
    const finishing = url.searchParams.has('code') || url.searchParams.has('error') || url.searchParams.has('state');
    let target: URL;
    if (!finishing && (intent === 'sign-in' || intent === 'sign-up')) {
      target = new URL(intent === 'sign-up' ? handler.paths.signUp : handler.paths.signIn, url.origin);
      const returnTo = url.searchParams.get('returnTo');
      if (returnTo !== null) target.searchParams.set('returnTo', returnTo);
    } else {
      target = new URL(`${handler.paths.callback}${url.search}`, url.origin);
    }
    const response = await handler.handle(new Request(target, { headers: request.headers }));
    if (response === undefined) throw new Error('sealed-session: the callback route did not answer');
    return response.status >= 400 ? retryThroughCallback(response, handler) : response;
  };
}

/** The handler's error page with its "Try again" link pointed at this app's sign-in link. */
async function retryThroughCallback(response: Response, handler: SessionHandler): Promise<Response> {
  const html = await response.text();
  const link = startLink('sign-in', undefined).replaceAll('&', '&amp;');
  return new Response(html.replaceAll(`href="${handler.paths.signIn}"`, `href="${link}"`), response);
}

/** The `auth` fields of {@link withAuth} for a signed-in request. */
export interface UserInfo {
  user: User;
  sessionId: string;
  organizationId?: string;
  role?: string;
  permissions?: string[];
  entitlements?: string[];
  featureFlags?: string[];
  impersonator?: Impersonator;
  accessToken: string;
}

/** {@link withAuth} for a signed-out request (or one whose access token has expired). */
export interface NoUserInfo {
  user: null;
}

/**
 * The request's session, verified, without refreshing or setting cookies: for loaders below a
 * route that runs {@link authkitLoader}, and for resource routes. An expired access token reads
 * as signed out (the parent's `authkitLoader` refreshes it). Includes the access token.
 *
 * @example
 * ```ts
 * const { user, accessToken } = await withAuth(args);
 * if (!user) throw redirect(await getSignInUrl());
 * ```
 */
export async function withAuth(args: LoaderFunctionArgs): Promise<UserInfo | NoUserInfo> {
  const { auth, sessions } = core();
  const read = auth.readCookie(args.request);
  if (read.status !== 'ok') return { user: null };
  const result = await sessions.loadSealedSession({ sessionData: read.value }).authenticate();
  if (!result.authenticated) return { user: null };
  return {
    user: result.user,
    sessionId: result.sessionId,
    organizationId: result.organizationId,
    role: result.role,
    permissions: result.permissions ? [...result.permissions] : undefined,
    entitlements: result.entitlements ? [...result.entitlements] : undefined,
    featureFlags: result.featureFlags ? [...result.featureFlags] : undefined,
    impersonator: result.impersonator,
    accessToken: result.accessToken,
  };
}

/**
 * Signs the user out: ends the session for every instance sharing the refresh coordinator,
 * deletes the cookie, and redirects to AuthKit's logout URL (then `returnTo`). A request with
 * no session, or one that does not open, is sent to `returnTo` (default `/`) with the cookie
 * deleted: signing out twice is not an error. Call it from an action: React Router refuses
 * actions posted from another origin.
 *
 * @example
 * ```ts
 * export const action = ({ request }: ActionFunctionArgs) => signOut(request, { returnTo: 'https://app.example.com/' });
 * ```
 */
export async function signOut(request: Request, options: { returnTo?: string } = {}): Promise<Response> {
  const { auth, sessions, coordinator } = core();
  const read = auth.readCookie(request);
  let location = options.returnTo ?? '/';
  if (read.status === 'ok') {
    try {
      const sessionId = await sessions.loadSealedSession({ sessionData: read.value }).getSessionId();
      await coordinator.endSession(sessionId);
      location = sessions.getLogoutUrl({ sessionId, returnTo: options.returnTo });
    } catch {
      // A cookie that does not open has no provider session to end; deleting it is all there is.
    }
  }
  return redirect(location, { headers: cookieHeaders(auth.clearCookie(request)) });
}

/** What {@link refreshSession} returns: the refreshed session and the headers to answer with. */
export interface RefreshedSession {
  user: User;
  sessionId: string;
  accessToken: string;
  organizationId: string | null;
  role: string | null;
  permissions: string[];
  entitlements: string[];
  featureFlags: string[];
  impersonator: Impersonator | null;
  /** The new sealed session (the Iron seal inside the cookie). */
  sealedSession: string;
  /** `Set-Cookie` (one per chunk, usually one) and `Cache-Control: no-store`: pass them to `data()` or `redirect()`. */
  headers: Headers;
}

/**
 * Refreshes the session now, optionally into another organization, through the coordinator
 * (concurrent refreshes of one session share one provider call).
 *
 * @throws a redirect to sign-in (deleting the cookie) when there is no session or it is over,
 * and a 503 `Response` when the provider is unreachable (the cookie is kept).
 * @example
 * ```ts
 * const { headers, organizationId } = await refreshSession(request);
 * return data({ organizationId }, { headers });
 * ```
 */
export async function refreshSession(request: Request, options: { organizationId?: string } = {}): Promise<RefreshedSession> {
  const { auth, sessions, coordinator } = core();
  const signIn = async (setCookies: readonly string[]) => redirect(await getSignInUrl(pathOf(request)), { headers: cookieHeaders(setCookies) });
  const read = auth.readCookie(request);
  if (read.status !== 'ok') throw await signIn(read.status === 'invalid' ? auth.clearCookie(request) : []);
  const result = await sessions.loadSealedSession({ sessionData: read.value }).refresh({
    organizationId: options.organizationId,
    coordinator,
    userAgent: request.headers.get('user-agent') ?? undefined,
  });
  if (!result.authenticated) {
    if (result.retryable) throw unavailable(result.retryAfter);
    throw await signIn(auth.clearCookie(request));
  }
  let setCookies: string[];
  try {
    setCookies = auth.writeCookie(request, result.sealedSession);
  } catch (error) {
    if (!(error instanceof CookieTooLargeError)) throw error;
    // The browser keeps its cookie, which the coordinator's grace window maps to this new session for a while.
    throw new Response('Your account details are too large to keep in a session cookie.', { status: 413, headers: { 'cache-control': 'no-store' } });
  }
  return { ...authorizedData(result), accessToken: result.accessToken, sealedSession: result.sealedSession, headers: cookieHeaders(setCookies) };
}

const ORGANIZATION_ID = /^org_[A-Za-z0-9]{1,64}$/;

/**
 * Switches the session to another organization (a refresh with `organizationId`). With
 * `returnTo` it redirects there (a path on this site; anything else becomes `/`), otherwise it
 * answers `{ success: true, auth }`. An id that is not an organization id is a 400
 * `{ success: false }` before any provider call.
 *
 * @example
 * ```ts
 * export async function action({ request }: ActionFunctionArgs) {
 *   const form = await request.formData();
 *   return switchToOrganization(request, String(form.get('organizationId')), { returnTo: '/dashboard' });
 * }
 * ```
 */
export async function switchToOrganization(request: Request, organizationId: string, options: { returnTo?: string } = {}): Promise<Response | DataWithResponseInit<unknown>> {
  if (typeof organizationId !== 'string' || !ORGANIZATION_ID.test(organizationId)) {
    return data({ success: false, error: 'invalid_organization_id' }, { status: 400, headers: { 'cache-control': 'no-store' } });
  }
  const { headers, sealedSession: _sealed, ...auth } = await refreshSession(request, { organizationId });
  if (options.returnTo !== undefined) return redirect(safeReturnTo(options.returnTo), { headers });
  const { accessToken: _token, ...visible } = auth;
  return data({ success: true, auth: visible }, { headers });
}
