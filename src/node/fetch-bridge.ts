import type { IncomingMessage, ServerResponse } from 'node:http';

type NodeRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/**
 * `Host` as RFC 9112 allows it, narrowed to what apps use: a name or IPv4 address of letters,
 * digits, `.`, `_` and `-`, or a bracketed IPv6 address, with an optional port. Anything else
 * (`/`, `@`, `\`, spaces, a second colon) could move the URL's origin or fail to parse.
 */
const HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The public origin of a Node request (`X-Forwarded-Proto` is honoured only when `trustProxy`). */
function originOf(req: IncomingMessage, trustProxy: boolean): string | undefined {
  // No Host at all is HTTP/1.0 (Node refuses HTTP/1.1 without one): a loopback health check.
  const host = req.headers.host ?? 'localhost';
  if (!HOST.test(host)) return undefined;
  const forwarded = trustProxy ? String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim().toLowerCase() : '';
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const protocol = forwarded === 'https' || forwarded === 'http' ? forwarded : encrypted ? 'https' : 'http';
  return `${protocol}://${host}`;
}

/**
 * The URL of a Node request, or `undefined` when its `Host` is invalid (answer 400, as RFC 9112
 * §3.2 requires). The request target only ever adds a path and query: `//evil.example/x` is a
 * path here, and an absolute-form or `*` target reads as `/`.
 */
export function requestUrl(req: NodeRequest, options: { trustProxy?: boolean } = {}): URL | undefined {
  const origin = originOf(req, options.trustProxy ?? false);
  if (origin === undefined) return undefined;
  const target = req.originalUrl ?? req.url ?? '/';
  try {
    return new URL(`${origin}${target.startsWith('/') ? target : '/'}`);
  } catch {
    return undefined;
  }
}

/**
 * The body of a Node request as a stream read only on demand, so the reader decides how much
 * to take. A body parser may already have consumed the stream: then what it parsed is rebuilt.
 */
function bodyOf(req: NodeRequest, res: ServerResponse): BodyInit | undefined {
  if (req.body !== undefined) {
    if (typeof req.body === 'string') return req.body;
    if (req.body instanceof Uint8Array) return new Uint8Array(req.body);
    if (typeof req.body === 'object' && req.body !== null) {
      const type = String(req.headers['content-type'] ?? '');
      if (type.includes('application/json')) return JSON.stringify(req.body);
      const form = new URLSearchParams();
      for (const [key, value] of Object.entries(req.body)) if (typeof value === 'string') form.set(key, value);
      return form.toString();
    }
    return undefined;
  }
  if (req.readableEnded) return undefined;
  let chunks: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        chunks ??= req.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
        const { done, value } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      },
      async cancel() {
        await chunks?.return?.();
        // Not destroyed: the answer must still reach the client. The rest is discarded as it
        // arrives, never buffered, and the connection closes once the answer is sent.
        if (!req.complete && !res.headersSent) res.setHeader('connection', 'close');
        req.resume();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A Fetch `Request` for a Node request at `url` (see {@link requestUrl}). The body goes along
 * only when `withBody` (the auth routes); other requests keep their stream for the app.
 */
export function toFetchRequest(req: NodeRequest, res: ServerResponse, url: URL, withBody: boolean): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const entry of value) headers.append(name, entry);
    else headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const body = withBody && method !== 'GET' && method !== 'HEAD' ? bodyOf(req, res) : undefined;
  // `duplex` is required by Node's fetch for a streamed body; the DOM typings lack it.
  return new Request(url, { method, headers, body, duplex: 'half' } as RequestInit);
}

/** Writes a Fetch `Response` to a Node response, keeping every `Set-Cookie` separate. */
export async function sendFetchResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue;
    res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) appendSetCookies(res, cookies);
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

/** Adds `Set-Cookie` values to a Node response without dropping the ones the app already set. */
export function appendSetCookies(res: ServerResponse, cookies: readonly string[]): void {
  const existing = res.getHeader('set-cookie');
  const current = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('set-cookie', [...current, ...cookies]);
}

/**
 * Keeps `res` out of every cache, whatever the app does after this call: `Cache-Control:
 * no-store` is set again as the headers are written, and a `Cache-Control` passed to
 * `writeHead` is dropped. For a response that carries a session cookie.
 */
export function keepUncacheable(res: ServerResponse): void {
  res.setHeader('cache-control', 'no-store');
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    this.setHeader('cache-control', 'no-store');
    return Reflect.apply(writeHead, this, args.map(withoutCacheControl)) as ServerResponse;
  } as ServerResponse['writeHead'];
}

const isCacheControl = (name: unknown) => typeof name === 'string' && name.toLowerCase() === 'cache-control';

/** A `writeHead` argument without its `Cache-Control`: headers as an object or a flat name/value list. */
function withoutCacheControl(arg: unknown): unknown {
  if (Array.isArray(arg)) {
    const kept: unknown[] = [];
    for (let i = 0; i < arg.length; i += 2) if (!isCacheControl(arg[i])) kept.push(...arg.slice(i, i + 2));
    return kept;
  }
  if (typeof arg === 'object' && arg !== null) {
    return Object.fromEntries(Object.entries(arg).filter(([name]) => !isCacheControl(name)));
  }
  return arg;
}
