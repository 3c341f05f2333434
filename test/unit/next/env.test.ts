import { describe, expect, test } from 'vitest';
import { AuthKitError } from '../../../src/next/errors.js';
import { readNextEnv } from '../../../src/next/env.js';

describe('authkit-nextjs environment variables', () => {
  test('nothing set: defaults (no redirect URI, the cookie defaults of the core)', () => {
    expect(readNextEnv({})).toEqual({ redirectUri: undefined, cookie: {} });
  });

  test('every variable read', () => {
    const settings = readNextEnv({
      NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example.com/auth/callback',
      WORKOS_COOKIE_NAME: 'my-session',
      WORKOS_COOKIE_DOMAIN: 'example.com',
      WORKOS_COOKIE_MAX_AGE: '600',
      WORKOS_COOKIE_SAMESITE: 'Strict',
    });
    expect(settings).toEqual({
      redirectUri: 'https://app.example.com/auth/callback',
      cookie: { url: 'https://app.example.com/auth/callback', name: 'my-session', domain: 'example.com', maxAge: 600, sameSite: 'strict' },
    });
  });

  test('SameSite=None makes the cookie Secure', () => {
    expect(readNextEnv({ WORKOS_COOKIE_SAMESITE: 'none' }).cookie).toEqual({ sameSite: 'none', secure: true });
  });

  test('empty variables are unset', () => {
    expect(readNextEnv({ WORKOS_COOKIE_NAME: '', WORKOS_COOKIE_MAX_AGE: '', WORKOS_COOKIE_SAMESITE: '', NEXT_PUBLIC_WORKOS_REDIRECT_URI: '' })).toEqual({ redirectUri: undefined, cookie: {} });
  });

  const refused: Array<[string, string]> = [
    ['WORKOS_COOKIE_MAX_AGE', '0'],
    ['WORKOS_COOKIE_MAX_AGE', '-5'],
    ['WORKOS_COOKIE_MAX_AGE', 'abc'],
    ['WORKOS_COOKIE_MAX_AGE', '1e3'],
    ['WORKOS_COOKIE_MAX_AGE', '3.5'],
    ['WORKOS_COOKIE_MAX_AGE', '99999999999999'],
    ['WORKOS_COOKIE_SAMESITE', 'sometimes'],
    ['WORKOS_COOKIE_SAMESITE', 'lax;'],
    ['NEXT_PUBLIC_WORKOS_REDIRECT_URI', '/auth/callback'],
    ['NEXT_PUBLIC_WORKOS_REDIRECT_URI', 'not a url'],
  ];
  for (const [name, value] of refused) {
    test(`${name}=${JSON.stringify(value)} is refused, naming the variable`, () => {
      let error: unknown;
      try {
        readNextEnv({ [name]: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AuthKitError);
      expect((error as AuthKitError).code).toBe('invalid_config');
      expect((error as AuthKitError).message).toContain(name);
    });
  }
});
