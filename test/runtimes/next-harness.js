/**
 * Runs `examples/next-middleware.ts` in workerd the way Next.js runs middleware on its Edge
 * runtime: the middleware's answer is returned as is, unless it says "carry on"
 * (`x-middleware-next`), in which case a page is rendered with the request headers the
 * middleware forwarded, and the middleware's Set-Cookie kept. The page echoes what it saw.
 */
import { SessionManager } from 'sealed-session';
import { createAuthMiddleware, SESSION_HEADERS } from '../../examples/next-middleware.ts';

let middleware;

/** The page's request headers, as Next.js rebuilds them from the middleware's response. */
function pageHeaders(request, response) {
  const names = (response.headers.get('x-middleware-override-headers') ?? '').split(',').filter(Boolean);
  if (names.length === 0) return request.headers;
  const headers = new Headers();
  for (const name of names) headers.set(name, response.headers.get(`x-middleware-request-${name}`) ?? '');
  return headers;
}

export default {
  async fetch(request, env) {
    middleware ??= createAuthMiddleware({
      sessions: new SessionManager({
        clientId: env.WORKOS_CLIENT_ID,
        apiKey: env.WORKOS_API_KEY,
        cookiePassword: env.WORKOS_COOKIE_PASSWORD,
        baseUrl: env.WORKOS_BASE_URL,
      }),
      redirectUri: new URL('/auth/callback', env.APP_URL).href,
    });
    const response = await middleware(request);
    if (response.headers.get('x-middleware-next') !== '1') return response;
    const headers = pageHeaders(request, response);
    const seen = Object.fromEntries(Object.entries(SESSION_HEADERS).map(([key, name]) => [key, headers.get(name)]));
    const page = Response.json({ path: new URL(request.url).pathname, session: seen });
    for (const value of response.headers.getSetCookie()) page.headers.append('set-cookie', value);
    return page;
  },
};
