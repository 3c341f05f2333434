import { describe, expect, test } from 'vitest';
import { SessionManager, type SessionManagerOptions } from '../../../src/index.js';
import { ConfigError } from '../../../src/errors/index.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const SECRET_LIKE = 'sk_test_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV';
const valid: SessionManagerOptions = { clientId: 'client_123', cookiePassword: PASSWORD, env: {} };

function refusal(options: unknown): ConfigError {
  try {
    new SessionManager(options as SessionManagerOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('accepted');
}

// [option named in the message, options, words of the fix]
const wrong: Array<[string, Record<string, unknown>, RegExp]> = [
  ['clientId', { clientId: undefined }, /WORKOS_CLIENT_ID.*client_/],
  ['clientId', { clientId: '' }, /WORKOS_CLIENT_ID/],
  ['clientId', { clientId: 42 }, /Client ID.*got 42/],
  ['clientId', { clientId: ['client_1'] }, /got an array/],
  ['clientId', { clientId: 'sk_test_123' }, /Client ID \(client_…\) in clientId and the key in apiKey/],
  ['apiKey', { apiKey: 42 }, /API key.*got a number/],
  ['apiKey', { apiKey: { key: 'x' } }, /got an object/],
  ['apiKey', { apiKey: 'client_123' }, /API key \(sk_…\) in apiKey/],
  ['cookiePassword', { cookiePassword: undefined }, /WORKOS_COOKIE_PASSWORD.*keygen/],
  ['cookiePassword', { cookiePassword: '' }, /keygen/],
  ['cookiePassword', { cookiePassword: [] }, /keygen/],
  ['cookiePassword', { cookiePassword: 'short' }, /too short.*at least 32.*keygen/],
  ['cookiePassword', { cookiePassword: 'a'.repeat(40) }, /predictable.*keygen/],
  ['cookiePassword', { cookiePassword: 12345 }, /not a string.*keygen/],
  ['cookiePassword', { cookiePassword: [PASSWORD, 'short'] }, /Password '1'.*too short/],
  ['cookiePassword', { cookiePassword: [PASSWORD, null] }, /Password #1 \(counted from the oldest\)/],
  ['baseUrl', { baseUrl: '/api' }, /absolute http\(s\) URL.*https:\/\/api\.workos\.com.*relative/],
  ['baseUrl', { baseUrl: 'api.workos.com' }, /absolute http\(s\) URL/],
  ['baseUrl', { baseUrl: 'ftp://api.workos.com' }, /scheme ftp:/],
  ['baseUrl', { baseUrl: 'https://api.workos.com/?x=1' }, /without query/],
  ['baseUrl', { baseUrl: 'https://api.workos.com/#x' }, /without fragment/],
  ['baseUrl', { baseUrl: 'https://user:pw@api.workos.com' }, /without user name or password/],
  ['baseUrl', { baseUrl: 4100 }, /got 4100/],
  ['baseUrl', { env: { WORKOS_API_HOSTNAME: 'bad host' } }, /absolute http\(s\) URL/],
  ['issuer', { issuer: 42 }, /`iss`.*got 42/],
  ['issuer', { issuer: [] }, /non-empty string or list/],
  ['issuer', { issuer: ['https://a', ''] }, /non-empty string or list/],
  ['issuer', { issuer: { url: 'x' } }, /got an object/],
  ['audience', { audience: 42 }, /`aud`.*got 42/],
  ['audience', { audience: '' }, /got ""/],
  ['clockToleranceSec', { clockToleranceSec: '5' }, /seconds from 0 to 300 \(default 5\); got "5"/],
  ['clockToleranceSec', { clockToleranceSec: -1 }, /got -1/],
  ['clockToleranceSec', { clockToleranceSec: 301 }, /got 301/],
  ['clockToleranceSec', { clockToleranceSec: Number.NaN }, /got NaN/],
  ['sealFormat', { sealFormat: 'Iron' }, /"iron" or "fernet" \(default "iron"\); got "Iron"/],
  ['sealFormat', { sealFormat: 1 }, /got 1/],
  ['sealFormat', { sealFormat: 'fernet' }, /no cookiePassword seals Fernet: add a 32-byte key/],
  ['refreshSealFormat', { refreshSealFormat: 'keep' }, /"preserve"/],
  ['timeoutMs', { timeoutMs: 0 }, /milliseconds from 1.*\(default 8000\); got 0/],
  ['timeoutMs', { timeoutMs: '8000' }, /got "8000"/],
  ['timeoutMs', { timeoutMs: Infinity }, /got Infinity/],
  ['timeoutMs', { timeoutMs: 2 ** 31 }, /got 2147483648/],
  ['jwks', { jwks: 'fast' }, /maxAgeMs.*got "fast"/],
  ['jwks', { jwks: null }, /got null/],
  ['jwks.maxAgeMs', { jwks: { maxAgeMs: -5 } }, /default 600000\); got -5/],
  ['jwks.cooldownMs', { jwks: { cooldownMs: '1s' } }, /default 10000\); got "1s"/],
  ['jwks.timeoutMs', { jwks: { timeoutMs: 0 } }, /default 5000\); got 0/],
  ['fetch', { fetch: 'https://proxy' }, /function.*globalThis\.fetch/],
  ['now', { now: 1234 }, /function.*Date\.now; got 1234/],
  ['env', { env: 'production' }, /process\.env; got "production"/],
];

describe('SessionManager options', () => {
  test.each(wrong)('%s: %j', (option, options, fix) => {
    const error = refusal({ ...valid, ...options });
    expect(error.code).toBe('config_invalid');
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    expect(problem?.startsWith(option)).toBe(true);
    expect(problem).toMatch(fix);
    expect(error.message).toContain(problem);
  });

  test.each([null, 'client_123', 42, [valid], true])('options that are not an object (%j) name the constructor and the shape', (options) => {
    const error = refusal(options);
    expect(error.problems).toEqual([expect.stringMatching(/^new SessionManager\(\) takes an options object such as \{ clientId, apiKey, cookiePassword \}; got /)]);
  });

  test('every problem at once, one line each', () => {
    const error = refusal({ clientId: 7, cookiePassword: 'short', baseUrl: '/x', timeoutMs: -1, now: 'x', env: {} });
    expect(error.problems.map((problem) => problem.split(/[: ]/, 1)[0])).toEqual(['clientId', 'baseUrl', 'cookiePassword', 'timeoutMs', 'now']);
    for (const problem of error.problems) expect(problem).not.toContain('\n');
  });

  test.each([
    { cookiePassword: SECRET_LIKE.slice(0, 20) },
    { cookiePassword: [PASSWORD, SECRET_LIKE.slice(0, 20)] },
    { apiKey: 42, cookiePassword: SECRET_LIKE.slice(0, 20) },
    { clientId: SECRET_LIKE },
  ])('a secret given in the wrong place is never repeated: %j', (options) => {
    const error = refusal({ ...valid, ...options });
    expect(error.message).not.toContain(SECRET_LIKE.slice(0, 12));
  });

  test('a single password is "the password", not an id the app never gave it', () => {
    expect(refusal({ ...valid, cookiePassword: 'short' }).problems[0]).toMatch(/^cookiePassword: The password is too short/);
    expect(refusal({ ...valid, cookiePassword: 'short' }).message).not.toMatch(/Password '1'|#1/);
  });

  test('an empty WORKOS_API_KEY= is no key; the defaults stand for absent options', () => {
    expect(() => new SessionManager({ ...valid, env: { WORKOS_API_KEY: '' } })).not.toThrow();
    expect(() => new SessionManager({ ...valid, apiKey: undefined, jwks: {}, issuer: 'https://issuer.example' })).not.toThrow();
  });

  test.each(['/auth/callback', 'auth/callback', '', 'javascript:alert(1)', 'https://app.example.com/cb#frag', undefined, 42])(
    'getAuthorizationUrl refuses the redirect URI %j with the option named',
    (redirectUri) => {
      const sessions = new SessionManager(valid);
      let thrown: unknown;
      try {
        sessions.getAuthorizationUrl({ redirectUri: redirectUri as string });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).problems[0]).toMatch(/^redirectUri (is required|must be).*https:\/\/app\.example\.com\/auth\/callback/);
    },
  );
});
