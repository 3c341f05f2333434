import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AuthenticateMode =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'reset' };

/**
 * A loopback HTTP server standing in for the identity provider where a fault must be injected
 * on purpose: a JWKS that can go down, an authenticate endpoint that answers 500, 429, hangs
 * or drops the connection. Everything travels over a real socket.
 */
export async function startFaultServer(initial: { jwks: () => unknown }) {
  const state = {
    jwksDown: false,
    jwks: initial.jwks,
    authenticate: { kind: 'json', status: 500, body: { message: 'boom' } } as AuthenticateMode,
    calls: { jwks: 0, authenticate: 0 },
  };
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/sso/jwks/')) {
      state.calls.jwks++;
      if (state.jwksDown) return void res.writeHead(503).end('down');
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.jwks()));
    }
    if (path === '/user_management/authenticate') {
      state.calls.authenticate++;
      const mode = state.authenticate;
      if (mode.kind === 'hang') return void hanging.add(res);
      if (mode.kind === 'reset') return void req.socket.destroy();
      return void res.writeHead(mode.status, { 'content-type': 'application/json', ...mode.headers }).end(JSON.stringify(mode.body));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
