import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { base64url } from 'jose';
import { SessionManager } from '../../../src/index.js';
import { createSigner, type TestSigner } from '../../support/tokens.js';
import { startFaultServer } from '../../support/fault-server.js';
import { user } from '../../support/users.js';

// Every failure reason, reached through the public API over real HTTP: tokens are signed with a
// key served by a loopback JWKS, and provider faults are injected through the same server.
const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const CLIENT_ID = 'client_reasons';
const NOW = 1_800_000_000;
let signer: TestSigner;
let stranger: TestSigner;
let server: Awaited<ReturnType<typeof startFaultServer>>;


beforeAll(async () => {
  signer = await createSigner('k1');
  stranger = await createSigner('k1');
  server = await startFaultServer({ jwks: () => signer.jwks });
});
afterAll(() => server.close());

function manager(options: Partial<ConstructorParameters<typeof SessionManager>[0]> = {}) {
  return new SessionManager({
    clientId: CLIENT_ID, apiKey: 'sk_test', cookiePassword: PASSWORD, baseUrl: server.url,
    now: () => NOW * 1000, timeoutMs: 300, ...options,
  });
}

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: server.url, sub: 'user_1', sid: 'session_1', aud: CLIENT_ID, iat: NOW - 10, exp: NOW + 300, ...extra,
});

async function cookieWith(accessToken: string, sessions = manager()) {
  return sessions.sealSessionFromAuthResponse({ accessToken, refreshToken: 'refresh_1', user });
}

async function authenticate(cookie: string | undefined, sessions = manager()) {
  return sessions.loadSealedSession({ sessionData: cookie }).authenticate();
}

describe('authenticate(): every reason', () => {
  test('valid', async () => {
    expect(await authenticate(await cookieWith(await signer.sign(claims())))).toMatchObject({ authenticated: true, sessionId: 'session_1' });
  });
  test('no cookie', async () => {
    for (const empty of [undefined, '']) {
      expect(await authenticate(empty)).toMatchObject({ authenticated: false, reason: 'no_session_cookie_provided' });
    }
  });
  test('garbage cookie', async () => {
    for (const garbage of ['garbage', 'Fe26.2*1*a*!!*b**c*d', 'gAAAAA!!!', 'Fe26.2' + '*'.repeat(7) + '~2']) {
      expect(await authenticate(garbage)).toMatchObject({ authenticated: false, reason: 'invalid_session_cookie', retryable: false });
    }
  });
  test('wrong password', async () => {
    const cookie = await cookieWith(await signer.sign(claims()), manager({ cookiePassword: 'Zx9Qw8Ev7Rb6Tn5Ym4Uk3Il2Op1As0Dd' }));
    expect(await authenticate(cookie)).toMatchObject({ authenticated: false, reason: 'invalid_session_cookie' });
  });
  test('expired token: invalid_jwt, refreshable', async () => {
    const result = await authenticate(await cookieWith(await signer.sign(claims({ exp: NOW - 60 }))));
    expect(result).toEqual({ authenticated: false, reason: 'invalid_jwt', detail: 'jwt_expired', refreshable: true, retryable: false });
  });
  const invalid: Array<[string, () => Promise<string>, string]> = [
    ['wrong signature key', () => stranger.sign(claims()), 'jwt_bad_signature'],
    ['wrong issuer', () => signer.sign(claims({ iss: 'https://api.workos.com' })), 'jwt_bad_issuer'],
    ['wrong audience', () => signer.sign(claims({ aud: 'client_someone_else' })), 'jwt_bad_audience'],
    ['alg HS256', async () => `${base64url.encode('{"alg":"HS256","kid":"k1"}')}.${base64url.encode(JSON.stringify(claims()))}.AAAA`, 'jwt_bad_algorithm'],
    ['no exp', () => signer.sign(claims({ exp: undefined })), 'jwt_missing_claim'],
    ['no sid', () => signer.sign(claims({ sid: undefined })), 'jwt_missing_claim'],
  ];
  for (const [name, make, detail] of invalid) {
    test(`${name}: invalid_jwt (${detail}), not refreshable`, async () => {
      expect(await authenticate(await cookieWith(await make()))).toMatchObject({
        authenticated: false, reason: 'invalid_jwt', detail, refreshable: false, retryable: false,
      });
    });
  }
  test('token of another user than the cookie’s', async () => {
    expect(await authenticate(await cookieWith(await signer.sign(claims({ sub: 'user_2' }))))).toMatchObject({
      authenticated: false, reason: 'invalid_session_cookie', detail: 'session_user_mismatch',
    });
  });
  test('JWKS down, cold cache: jwks_unavailable, retryable, not refreshable', async () => {
    const cookie = await cookieWith(await signer.sign(claims()));
    server.state.jwksDown = true;
    try {
      expect(await authenticate(cookie)).toEqual({
        authenticated: false, reason: 'jwks_unavailable', detail: 'jwks_unavailable', refreshable: false, retryable: true,
      });
    } finally {
      server.state.jwksDown = false;
    }
  });
  test('JWKS down, warm cache: still authenticated', async () => {
    const sessions = manager();
    const cookie = await cookieWith(await signer.sign(claims()), sessions);
    await sessions.jwks.refresh();
    server.state.jwksDown = true;
    try {
      expect(await authenticate(cookie, sessions)).toMatchObject({ authenticated: true });
    } finally {
      server.state.jwksDown = false;
    }
  });
});

describe('refresh(): failures are typed and the old cookie stays usable', () => {
  const cases: Array<[string, Parameters<typeof setMode>[0], Record<string, unknown>]> = [
    ['500', { kind: 'json', status: 500, body: { message: 'internal' } }, { reason: 'server_error', retryable: true }],
    ['503 HTML', { kind: 'json', status: 503, body: '<html>' }, { reason: 'server_error', retryable: true }],
    ['429 with Retry-After', { kind: 'json', status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '7' } }, { reason: 'rate_limit_exceeded', retryable: true, retryAfter: 7 }],
    ['timeout', { kind: 'hang' }, { reason: 'timeout', retryable: true }],
    ['connection reset', { kind: 'reset' }, { reason: 'network_error', retryable: true }],
    ['invalid_grant (as `error`)', { kind: 'json', status: 400, body: { error: 'invalid_grant', error_description: 'Refresh token already exchanged.' } }, { reason: 'invalid_grant', retryable: false }],
    ['invalid_grant (as `code`)', { kind: 'json', status: 400, body: { code: 'invalid_grant', message: 'Invalid refresh token' } }, { reason: 'invalid_grant', retryable: false }],
    ['sso_required', { kind: 'json', status: 403, body: { error: 'sso_required', error_description: 'SSO' } }, { reason: 'sso_required', retryable: false }],
    ['mfa_enrollment', { kind: 'json', status: 403, body: { code: 'mfa_enrollment', message: 'MFA' } }, { reason: 'mfa_enrollment', retryable: false }],
    ['200 without tokens', { kind: 'json', status: 200, body: { user: null } }, { reason: 'invalid_response', retryable: true }],
  ];
  function setMode(mode: typeof server.state.authenticate) {
    server.state.authenticate = mode;
  }
  for (const [name, mode, expected] of cases) {
    test(name, async () => {
      const sessions = manager();
      const cookie = await cookieWith(await signer.sign(claims({ exp: NOW - 60 })), sessions);
      setMode(mode);
      const calls = server.state.calls.authenticate;
      const result = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
      expect(result).toMatchObject({ authenticated: false, ...expected });
      expect(server.state.calls.authenticate - calls).toBe(1); // never retried
      // The cookie itself is untouched: it still unseals and names its session.
      expect(await sessions.loadSealedSession({ sessionData: cookie }).getSessionId()).toBe('session_1');
    });
  }
  test('no cookie / bad cookie', async () => {
    const sessions = manager();
    expect(await sessions.loadSealedSession({ sessionData: '' }).refresh()).toEqual({ authenticated: false, reason: 'no_session_cookie_provided', retryable: false });
    expect(await sessions.loadSealedSession({ sessionData: 'Fe26.2**' }).refresh()).toEqual({ authenticated: false, reason: 'invalid_session_cookie', retryable: false });
  });
});

describe('getLogoutUrl()', () => {
  test('works with an expired token and while the JWKS is down', async () => {
    const sessions = manager();
    const cookie = await cookieWith(await signer.sign(claims({ exp: NOW - 3600 })), sessions);
    expect(await sessions.loadSealedSession({ sessionData: cookie }).getLogoutUrl()).toContain('session_id=session_1');
    server.state.jwksDown = true;
    try {
      const cold = manager();
      expect(await cold.loadSealedSession({ sessionData: cookie }).getLogoutUrl()).toContain('session_id=session_1');
    } finally {
      server.state.jwksDown = false;
    }
  });
  test('throws a typed SessionError for a bad cookie or a forged token', async () => {
    const sessions = manager();
    await expect(sessions.loadSealedSession({ sessionData: 'nope' }).getLogoutUrl()).rejects.toMatchObject({ code: 'invalid_session_cookie' });
    await expect(sessions.loadSealedSession({ sessionData: '' }).getLogoutUrl()).rejects.toMatchObject({ code: 'no_session_cookie_provided' });
    const forged = await cookieWith(await stranger.sign(claims()), sessions);
    await expect(sessions.loadSealedSession({ sessionData: forged }).getLogoutUrl()).rejects.toMatchObject({ code: 'invalid_jwt' });
  });
});
