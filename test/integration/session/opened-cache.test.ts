import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sealData, SessionManager, type User } from '../../../src/index.js';
import { createKeyring } from '../../../src/seal/index.js';
import { isTimeIndependent, OpenedSessionCache, type OpenedSession } from '../../../src/session/opened-cache.js';
import { createSigner, type TestSigner } from '../../support/tokens.js';
import { startFaultServer } from '../../support/fault-server.js';

// The opened-cookie cache skips the unseal of a cookie seen before. None of this may let a
// cookie authenticate that would not have without it.
const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const OTHER_PASSWORD = 'Zr8Lq3Vn6Tx1Wc9Kp4Hm2Jd7Fs5Gb0Ya';
const CLIENT_ID = 'client_opened_cache';
const NOW = 1_800_000_000;
let signer: TestSigner;
let server: Awaited<ReturnType<typeof startFaultServer>>;
let nowMs = NOW * 1000;

const user: User = {
  object: 'user', id: 'user_1', email: 'alice@acme.test', emailVerified: true, profilePictureUrl: null,
  firstName: 'Alice', lastName: null, lastSignInAt: null, createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z', externalId: null, metadata: { team: 'red' },
};

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

  test('an Iron seal with an expiry of its own is opened every time (its expiry is the seal layer’s to judge)', async () => {
    const keyring = createKeyring(PASSWORD);
    const timed = await sealData({ a: 1 }, { password: keyring, ttl: 60 });
    const untimed = await sealData({ a: 1 }, { password: keyring });
    const fernet = await sealData({ a: 1 }, { password: createKeyring('kP1y2Bq3Wl3m6ZpR0b2XkQeQ6Jx0v9sT7n6uGf4H1aE='), format: 'fernet' });
    expect(isTimeIndependent(timed, 'iron')).toBe(false);
    expect(isTimeIndependent(untimed, 'iron')).toBe(true);
    expect(isTimeIndependent(fernet, 'fernet')).toBe(true);
  });
});

describe('OpenedSessionCache', () => {
  const opened = { payload: { accessToken: 't', refreshToken: 'r', user }, format: 'iron', passwordId: '1', sealedWithOldPassword: false } as OpenedSession;

  test('exact keys only, and no hit once the clock has gone back', () => {
    const cache = new OpenedSessionCache(10);
    cache.remember('cookie', opened, 1_000);
    expect(cache.get('cookie', 1_000)).toBe(opened);
    expect(cache.get('cookie', 5_000)).toBe(opened);
    expect(cache.get('cookie', 999)).toBeUndefined();
    expect(cache.get('cookiE', 1_000)).toBeUndefined();
    expect(cache.get('cookie ', 1_000)).toBeUndefined();
  });

  test('two cookies that end alike are told apart by their whole string', () => {
    const cache = new OpenedSessionCache(10);
    const tail = 'x'.repeat(200);
    cache.remember(`a${tail}`, opened, 0);
    expect(cache.get(`b${tail}`, 0)).toBeUndefined();
    expect(cache.get(`a${tail}`, 0)).toBe(opened);
    cache.remember(`b${tail}`, opened, 0);
    expect(cache.get(`b${tail}`, 0)).toBe(opened);
    expect(cache.get(`c${tail}`, 0)).toBeUndefined();
  });

  test('bounded, and a cookie still in use outlives idle ones', () => {
    const cache = new OpenedSessionCache(1_000);
    cache.remember('hot', opened, 0);
    for (let index = 0; index < 5_000; index++) {
      cache.remember(`cold-${index}`, opened, 0);
      if (index % 100 === 0) expect(cache.get('hot', 0)).toBe(opened);
      expect(cache.size).toBeLessThanOrEqual(1_001);
    }
    expect(cache.get('hot', 0)).toBe(opened);
    expect(cache.get('cold-0', 0)).toBeUndefined();
    expect(cache.get('cold-4999', 0)).toBe(opened);
  });

  test('size 0 disables it', () => {
    const cache = new OpenedSessionCache(0);
    cache.remember('cookie', opened, 0);
    expect(cache.get('cookie', 0)).toBeUndefined();
  });
});
