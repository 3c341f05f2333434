/** The loaders: the session of each request, and the page headers that go with it. */
import { data, redirect, type HeadersArgs, type LoaderFunctionArgs, type UNSAFE_DataWithResponseInit as DataWithResponseInit } from 'react-router';
import { withCookies } from '../http/index.js';
import { core } from './core.js';
import { getSignInUrl, pathOf } from './links.js';
import { authorizedData, cookieHeaders, merged, SIGNED_OUT, unavailable, withThrownCookies } from './responses.js';
import type { AuthKitLoaderOptions, AuthorizedData, NoUserInfo, UnauthorizedData, UserInfo } from './types.js';

type LoaderValue<Data> = Response | DataWithResponseInit<Data> | Data | null;
type AuthLoader<Data> = (
  args: LoaderFunctionArgs & { auth: AuthorizedData | UnauthorizedData; getAccessToken: () => string | null },
) => LoaderValue<Data> | Promise<LoaderValue<Data>>;
type AuthorizedAuthLoader<Data> = (
  args: LoaderFunctionArgs & { auth: AuthorizedData; getAccessToken: () => string },
) => LoaderValue<Data> | Promise<LoaderValue<Data>>;

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
