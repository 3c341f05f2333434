/** The actions: sign-out, and refreshing the session now, optionally into another organization. */
import { data, redirect, type UNSAFE_DataWithResponseInit as DataWithResponseInit } from 'react-router';
import { CookieTooLargeError } from '../cookies/errors.js';
import { safeReturnTo } from '../http/index.js';
import { core } from './core.js';
import { getSignInUrl, pathOf } from './links.js';
import { authorizedData, cookieHeaders, unavailable } from './responses.js';
import type { RefreshedSession } from './types.js';

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
