import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createSessionHandler, SessionManager } from '../../../src/index.js';
import { ApiError } from '../../../src/errors/index.js';
import { rejectionOf } from '../../support/errors.js';
import { type AuthenticateMode, startFaultServer } from '../../support/fault-server.js';
import { createSigner, type TestSigner } from '../../support/tokens.js';
import { user, wireUser } from '../../support/users.js';

// The provider's token endpoint answering every way a broken or hostile one (or a proxy in
// between) could, over a real socket, with the global fetch: each answer is a typed ApiError,
// each refresh a retryable failure that keeps the cookie, and no connection is held open.
const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const CLIENT_ID = 'client_hostile';
const HUGE_BODY_BYTES = 16 * 1024 * 1024;
const NOW = 1_800_000_000;
let signer: TestSigner;
let server: Awaited<ReturnType<typeof startFaultServer>>;


beforeAll(async () => {
  signer = await createSigner('k1');
  server = await startFaultServer({ jwks: () => signer.jwks });
});
afterAll(() => server.close());

function manager() {
  return new SessionManager({
    clientId: CLIENT_ID, apiKey: 'sk_test', cookiePassword: PASSWORD, baseUrl: server.url,
    now: () => NOW * 1000, timeoutMs: 400,
  });
}

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: server.url, sub: 'user_1', sid: 'session_1', aud: CLIENT_ID, iat: NOW - 10, exp: NOW + 300, ...extra,
});

async function expiredCookie(sessions: SessionManager) {
  return sessions.sealSessionFromAuthResponse({ accessToken: await signer.sign(claims({ exp: NOW - 60 })), refreshToken: 'refresh_1', user });
}

/** The ApiError `promise` rejected with; fails the test when it resolved or rejected with anything else. */
const failure = (promise: Promise<unknown>): Promise<ApiError> => rejectionOf(ApiError, promise);

const html = (status: number): AuthenticateMode => ({ kind: 'raw', status, body: '<!doctype html><title>Bad gateway</title>', headers: { 'content-type': 'text/html' } });
const raw = (body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }, status = 200): AuthenticateMode => ({ kind: 'raw', status, body, headers });
const valid = () => ({ access_token: 'a.b.c', refresh_token: 'refresh_2', user: wireUser });

const answers: Array<[string, () => AuthenticateMode, string]> = [
  ['200 HTML page', () => html(200), 'invalid_response'],
  ['200 truncated JSON', () => raw('{"access_token":"a.b.c","refresh'), 'invalid_response'],
  ['200 JSON array', () => raw('[]'), 'invalid_response'],
  ['200 JSON string', () => raw('"ok"'), 'invalid_response'],
  ['200 JSON null', () => raw('null'), 'invalid_response'],
  ['200 access_token a number', () => raw(JSON.stringify({ ...valid(), access_token: 7 })), 'invalid_response'],
  ['200 user an array', () => raw(JSON.stringify({ ...valid(), user: [wireUser] })), 'invalid_response'],
  ['200 user without id', () => raw(JSON.stringify({ ...valid(), user: { ...wireUser, id: undefined } })), 'invalid_response'],
  ['200 answer under __proto__', () => raw(`{"__proto__":${JSON.stringify(valid())}}`), 'invalid_response'],
  ['200 valid JSON as text/plain', () => raw(JSON.stringify(valid()), { 'content-type': 'text/plain' }), 'invalid_response'],
  ['200 empty body', () => raw(''), 'invalid_response'],
  ['204 No Content', () => raw('', {}, 204), 'invalid_response'],
  ['200 invalid UTF-8', () => raw(Uint8Array.of(0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d)), 'invalid_response'],
  ['400 HTML page', () => html(400), 'invalid_response'],
  ['401 HTML page', () => html(401), 'invalid_response'],
  ['403 HTML page', () => html(403), 'invalid_response'],
  ['404 empty', () => raw('', {}, 404), 'invalid_response'],
  ['500 HTML page', () => html(500), 'server_error'],
  ['502 HTML page', () => html(502), 'server_error'],
  ['302 to elsewhere', () => raw('', { location: `${server.url}/elsewhere` }, 302), 'invalid_response'],
  ['307 to elsewhere', () => raw('', { location: `${server.url}/elsewhere` }, 307), 'invalid_response'],
  ['308 to elsewhere', () => raw('', { location: `${server.url}/elsewhere` }, 308), 'invalid_response'],
  ['16 MB body, declared', () => ({ kind: 'huge', declared: true }), 'invalid_response'],
  ['16 MB body, undeclared', () => ({ kind: 'huge', declared: false }), 'invalid_response'],
  ['a body that drips a byte at a time', () => ({ kind: 'drip', intervalMs: 20 }), 'timeout'],
  ['a body cut short', () => ({ kind: 'cut' }), 'network_error'],
  ['no answer', () => ({ kind: 'hang' }), 'timeout'],
  ['connection reset', () => ({ kind: 'reset' }), 'network_error'],
];

describe('every answer of the token endpoint is a typed ApiError', () => {
  for (const [name, mode, code] of answers) {
    test(`${name}: ${code}`, async () => {
      const sessions = manager();
      server.state.authenticate = mode();
      const other = server.state.calls.other;
      expect(await failure(sessions.authenticateWithCode({ code: 'code_1', codeVerifier: 'verifier' }))).toMatchObject({ code, retryable: true });
      expect(await failure(sessions.authenticateWithRefreshToken({ refreshToken: 'refresh_1' }))).toMatchObject({ code, retryable: true });
      const cookie = await expiredCookie(sessions);
      expect(await sessions.loadSealedSession({ sessionData: cookie }).refresh()).toEqual({ authenticated: false, reason: code, retryable: true });
      expect(server.state.calls.other - other).toBe(0); // a redirect is never followed
    });
  }
});

describe('connections are let go', () => {
  test.each([true, false])('16 MB body (declared: %s): read no further than the bound, then dropped', async (declared) => {
    server.state.authenticate = { kind: 'huge', declared };
    server.state.authenticateSent = [];
    expect(await failure(manager().authenticateWithRefreshToken({ refreshToken: 'refresh_1' }))).toMatchObject({ code: 'invalid_response' });
    await vi.waitFor(() => expect(server.state.authenticateSent).toHaveLength(1));
    expect(server.state.authenticateSent[0]).toBeLessThan(HUGE_BODY_BYTES);
  });
  test('a dripping body: the connection closes at the timeout', async () => {
    server.state.authenticate = { kind: 'drip', intervalMs: 20 };
    server.state.authenticateSent = [];
    expect(await failure(manager().authenticateWithRefreshToken({ refreshToken: 'refresh_1' }))).toMatchObject({ code: 'timeout', status: 200 });
    await vi.waitFor(() => expect(server.state.authenticateSent).toHaveLength(1));
  });
});

describe('through the request handler: the cookie is kept, never a 5xx', () => {
  for (const [name, mode, code] of answers) {
    test(`${name}`, async () => {
      const sessions = manager();
      const handler = createSessionHandler({ sessions, redirectUri: 'https://app.test/auth/callback' });
      server.state.authenticate = mode();
      const cookie = await expiredCookie(sessions);
      const request = () => new Request('https://app.test/auth/session', { headers: { cookie: `${handler.cookie.name}=${cookie}` } });
      const response = await handler.handle(request());
      expect(response?.status).toBe(200);
      expect(await response?.json()).toEqual({ authenticated: false, reason: code });
      expect(response?.headers.getSetCookie()).toEqual([]);
      const page = await handler.authenticate(request());
      expect(page).toEqual({ session: { authenticated: false, reason: code, retryable: true }, setCookies: [] });
    });
  }
  test('and a good answer after them refreshes the same cookie', async () => {
    const sessions = manager();
    const handler = createSessionHandler({ sessions, redirectUri: 'https://app.test/auth/callback' });
    const cookie = await expiredCookie(sessions);
    server.state.authenticate = { kind: 'json', status: 200, body: { ...valid(), access_token: await signer.sign(claims()) } };
    const page = await handler.authenticate(new Request('https://app.test/', { headers: { cookie: `${handler.cookie.name}=${cookie}` } }));
    expect(page.session).toMatchObject({ authenticated: true, refreshed: true, sessionId: 'session_1' });
    expect(page.setCookies).toHaveLength(1);
  });
});
