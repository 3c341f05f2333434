import { describe, expect, it } from 'vitest';
import { CookieNameError, CookieOptionsError } from '../../../src/errors/index.js';
import {
  DEFAULT_SESSION_COOKIE_NAME,
  MAX_COOKIE_AGE_SECONDS,
  isSecureDefault,
  serializeCookie,
  sessionCookieDefaults,
} from '../../../src/cookies/index.js';

describe('isSecureDefault', () => {
  it.each([
    ['http://localhost:3000/callback', false],
    ['http://127.0.0.1:8080', false],
    ['http://[::1]:3000', false],
    ['http://LOCALHOST', false],
    ['https://localhost:3000', true],
    ['http://example.com', true],
    ['http://localhost.example.com', true],
    ['http://127.0.0.2', true],
    ['https://app.example.com', true],
    ['not a url', true],
    [undefined, true],
    [null, true],
  ] as const)('%s → %s', (url, expected) => {
    expect(isSecureDefault(url)).toBe(expected);
  });

  it('accepts URL objects', () => {
    expect(isSecureDefault(new URL('http://localhost'))).toBe(false);
  });
});

describe('sessionCookieDefaults', () => {
  it('defaults to the AuthKit session cookie, hardened', () => {
    const cookie = sessionCookieDefaults();
    expect(cookie.name).toBe(DEFAULT_SESSION_COOKIE_NAME);
    expect(cookie.name).toBe('wos-session');
    expect(cookie.options).toEqual({ path: '/', maxAge: MAX_COOKIE_AGE_SECONDS, httpOnly: true, secure: true, sameSite: 'lax' });
    expect(MAX_COOKIE_AGE_SECONDS).toBe(34_560_000);
    expect(serializeCookie(cookie.name, 'v', cookie.options)).toBe(
      'wos-session=v; Path=/; Max-Age=34560000; HttpOnly; Secure; SameSite=Lax',
    );
  });

  it('turns Secure off only on http loopback', () => {
    expect(sessionCookieDefaults({ url: 'http://localhost:3000' }).options.secure).toBe(false);
    expect(sessionCookieDefaults({ url: 'https://app.example.com' }).options.secure).toBe(true);
    expect(sessionCookieDefaults({ url: 'http://localhost:3000', secure: true }).options.secure).toBe(true);
  });

  it('keeps Secure for prefixed names even on localhost', () => {
    expect(sessionCookieDefaults({ name: '__Host-wos-session', url: 'http://localhost' }).options.secure).toBe(true);
  });

  it('takes overrides', () => {
    const cookie = sessionCookieDefaults({ name: 'sid', maxAge: 3600, sameSite: 'strict', domain: 'example.com', priority: 'high' });
    expect(serializeCookie(cookie.name, 'v', cookie.options)).toBe(
      'sid=v; Path=/; Domain=example.com; Max-Age=3600; HttpOnly; Secure; SameSite=Strict; Priority=High',
    );
  });

  it('is frozen', () => {
    const cookie = sessionCookieDefaults();
    expect(Object.isFrozen(cookie)).toBe(true);
    expect(Object.isFrozen(cookie.options)).toBe(true);
  });

  it('fails at configuration time', () => {
    expect(() => sessionCookieDefaults({ name: '__Host-s', domain: 'example.com' })).toThrow(CookieOptionsError);
    expect(() => sessionCookieDefaults({ name: '__Host-s', secure: false })).toThrow(CookieOptionsError);
    expect(() => sessionCookieDefaults({ name: '__Host-s', path: '/app' })).toThrow(CookieOptionsError);
    expect(() => sessionCookieDefaults({ name: 'bad name' })).toThrow(CookieNameError);
    expect(() => sessionCookieDefaults({ maxAge: 1.5 })).toThrow(CookieOptionsError);
    expect(() => sessionCookieDefaults({ maxAge: 0 })).toThrow(CookieOptionsError);
    expect(() => sessionCookieDefaults({ maxAge: -1 })).toThrow(CookieOptionsError);
    expect(() => sessionCookieDefaults({ sameSite: 'never' as never })).toThrow(CookieOptionsError);
  });
});
