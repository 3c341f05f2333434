/**
 * The request headers that carry the proxy's verdict to `withAuth`, and the split of the
 * proxy's headers into those for the page and those for the browser. Web standards only.
 */

/** Set on every request the proxy ran on: `withAuth` refuses to answer without it. */
export const MIDDLEWARE_HEADER = 'x-workos-middleware';
/** The request's URL, for the return path of a sign-in started during rendering. */
export const URL_HEADER = 'x-url';
/** The proxy's `redirectUri` option, when it has one. */
export const REDIRECT_URI_HEADER = 'x-redirect-uri';
/** The proxy's `signUpPaths`, comma-separated. */
export const SIGN_UP_PATHS_HEADER = 'x-sign-up-paths';
/** The sealed session after the proxy's checks (and refresh): what `withAuth` reads. */
export const SESSION_HEADER = 'x-workos-session';

/**
 * Request headers the proxy sets for the app and never sends to the browser. Any of them (and
 * any `x-workos-*`) that a client sends is dropped before the proxy sets its own.
 */
export const AUTHKIT_REQUEST_HEADERS: readonly string[] = Object.freeze([
  MIDDLEWARE_HEADER,
  URL_HEADER,
  REDIRECT_URI_HEADER,
  SIGN_UP_PATHS_HEADER,
  SESSION_HEADER,
]);

/** Headers of the proxy that go to the browser; everything else stays on the server. */
const RESPONSE_HEADERS: ReadonlySet<string> = new Set(['set-cookie', 'cache-control', 'vary']);

/**
 * Whether `name` is one of the proxy's internal request headers.
 *
 * @example
 * ```ts
 * isAuthkitRequestHeader('X-WorkOS-Session'); // true
 * isAuthkitRequestHeader('accept');           // false
 * ```
 */
export function isAuthkitRequestHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return AUTHKIT_REQUEST_HEADERS.includes(lower) || lower.startsWith('x-workos-');
}

/** Joins `Vary` values without repeating one. */
function mergeVary(current: string | null, added: string): string {
  const values = new Map<string, string>();
  for (const value of `${current ?? ''},${added}`.split(',')) {
    const trimmed = value.trim();
    if (trimmed && !values.has(trimmed.toLowerCase())) values.set(trimmed.toLowerCase(), trimmed);
  }
  return [...values.values()].join(', ');
}

/**
 * Splits the headers of `authkit(request)` in two: the request headers the page renders with
 * (the request's own, minus anything that looks like ours, plus ours) and the response headers
 * for the browser (`Set-Cookie`, `Cache-Control`, `Vary` only). A response that sets a cookie
 * is never stored by a shared cache.
 *
 * @example
 * ```ts
 * const { session, headers } = await authkit(request);
 * const { requestHeaders, responseHeaders } = partitionAuthkitHeaders(request, headers);
 * return applyResponseHeaders(NextResponse.next({ request: { headers: requestHeaders } }), responseHeaders);
 * ```
 */
export function partitionAuthkitHeaders(request: Request, authkitHeaders: Headers): { requestHeaders: Headers; responseHeaders: Headers } {
  const requestHeaders = new Headers();
  request.headers.forEach((value, name) => {
    if (!isAuthkitRequestHeader(name)) requestHeaders.set(name, value);
  });
  for (const name of AUTHKIT_REQUEST_HEADERS) {
    const value = authkitHeaders.get(name);
    if (value !== null) requestHeaders.set(name, value);
  }
  const responseHeaders = new Headers();
  for (const value of authkitHeaders.getSetCookie()) responseHeaders.append('set-cookie', value);
  authkitHeaders.forEach((value, name) => {
    if (name !== 'set-cookie' && RESPONSE_HEADERS.has(name)) responseHeaders.set(name, value);
  });
  if (responseHeaders.has('set-cookie') && !responseHeaders.has('cache-control')) responseHeaders.set('cache-control', 'no-store');
  return { requestHeaders, responseHeaders };
}

/**
 * Adds the browser's share of the proxy's headers to `response`: cookies appended, `Vary`
 * merged, `Cache-Control` replaced. Returns `response`.
 *
 * @example
 * ```ts
 * return applyResponseHeaders(NextResponse.redirect(new URL('/welcome', request.url)), responseHeaders);
 * ```
 */
export function applyResponseHeaders<T extends Response>(response: T, responseHeaders: Headers): T {
  for (const value of responseHeaders.getSetCookie()) response.headers.append('set-cookie', value);
  responseHeaders.forEach((value, name) => {
    if (name === 'set-cookie') return;
    if (name === 'vary') response.headers.set('vary', mergeVary(response.headers.get('vary'), value));
    else response.headers.set(name, value);
  });
  return response;
}
