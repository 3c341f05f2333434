import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AuthenticateMode =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  /** Exactly these bytes and headers, whatever they are. */
  | { kind: 'raw'; status: number; body: string | Uint8Array; headers?: Record<string, string> }
  /** A 200 whose JSON body never ends: one more byte every `intervalMs`. */
  | { kind: 'drip'; intervalMs: number }
  /** A 200 with a 16 MB body, sent as fast as it is read; `declared` with its Content-Length. */
  | { kind: 'huge'; declared: boolean }
  /** Headers declaring more than is sent, a few bytes, then the connection drops. */
  | { kind: 'cut' }
  | { kind: 'hang' }
  | { kind: 'reset' };

/** How the JWKS endpoint fails: an error status, no answer, a dropped connection, or a 200 that is no key set. */
export type JwksFault = 'none' | 'status500' | 'hang' | 'reset' | 'garbage' | 'html' | 'huge' | 'hugeDeclared';

const HUGE_BODY_BYTES = 16 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x20);

/** Streams a 16 MB JSON-looking body, as fast as the client reads it; records how much went out. */
function streamHuge(res: ServerResponse, declared: boolean, sent: (bytes: number) => void): void {
  res.writeHead(200, { 'content-type': 'application/json', ...(declared ? { 'content-length': String(HUGE_BODY_BYTES + 2) } : {}) });
  let written = 0;
  res.on('error', () => undefined);
  res.on('close', () => sent(written));
  res.write('{"');
  const pump = () => {
    while (written < HUGE_BODY_BYTES && !res.destroyed) {
      written += CHUNK.length;
      if (!res.write(CHUNK)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** Starts a JSON body, then sends one more byte every `intervalMs` until the client goes. */
function drip(res: ServerResponse, intervalMs: number, sent: (bytes: number) => void): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  let written = 0;
  res.on('error', () => undefined);
  res.write('{"access_token":"');
  const timer = setInterval(() => {
    written++;
    res.write('a');
  }, intervalMs);
  res.on('close', () => {
    clearInterval(timer);
    sent(written);
  });
}

/**
 * A loopback HTTP server standing in for the identity provider where a fault must be injected
 * on purpose: a JWKS that can go down (or fail in any way of {@link JwksFault}), an authenticate
 * endpoint that answers in any way of {@link AuthenticateMode}. Everything travels over a real socket.
 */
export async function startFaultServer(initial: { jwks: () => unknown }) {
  const state = {
    jwksDown: false,
    jwksFault: 'none' as JwksFault,
    /** Bytes of each huge JWKS body sent before its connection closed. */
    jwksHugeSent: [] as number[],
    jwks: initial.jwks,
    authenticate: { kind: 'json', status: 500, body: { message: 'boom' } } as AuthenticateMode,
    /** Bytes of each endless authenticate body (`drip`, `huge`) sent before its connection closed. */
    authenticateSent: [] as number[],
    calls: { jwks: 0, authenticate: 0, other: 0 },
  };
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/sso/jwks/')) {
      state.calls.jwks++;
      if (state.jwksDown) return void res.writeHead(503).end('down');
      const fault = state.jwksFault;
      if (fault === 'status500') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"boom"}');
      if (fault === 'hang') return void hanging.add(res);
      if (fault === 'reset') return void req.socket.destroy();
      if (fault === 'garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[{"kty":"RSA",');
      if (fault === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
      if (fault === 'huge' || fault === 'hugeDeclared') return streamHuge(res, fault === 'hugeDeclared', (bytes) => state.jwksHugeSent.push(bytes));
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.jwks()));
    }
    if (path === '/user_management/authenticate') {
      state.calls.authenticate++;
      const mode = state.authenticate;
      if (mode.kind === 'hang') return void hanging.add(res);
      if (mode.kind === 'reset') return void req.socket.destroy();
      if (mode.kind === 'raw') return void res.writeHead(mode.status, mode.headers).end(mode.body);
      if (mode.kind === 'huge') return streamHuge(res, mode.declared, (bytes) => state.authenticateSent.push(bytes));
      if (mode.kind === 'drip') return drip(res, mode.intervalMs, (bytes) => state.authenticateSent.push(bytes));
      if (mode.kind === 'cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' }).write('{"access_token":');
        return void setTimeout(() => req.socket.destroy(), 20);
      }
      return void res.writeHead(mode.status, { 'content-type': 'application/json', ...mode.headers }).end(JSON.stringify(mode.body));
    }
    state.calls.other++;
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
