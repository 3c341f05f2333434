/**
 * Bodies a client may post to the auth routes (`/auth/refresh`, `/auth/switch-organization`)
 * that must be refused with a 4xx, never a 5xx, and never read past the cap. Each is a complete
 * HTTP/1.1 request for a bare socket (see `raw-http.ts`), carrying a session cookie and the
 * app's own `Origin` so that only the body is at fault.
 */
export const MAX_FORM_BODY_BYTES = 8192;

export interface BodyProbe {
  name: string;
  /** The request, for the app at `origin` (its `Host` and `Origin`). */
  request: (origin: string) => string;
  /** The status of the (first) answer. */
  status: number;
  /** Half-close the connection after writing (the body was promised but never comes). */
  end?: boolean;
  /** Only the headers are sent: the answer must come from the declared length alone. */
  headersOnly?: boolean;
}

const ORG = 'org_01ABCDEFGHJKMNPQRSTVWXYZ00';

function post(origin: string, path: string, headers: Record<string, string>, body: string): string {
  const { host } = new URL(origin);
  const lines = Object.entries({ host, origin, cookie: 'wos-session=Fe26.2*1*not-a-session', connection: 'close', ...headers })
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}: ${value}`);
  return `POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

function chunked(body: string): string {
  return `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
}

const form = 'application/x-www-form-urlencoded';
const json = 'application/json';
/** A form body of exactly `size` bytes that names an organization. */
const formOf = (size: number) => `organizationId=${ORG}&returnTo=/${'a'.repeat(size - `organizationId=${ORG}&returnTo=/`.length)}`;

export const BODY_PROBES: readonly BodyProbe[] = [
  ...[MAX_FORM_BODY_BYTES + 1, 100_000, 10_000_000, 2 ** 40, 2 ** 53 - 1].map((length) => ({
    name: `Content-Length ${length}, no body sent`,
    request: (origin: string) => post(origin, '/auth/switch-organization', { 'content-type': form, 'content-length': String(length) }, ''),
    status: 413,
    headersOnly: true,
  })),
  {
    name: `Content-Length ${MAX_FORM_BODY_BYTES + 1} with the whole body`,
    request: (origin) => post(origin, '/auth/switch-organization', { 'content-type': form, 'content-length': String(MAX_FORM_BODY_BYTES + 1) }, formOf(MAX_FORM_BODY_BYTES + 1)),
    status: 413,
  },
  {
    name: `chunked, ${MAX_FORM_BODY_BYTES + 1} bytes (one past the cap)`,
    request: (origin) => post(origin, '/auth/switch-organization', { 'content-type': form, 'transfer-encoding': 'chunked' }, chunked(formOf(MAX_FORM_BODY_BYTES + 1))),
    status: 413,
  },
  {
    name: `chunked JSON, ${MAX_FORM_BODY_BYTES + 1} bytes`,
    request: (origin) => post(origin, '/auth/refresh', { 'content-type': json, 'transfer-encoding': 'chunked' }, chunked(JSON.stringify({ returnTo: `/${'a'.repeat(MAX_FORM_BODY_BYTES)}` }))),
    status: 413,
  },
  {
    name: 'Content-Length shorter than the body (the organization id cut off)',
    request: (origin) => post(origin, '/auth/switch-organization', { 'content-type': form, 'content-length': '10' }, `returnTo=%2F&organizationId=${ORG}`),
    status: 400,
  },
  {
    name: 'Content-Length longer than the body, connection half-closed',
    request: (origin) => post(origin, '/auth/switch-organization', { 'content-type': form, 'content-length': '4000' }, `organizationId=${ORG}`),
    status: 400,
    end: true,
  },
  ...['{not json', '[]', 'null', '"org"', '42', `{"organizationId": ["${ORG}"]}`, `{"organizationId": 5}`, '{"organizationId":', '\u00ff\u00fe{}'].map((body) => ({
    name: `JSON body ${JSON.stringify(body)}`,
    request: (origin: string) => post(origin, '/auth/switch-organization', { 'content-type': json, 'content-length': String(Buffer.byteLength(body, 'latin1')) }, body),
    status: 400,
  })),
  {
    name: 'form body with an organization id that is not one',
    request: (origin) => post(origin, '/auth/switch-organization', { 'content-type': form, 'content-length': '32' }, 'organizationId=../../admin%00%0a'),
    status: 400,
  },
  {
    name: 'multipart body without a boundary',
    request: (origin) => post(origin, '/auth/switch-organization', { 'content-type': 'multipart/form-data', 'content-length': '5' }, 'hello'),
    status: 400,
  },
  ...['text/plain', 'application/xml', 'text/plain; application/json', 'application/json-patch+json', 'application/octet-stream', '', 'x'].map((type) => ({
    name: `Content-Type ${JSON.stringify(type)}`,
    request: (origin: string) => post(origin, '/auth/switch-organization', { 'content-type': type, 'content-length': '28' }, `organizationId=${ORG}`.slice(0, 28)),
    status: 415,
  })),
];
