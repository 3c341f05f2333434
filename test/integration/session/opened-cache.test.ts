import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { sealData, SessionManager, unsealData, type User } from '../../../src/index.js';
import { createSigner, type TestSigner } from '../../support/tokens.js';
import { startFaultServer } from '../../support/fault-server.js';
import { user as testUser } from '../../support/users.js';

// The opened-cookie cache skips the unseal of a cookie seen before. None of this may let a
// cookie authenticate that would not have without it.
const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const OTHER_PASSWORD = 'Zr8Lq3Vn6Tx1Wc9Kp4Hm2Jd7Fs5Gb0Ya';
const CLIENT_ID = 'client_opened_cache';
const NOW = 1_800_000_000;
let signer: TestSigner;
let server: Awaited<ReturnType<typeof startFaultServer>>;
let nowMs = NOW * 1000;

const user: User = { ...testUser, metadata: { team: 'red' } };

beforeAll(async () => {
  signer = await createSigner('k1');
  server = await startFaultServer({ jwks: () => signer.jwks });
});
afterAll(() => server.close());

function manager(cookiePassword = PASSWORD) {
  return new SessionManager({ clientId: CLIENT_ID, apiKey: 'sk_test', cookiePassword, baseUrl: server.url, now: () => nowMs, timeoutMs: 300 });
}

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: server.url, sub: 'user_1', sid: 'session_1', aud: CLIENT_ID, iat: NOW - 10, exp: NOW + 300, permissions: ['a:read'], ...extra,
});

async function cookieFor(sessions: SessionManager, extra: Record<string, unknown> = {}) {
  return sessions.sealSessionFromAuthResponse({ accessToken: await signer.sign(claims(extra)), refreshToken: 'refresh_1', user });
}

const authenticate = (sessions: SessionManager, cookie: string) => sessions.loadSealedSession({ sessionData: cookie }).authenticate();

/** `text` with the character at `index` replaced by another of the same alphabet. */
function flip(text: string, index: number): string {
  const char = text[index]!;
  const other = char === 'A' ? 'B' : /[0-9a-f]/.test(char) ? (char === '0' ? '1' : '0') : 'A';
  return text.slice(0, index) + other + text.slice(index + 1);
}

describe('opened-cookie cache', () => {
  test('the same cookie authenticates again; any one-character change of it does not', async () => {
    nowMs = NOW * 1000;
    const sessions = manager();
    const cookie = await cookieFor(sessions);
    for (let round = 0; round < 3; round++) {
      expect(await authenticate(sessions, cookie)).toMatchObject({ authenticated: true, sessionId: 'session_1', sealedWithOldPassword: false });
    }
    // One position in every field of `Fe26.2*id*encSalt*iv*ciphertext*expiry*hmacSalt*hmac~2`.
    const starts = [...cookie.matchAll(/\*/g)].map((match) => match.index + 1);
    const positions = [0, ...starts.filter((start) => cookie[start] !== '*'), cookie.length - 1, cookie.length - 3, cookie.length >> 1];
    for (const position of positions) {
      const tampered = flip(cookie, position);
      expect(tampered).not.toBe(cookie);
      expect(await authenticate(sessions, tampered), `changed at ${position}`).toMatchObject({ authenticated: false, reason: 'invalid_session_cookie' });
    }
    for (const variant of [`${cookie} `, ` ${cookie}`, `${cookie}~2`, cookie.toLowerCase(), cookie.replace('*1*', '*2*')]) {
      expect(await authenticate(sessions, variant)).toMatchObject({ authenticated: false, reason: 'invalid_session_cookie' });
    }
    // Other spellings get exactly the answer a manager that never saw the cookie gives.
    for (const variant of [cookie.slice(0, -2), cookie.replace('*1*', '**')]) {
      const { authenticated } = await authenticate(manager(), variant);
      expect(await authenticate(sessions, variant)).toMatchObject({ authenticated });
    }
    expect(await authenticate(sessions, cookie)).toMatchObject({ authenticated: true });
  });

  test('a cookie opened by one manager is not trusted by a manager with another password', async () => {
    nowMs = NOW * 1000;
    const ours = manager();
    const theirs = manager(OTHER_PASSWORD);
    const cookie = await cookieFor(ours);
    expect(await authenticate(ours, cookie)).toMatchObject({ authenticated: true });
    expect(await authenticate(theirs, cookie)).toMatchObject({ authenticated: false, reason: 'invalid_session_cookie' });
    // And the other way round: a failure is never remembered as a success.
    const foreign = await cookieFor(theirs);
    expect(await authenticate(ours, foreign)).toMatchObject({ authenticated: false, reason: 'invalid_session_cookie' });
    expect(await authenticate(ours, foreign)).toMatchObject({ authenticated: false, reason: 'invalid_session_cookie' });
  });

  test('expiry is checked on every hit', async () => {
    nowMs = NOW * 1000;
    const sessions = manager();
    const cookie = await cookieFor(sessions);
    expect(await authenticate(sessions, cookie)).toMatchObject({ authenticated: true });
    nowMs = (NOW + 3_600) * 1000;
    expect(await authenticate(sessions, cookie)).toMatchObject({ authenticated: false, reason: 'invalid_jwt', detail: 'jwt_expired', refreshable: true });
    nowMs = NOW * 1000;
  });

  test('the token still has to belong to the cookie user on a hit', async () => {
    nowMs = NOW * 1000;
    const sessions = manager();
    const cookie = await cookieFor(sessions, { sub: 'user_2' });
    for (let round = 0; round < 2; round++) {
      expect(await authenticate(sessions, cookie)).toMatchObject({ authenticated: false, reason: 'invalid_session_cookie', detail: 'session_user_mismatch' });
    }
  });

  test('results are fresh objects; what a caller changes never reaches the next request', async () => {
    nowMs = NOW * 1000;
    const sessions = manager();
    const cookie = await cookieFor(sessions);
    const first = await authenticate(sessions, cookie);
    if (!first.authenticated) throw new Error(first.reason);
    // The user is the caller's own copy; the claims are shared, hence frozen.
    first.user.email = 'mallory@evil.test';
    first.user.metadata.team = 'blue';
    first.expiresAt.setTime(0);
    Object.assign(first, { sessionId: 'session_2' });
    expect(() => first.permissions!.push('admin:all')).toThrow(TypeError);
    expect(() => Object.assign(first.claims, { sub: 'user_2' })).toThrow(TypeError);
    const second = await authenticate(sessions, cookie);
    if (!second.authenticated) throw new Error(second.reason);
    expect(second).not.toBe(first);
    expect(second.user).toEqual(user);
    expect(second.permissions).toEqual(['a:read']);
    expect(second.claims.sub).toBe('user_1');
    expect(second.sessionId).toBe('session_1');
    expect(second.expiresAt.getTime()).toBe((NOW + 300) * 1000);
  });

  test('a seal with an expiry of its own is opened every time: its expiry is the seal layer’s to judge', async () => {
    nowMs = NOW * 1000;
    const sessions = manager();
    const untimed = await cookieFor(sessions);
    const timed = await sealData(await unsealData(untimed, { password: PASSWORD }), { password: PASSWORD, ttl: 60 });
    // The seal layer reads Date.now; the access token is judged by the manager's clock, which stays put.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (const cookie of [timed, untimed]) expect(await authenticate(sessions, cookie)).toMatchObject({ authenticated: true });
      vi.setSystemTime(Date.now() + 10 * 60_000);
      expect(await authenticate(sessions, timed)).toMatchObject({ authenticated: false, reason: 'invalid_session_cookie', detail: 'seal_expired' });
      expect(await authenticate(sessions, untimed)).toMatchObject({ authenticated: true });
    } finally {
      vi.useRealTimers();
    }
  });
});
