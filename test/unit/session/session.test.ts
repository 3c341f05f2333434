/**
 * A loaded session through the public API, against the provider faked at the `fetch` edge:
 * every reason `authenticate()` gives, `refresh()` with its successes and failures, and the
 * logout URL of a session whose token has expired.
 */
import { randomBytes } from 'node:crypto';
import { base64url, decodeJwt } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { sealData, type SessionManager, unsealData } from '../../../src/index.js';
import { RefreshCoordinator } from '../../../src/refresh/index.js';
import { SessionError } from '../../../src/errors/index.js';
import type { Fault, WireUser } from '../../support/fake-provider.js';
import { createSigner, type TestSigner } from '../../support/tokens.js';
import { fakeProviderForFile, PASSWORD, T0 } from './helpers.js';

const OLD_PASSWORD = 'Zr8Lq3Vn6Tx1Wc9Kp4Hm2Jd7Fs5Gb0Ya';
/** A 32-byte key: seals Fernet (what workos-python writes) as well as Iron. */
const FERNET_KEY = randomBytes(32).toString('base64url');
const AUTHENTICATE = '/user_management/authenticate';

const fake = fakeProviderForFile();
const { manager } = fake;
let stranger: TestSigner;

beforeAll(async () => {
  stranger = await createSigner(fake.provider.kid);
});

interface SignedIn {
  user: WireUser;
  cookie: string;
  accessToken: string;
  refreshToken: string;
  sessionId: string;
}

let users = 0;

/** Signs a new user in at the provider and seals the result, as a callback route does. */
async function signIn(sessions: SessionManager, options: { organizationId?: string; impersonator?: { email: string; reason: string | null } } = {}): Promise<SignedIn> {
  const user = fake.provider.addUser(
    { email: `user${++users}@example.test`, first_name: 'Ada' },
    { org_1: { role: 'admin', permissions: ['posts:write'] }, org_2: { role: 'viewer', permissions: ['posts:read'] } },
  );
  const auth = await sessions.authenticateWithCode({ code: fake.provider.issueCode(user.id, options) });
  const cookie = await sessions.sealSessionFromAuthResponse(auth);
  return { user, cookie, accessToken: auth.accessToken, refreshToken: auth.refreshToken, sessionId: decodeJwt(auth.accessToken).sid as string };
}

/** A cookie sealed by `sessions` around `accessToken`, for a user of the provider. */
async function cookieWith(sessions: SessionManager, accessToken: string, user: WireUser): Promise<string> {
  return sessions.sealSessionFromAuthResponse({
    accessToken,
    refreshToken: 'refresh_crafted',
    user: { object: 'user', id: user.id, email: user.email, emailVerified: true, profilePictureUrl: null, firstName: null, lastName: null,
      lastSignInAt: null, createdAt: user.created_at, updatedAt: user.updated_at, externalId: null, metadata: {} },
  });
}

const expire = () => {
  fake.clock += 301_000 + 5_000;
};

describe('authenticate()', () => {
  test('a fresh sign-in: the claims of its token and the user sealed with it', async () => {
    const sessions = manager();
    const { user, cookie, accessToken, sessionId } = await signIn(sessions, { organizationId: 'org_1' });
    const result = await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
    expect(result).toEqual({
      authenticated: true,
      sessionId,
      organizationId: 'org_1',
      role: 'admin',
      roles: undefined,
      permissions: ['posts:write'],
      entitlements: undefined,
      featureFlags: undefined,
      user: {
        object: 'user', id: user.id, email: user.email, emailVerified: true, profilePictureUrl: null, firstName: 'Ada', lastName: null,
        lastSignInAt: null, createdAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(), externalId: null, metadata: {},
      },
      impersonator: undefined,
      authenticationMethod: 'Password',
      accessToken,
      expiresAt: new Date(T0 + 300_000),
      claims: expect.objectContaining({ sub: user.id, sid: sessionId, iss: fake.provider.baseUrl, aud: fake.provider.clientId }),
      sealFormat: 'iron',
      sealedWithOldPassword: false,
    });
  });

  test('no cookie: no_session_cookie_provided, and no call to the provider', async () => {
    const sessions = manager();
    const before = fake.provider.requests.length;
    for (const sessionData of [undefined, null, '']) {
      expect(await sessions.loadSealedSession({ sessionData }).authenticate()).toEqual({
        authenticated: false, reason: 'no_session_cookie_provided', refreshable: false, retryable: false,
      });
    }
    expect(fake.provider.requests.length).toBe(before);
  });

  test('a cookie that is not ours: invalid_session_cookie with the seal’s code, and no call to the provider', async () => {
    const sessions = manager();
    const { cookie } = await signIn(sessions);
    const { cookie: foreign } = await signIn(manager({ cookiePassword: OLD_PASSWORD }));
    const middle = cookie.indexOf('*', cookie.indexOf('*', 7) + 1) + 3;
    const cases: Array<[string, string, string]> = [
      ['another password', foreign, 'seal_bad_mac'],
      ['a flipped IV character', cookie.slice(0, middle) + (cookie[middle] === 'A' ? 'B' : 'A') + cookie.slice(middle + 1), 'seal_bad_mac'],
      ['a flipped MAC character', cookie.slice(0, -4) + (cookie.at(-4) === 'A' ? 'B' : 'A') + cookie.slice(-3), 'seal_bad_mac'],
      ['truncated', cookie.slice(0, cookie.length - 10), 'seal_malformed'],
      ['not a seal', 'garbage', 'seal_malformed'],
      ['an Iron prefix only', 'Fe26.2*', 'seal_malformed'],
    ];
    const before = fake.provider.requests.length;
    for (const [name, sessionData, detail] of cases) {
      const result = await sessions.loadSealedSession({ sessionData }).authenticate();
      expect({ name, result }).toEqual({ name, result: { authenticated: false, reason: 'invalid_session_cookie', detail, refreshable: false, retryable: false } });
    }
    expect(fake.provider.requests.length).toBe(before);
  });

  test('a genuine seal that holds no session: invalid_session_cookie (session_bad_payload)', async () => {
    const sessions = manager();
    const { user, accessToken } = await signIn(sessions);
    const contents: unknown[] = [
      {}, [], 'session', 42, null, true,
      { accessToken },
      { accessToken, refreshToken: 'refresh_1' },
      { accessToken, refreshToken: 'refresh_1', user: {} },
      { accessToken, refreshToken: 'refresh_1', user: { id: '' } },
      { accessToken, refreshToken: 'refresh_1', user: { id: 42 } },
      { accessToken, refreshToken: '', user },
      { accessToken: '', refreshToken: 'refresh_1', user },
      { accessToken: 42, refreshToken: 'refresh_1', user },
      { accessToken, refreshToken: ['refresh_1'], user },
    ];
    for (const data of contents) {
      const sessionData = await sealData(data, { password: PASSWORD });
      const result = await sessions.loadSealedSession({ sessionData }).authenticate();
      expect({ data, result }).toEqual({ data, result: { authenticated: false, reason: 'invalid_session_cookie', detail: 'session_bad_payload', refreshable: false, retryable: false } });
    }
  });

  describe('a token that fails verification: invalid_jwt, neither refreshable nor retryable', () => {
    const past = () => Math.floor(fake.clock / 1000) - 3_600;
    const unsigned = (header: object, claims: object) =>
      `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}.${base64url.encode(randomBytes(256))}`;
    const cases: Array<[string, (sub: string) => Promise<string>, string]> = [
      ['signed by another key under the same kid', (sub) => stranger.sign(fake.provider.claims({ sub, sid: 'session_x' })), 'jwt_bad_signature'],
      ['signed by another key, and expired', (sub) => stranger.sign(fake.provider.claims({ sub, sid: 'session_x', iat: past(), exp: past() + 300 })), 'jwt_bad_signature'],
      ['a signature cut short', async (sub) => (await fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x' }))).slice(0, -8), 'jwt_bad_signature'],
      ['a payload changed after signing', async (sub) => {
        const [header, , signature] = (await fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x' }))).split('.');
        return `${header}.${base64url.encode(JSON.stringify(fake.provider.claims({ sub, sid: 'session_x', role: 'admin' })))}.${signature}`;
      }, 'jwt_bad_signature'],
      ['another issuer', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', iss: 'https://evil.test' })), 'jwt_bad_issuer'],
      ['another issuer, and expired', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', iss: 'https://evil.test', iat: past(), exp: past() + 300 })), 'jwt_bad_issuer'],
      ['the issuer with another case', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', iss: fake.provider.baseUrl.toUpperCase() })), 'jwt_bad_issuer'],
      ['the WorkOS issuer of another base URL', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', iss: 'https://api.workos.com' })), 'jwt_bad_issuer'],
      ['another audience', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', aud: 'client_other' })), 'jwt_bad_audience'],
      ['an audience list without this client', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', aud: ['client_other', 'client_third'] })), 'jwt_bad_audience'],
      ['an audience that is a number', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', aud: 42 })), 'jwt_bad_claim'],
      ['alg none', async (sub) => unsigned({ alg: 'none', kid: fake.provider.kid }, fake.provider.claims({ sub, sid: 'session_x' })), 'jwt_bad_algorithm'],
      ['alg HS256', async (sub) => unsigned({ alg: 'HS256', kid: fake.provider.kid }, fake.provider.claims({ sub, sid: 'session_x' })), 'jwt_bad_algorithm'],
      ['alg PS256', async (sub) => unsigned({ alg: 'PS256', kid: fake.provider.kid }, fake.provider.claims({ sub, sid: 'session_x' })), 'jwt_bad_algorithm'],
      ['no exp', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', exp: undefined })), 'jwt_missing_claim'],
      ['no iat', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', iat: undefined })), 'jwt_missing_claim'],
      ['no sid', (sub) => fake.provider.sign(fake.provider.claims({ sub })), 'jwt_missing_claim'],
      ['no iss', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', iss: undefined })), 'jwt_missing_claim'],
      ['an empty sid', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: '' })), 'jwt_bad_claim'],
      ['exp as a string', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', exp: 'tomorrow' })), 'jwt_bad_claim'],
      ['org_id as a number', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', org_id: 7 })), 'jwt_bad_claim'],
      ['permissions as a string', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', permissions: 'all' })), 'jwt_bad_claim'],
      ['issued an hour ahead', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', iat: Math.floor(fake.clock / 1000) + 3_600 })), 'jwt_not_yet_valid'],
      ['not valid before an hour from now', (sub) => fake.provider.sign(fake.provider.claims({ sub, sid: 'session_x', nbf: Math.floor(fake.clock / 1000) + 3_600 })), 'jwt_not_yet_valid'],
      ['two segments', async () => 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0', 'jwt_malformed'],
      ['not a JWT at all', async () => 'opaque-token', 'jwt_malformed'],
    ];
    for (const [name, make, detail] of cases) {
      test(`${name}: ${detail}`, async () => {
        const sessions = manager();
        const user = fake.provider.addUser({ email: 'mallory@example.test' });
        const cookie = await cookieWith(sessions, await make(user.id), user);
        expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toEqual({
          authenticated: false, reason: 'invalid_jwt', detail, refreshable: false, retryable: false,
        });
      });
    }
  });

  test('expired: invalid_jwt (jwt_expired) and refreshable, once past the clock tolerance only', async () => {
    const sessions = manager({ clockToleranceSec: 5 });
    const { cookie } = await signIn(sessions);
    fake.clock = T0 + 300_000 + 4_000;
    expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({ authenticated: true });
    fake.clock = T0 + 300_000 + 5_000;
    expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toEqual({
      authenticated: false, reason: 'invalid_jwt', detail: 'jwt_expired', refreshable: true, retryable: false,
    });
  });

  test('a token of another user than the cookie’s: invalid_session_cookie (session_user_mismatch), fresh or expired', async () => {
    const sessions = manager();
    const victim = fake.provider.addUser({ email: 'victim@example.test' });
    const attacker = fake.provider.addUser({ email: 'attacker@example.test' });
    const fresh = await fake.provider.sign(fake.provider.claims({ sub: attacker.id, sid: 'session_a' }));
    const expired = await fake.provider.sign(fake.provider.claims({ sub: attacker.id, sid: 'session_a', iat: Math.floor(T0 / 1000) - 3_600, exp: Math.floor(T0 / 1000) - 3_000 }));
    for (const token of [fresh, expired]) {
      const cookie = await cookieWith(sessions, token, victim);
      expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toEqual({
        authenticated: false, reason: 'invalid_session_cookie', detail: 'session_user_mismatch', refreshable: false, retryable: false,
      });
    }
  });

  test('the key set unreachable: jwks_unavailable and retryable with a cold cache; authenticated with keys in hand', async () => {
    const { cookie } = await signIn(manager());
    fake.provider.jwksDown = true;
    const cold = manager();
    expect(await cold.loadSealedSession({ sessionData: cookie }).authenticate()).toEqual({
      authenticated: false, reason: 'jwks_unavailable', detail: 'jwks_unavailable', refreshable: false, retryable: true,
    });
    fake.provider.jwksDown = false;
    const warm = manager();
    await warm.jwks.refresh();
    fake.provider.jwksDown = true;
    expect(await warm.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({ authenticated: true });
  });

  test('a cookie sealed with an older password of the list authenticates and says so', async () => {
    const { cookie } = await signIn(manager({ cookiePassword: OLD_PASSWORD }));
    const rotated = manager({ cookiePassword: [PASSWORD, OLD_PASSWORD] });
    expect(await rotated.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({ authenticated: true, sealedWithOldPassword: true });
    const refreshed = await rotated.loadSealedSession({ sessionData: cookie }).refresh();
    if (!refreshed.authenticated) throw new Error(`refresh failed: ${refreshed.reason}`);
    expect(await manager().loadSealedSession({ sessionData: refreshed.sealedSession }).authenticate()).toMatchObject({ authenticated: true, sealedWithOldPassword: false });
  });
});

describe('refresh()', () => {
  test('an expired session: new tokens in a new cookie, same session, organization kept', async () => {
    const sessions = manager();
    const { cookie, refreshToken, sessionId, user } = await signIn(sessions, { organizationId: 'org_1' });
    expire();
    const result = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
    if (!result.authenticated) throw new Error(`refresh failed: ${result.reason}`);
    expect(result).toMatchObject({ authenticated: true, shared: false, sessionId, organizationId: 'org_1', role: 'admin', sealFormat: 'iron', expiresAt: new Date(fake.clock - (fake.clock % 1000) + 300_000) });
    expect(result.sealedSession).not.toBe(cookie);
    expect(result.session.refreshToken).not.toBe(refreshToken);
    expect(result.session).toMatchObject({ organizationId: 'org_1', user: { id: user.id } });
    expect(fake.provider.requestsTo(AUTHENTICATE).at(-1)!.body).toMatchObject({ grant_type: 'refresh_token', refresh_token: refreshToken, organization_id: 'org_1' });
    expect(await sessions.loadSealedSession({ sessionData: result.sealedSession }).authenticate()).toMatchObject({ authenticated: true, sessionId, organizationId: 'org_1' });
  });

  test('organizationId switches the organization, and the role with it', async () => {
    const sessions = manager();
    const { cookie } = await signIn(sessions, { organizationId: 'org_1' });
    const result = await sessions.loadSealedSession({ sessionData: cookie }).refresh({ organizationId: 'org_2' });
    expect(result).toMatchObject({ authenticated: true, organizationId: 'org_2', role: 'viewer', permissions: ['posts:read'] });
  });

  test('a refresh token is single use: the old cookie’s second refresh is invalid_grant, terminal', async () => {
    const sessions = manager();
    const { cookie } = await signIn(sessions);
    expect(await sessions.loadSealedSession({ sessionData: cookie }).refresh()).toMatchObject({ authenticated: true });
    expect(await sessions.loadSealedSession({ sessionData: cookie }).refresh()).toEqual({ authenticated: false, reason: 'invalid_grant', retryable: false });
  });

  test('a session revoked at the provider: invalid_grant', async () => {
    const sessions = manager();
    const { cookie, sessionId } = await signIn(sessions);
    fake.provider.revoke(sessionId);
    expect(await sessions.loadSealedSession({ sessionData: cookie }).refresh()).toEqual({ authenticated: false, reason: 'invalid_grant', retryable: false });
  });

  const retryable: Array<[string, Fault, Record<string, unknown>]> = [
    ['500', { status: 500, body: { message: 'Internal Server Error' } }, { reason: 'server_error' }],
    ['502 with an HTML page', { status: 502, body: '<html>Bad Gateway</html>' }, { reason: 'server_error' }],
    ['503', { status: 503, body: {} }, { reason: 'server_error' }],
    ['429 with Retry-After in seconds', { status: 429, body: { message: 'Too many' }, headers: { 'retry-after': '7' } }, { reason: 'rate_limit_exceeded', retryAfter: 7 }],
    ['429 without Retry-After', { status: 429, body: { message: 'Too many' } }, { reason: 'rate_limit_exceeded' }],
    ['408', { status: 408, body: {} }, { reason: 'timeout' }],
    ['an unreachable host', 'network_error', { reason: 'network_error' }],
    ['no answer within timeoutMs', 'hang', { reason: 'timeout' }],
    ['200 with an HTML page', { status: 200, body: '<html>Sign in to the proxy</html>' }, { reason: 'invalid_response' }],
    ['200 without tokens', { status: 200, body: { user: null } }, { reason: 'invalid_response' }],
    ['200 with a JSON list', { status: 200, body: [] }, { reason: 'invalid_response' }],
  ];
  for (const [name, fault, expected] of retryable) {
    test(`${name}: retryable ${String(expected.reason)}, one request, and the cookie refreshes later`, async () => {
      const sessions = manager({ timeoutMs: 50 });
      const { cookie } = await signIn(sessions);
      const before = fake.provider.requestsTo(AUTHENTICATE).length;
      fake.provider.faultNext(AUTHENTICATE, fault);
      const result = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
      expect(result).toEqual({ authenticated: false, retryable: true, ...expected });
      expect(fake.provider.requestsTo(AUTHENTICATE).length - before).toBe(1);
      expect(await sessions.loadSealedSession({ sessionData: cookie }).refresh()).toMatchObject({ authenticated: true });
    });
  }

  const terminal: Array<[string, Fault, Record<string, unknown>]> = [
    ['invalid_grant as `error`', { status: 400, body: { error: 'invalid_grant', error_description: 'Refresh token already exchanged.' } }, { reason: 'invalid_grant' }],
    ['invalid_grant as `code`', { status: 400, body: { code: 'invalid_grant', message: 'Invalid refresh token' } }, { reason: 'invalid_grant' }],
    ['sso_required', { status: 403, body: { error: 'sso_required', error_description: 'SSO' } }, { reason: 'sso_required' }],
    ['mfa_enrollment', { status: 403, body: { code: 'mfa_enrollment', message: 'MFA' } }, { reason: 'mfa_enrollment' }],
    ['organization_selection_required', { status: 403, body: { error: 'organization_selection_required' } }, { reason: 'authentication_required', detail: 'organization_selection_required' }],
    ['mfa_challenge', { status: 403, body: { code: 'mfa_challenge' } }, { reason: 'authentication_required', detail: 'mfa_challenge' }],
    ['invalid_client', { status: 401, body: { error: 'invalid_client', error_description: 'Invalid client secret' } }, { reason: 'request_rejected', detail: 'invalid_client' }],
    ['a 400 without a code', { status: 400, body: { message: 'Bad request' } }, { reason: 'request_rejected', detail: 'bad_request' }],
  ];
  for (const [name, fault, expected] of terminal) {
    test(`${name}: terminal ${String(expected.reason)}`, async () => {
      const sessions = manager();
      const { cookie } = await signIn(sessions);
      fake.provider.faultNext(AUTHENTICATE, fault);
      expect(await sessions.loadSealedSession({ sessionData: cookie }).refresh()).toEqual({ authenticated: false, retryable: false, ...expected });
    });
  }

  test('no cookie or a cookie that is not ours: terminal, and no grant is sent', async () => {
    const sessions = manager();
    const before = fake.provider.requestsTo(AUTHENTICATE).length;
    expect(await sessions.loadSealedSession({ sessionData: '' }).refresh()).toEqual({ authenticated: false, reason: 'no_session_cookie_provided', retryable: false });
    expect(await sessions.loadSealedSession({ sessionData: undefined }).refresh()).toEqual({ authenticated: false, reason: 'no_session_cookie_provided', retryable: false });
    const { cookie: foreign } = await signIn(manager({ cookiePassword: OLD_PASSWORD }));
    for (const sessionData of ['Fe26.2**', 'garbage', foreign]) {
      expect(await sessions.loadSealedSession({ sessionData }).refresh()).toEqual({ authenticated: false, reason: 'invalid_session_cookie', retryable: false });
    }
    expect(fake.provider.requestsTo(AUTHENTICATE).length - before).toBe(1); // the foreign cookie's own sign-in
  });

  test('a provider answer that does not belong to the session is refused, not sealed', async () => {
    const sessions = manager();
    const { cookie, user } = await signIn(sessions);
    const other = fake.provider.addUser({ email: 'other@example.test' });
    const answers: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
      ['a token of another user', { sub: other.id, sid: 'session_y' }, { reason: 'invalid_session_cookie', detail: 'session_user_mismatch' }],
      ['a token of another issuer', { sub: user.id, sid: 'session_y', iss: 'https://evil.test' }, { reason: 'invalid_jwt', detail: 'jwt_bad_issuer' }],
      ['a token for another client', { sub: user.id, sid: 'session_y', aud: 'client_other' }, { reason: 'invalid_jwt', detail: 'jwt_bad_audience' }],
      ['a token without sid', { sub: user.id }, { reason: 'invalid_jwt', detail: 'jwt_missing_claim' }],
    ];
    for (const [name, claims, expected] of answers) {
      fake.provider.faultNext(AUTHENTICATE, {
        status: 200,
        body: { user, access_token: await fake.provider.sign(fake.provider.claims(claims)), refresh_token: 'refresh_forged' },
      });
      const result = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
      expect({ name, result }).toEqual({ name, result: { authenticated: false, retryable: false, ...expected } });
    }
  });

  test('the cookie’s format is kept: Fernet stays Fernet, Iron stays Iron; refreshSealFormat overrides it', async () => {
    const iron = manager({ cookiePassword: FERNET_KEY });
    const fernet = manager({ cookiePassword: FERNET_KEY, sealFormat: 'fernet' });
    const toIron = manager({ cookiePassword: FERNET_KEY, refreshSealFormat: 'iron' });
    const cases: Array<[SessionManager, SessionManager, RegExp, string]> = [
      [fernet, iron, /^gAAAAA/, 'fernet'],
      [iron, fernet, /^Fe26\.2\*/, 'iron'],
      [fernet, toIron, /^Fe26\.2\*/, 'iron'],
    ];
    for (const [writer, refresher, shape, format] of cases) {
      const { cookie } = await signIn(writer);
      const result = await refresher.loadSealedSession({ sessionData: cookie }).refresh();
      if (!result.authenticated) throw new Error(`refresh failed: ${result.reason}`);
      expect(result.sealedSession).toMatch(shape);
      expect(result.sealFormat).toBe(format);
    }
  });

  test('the impersonator and the sign-in method survive a refresh that does not repeat the method', async () => {
    const sessions = manager();
    const impersonator = { email: 'admin@example.test', reason: 'Support ticket 42' };
    const { cookie } = await signIn(sessions, { impersonator });
    const result = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
    if (!result.authenticated) throw new Error(`refresh failed: ${result.reason}`);
    expect(result).toMatchObject({ impersonator, authenticationMethod: 'Password' });
    expect(await unsealData(result.sealedSession, { password: PASSWORD })).toMatchObject({ impersonator, authenticationMethod: 'Password' });
  });

  test('with a coordinator, concurrent refreshes of one cookie send one grant and share its cookie', async () => {
    const sessions = manager();
    const coordinator = new RefreshCoordinator();
    const { cookie } = await signIn(sessions, { organizationId: 'org_1' });
    const before = fake.provider.requestsTo(AUTHENTICATE).length;
    const results = await Promise.all(Array.from({ length: 20 }, () => sessions.loadSealedSession({ sessionData: cookie }).refresh({ coordinator })));
    expect(fake.provider.requestsTo(AUTHENTICATE).length - before).toBe(1);
    const cookies = new Set(results.map((result) => (result.authenticated ? result.sealedSession : result.reason)));
    expect(cookies.size).toBe(1);
    expect(results.filter((result) => result.authenticated && !result.shared)).toHaveLength(1);
    expect(results.every((result) => result.authenticated && result.organizationId === 'org_1')).toBe(true);
  });

  test('with a coordinator, an organization switch that joins another refresh of the token still switches', async () => {
    const sessions = manager();
    const coordinator = new RefreshCoordinator();
    const { cookie } = await signIn(sessions, { organizationId: 'org_1' });
    const [plain, switched] = await Promise.all([
      sessions.loadSealedSession({ sessionData: cookie }).refresh({ coordinator }),
      sessions.loadSealedSession({ sessionData: cookie }).refresh({ coordinator, organizationId: 'org_2' }),
    ]);
    expect(plain).toMatchObject({ authenticated: true, organizationId: 'org_1' });
    expect(switched).toMatchObject({ authenticated: true, organizationId: 'org_2', role: 'viewer' });
  });
});

describe('getLogoutUrl() and getSessionId()', () => {
  test('an expired token still names its session, with or without the key set', async () => {
    const sessions = manager();
    const { cookie, sessionId } = await signIn(sessions);
    fake.clock += 24 * 3_600_000;
    const expected = `${fake.provider.baseUrl}/user_management/sessions/logout?session_id=${sessionId}&return_to=https%3A%2F%2Fapp.test%2Fbye`;
    expect(await sessions.loadSealedSession({ sessionData: cookie }).getLogoutUrl({ returnTo: 'https://app.test/bye' })).toBe(expected);
    fake.provider.jwksDown = true;
    expect(await manager().loadSealedSession({ sessionData: cookie }).getLogoutUrl({ returnTo: 'https://app.test/bye' })).toBe(expected);
    expect(await manager().loadSealedSession({ sessionData: cookie }).getSessionId()).toBe(sessionId);
  });

  test('no URL for a missing or foreign cookie, or a forged token: a SessionError with its code', async () => {
    const sessions = manager();
    const user = fake.provider.addUser({ email: 'forger@example.test' });
    const { cookie: foreign } = await signIn(manager({ cookiePassword: OLD_PASSWORD }));
    const forged = await cookieWith(sessions, await stranger.sign(fake.provider.claims({ sub: user.id, sid: 'session_victim' })), user);
    const misissued = await cookieWith(sessions, await fake.provider.sign(fake.provider.claims({ sub: user.id, sid: 'session_victim', iss: 'https://evil.test' })), user);
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'no_session_cookie_provided'],
      ['', 'no_session_cookie_provided'],
      ['garbage', 'invalid_session_cookie'],
      [foreign, 'invalid_session_cookie'],
      [forged, 'invalid_jwt'],
      [misissued, 'invalid_jwt'],
    ];
    for (const [sessionData, code] of cases) {
      const failure = await sessions.loadSealedSession({ sessionData }).getLogoutUrl().then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(SessionError);
      expect(failure).toMatchObject({ code });
    }
  });
});
