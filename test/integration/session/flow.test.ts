import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WorkOS } from '@workos-inc/node';
import { SessionManager, unsealData } from '../../../src/index.js';
import { startEmulator } from '../../../demo/emulator.js';
import { signedIn, signInCode } from '../../support/signin.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let now = Date.now();
let sessions: SessionManager;

beforeAll(async () => {
  emulator = await startEmulator();
  sessions = new SessionManager({
    clientId: emulator.clientId,
    apiKey: emulator.apiKey,
    cookiePassword: PASSWORD,
    baseUrl: emulator.url,
    now: () => now,
  });
});
afterAll(() => emulator.close());

const signIn = () => signedIn(sessions, emulator.users.alice.email);

describe('the whole flow against the WorkOS emulator', () => {
  test('sign in → seal → authenticate → refresh (rotates, keeps and switches org) → logout URL → revoke', async () => {
    now = Date.now();
    const { auth, cookie } = await signIn();
    expect(auth.user.email).toBe('alice@acme.test');
    expect(cookie.startsWith('Fe26.2*1*')).toBe(true);
    expect(cookie.endsWith('~2')).toBe(true);

    const first = await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
    expect(first).toMatchObject({ authenticated: true, user: { id: emulator.users.alice.id }, organizationId: undefined });

    // Switch into Acme: the token now carries the org, the role and its permissions.
    const switched = await sessions.loadSealedSession({ sessionData: cookie }).refresh({ organizationId: emulator.organizations.acme.id });
    if (!switched.authenticated) throw new Error(`refresh failed: ${switched.reason}`);
    expect(switched).toMatchObject({ organizationId: emulator.organizations.acme.id, role: 'admin' });
    expect(switched.permissions).toContain('billing:manage');
    expect(switched.session.refreshToken).not.toBe(auth.refreshToken);

    // An hour later the access token has expired: authenticate says so, refresh keeps the org.
    now += 2 * 3600 * 1000;
    const expired = await sessions.loadSealedSession({ sessionData: switched.sealedSession }).authenticate();
    expect(expired).toMatchObject({ authenticated: false, reason: 'invalid_jwt', detail: 'jwt_expired', refreshable: true });
    const kept = await sessions.loadSealedSession({ sessionData: switched.sealedSession }).refresh();
    if (!kept.authenticated) throw new Error(`refresh failed: ${kept.reason}`);
    expect(kept.organizationId).toBe(emulator.organizations.acme.id);
    now = Date.now();

    // Logout works with the expired cookie too.
    now += 2 * 3600 * 1000;
    const logoutUrl = await sessions.loadSealedSession({ sessionData: switched.sealedSession }).getLogoutUrl({ returnTo: 'http://localhost:3999/' });
    now = Date.now();
    const url = new URL(logoutUrl);
    expect(url.pathname).toBe('/user_management/sessions/logout');
    expect(url.searchParams.get('session_id')).toBe(switched.sessionId);

    await sessions.revokeSession({ sessionId: kept.sessionId });
  });

  test('refresh token reuse: invalid_grant, not retryable', async () => {
    now = Date.now();
    const { cookie } = await signIn();
    const once = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
    expect(once.authenticated).toBe(true);
    const twice = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
    expect(twice).toEqual({ authenticated: false, reason: 'invalid_grant', retryable: false });
  });

  test('the sealed cookie holds only access token, refresh token, user (and method)', async () => {
    const { cookie } = await signIn();
    const data = await unsealData<Record<string, unknown>>(cookie, { password: PASSWORD });
    expect(Object.keys(data).sort()).toEqual(['accessToken', 'authenticationMethod', 'refreshToken', 'user']);
  });

  test('sealSessionFromAuthResponse requires the user', async () => {
    const { auth } = await signIn();
    await expect(sessions.sealSessionFromAuthResponse({ ...auth, user: undefined as never })).rejects.toThrow(/user/);
  });

  test('Fernet cookies (workos-python) authenticate and refresh in Fernet', async () => {
    const fernetKey = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
    const python = new SessionManager({ clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: fernetKey, baseUrl: emulator.url, sealFormat: 'fernet' });
    const { code, codeVerifier } = await signInCode(python, emulator.users.bob.email);
    const cookie = await python.sealSessionFromAuthResponse(await python.authenticateWithCode({ code, codeVerifier }));
    expect(cookie.startsWith('gAAAAA')).toBe(true);
    const data = await unsealData<Record<string, unknown>>(cookie, { password: fernetKey });
    expect(Object.keys(data).sort()).toEqual(['access_token', 'authentication_method', 'refresh_token', 'user']);
    const result = await python.loadSealedSession({ sessionData: cookie }).refresh();
    if (!result.authenticated) throw new Error(result.reason);
    expect(result.sealedSession.startsWith('gAAAAA')).toBe(true);
    expect(result.user.email).toBe('bob@globex.test');
  });
});

describe('password rotation', () => {
  test('a cookie sealed with the old password authenticates, is flagged, and refresh re-seals it with the newest', async () => {
    now = Date.now();
    const { cookie } = await signIn();
    const NEW_PASSWORD = 'Qm3vX8pL2sR9tK4wZ7yB1nC6dF5gH0jA';
    const rotated = new SessionManager({
      clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: [NEW_PASSWORD, PASSWORD], baseUrl: emulator.url,
    });
    const result = await rotated.loadSealedSession({ sessionData: cookie }).authenticate();
    expect(result).toMatchObject({ authenticated: true, sealedWithOldPassword: true });
    const refreshed = await rotated.loadSealedSession({ sessionData: cookie }).refresh();
    if (!refreshed.authenticated) throw new Error(refreshed.reason);
    expect(refreshed.sealedSession.startsWith('Fe26.2*2*')).toBe(true);
    await expect(unsealData(refreshed.sealedSession, { password: PASSWORD })).rejects.toMatchObject({ code: 'seal_unknown_password' });
    await expect(unsealData(refreshed.sealedSession, { password: NEW_PASSWORD })).resolves.toBeTruthy();
    expect(await rotated.loadSealedSession({ sessionData: refreshed.sealedSession }).authenticate()).toMatchObject({ authenticated: true, sealedWithOldPassword: false });
  });
});

describe('interoperability with @workos-inc/node', () => {
  function workosNode() {
    const url = new URL(emulator.url);
    return new WorkOS(emulator.apiKey, { apiHostname: url.hostname, port: Number(url.port), https: false, clientId: emulator.clientId });
  }

  test('a cookie sealed by @workos-inc/node authenticates and refreshes here', async () => {
    now = Date.now();
    const workos = workosNode();
    const { code, codeVerifier } = await signInCode(sessions, emulator.users.alice.email);
    const auth = await workos.userManagement.authenticateWithCode({
      clientId: emulator.clientId, code, codeVerifier, session: { sealSession: true, cookiePassword: PASSWORD },
    });
    const cookie = auth.sealedSession!;
    const result = await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
    expect(result).toMatchObject({ authenticated: true, user: { email: 'alice@acme.test' } });
    const refreshed = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
    expect(refreshed.authenticated).toBe(true);
  });

  test('our cookie authenticates and refreshes in @workos-inc/node CookieSession', async () => {
    now = Date.now();
    const workos = workosNode();
    const { cookie } = await signIn();
    const theirs = workos.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: PASSWORD });
    const result = await theirs.authenticate();
    expect(result).toMatchObject({ authenticated: true, user: { email: 'alice@acme.test' } });
    const refreshed = await theirs.refresh();
    expect(refreshed.authenticated).toBe(true);
  });
});
