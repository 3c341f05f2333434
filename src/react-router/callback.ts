/** The loader of the callback route: finishes sign-ins, and starts those of the sign-in links. */
import type { LoaderFunctionArgs } from 'react-router';
import type { AuthenticationResponse } from '../api/types.js';
import type { SessionHandler } from '../http/index.js';
import { core } from './core.js';
import { INTENT, startLink } from './links.js';
import type { HandleAuthOptions } from './types.js';

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
