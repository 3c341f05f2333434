/**
 * A safe place to send the browser after sign-in or sign-out: a path on this site, never
 * another origin. Anything doubtful (`//evil`, `/\\evil`, `https://evil`, control characters,
 * encoded variants that a browser would normalize to those) becomes `fallback`.
 *
 * @example
 * ```ts
 * safeReturnTo('/billing?tab=invoices'); // '/billing?tab=invoices'
 * safeReturnTo('//evil.example/');       // '/'
 * safeReturnTo('https://evil.example', '/home'); // '/home'
 * const target = safeReturnTo(new URL(request.url).searchParams.get('returnTo'));
 * ```
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // Browsers strip tabs and newlines from URLs and treat `\` as `/`: `/\t/evil` is `//evil`.
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return fallback;
  }
  const base = 'https://return-to.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
