/**
 * `SessionManager` through its public API, against the provider faked at the `fetch` edge:
 * signing in with a code (and PKCE), what a sealed cookie holds, loading cookies that are junk,
 * the provider's URLs, revocation and the sign-in state seal.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { SessionManager, unsealData, type SealSessionInput } from '../../../src/index.js';
import { InvalidGrantError, SealError, SessionError } from '../../../src/errors/index.js';
import { createFakeProvider } from '../../support/fake-provider.js';
import { fakeProviderForFile, PASSWORD, T0 } from './helpers.js';

const AUTHENTICATE = '/user_management/authenticate';
const REDIRECT_URI = 'https://app.test/callback';

const fake = fakeProviderForFile();
const { manager } = fake;

let emails = 0;
const newUser = () => fake.provider.addUser({ email: `ada${++emails}@example.test`, first_name: 'Ada', last_name: 'Lovelace', metadata: { plan: 'pro' } });

describe('authenticateWithCode()', () => {
  test('exchanges a code for the user, the tokens and the organization, sending the grant the provider expects', async () => {
    const sessions = manager();
    const user = newUser();
    const code = fake.provider.issueCode(user.id, { organizationId: 'org_1' });
    const auth = await sessions.authenticateWithCode({ code, ipAddress: '203.0.113.9', userAgent: 'Browser/1.0' });
    expect(auth).toEqual({
      user: {
        object: 'user', id: user.id, email: user.email, emailVerified: true, profilePictureUrl: null, firstName: 'Ada', lastName: 'Lovelace',
        lastSignInAt: null, createdAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(), externalId: null, metadata: { plan: 'pro' },
      },
      organizationId: 'org_1',
      accessToken: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/),
      refreshToken: expect.stringMatching(/^refresh_/),
      authenticationMethod: 'Password',
    });
    const request = fake.provider.requestsTo(AUTHENTICATE).at(-1)!;
    expect(request.body).toEqual({
      client_id: fake.provider.clientId, client_secret: fake.provider.apiKey, grant_type: 'authorization_code', code,
      ip_address: '203.0.113.9', user_agent: 'Browser/1.0',
    });
    expect(request.headers.get('authorization')).toBe(`Bearer ${fake.provider.apiKey}`);
  });

  test('a code is single use: the second exchange is an InvalidGrantError', async () => {
    const sessions = manager();
    const code = fake.provider.issueCode(newUser().id);
    await sessions.authenticateWithCode({ code });
    const failure = await sessions.authenticateWithCode({ code }).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidGrantError);
    expect(failure).toMatchObject({ code: 'invalid_grant', retryable: false, status: 400 });
  });

  test('PKCE: the verifier from getAuthorizationUrlWithPKCE redeems the code of its own sign-in only', async () => {
    const sessions = manager();
    const user = newUser();
    const signIn = async () => {
      const { url, state, codeVerifier } = await sessions.getAuthorizationUrlWithPKCE({ redirectUri: REDIRECT_URI, loginHint: user.email });
      const challenge = new URL(url).searchParams.get('code_challenge');
      expect(challenge).toBe(createHash('sha256').update(codeVerifier).digest('base64url'));
      const location = new URL((await fake.provider.fetch(url, { redirect: 'manual' })).headers.get('location')!);
      expect(location.searchParams.get('state')).toBe(state);
      return { code: location.searchParams.get('code')!, codeVerifier };
    };
    const first = await signIn();
    const second = await signIn();
    expect(first.codeVerifier).not.toBe(second.codeVerifier);
    await expect(sessions.authenticateWithCode({ code: first.code, codeVerifier: second.codeVerifier })).rejects.toBeInstanceOf(InvalidGrantError);
    await expect(sessions.authenticateWithCode({ code: second.code })).rejects.toBeInstanceOf(InvalidGrantError);
    const third = await signIn();
    expect(await sessions.authenticateWithCode(third)).toMatchObject({ user: { id: user.id } });
    expect(fake.provider.requestsTo(AUTHENTICATE).at(-1)!.body).toMatchObject({ code: third.code, code_verifier: third.codeVerifier });
  });

  test('a public client (no apiKey) signs in with PKCE, and is stopped before any request without it', async () => {
    const publicProvider = await createFakeProvider({ now: () => fake.clock, apiKey: null, clientId: 'client_public' });
    const sessions = new SessionManager({ ...publicProvider.managerOptions, cookiePassword: PASSWORD });
    const user = publicProvider.addUser({ email: 'public@example.test' });
    await expect(sessions.authenticateWithCode({ code: publicProvider.issueCode(user.id) })).rejects.toThrow(TypeError);
    await expect(sessions.authenticateWithCode({ code: '' })).rejects.toThrow(TypeError);
    expect(publicProvider.requests).toHaveLength(0);
    const { url, codeVerifier } = await sessions.getAuthorizationUrlWithPKCE({ redirectUri: REDIRECT_URI, loginHint: user.email });
    const code = new URL((await publicProvider.fetch(url, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    expect(await sessions.authenticateWithCode({ code, codeVerifier })).toMatchObject({ user: { id: user.id } });
    const { body, headers } = publicProvider.requestsTo(AUTHENTICATE).at(-1)!;
    expect(body).not.toHaveProperty('client_secret');
    expect(headers.get('authorization')).toBeNull();
  });
});

describe('sealSessionFromAuthResponse()', () => {
  test('seals the tokens, the user, the impersonator and the method, and nothing else of the response', async () => {
    const sessions = manager();
    const impersonator = { email: 'admin@example.test', reason: null };
    const auth = await sessions.authenticateWithCode({ code: fake.provider.issueCode(newUser().id, { organizationId: 'org_1', impersonator }) });
    const input = {
      ...auth,
      sealedSession: 'Fe26.2*provider-made',
      oauthTokens: { accessToken: 'google-token' },
      user: { ...auth.user, passwordHash: '$2b$secret', email_verified: false },
    } as SealSessionInput;
    const cookie = await sessions.sealSessionFromAuthResponse(input);
    expect(cookie).toMatch(/^Fe26\.2\*1\*.+~2$/);
    expect(await unsealData(cookie, { password: PASSWORD })).toEqual({
      accessToken: auth.accessToken,
      refreshToken: auth.refreshToken,
      user: auth.user,
      impersonator,
      authenticationMethod: 'Password',
    });
  });

  test('an impersonator of null is the same as none', async () => {
    const sessions = manager();
    const auth = await sessions.authenticateWithCode({ code: fake.provider.issueCode(newUser().id) });
    const cookie = await sessions.sealSessionFromAuthResponse({ ...auth, impersonator: null });
    expect(await unsealData(cookie, { password: PASSWORD })).not.toHaveProperty('impersonator');
    expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({ authenticated: true, impersonator: undefined });
  });

  test('the user is required, and so are both tokens: anything less is a TypeError', async () => {
    const sessions = manager();
    const auth = await sessions.authenticateWithCode({ code: fake.provider.issueCode(newUser().id) });
    const { accessToken, refreshToken, user } = auth;
    const inputs: unknown[] = [
      { accessToken, refreshToken },
      { accessToken, refreshToken, user: undefined },
      { accessToken, refreshToken, user: null },
      { accessToken, refreshToken, user: {} },
      { accessToken, refreshToken, user: { ...user, id: '' } },
      { accessToken, refreshToken, user: { ...user, id: 42 } },
      { accessToken, refreshToken, user: user.id },
      { accessToken, refreshToken, user: [user] },
      { refreshToken, user },
      { accessToken: '', refreshToken, user },
      { accessToken: 42, refreshToken, user },
      { accessToken, user },
      { accessToken, refreshToken: '', user },
      { accessToken, refreshToken: null, user },
      {},
      null,
      undefined,
    ];
    for (const input of inputs) {
      await expect(sessions.sealSessionFromAuthResponse(input as SealSessionInput), JSON.stringify(input)).rejects.toThrow(
        /needs accessToken, refreshToken and user/,
      );
    }
    await expect(sessions.sealSessionFromAuthResponse({ accessToken, refreshToken, user: null } as unknown as SealSessionInput)).rejects.toBeInstanceOf(TypeError);
  });

  test('the format option and sealFormat choose the seal; the cookie opens either way', async () => {
    const fernetKey = 'c2VhbGVkLXNlc3Npb24tdGVzdC1rZXktMzItYnl0ZXM';
    const sessions = manager({ cookiePassword: fernetKey });
    const fernetByDefault = manager({ cookiePassword: fernetKey, sealFormat: 'fernet' });
    const auth = await sessions.authenticateWithCode({ code: fake.provider.issueCode(newUser().id) });
    const cookies = [
      [await sessions.sealSessionFromAuthResponse(auth), /^Fe26\.2\*/, 'iron'],
      [await sessions.sealSessionFromAuthResponse(auth, { format: 'fernet' }), /^gAAAAA/, 'fernet'],
      [await fernetByDefault.sealSessionFromAuthResponse(auth), /^gAAAAA/, 'fernet'],
      [await fernetByDefault.sealSessionFromAuthResponse(auth, { format: 'iron' }), /^Fe26\.2\*/, 'iron'],
    ] as const;
    for (const [cookie, shape, format] of cookies) {
      expect(cookie).toMatch(shape);
      expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({ authenticated: true, sealFormat: format });
    }
  });
});

describe('loadSealedSession()', () => {
  const hostile: Array<[string, unknown, 'no_session_cookie_provided' | 'invalid_session_cookie']> = [
    ['undefined', undefined, 'no_session_cookie_provided'],
    ['null', null, 'no_session_cookie_provided'],
    ['the empty string', '', 'no_session_cookie_provided'],
    ['a number', 42, 'no_session_cookie_provided'],
    ['an object', { sessionData: 'Fe26.2*1' }, 'no_session_cookie_provided'],
    ['an array of cookies', ['Fe26.2*1', 'Fe26.2*2'], 'no_session_cookie_provided'],
    ['a boxed string', Object('Fe26.2*1'), 'no_session_cookie_provided'],
    ['a symbol', Symbol('cookie'), 'no_session_cookie_provided'],
    ['a function', () => 'Fe26.2*1', 'no_session_cookie_provided'],
    ['a space', ' ', 'invalid_session_cookie'],
    ['a word', 'garbage', 'invalid_session_cookie'],
    ['an Iron prefix', 'Fe26.2', 'invalid_session_cookie'],
    ['Iron stars only', `Fe26.2${'*'.repeat(7)}~2`, 'invalid_session_cookie'],
    ['Iron fields of junk', 'Fe26.2*1*salt*iv*ct**salt*mac~2', 'invalid_session_cookie'],
    ['an Iron seal of another version', 'Fe26.1*1*a*b*c**d*e', 'invalid_session_cookie'],
    ['a Fernet prefix', 'gAAAAA', 'invalid_session_cookie'],
    ['a Fernet-looking token', `gAAAAA${'B'.repeat(120)}`, 'invalid_session_cookie'],
    ['percent-encoded', 'Fe26.2%2A1%2Aa', 'invalid_session_cookie'],
    ['NUL bytes', '\u0000'.repeat(64), 'invalid_session_cookie'],
    ['lone surrogates', '\ud800\udfff\ud800', 'invalid_session_cookie'],
    ['a megabyte', 'A'.repeat(1 << 20), 'invalid_session_cookie'],
    ['a JWT instead of a seal', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'invalid_session_cookie'],
  ];

  test('never throws, and every junk value is a typed failure without a call to the provider', async () => {
    const sessions = manager();
    const before = fake.provider.requests.length;
    for (const [name, value, reason] of hostile) {
      const session = sessions.loadSealedSession({ sessionData: value as string });
      const result = await session.authenticate();
      expect({ name, result }).toMatchObject({ name, result: { authenticated: false, reason, refreshable: false, retryable: false } });
      expect({ name, result: await session.refresh() }).toEqual({ name, result: { authenticated: false, reason, retryable: false } });
      const failure = await session.getLogoutUrl().then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(SessionError);
      expect({ name, code: (failure as SessionError).code }).toEqual({ name, code: reason });
    }
    expect(fake.provider.requests.length).toBe(before);
  });

  test('loading is synchronous, and options that are not an object are no cookie', async () => {
    const sessions = manager();
    for (const options of [undefined, null, 'Fe26.2*1', 42]) {
      const session = sessions.loadSealedSession(options as unknown as { sessionData: string });
      expect(session.sealedSession).toBe('');
      expect(await session.authenticate()).toMatchObject({ authenticated: false, reason: 'no_session_cookie_provided' });
    }
  });

  test('authenticateWithSessionCookie answers as loadSealedSession(…).authenticate()', async () => {
    const sessions = manager();
    const auth = await sessions.authenticateWithCode({ code: fake.provider.issueCode(newUser().id) });
    const cookie = await sessions.sealSessionFromAuthResponse(auth);
    for (const sessionData of [cookie, 'garbage', undefined]) {
      expect(await sessions.authenticateWithSessionCookie({ sessionData })).toEqual(await sessions.loadSealedSession({ sessionData }).authenticate());
    }
    expect(await sessions.authenticateWithSessionCookie({ sessionData: cookie })).toMatchObject({ authenticated: true, user: { id: auth.user.id } });
  });
});

describe('URLs of the provider', () => {
  test('sign-in, logout and key set', () => {
    const sessions = manager();
    const base = fake.provider.baseUrl;
    expect(sessions.getAuthorizationUrl({ redirectUri: REDIRECT_URI, state: 's1', loginHint: 'ada@example.test' })).toBe(
      `${base}/user_management/authorize?client_id=${fake.provider.clientId}&redirect_uri=https%3A%2F%2Fapp.test%2Fcallback&response_type=code&provider=authkit&state=s1&login_hint=ada%40example.test`,
    );
    expect(sessions.getLogoutUrl({ sessionId: 'session_1', returnTo: 'https://app.test/' })).toBe(
      `${base}/user_management/sessions/logout?session_id=session_1&return_to=https%3A%2F%2Fapp.test%2F`,
    );
    expect(sessions.getJwksUrl()).toBe(`${base}/sso/jwks/${fake.provider.clientId}`);
    expect(() => sessions.getLogoutUrl({ sessionId: '' })).toThrow(TypeError);
  });

  test('getAuthorizationUrlWithPKCE keeps a given state and makes a fresh one otherwise', async () => {
    const sessions = manager();
    const given = await sessions.getAuthorizationUrlWithPKCE({ redirectUri: REDIRECT_URI, state: 'mine' });
    expect(given.state).toBe('mine');
    expect(new URL(given.url).searchParams.get('state')).toBe('mine');
    expect(new URL(given.url).searchParams.get('code_challenge_method')).toBe('S256');
    const fresh = await Promise.all([1, 2].map(() => sessions.getAuthorizationUrlWithPKCE({ redirectUri: REDIRECT_URI })));
    expect(fresh[0]!.state).toMatch(/^[\w-]{22,}$/);
    expect(fresh[0]!.state).not.toBe(fresh[1]!.state);
    expect(fresh[0]!.codeVerifier).toMatch(/^[\w-]{43,128}$/);
  });
});

describe('revokeSession()', () => {
  test('ends the session at the provider: its cookie refreshes no more', async () => {
    const sessions = manager();
    const auth = await sessions.authenticateWithCode({ code: fake.provider.issueCode(newUser().id) });
    const cookie = await sessions.sealSessionFromAuthResponse(auth);
    const result = await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
    if (!result.authenticated) throw new Error(result.reason);
    await sessions.revokeSession({ sessionId: result.sessionId });
    expect(fake.provider.isRevoked(result.sessionId)).toBe(true);
    expect(fake.provider.requestsTo('/user_management/sessions/revoke').at(-1)!.body).toEqual({ session_id: result.sessionId });
    expect(await sessions.loadSealedSession({ sessionData: cookie }).refresh()).toEqual({ authenticated: false, reason: 'invalid_grant', retryable: false });
  });
});

describe('sealState() / unsealState()', () => {
  test('sign-in state is sealed with a key of its own and expires after its ttl', async () => {
    const sessions = manager();
    const sealed = await sessions.sealState({ codeVerifier: 'v', returnTo: '/inbox' }, 600);
    expect(await sessions.unsealState(sealed, 600)).toEqual({ codeVerifier: 'v', returnTo: '/inbox' });
    await expect(unsealData(sealed, { password: PASSWORD })).rejects.toBeInstanceOf(SealError);
    expect(await sessions.loadSealedSession({ sessionData: sealed }).authenticate()).toMatchObject({ authenticated: false, reason: 'invalid_session_cookie' });
    await expect(manager({ cookiePassword: 'Zr8Lq3Vn6Tx1Wc9Kp4Hm2Jd7Fs5Gb0Ya' }).unsealState(sealed, 600)).rejects.toBeInstanceOf(SealError);
    fake.clock += 600_000 + 61_000;
    await expect(sessions.unsealState(sealed, 600)).rejects.toMatchObject({ code: 'seal_expired' });
  });

  test('a session cookie does not open as sign-in state', async () => {
    const sessions = manager();
    const auth = await sessions.authenticateWithCode({ code: fake.provider.issueCode(newUser().id) });
    const cookie = await sessions.sealSessionFromAuthResponse(auth);
    await expect(sessions.unsealState(cookie, 600)).rejects.toBeInstanceOf(SealError);
  });
});
