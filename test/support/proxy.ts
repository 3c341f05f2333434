import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does to one request (`POST /user_management/authenticate`, or any request
 * when a fault function decides):
 * - `status500`, `status429` (with `Retry-After`), `reset`: answer (or drop the connection)
 *   without forwarding, so the grant is not spent;
 * - `delay`: forward after `delayMs`;
 * - `hold`: keep the request pending, not forwarded, until `release()`;
 * - `lost`: forward, let the provider answer (a refresh token is rotated), then drop the
 *   connection before the answer reaches the client.
 */
export type Fault = 'none' | 'status500' | 'status429' | 'reset' | 'hold' | 'delay' | 'lost';

/** One request as the proxy saw it. */
export interface ProxiedRequest {
  path: string;
  /** The grant type of an `authenticate` request. */
  grantType?: string;
  /** The refresh token presented, for a refresh grant. */
  refreshToken?: string;
}

/** One refresh grant that reached the proxy, and what became of it. */
export interface RefreshGrantRecord {
  refreshToken: string;
  fault: Fault;
  /** The proxy's clock when the grant arrived. */
  at: number;
  /** The provider's status when the grant was forwarded and answered. */
  upstreamStatus?: number;
  /** The provider's error code, when it answered with one. */
  upstreamError?: string;
  /** The user the provider answered for, when it did. */
  email?: string;
  /** The client had gone (timed out, aborted) when the provider's answer came back. */
  clientGone?: boolean;
}

function requestOf(path: string, body: Buffer): ProxiedRequest {
  if (path !== AUTHENTICATE) return { path };
  try {
    const json = JSON.parse(body.toString()) as { grant_type?: unknown; refresh_token?: unknown };
    const request: ProxiedRequest = { path, grantType: typeof json.grant_type === 'string' ? json.grant_type : '' };
    if (typeof json.refresh_token === 'string') request.refreshToken = json.refresh_token;
    return request;
  } catch {
    return { path, grantType: '' };
  }
}

const AUTHENTICATE = '/user_management/authenticate';

function answerOf(body: Buffer): { upstreamError?: string; email?: string } {
  try {
    const json = JSON.parse(body.toString()) as { error?: unknown; code?: unknown; user?: { email?: unknown } };
    const error = typeof json.error === 'string' ? json.error : typeof json.code === 'string' ? json.code : undefined;
    const email = typeof json.user?.email === 'string' ? json.user.email : undefined;
    return { ...(error && { upstreamError: error }), ...(email && { email }) };
  } catch {
    return {};
  }
}

/**
 * A loopback HTTP proxy in front of the emulator: counts requests by path and injects faults
 * on a real socket. `fault` is either one fault for every `POST /user_management/authenticate`
 * or a function choosing one for each request, whatever its path. Refresh grants are logged
 * in `refreshLog`; `now` is the clock of that log (the apps' clock when it is shifted).
 */
export async function startProxy(target: string, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const state = {
    counts: new Map<string, number>(),
    refreshGrants: 0,
    fault: 'none' as Fault | ((request: ProxiedRequest) => Fault),
    /** How long `delay` holds a request, in milliseconds (a function draws one per request). */
    delayMs: 500 as number | (() => number),
    /** The `Retry-After` value of `status429`, in seconds. */
    retryAfterSec: 3,
    refreshLog: [] as RefreshGrantRecord[],
  };
  const held: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      state.counts.set(path, (state.counts.get(path) ?? 0) + 1);
      const request = requestOf(path, body);
      const fault = typeof state.fault === 'function' ? state.fault(request) : path === AUTHENTICATE ? state.fault : 'none';
      let record: RefreshGrantRecord | undefined;
      if (request.refreshToken !== undefined) {
        state.refreshGrants++;
        record = { refreshToken: request.refreshToken, fault, at: now() };
        state.refreshLog.push(record);
      }
      const forward = () => {
        const upstream = httpRequest(new URL(req.url ?? '/', target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (up) => {
          const answer: Buffer[] = [];
          up.on('data', (chunk: Buffer) => answer.push(chunk));
          up.on('end', () => {
            const text = Buffer.concat(answer);
            if (record) Object.assign(record, { upstreamStatus: up.statusCode, clientGone: res.destroyed }, answerOf(text));
            if (fault === 'lost') return void req.socket.destroy();
            res.writeHead(up.statusCode ?? 502, up.headers).end(text);
          });
          up.on('error', () => res.destroy());
        });
        upstream.on('error', () => res.destroy());
        upstream.end(body);
      };
      switch (fault) {
        case 'none':
        case 'lost':
          return forward();
        case 'status500':
          return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"injected"}');
        case 'status429':
          return void res
            .writeHead(429, { 'retry-after': String(state.retryAfterSec), 'content-type': 'application/json' })
            .end('{"message":"slow down"}');
        case 'reset':
          return void req.socket.destroy();
        case 'delay':
          return void setTimeout(forward, typeof state.delayMs === 'function' ? state.delayMs() : state.delayMs);
        case 'hold':
          return void held.push(forward);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    release: () => held.splice(0).forEach((forward) => forward()),
    count: (path: string) => state.counts.get(path) ?? 0,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
