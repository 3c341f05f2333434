/**
 * The callback URL of a sign-in, per request: one URL, an allow-list of them (preview
 * deployments on their own origins), or a function of the request. The callback is always
 * recognized by one path, known before any request.
 */

/**
 * The `redirectUri` option of `createSessionHandler`:
 * - a URL: every sign-in uses it;
 * - a list of URLs with one path: a sign-in uses the entry of the request's origin, or the first
 *   entry when none matches. An entry may name a whole subdomain level with `*`
 *   (`https://*.preview.example.com/auth/callback` matches `https://pr-42.preview.example.com`,
 *   one DNS label, same scheme and port); the first entry cannot;
 * - a function of the request returning the URL (its path must be `<basePath>/callback`), or
 *   `undefined` to refuse the sign-in.
 */
export type RedirectUriOption = string | readonly string[] | ((request: Request) => string | URL | undefined);

/** The resolved option. */
export interface RedirectUris {
  /** The path the provider sends the browser back to. */
  readonly callbackPath: string;
  /** The one URL known before any request (the first of a list); `undefined` for a function. */
  readonly fixed: URL | undefined;
  /** The callback URL of a sign-in started (or finished) by `request`; `undefined` when none is allowed. */
  forRequest(request: Request): URL | undefined;
}

interface Entry {
  url: URL;
  /** For `*.` entries: the host after the wildcard label, with its leading dot. */
  suffix?: string;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const WILDCARD = '*.';

function httpUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string' && !(value instanceof URL)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hash || url.username || url.password) return undefined;
  return url;
}

function entryOf(value: unknown): Entry {
  const url = httpUrl(value);
  if (!url) throw new TypeError(`redirectUri ${JSON.stringify(value)} is not an absolute http(s) URL without fragment or credentials`);
  if (!url.hostname.includes('*')) return { url };
  const suffix = url.hostname.slice(1);
  if (!url.hostname.startsWith(WILDCARD) || suffix.includes('*') || suffix.split('.').length < 3) {
    throw new TypeError(`redirectUri ${JSON.stringify(value)}: a wildcard must be the whole first label of a host with at least two more (https://*.preview.example.com/…)`);
  }
  return { url, suffix };
}

function matches(entry: Entry, origin: URL): boolean {
  const { url, suffix } = entry;
  if (suffix === undefined) return url.origin === origin.origin;
  if (url.protocol !== origin.protocol || url.port !== origin.port || !origin.hostname.endsWith(suffix)) return false;
  return LABEL.test(origin.hostname.slice(0, -suffix.length));
}

/** The entry's URL on `origin`: a wildcard entry takes the request's host. */
function onOrigin(entry: Entry, origin: URL): URL {
  return entry.suffix === undefined ? entry.url : new URL(entry.url.pathname + entry.url.search, origin.origin);
}

/**
 * Resolves the `redirectUri` option.
 * @throws {TypeError} when a URL is not absolute http(s), a list is empty, starts with a
 * wildcard or mixes paths, or a wildcard is not a whole leading label.
 */
export function redirectUris(option: RedirectUriOption, basePath: string): RedirectUris {
  if (typeof option === 'function') {
    const callbackPath = `${basePath}/callback`;
    return {
      callbackPath,
      fixed: undefined,
      forRequest(request) {
        let url: URL | undefined;
        try {
          url = httpUrl(option(request));
        } catch {
          return undefined;
        }
        return url?.pathname === callbackPath ? url : undefined;
      },
    };
  }
  const entries = (typeof option === 'string' ? [option] : [...option]).map(entryOf);
  const [first] = entries;
  if (first === undefined) throw new TypeError('redirectUri: the list is empty');
  if (first.suffix !== undefined) throw new TypeError('redirectUri: the first URL of the list is the default and cannot hold a wildcard');
  if (entries.some((entry) => entry.url.pathname !== first.url.pathname)) {
    throw new TypeError('redirectUri: every URL of the list must have the same path');
  }
  return {
    callbackPath: first.url.pathname,
    fixed: first.url,
    forRequest(request) {
      if (entries.length === 1) return first.url;
      const origin = new URL(request.url);
      const entry = entries.find((candidate) => matches(candidate, origin));
      return entry === undefined ? first.url : onOrigin(entry, origin);
    },
  };
}
