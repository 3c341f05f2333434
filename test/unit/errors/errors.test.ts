import { describe, expect, test } from 'vitest';
import { SessionManager, unsealData } from '../../../src/index.js';
import { sessionCookieDefaults, serializeCookie } from '../../../src/cookies/index.js';
import * as errors from '../../../src/errors/index.js';
import { createMemoryRefreshStore, RefreshCoordinator } from '../../../src/refresh/index.js';
import { createKeyring, sealData } from '../../../src/seal/index.js';

const { SealedSessionError, SealError, CookieError, JwtError, ApiError, RefreshCoordinationError, RefreshStoreError } = errors;

type ErrorClass = abstract new (...args: never[]) => errors.SealedSessionError;

const claims = { iss: 'https://api.workos.com', sub: 'user_1', sid: 'session_1', exp: 1, iat: 0 };
const cause = new Error('underlying');

// Every public leaf class, built the one way: (message, options). `code` is the class's own
// unless the class covers several codes, in which case it is the one given.
const leaves: Array<{ error: errors.SealedSessionError; name: string; code: string; layer: ErrorClass; fields?: Record<string, unknown> }> = [
  { error: new errors.SealMalformedError('m', { cause }), name: 'SealMalformedError', code: 'seal_malformed', layer: SealError },
  { error: new errors.SealBadMacError('m', { cause }), name: 'SealBadMacError', code: 'seal_bad_mac', layer: SealError },
  { error: new errors.SealExpiredError('m', { cause }), name: 'SealExpiredError', code: 'seal_expired', layer: SealError },
  { error: new errors.SealTimestampError('m', { cause }), name: 'SealTimestampError', code: 'seal_bad_timestamp', layer: SealError },
  { error: new errors.SealUnknownPasswordError('m', { cause }), name: 'SealUnknownPasswordError', code: 'seal_unknown_password', layer: SealError },
  { error: new errors.SealPayloadError('m', { cause }), name: 'SealPayloadError', code: 'seal_bad_payload', layer: SealError },
  {
    error: new errors.SealPasswordError('m', { problem: 'too_short', cause }),
    name: 'SealPasswordError',
    code: 'seal_weak_password',
    layer: SealError,
    fields: { problem: 'too_short' },
  },
  { error: new errors.SealOptionsError('m', { cause }), name: 'SealOptionsError', code: 'seal_bad_options', layer: SealError },
  { error: new errors.CookieNameError('m', { cause }), name: 'CookieNameError', code: 'invalid_cookie_name', layer: CookieError },
  { error: new errors.CookieValueError('m', { cause }), name: 'CookieValueError', code: 'invalid_cookie_value', layer: CookieError },
  { error: new errors.CookieOptionsError('m', { cause }), name: 'CookieOptionsError', code: 'invalid_cookie_options', layer: CookieError },
  {
    error: new errors.CookieTooLargeError('m', { size: 5000, limit: 4096, cause }),
    name: 'CookieTooLargeError',
    code: 'cookie_too_large',
    layer: CookieError,
    fields: { size: 5000, limit: 4096 },
  },
  { error: new errors.JwtInvalidError('m', { code: 'jwt_bad_issuer', cause }), name: 'JwtInvalidError', code: 'jwt_bad_issuer', layer: JwtError },
  { error: new errors.JwtExpiredError('m', { claims, cause }), name: 'JwtExpiredError', code: 'jwt_expired', layer: JwtError, fields: { claims } },
  { error: new errors.JwksUnavailableError('m', { cause }), name: 'JwksUnavailableError', code: 'jwks_unavailable', layer: JwtError },
  {
    error: new errors.InvalidGrantError('m', { status: 400, requestId: 'req_1', cause }),
    name: 'InvalidGrantError',
    code: 'invalid_grant',
    layer: ApiError,
    fields: { status: 400, requestId: 'req_1', retryable: false },
  },
  {
    error: new errors.AuthenticationFlowError('m', { code: 'mfa_challenge', status: 403, pendingAuthenticationToken: 'pat_1', cause }),
    name: 'AuthenticationFlowError',
    code: 'mfa_challenge',
    layer: ApiError,
    fields: { status: 403, requestId: undefined, retryable: false, pendingAuthenticationToken: 'pat_1' },
  },
  {
    error: new errors.RequestRejectedError('m', { code: 'invalid_client', status: 401, cause }),
    name: 'RequestRejectedError',
    code: 'invalid_client',
    layer: ApiError,
    fields: { status: 401, retryable: false },
  },
  {
    error: new errors.RateLimitedError('m', { status: 429, retryAfter: 7, cause }),
    name: 'RateLimitedError',
    code: 'rate_limit_exceeded',
    layer: ApiError,
    fields: { status: 429, retryable: true, retryAfter: 7 },
  },
  { error: new errors.ServerError('m', { status: 503, cause }), name: 'ServerError', code: 'server_error', layer: ApiError, fields: { retryable: true } },
  { error: new errors.TimeoutError('m', { cause }), name: 'TimeoutError', code: 'timeout', layer: ApiError, fields: { status: undefined, retryable: true } },
  { error: new errors.NetworkError('m', { cause }), name: 'NetworkError', code: 'network_error', layer: ApiError, fields: { retryable: true } },
  {
    error: new errors.InvalidResponseError('m', { status: 200, cause }),
    name: 'InvalidResponseError',
    code: 'invalid_response',
    layer: ApiError,
    fields: { retryable: true },
  },
  {
    error: new errors.ConfigError('m', { problems: ['clientId is required'], cause }),
    name: 'ConfigError',
    code: 'config_invalid',
    layer: SealedSessionError,
    fields: { problems: ['clientId is required'] },
  },
  { error: new errors.SessionError('m', { code: 'invalid_jwt', cause }), name: 'SessionError', code: 'invalid_jwt', layer: SealedSessionError },
  { error: new errors.RefreshOptionsError('m', { cause }), name: 'RefreshOptionsError', code: 'ERR_REFRESH_OPTIONS', layer: RefreshCoordinationError },
  { error: new errors.RefreshStoreError('m', { cause }), name: 'RefreshStoreError', code: 'ERR_REFRESH_STORE', layer: RefreshCoordinationError },
  { error: new errors.RefreshStoreTimeoutError('m', { cause }), name: 'RefreshStoreTimeoutError', code: 'ERR_REFRESH_STORE_TIMEOUT', layer: RefreshStoreError },
  {
    error: new errors.RefreshStoreUnavailableError('m', { cause }),
    name: 'RefreshStoreUnavailableError',
    code: 'ERR_REFRESH_STORE_UNAVAILABLE',
    layer: RefreshStoreError,
  },
  { error: new errors.RefreshLockLostError('m', { cause }), name: 'RefreshLockLostError', code: 'ERR_REFRESH_LOCK_LOST', layer: RefreshStoreError },
];

/** What `run` throws; fails the test when it returns. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('every error is built one way', () => {
  test.each(leaves)('$name: class name, stable code, layer base, cause and own fields', ({ error, name, code, layer, fields }) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(SealedSessionError);
    expect(error).toBeInstanceOf(layer);
    expect(error.name).toBe(name);
    expect(error.constructor.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.message).toBe('m');
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe(`${name}: m`);
    for (const [field, value] of Object.entries(fields ?? {})) expect(error[field as keyof typeof error]).toEqual(value);
  });

  test('the table above covers every leaf class of sealed-session/errors', () => {
    const bases = new Set<unknown>([SealError, CookieError, JwtError, ApiError, RefreshCoordinationError]);
    const leafNames = Object.entries(errors)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof SealedSessionError && !bases.has(value))
      .map(([name]) => name);
    expect(leafNames.sort()).toEqual(leaves.map((leaf) => leaf.name).sort());
  });

  test('without a cause, none is set', () => {
    for (const error of [new errors.SealMalformedError('m'), new errors.RefreshStoreError('m'), new errors.ServerError('m', { status: 500 })]) {
      expect('cause' in error).toBe(false);
    }
  });

  test('a class that fixes its code ignores a code passed in options', () => {
    const forged = { cause, code: 'something_else' } as { cause: unknown };
    expect(new errors.SealBadMacError('m', forged).code).toBe('seal_bad_mac');
    expect(new errors.ServerError('m', forged).code).toBe('server_error');
    expect(new errors.RefreshLockLostError('m', forged).code).toBe('ERR_REFRESH_LOCK_LOST');
  });
});

describe('what the public API throws is one of these classes', () => {
  const password = 'a-long-enough-random-password-8f3Kq9Zr2Lm7Vx';

  test('values that do not unseal', async () => {
    for (const sealed of ['', 'junk', 'Fe26.2**', 'gAAAAA', 'x'.repeat(10_000), 42, null]) {
      const error = await unsealData(sealed, { password }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SealError);
      expect(error).toBeInstanceOf(SealedSessionError);
    }
  });

  test('a seal opened with another password', async () => {
    const sealed = await sealData({ n: 1 }, { password });
    await expect(unsealData(sealed, { password: `${password}-other` })).rejects.toBeInstanceOf(errors.SealBadMacError);
  });

  test.each([
    ['short', 'too_short'],
    ['', 'missing'],
    ['a'.repeat(40), 'weak'],
    [[{ id: 'x y', secret: password }], 'bad_id'],
    [[{ id: 'a', secret: password }, { id: 'a', secret: `${password}2` }], 'duplicate_id'],
  ] as const)('a password configuration that is refused: %j gives %s', (input, problem) => {
    const error = thrown(() => createKeyring(input));
    expect(error).toBeInstanceOf(errors.SealPasswordError);
    expect(error).toMatchObject({ code: 'seal_weak_password', problem });
  });

  test('cookie names, values and options that are refused', () => {
    expect(() => sessionCookieDefaults({ name: 'my session' })).toThrow(errors.CookieNameError);
    expect(() => sessionCookieDefaults({ name: '__Host-s', domain: 'example.com' })).toThrow(errors.CookieOptionsError);
    expect(() => serializeCookie('s', 'a;b')).toThrow(errors.CookieValueError);
    expect(thrown(() => serializeCookie('s', 'v'.repeat(5000)))).toMatchObject({ name: 'CookieTooLargeError', size: 5001, limit: 4096 });
  });

  test('a misconfigured manager lists every problem', () => {
    const error = thrown(() => new SessionManager({ env: {}, cookiePassword: 'short', timeoutMs: -1 }));
    expect(error).toBeInstanceOf(errors.ConfigError);
    const { problems, message } = error as errors.ConfigError;
    expect(problems.length).toBeGreaterThanOrEqual(2);
    for (const problem of problems) expect(message).toContain(problem);
  });

  test('a session without a usable cookie', async () => {
    const sessions = new SessionManager({ env: {}, clientId: 'client_1', apiKey: 'sk_test', cookiePassword: password });
    await expect(sessions.loadSealedSession({ sessionData: '' }).getSessionId()).rejects.toMatchObject({
      name: 'SessionError',
      code: 'no_session_cookie_provided',
    });
    await expect(sessions.loadSealedSession({ sessionData: 'junk' }).getLogoutUrl()).rejects.toMatchObject({
      name: 'SessionError',
      code: 'invalid_session_cookie',
    });
  });

  test('coordination options that are refused', () => {
    expect(() => new RefreshCoordinator({ lockTtlMs: 0 })).toThrow(errors.RefreshOptionsError);
    expect(() => createMemoryRefreshStore({ maxEntries: -1 })).toThrow(errors.RefreshOptionsError);
  });
});
