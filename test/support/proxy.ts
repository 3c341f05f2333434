import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'none' | 'status500' | 'status429' | 'reset' | 'hold';

/**
 * A loopback HTTP proxy in front of the emulator: counts requests by path and injects faults
 * into `POST /user_management/authenticate` on a real socket. `hold` keeps requests pending
 * (not forwarded) until `release()`; `status429` answers with `Retry-After: state.retryAfter`.
 */
export async function startProxy(target: string) {
  const state = { counts: new Map<string, number>(), refreshGrants: 0, fault: 'none' as Fault, retryAfter: '3' };
  const held: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      state.counts.set(path, (state.counts.get(path) ?? 0) + 1);
      const isAuthenticate = path === '/user_management/authenticate';
      if (isAuthenticate && body.includes('"refresh_token"')) state.refreshGrants++;
      const forward = () => {
        const upstream = httpRequest(new URL(req.url ?? '/', target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        upstream.end(body);
      };
      if (!isAuthenticate || state.fault === 'none') return forward();
      if (state.fault === 'status500') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"injected"}');
      if (state.fault === 'status429') return void res.writeHead(429, { 'retry-after': state.retryAfter, 'content-type': 'application/json' }).end('{"message":"slow down"}');
      if (state.fault === 'reset') return void req.socket.destroy();
      held.push(forward);
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
