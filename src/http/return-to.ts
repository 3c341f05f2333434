const MAX_LENGTH = 2048;
const BASE = 'https://return-to.invalid';

/**
 * A safe place to send the browser after sign-in or sign-out: a path on this site, never
 * another origin. The value is judged the way a browser reads a `Location` header (WHATWG URL
 * parsing: `\` is `/`, tabs and newlines vanish, `.`/`%2e` segments collapse), and so is the
 * result, which can never start with `//` or `/\`. Anything doubtful becomes `fallback`, and an
 * unsafe `fallback` becomes `/`.
 *
 * @example
 * ```ts
 * safeReturnTo('/billing?tab=invoices'); // '/billing?tab=invoices'
 * safeReturnTo('//evil.example/');       // '/'
 * safeReturnTo('/.//evil.example/');     // '/': the browser would read `//evil.example/`
 * safeReturnTo('https://evil.example', '/home'); // '/home'
 * const target = safeReturnTo(new URL(request.url).searchParams.get('returnTo'));
 * ```
 */
export function safeReturnTo(value: unknown, fallback: string = '/'): string {
  return localPath(value) ?? localPath(fallback) ?? '/';
}

/** `value` as a normalized same-origin path, or `undefined`. */
function localPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_LENGTH || value.charCodeAt(0) !== 0x2f) return undefined;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE) return undefined;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can leave `//host` behind, which a browser reads as another origin.
  const second = path.charCodeAt(1);
  if (second === 0x2f || second === 0x5c || path.length > MAX_LENGTH) return undefined;
  return path;
}
