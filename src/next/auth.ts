/**
 * The functions of server components, route handlers and server actions. They read what the
 * proxy verified (request headers) or the session cookie, and write cookies through Next.js's
 * cookie store, which only route handlers and server actions may change.
 */
import { revalidatePath, revalidateTag } from 'next/cache.js';
import { cookies, headers } from 'next/headers.js';
import { redirect } from 'next/navigation.js';
import type { AuthenticationResponse } from '../api/types.js';
import { safeReturnTo } from '../http/index.js';
import { deleteChunkedCookie, readChunkedCookie, writeChunkedCookie } from '../cookies/index.js';
import { CookieTooLargeError } from '../errors/index.js';
import { decodeJwt } from '../jwt/decode.js';
import type { AccessTokenClaims } from '../jwt/errors.js';
import { AuthKitError, TokenRefreshError } from './errors.js';
import { MIDDLEWARE_HEADER, REDIRECT_URI_HEADER, SESSION_HEADER, SIGN_UP_PATHS_HEADER, URL_HEADER } from './headers.js';
import { pathMatcher } from './paths.js';
import { runtime } from './runtime.js';
import { parseSetCookie } from './set-cookie.js';
import { clearVerifierCookies, signInLink, type SignInUrlOptions } from './sign-in.js';
import { userInfo, type NoUserInfo, type UserInfo } from './user-info.js';

type CookieStore = Awaited<ReturnType<typeof cookies>>;
type HeaderList = Awaited<ReturnType<typeof headers>>;

function sentCookies(store: CookieStore): Map<string, string> {
  return new Map(store.getAll().map((cookie) => [cookie.name, cookie.value]));
}

/** Applies `Set-Cookie` values through the store: only route handlers and server actions may. */
function write(store: CookieStore, setCookies: readonly string[]): void {
  for (const header of setCookies) {
    const { name, value, options } = parseSetCookie(header);
    store.set(name, value, options);
  }
}

/** The request's headers, or `undefined` outside a request (a build, a script). */
async function requestHeaders(): Promise<HeaderList | undefined> {
  try {
    return await headers();
  } catch {
    return undefined;
  }
}

/** The proxy's headers of this request: only when the proxy ran, which also strips forged ones. */
function proxied(list: HeaderList | undefined, name: string): string | undefined {
  return list?.get(MIDDLEWARE_HEADER) ? (list.get(name) ?? undefined) : undefined;
}

/** A sign-in link back to the page being rendered. */
async function signInForThisPage(): Promise<string> {
  const list = await requestHeaders();
  const url = proxied(list, URL_HEADER);
  const page = url && URL.canParse(url) ? new URL(url) : undefined;
  const signUpPaths = proxied(list, SIGN_UP_PATHS_HEADER)?.split(',').filter(Boolean) ?? [];
  const signUp = page !== undefined && signUpPaths.length > 0 && pathMatcher(signUpPaths)(page.pathname);
  return signInLink(runtime(), signUp ? 'sign-up' : 'sign-in', {
    returnTo: page ? `${page.pathname}${page.search}` : undefined,
    redirectUri: proxied(list, REDIRECT_URI_HEADER),
  });
}

async function verified(sealed: string | undefined): Promise<UserInfo | undefined> {
  if (!sealed) return undefined;
  const result = await runtime().sessions.loadSealedSession({ sessionData: sealed }).authenticate();
  return result.authenticated ? userInfo(result) : undefined;
}

/**
 * The signed-in user of this request, as the proxy verified (and refreshed) it, checked again
 * against its signature and expiry (from cache: it costs next to nothing). With
 * `ensureSignedIn`, a signed-out visitor is redirected to sign-in and back: from a server
 * component too, where authkit-nextjs answers HTTP 500.
 *
 * @throws {AuthKitError} `proxy_not_run` on a path the proxy's matcher does not cover.
 * @example
 * ```tsx
 * export default async function Page() {
 *   const { user } = await withAuth({ ensureSignedIn: true });
 *   return <p>Welcome back, {user.firstName}</p>;
 * }
 * ```
 */
export async function withAuth(options: { ensureSignedIn: true }): Promise<UserInfo>;
export async function withAuth(options?: { ensureSignedIn?: boolean }): Promise<UserInfo | NoUserInfo>;
export async function withAuth(options: { ensureSignedIn?: boolean } = {}): Promise<UserInfo | NoUserInfo> {
  const list = await headers();
  if (!list.get(MIDDLEWARE_HEADER)) {
    throw new AuthKitError(
      `withAuth was called on ${list.get(URL_HEADER) ?? 'a route'} that the proxy does not run on: add the path to the matcher of proxy.ts (middleware.ts)`,
      { code: 'proxy_not_run' },
    );
  }
  const info = await verified(list.get(SESSION_HEADER) ?? undefined);
  if (info) return info;
  if (options.ensureSignedIn) redirect(await signInForThisPage());
  return { user: null };
}

/**
 * A link that signs the user in and comes back to `returnTo`. It points at the app's callback
 * route, which starts the sign-in with a fresh PKCE verifier: safe to render in server
 * components, links and redirects alike.
 *
 * @example
 * ```tsx
 * const signInUrl = await getSignInUrl({ returnTo: '/dashboard' });
 * return <a href={signInUrl}>Sign in</a>;
 * ```
 */
export async function getSignInUrl(options: SignInUrlOptions = {}): Promise<string> {
  return signInLink(runtime(), 'sign-in', { ...options, redirectUri: options.redirectUri ?? proxied(await requestHeaders(), REDIRECT_URI_HEADER) });
}

/**
 * Like {@link getSignInUrl}, opening the sign-up screen.
 *
 * @example
 * ```tsx
 * return <a href={await getSignUpUrl()}>Create an account</a>;
 * ```
 */
export async function getSignUpUrl(options: SignInUrlOptions = {}): Promise<string> {
  return signInLink(runtime(), 'sign-up', { ...options, redirectUri: options.redirectUri ?? proxied(await requestHeaders(), REDIRECT_URI_HEADER) });
}

/**
 * Refreshes the session now (in a server action or route handler), optionally into another
 * organization, and stores the new cookie. Concurrent refreshes of the same session (other
 * requests, other tabs, other instances with a shared store) share one call to the provider.
 *
 * @throws {TokenRefreshError} when the provider refuses or cannot be reached; the cookie is
 *   deleted when a plain refresh shows the session is over, kept when it is transient or when an
 *   organization switch was refused.
 * @example
 * ```ts
 * 'use server';
 * export async function reloadPermissions() {
 *   const { permissions } = await refreshSession();
 *   return permissions ?? [];
 * }
 * ```
 */
export async function refreshSession(options: { organizationId?: string; ensureSignedIn: true }): Promise<UserInfo>;
export async function refreshSession(options?: { organizationId?: string; ensureSignedIn?: boolean }): Promise<UserInfo | NoUserInfo>;
export async function refreshSession(options: { organizationId?: string; ensureSignedIn?: boolean } = {}): Promise<UserInfo | NoUserInfo> {
  const rt = runtime();
  const store = await cookies();
  const sent = sentCookies(store);
  const read = readChunkedCookie(sent, rt.cookie.name);
  if (read.status !== 'ok') {
    if (options.ensureSignedIn) redirect(await signInForThisPage());
    return { user: null };
  }
  const session = rt.sessions.loadSealedSession({ sessionData: read.value });
  const result = await session.refresh({ organizationId: options.organizationId, coordinator: rt.coordinator });
  if (!result.authenticated) {
    const sessionId = await session.getSessionId().catch(() => undefined);
    if (!result.retryable && options.organizationId === undefined) write(store, deleteChunkedCookie(rt.cookie.name, sent, rt.cookie.options));
    throw new TokenRefreshError(`Failed to refresh session: ${result.reason}`, result.reason, { sessionId, isTransient: result.retryable });
  }
  try {
    write(store, writeChunkedCookie({ name: rt.cookie.name, value: result.sealedSession, options: rt.cookie.options, existingNames: sent, maxChunks: rt.maxChunks }));
  } catch (error) {
    if (!(error instanceof CookieTooLargeError)) throw error;
    throw new TokenRefreshError('The refreshed session does not fit in its cookie', 'cookie_too_large', { sessionId: result.sessionId, cause: error });
  }
  return userInfo(result);
}

/** Options of {@link switchToOrganization}. */
export interface SwitchToOrganizationOptions {
  /** Where to go afterwards: a path of this app. Default: the current page. */
  returnTo?: string;
  /** What to revalidate: the page (`'path'`, default), `revalidationTags` (`'tag'`), or nothing and no redirect (`'none'`). */
  revalidationStrategy?: 'none' | 'tag' | 'path';
  /** Tags to revalidate with `'tag'`. */
  revalidationTags?: string[];
}

const ORGANIZATION_ID = /^org_[A-Za-z0-9]{1,64}$/;

/**
 * Moves the session into another organization of the user (a server action). When the
 * organization demands SSO or MFA enrollment, the user is sent to sign in through it.
 *
 * @throws {AuthKitError} `invalid_organization` for something that is no organization id.
 * @throws {TokenRefreshError} when the provider refuses the switch otherwise.
 * @example
 * ```ts
 * 'use server';
 * export async function chooseOrganization(formData: FormData) {
 *   await switchToOrganization(String(formData.get('organizationId')), { returnTo: '/' });
 * }
 * ```
 */
export async function switchToOrganization(organizationId: string, options: SwitchToOrganizationOptions = {}): Promise<UserInfo> {
  if (typeof organizationId !== 'string' || !ORGANIZATION_ID.test(organizationId)) {
    throw new AuthKitError('switchToOrganization needs an organization id (org_…)', { code: 'invalid_organization' });
  }
  const { revalidationStrategy = 'path', revalidationTags = [] } = options;
  const current = proxied(await requestHeaders(), URL_HEADER);
  const page = current && URL.canParse(current) ? new URL(current).pathname : '/';
  const pathname = safeReturnTo(options.returnTo, safeReturnTo(page));
  let result: UserInfo;
  try {
    result = await refreshSession({ organizationId, ensureSignedIn: true });
  } catch (error) {
    if (error instanceof TokenRefreshError && (error.code === 'sso_required' || error.code === 'mfa_enrollment')) {
      redirect(await signInLink(runtime(), 'sign-in', { organizationId, returnTo: pathname }));
    }
    throw error;
  }
  try {
    if (revalidationStrategy === 'path') revalidatePath(pathname);
    else if (revalidationStrategy === 'tag') for (const tag of revalidationTags) revalidateTag(tag, 'max');
  } catch {
    // Outside Next.js's cache (a test, another framework's server) there is nothing to revalidate.
  }
  if (revalidationStrategy !== 'none') redirect(pathname);
  return result;
}

/**
 * Signs out (a server action or route handler): ends the session for every instance sharing
 * the refresh store, deletes the cookie (every chunk) and unfinished sign-ins, and redirects
 * to the provider's logout URL, which comes back to `returnTo`. Works with an expired token.
 *
 * @example
 * ```tsx
 * <form action={async () => { 'use server'; await signOut({ returnTo: 'https://app.example.com/' }); }}>
 *   <button type="submit">Sign out</button>
 * </form>
 * ```
 */
export async function signOut(options: { returnTo?: string } = {}): Promise<never> {
  const rt = runtime();
  const store = await cookies();
  const sent = sentCookies(store);
  const cookie = readChunkedCookie(sent, rt.cookie.name);
  const sealed = proxied(await requestHeaders(), SESSION_HEADER) ?? (cookie.status === 'ok' ? cookie.value : undefined);
  let sessionId: string | undefined;
  if (sealed) {
    try {
      sessionId = await rt.sessions.loadSealedSession({ sessionData: sealed }).getSessionId();
      // Before the cookie goes: from now on no request anywhere brings this session back.
      await rt.coordinator.endSession(sessionId);
    } catch {
      // A cookie that does not open has no session at the provider to end.
    }
  }
  write(store, [...deleteChunkedCookie(rt.cookie.name, sent, rt.cookie.options), ...clearVerifierCookies(rt.redirectUri, sent.keys())]);
  redirect(sessionId ? rt.sessions.getLogoutUrl({ sessionId, returnTo: options.returnTo }) : (options.returnTo ?? '/'));
}

/**
 * Stores a session the app obtained itself (e.g. `authenticateWithEmailVerification`), in a
 * server action or route handler. Only the tokens, the user, the impersonator and the
 * authentication method are sealed. The second argument is accepted for authkit-nextjs
 * compatibility; the cookie's settings come from the configuration.
 *
 * @example
 * ```ts
 * const auth = await sessions.authenticateWithCode({ code, codeVerifier });
 * await saveSession(auth, request);
 * ```
 */
export async function saveSession(
  session: Pick<AuthenticationResponse, 'accessToken' | 'refreshToken' | 'user' | 'impersonator' | 'authenticationMethod'>,
  _request?: Request | string,
): Promise<void> {
  const rt = runtime();
  const store = await cookies();
  const sealed = await rt.sessions.sealSessionFromAuthResponse(session);
  write(store, writeChunkedCookie({ name: rt.cookie.name, value: sealed, options: rt.cookie.options, existingNames: sentCookies(store), maxChunks: rt.maxChunks }));
}

/**
 * The claims of an access token, decoded: by default the request's, which `withAuth` verified.
 * A token passed in is decoded, not verified. `{}` when there is no token or it is malformed.
 *
 * @example
 * ```ts
 * const { org_id, permissions, customClaim } = await getTokenClaims<{ customClaim?: string }>();
 * ```
 */
export async function getTokenClaims<T extends Record<string, unknown> = Record<string, unknown>>(
  accessToken?: string,
): Promise<Partial<AccessTokenClaims> & Partial<T>> {
  const token = accessToken ?? (await withAuth()).accessToken;
  if (!token) return {};
  try {
    return decodeJwt(token).payload as Partial<AccessTokenClaims> & Partial<T>;
  } catch {
    return {};
  }
}
