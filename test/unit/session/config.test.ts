/**
 * The manager's options: every problem reported at construction in one `ConfigError` that names
 * the option, environment fallbacks, and the token policy the options set (issuer, audience,
 * clock tolerance), observed through `authenticate()` against the provider faked at `fetch`.
 */
import { describe, expect, test } from 'vitest';
import { defaultIssuers, SessionManager, type SessionManagerOptions } from '../../../src/index.js';
import { ConfigError } from '../../../src/errors/index.js';
import { fakeProviderForFile, PASSWORD, T0 } from './helpers.js';

const fake = fakeProviderForFile();

const valid: SessionManagerOptions = { clientId: 'client_1', cookiePassword: PASSWORD, env: {} };

function problemsOf(options: SessionManagerOptions): readonly string[] {
  try {
    new SessionManager(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'config_invalid', name: 'ConfigError' });
    return (error as ConfigError).problems;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(options)}`);
}

describe('ConfigError', () => {
  const cases: Array<[string, SessionManagerOptions, RegExp]> = [
    ['no clientId', { ...valid, clientId: undefined }, /^clientId is required/],
    ['an empty clientId', { ...valid, clientId: '' }, /^clientId is required/],
    ['no cookiePassword', { ...valid, cookiePassword: undefined }, /^cookiePassword is required.*keygen/],
    ['an empty cookiePassword', { ...valid, cookiePassword: '' }, /^cookiePassword is required/],
    ['an empty password list', { ...valid, cookiePassword: [] }, /^cookiePassword is required/],
    ['a short password', { ...valid, cookiePassword: 'short' }, /^cookiePassword: /],
    ['a repetitive password', { ...valid, cookiePassword: 'a'.repeat(40) }, /^cookiePassword: /],
    ['a weak password in a list', { ...valid, cookiePassword: [PASSWORD, 'password'] }, /^cookiePassword: /],
    ['an ftp baseUrl', { ...valid, baseUrl: 'ftp://idp.test' }, /^baseUrl must be an absolute http\(s\) URL.*scheme ftp:/],
    ['a javascript: baseUrl', { ...valid, baseUrl: 'javascript:alert(1)' }, /^baseUrl /],
    ['a baseUrl that is no URL', { ...valid, baseUrl: 'idp.test' }, /^baseUrl /],
    ['an empty baseUrl', { ...valid, baseUrl: '' }, /^baseUrl /],
    ['a baseUrl with a query', { ...valid, baseUrl: 'https://idp.test/?tenant=1' }, /^baseUrl /],
    ['a baseUrl with a fragment', { ...valid, baseUrl: 'https://idp.test/#x' }, /^baseUrl /],
    ['a negative clockToleranceSec', { ...valid, clockToleranceSec: -1 }, /^clockToleranceSec /],
    ['a clockToleranceSec over 300', { ...valid, clockToleranceSec: 301 }, /^clockToleranceSec /],
    ['a NaN clockToleranceSec', { ...valid, clockToleranceSec: Number.NaN }, /^clockToleranceSec /],
    ['an infinite clockToleranceSec', { ...valid, clockToleranceSec: Number.POSITIVE_INFINITY }, /^clockToleranceSec /],
    ['an unknown sealFormat', { ...valid, sealFormat: 'aes' as 'iron' }, /^sealFormat /],
    ['an unknown refreshSealFormat', { ...valid, refreshSealFormat: 'keep' as 'preserve' }, /^refreshSealFormat /],
    ['an empty issuer', { ...valid, issuer: '' }, /^issuer /],
    ['an empty issuer list', { ...valid, issuer: [] }, /^issuer /],
    ['an issuer list with an empty entry', { ...valid, issuer: ['https://idp.test', ''] }, /^issuer /],
  ];
  for (const [name, options, problem] of cases) {
    test(`${name}: one problem naming the option`, () => {
      const problems = problemsOf(options);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(problem);
    });
  }

  test('every problem is listed at once, in the message too, and no secret is repeated', () => {
    const secret = 'tooshort-secret';
    const problems = problemsOf({ env: {}, cookiePassword: secret, baseUrl: 'ftp://x', clockToleranceSec: -5, sealFormat: 'zip' as 'iron', issuer: [] });
    expect(problems.map((problem) => problem.split(/[ :]/)[0])).toEqual(['clientId', 'baseUrl', 'cookiePassword', 'clockToleranceSec', 'sealFormat', 'issuer']);
    let message = '';
    try {
      new SessionManager({ env: {}, cookiePassword: secret, baseUrl: 'ftp://x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^sealed-session is misconfigured:\n {2}- clientId/);
    expect(message).toContain('\n  - baseUrl');
    expect(message).not.toContain(secret);
  });
});

describe('environment', () => {
  test('falls back to the WORKOS_* variables', () => {
    const sessions = new SessionManager({ env: { WORKOS_CLIENT_ID: 'client_env', WORKOS_COOKIE_PASSWORD: PASSWORD, WORKOS_API_HOSTNAME: 'auth.example.com' } });
    expect(sessions.clientId).toBe('client_env');
    expect(sessions.getJwksUrl()).toBe('https://auth.example.com/sso/jwks/client_env');
  });

  test('WORKOS_API_HTTPS=false and WORKOS_API_PORT build an http base URL; WORKOS_BASE_URL wins over them', () => {
    const env = { WORKOS_CLIENT_ID: 'client_env', WORKOS_COOKIE_PASSWORD: PASSWORD, WORKOS_API_HOSTNAME: 'localhost', WORKOS_API_HTTPS: 'false', WORKOS_API_PORT: '8080' };
    expect(new SessionManager({ env }).getJwksUrl()).toBe('http://localhost:8080/sso/jwks/client_env');
    expect(new SessionManager({ env: { ...env, WORKOS_BASE_URL: 'https://idp.example.com' } }).getJwksUrl()).toBe('https://idp.example.com/sso/jwks/client_env');
  });

  test('options win over the environment', () => {
    const sessions = new SessionManager({
      clientId: 'client_option',
      baseUrl: 'https://option.example.com',
      cookiePassword: PASSWORD,
      env: { WORKOS_CLIENT_ID: 'client_env', WORKOS_COOKIE_PASSWORD: 'weak', WORKOS_BASE_URL: 'ftp://env' },
    });
    expect(sessions.clientId).toBe('client_option');
    expect(sessions.getJwksUrl()).toBe('https://option.example.com/sso/jwks/client_option');
  });

  test('WORKOS_API_KEY is the client secret of the grants', async () => {
    const sessions = new SessionManager({ ...fake.provider.managerOptions, apiKey: undefined, cookiePassword: PASSWORD, env: { WORKOS_API_KEY: fake.provider.apiKey } });
    const user = fake.provider.addUser({ email: 'env@example.test' });
    expect(await sessions.authenticateWithCode({ code: fake.provider.issueCode(user.id) })).toMatchObject({ user: { id: user.id } });
    expect(fake.provider.requests.at(-1)!.body).toMatchObject({ client_secret: fake.provider.apiKey });
  });

  test('trailing slashes of the base URL are dropped', () => {
    expect(new SessionManager({ ...valid, baseUrl: 'https://idp.test///' }).getJwksUrl()).toBe('https://idp.test/sso/jwks/client_1');
  });
});

describe('token policy', () => {
  async function authenticate(options: Partial<SessionManagerOptions>, claims: Record<string, unknown>) {
    const sessions = fake.manager(options);
    const user = fake.provider.addUser({ email: 'policy@example.test' });
    const accessToken = await fake.provider.sign(fake.provider.claims({ sub: user.id, sid: 'session_policy', ...claims }));
    const auth = await sessions.authenticateWithCode({ code: fake.provider.issueCode(user.id) });
    const cookie = await sessions.sealSessionFromAuthResponse({ ...auth, accessToken });
    return sessions.loadSealedSession({ sessionData: cookie }).authenticate();
  }

  test('by default the issuers WorkOS uses for the base URL and client are accepted, and no other', async () => {
    const { baseUrl, clientId } = fake.provider;
    expect(defaultIssuers(baseUrl, clientId)).toEqual([baseUrl, `${baseUrl}/`, `${baseUrl}/user_management/${clientId}`]);
    for (const iss of defaultIssuers(baseUrl, clientId)) {
      expect(await authenticate({}, { iss })).toMatchObject({ authenticated: true });
    }
    for (const iss of [`${baseUrl}//`, `${baseUrl}/user_management/client_other`, `${baseUrl}:443`, 'https://api.workos.com']) {
      expect(await authenticate({}, { iss })).toMatchObject({ authenticated: false, detail: 'jwt_bad_issuer' });
    }
  });

  test('issuer replaces the defaults', async () => {
    expect(await authenticate({ issuer: 'https://auth.example.com' }, { iss: 'https://auth.example.com' })).toMatchObject({ authenticated: true });
    expect(await authenticate({ issuer: 'https://auth.example.com' }, {})).toMatchObject({ authenticated: false, detail: 'jwt_bad_issuer' });
    const both = [...defaultIssuers(fake.provider.baseUrl, fake.provider.clientId), 'https://auth.example.com'];
    expect(await authenticate({ issuer: both }, {})).toMatchObject({ authenticated: true });
  });

  test('audience: the client id when the token has one; required once configured', async () => {
    expect(await authenticate({}, { aud: undefined })).toMatchObject({ authenticated: true });
    expect(await authenticate({ audience: 'api://mine' }, { aud: 'api://mine' })).toMatchObject({ authenticated: true });
    expect(await authenticate({ audience: 'api://mine' }, {})).toMatchObject({ authenticated: false, detail: 'jwt_bad_audience' });
    expect(await authenticate({ audience: 'api://mine' }, { aud: undefined })).toMatchObject({ authenticated: false, detail: 'jwt_missing_claim' });
  });

  test('clockToleranceSec bounds how far ahead a token may be issued', async () => {
    const ahead = Math.floor(T0 / 1000) + 30;
    expect(await authenticate({ clockToleranceSec: 0 }, { iat: ahead })).toMatchObject({ authenticated: false, detail: 'jwt_not_yet_valid' });
    expect(await authenticate({ clockToleranceSec: 30 }, { iat: ahead })).toMatchObject({ authenticated: true });
  });
});
