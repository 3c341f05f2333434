import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 64 * 1024;

/** The public origin of a Node request (`X-Forwarded-Proto` is honoured only when `trustProxy`). */
function originOf(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() : '';
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const protocol = forwarded === 'https' || forwarded === 'http' ? forwarded : encrypted ? 'https' : 'http';
  const host = req.headers.host ?? 'localhost';
  return `${protocol}://${host}`;
}

async function readBody(req: IncomingMessage & { body?: unknown }): Promise<Uint8Array | string | undefined> {
  // A body parser may already have consumed the stream: rebuild what it parsed.
  if (req.body !== undefined) {
    if (typeof req.body === 'string' || req.body instanceof Uint8Array) return req.body;
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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RangeError('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A Fetch `Request` for a Node request. The body is read only when `withBody` (the auth routes'
 * POSTs); other requests keep their stream for the app.
 */
export async function toFetchRequest(
  req: IncomingMessage & { originalUrl?: string; body?: unknown },
  options: { withBody?: boolean; trustProxy?: boolean } = {},
): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const entry of value) headers.append(name, entry);
    else headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const url = new URL(req.originalUrl ?? req.url ?? '/', originOf(req, options.trustProxy ?? false));
  const hasBody = options.withBody && method !== 'GET' && method !== 'HEAD';
  const body = hasBody ? await readBody(req) : undefined;
  return new Request(url, { method, headers, body: body as BodyInit | undefined });
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
