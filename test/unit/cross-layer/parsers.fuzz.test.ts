/**
 * Every parser of untrusted input, across layers (session cookies through seal and session,
 * access tokens in jwt, provider responses in api), fed arbitrary values: each answers with a
 * typed result or its layer's typed error, never anything else.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SessionManager, sealData } from '../../../src/index.js';
import { readAuthenticationResponse } from '../../../src/api/wire.js';
import { InvalidResponseError } from '../../../src/api/errors.js';
import { decodeJwt } from '../../../src/jwt/decode.js';
import { JwtInvalidError } from '../../../src/jwt/errors.js';
import { errorFromResponse } from '../../../src/api/client.js';
import { ApiError } from '../../../src/api/errors.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const offline: typeof fetch = async () => {
  throw new TypeError('no network in unit tests');
};
const sessions = new SessionManager({ clientId: 'client_fuzz', cookiePassword: PASSWORD, fetch: offline, env: {} });

describe('parsers never throw anything but their typed errors', () => {
  test('authenticate() and refresh() on arbitrary cookie values return typed failures', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('Fe26.2*', 'gAAAAA', 'Fe26.2*1*a*b*c**d*e~2')), async (value) => {
        const session = sessions.loadSealedSession({ sessionData: value });
        const auth = await session.authenticate();
        expect(auth.authenticated).toBe(false);
        if (!auth.authenticated) expect(['no_session_cookie_provided', 'invalid_session_cookie']).toContain(auth.reason);
        const refreshed = await session.refresh();
        expect(refreshed).toMatchObject({ authenticated: false, retryable: false });
      }),
      { numRuns: 300 },
    );
  });

  test('a valid seal of arbitrary JSON that is not a session is invalid_session_cookie', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (data) => {
        const cookie = await sealData(data, { password: PASSWORD });
        const result = await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
        // A document with a prototype key is refused by the unseal itself (seal_bad_payload);
        // any other non-session document by the session reader.
        expect(result).toMatchObject({ authenticated: false, reason: 'invalid_session_cookie' });
        expect(['session_bad_payload', 'seal_bad_payload']).toContain((result as { detail?: string }).detail);
      }),
      { numRuns: 100 },
    );
  });

  test('loadSealedSession accepts any value without throwing', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(() => sessions.loadSealedSession({ sessionData: value as string })).not.toThrow();
      }),
    );
  });

  test('decodeJwt: only JwtInvalidError', () => {
    const segment = fc.string({ unit: fc.constantFrom(...'ABCabc012-_'.split('')), minLength: 2 });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.tuple(segment, segment, segment).map((parts) => parts.join('.'))), (input) => {
        try {
          decodeJwt(input);
        } catch (error) {
          expect(error).toBeInstanceOf(JwtInvalidError);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('authentication responses: arbitrary JSON gives a response or InvalidResponseError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ access_token: fc.anything(), refresh_token: fc.anything(), user: fc.anything() })), (body) => {
        try {
          const response = readAuthenticationResponse(body);
          expect(typeof response.accessToken).toBe('string');
          expect(typeof response.user.id).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidResponseError);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('error responses: any status and body map to an ApiError with a code and a retryable flag', () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), fc.jsonValue(), fc.option(fc.string()), (status, body, retryAfter) => {
        const headers = new Headers();
        if (retryAfter !== null) {
          try {
            headers.set('retry-after', retryAfter);
          } catch {
            // not a valid header value: a real response could not carry it either
          }
        }
        const error = errorFromResponse(status, headers, body);
        expect(error).toBeInstanceOf(ApiError);
        expect(typeof error.code).toBe('string');
        // A 4xx without a JSON object is no API error (a gateway's page): it must not end a session.
        const apiError = typeof body === 'object' && body !== null && !Array.isArray(body);
        expect(error.retryable).toBe(status >= 500 || status === 429 || status === 408 || !apiError);
      }),
      { numRuns: 500 },
    );
  });
});
