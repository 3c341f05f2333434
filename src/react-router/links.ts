/** The sign-in and sign-up links, through the callback route. */
import { safeReturnTo } from '../http/index.js';
import { getConfig } from './config.js';

/** The query parameter that makes the callback route start a sign-in rather than finish one. */
export const INTENT = 'intent';

/** The request's path and query, to come back to after sign-in. */
export function pathOf(request: Request): string {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
}

/** The link that starts a sign-in: the callback route, which sets the PKCE state cookie and redirects to AuthKit. */
export function startLink(intent: 'sign-in' | 'sign-up', returnPathname: string | undefined): string {
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
