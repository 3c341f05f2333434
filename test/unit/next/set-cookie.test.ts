import { describe, expect, test } from 'vitest';
import { deleteChunkedCookie, sessionCookieDefaults, serializeCookie, writeChunkedCookie } from '../../../src/cookies/index.js';
import { cookiesAfter, isDeletion, parseSetCookie } from '../../../src/next/set-cookie.js';

describe('reading back the Set-Cookie values the library writes', () => {
  test('every attribute, in the shape of Next.js cookies().set()', () => {
    const header = serializeCookie('wos-session', 'Fe26.2*1*abc~2', {
      path: '/', domain: 'example.com', maxAge: 600, httpOnly: true, secure: true, sameSite: 'strict', partitioned: true, priority: 'high',
    });
    expect(parseSetCookie(header)).toEqual({
      name: 'wos-session',
      value: 'Fe26.2*1*abc~2',
      options: { path: '/', domain: 'example.com', maxAge: 600, httpOnly: true, secure: true, sameSite: 'strict', partitioned: true, priority: 'high' },
    });
  });

  test('a deletion is one', () => {
    const cookie = sessionCookieDefaults({ url: 'http://localhost:3000' });
    const [deletion] = deleteChunkedCookie(cookie.name, [], cookie.options);
    const parsed = parseSetCookie(deletion!);
    expect(isDeletion(parsed)).toBe(true);
    expect(parsed.options.expires?.getTime()).toBe(0);
    expect(isDeletion(parseSetCookie(serializeCookie('a', 'b', { maxAge: 5 })))).toBe(false);
  });

  test('the cookies of the next request: set, replaced, chunked and deleted', () => {
    const cookie = sessionCookieDefaults({ url: 'https://app.example.com' });
    const big = 'x'.repeat(6000);
    const sent = new Map([['wos-session', 'old'], ['theme', 'dark']]);
    const chunked = cookiesAfter(sent, writeChunkedCookie({ name: cookie.name, value: big, options: cookie.options, existingNames: sent }));
    expect([...chunked.keys()].sort()).toEqual(['theme', 'wos-session.0', 'wos-session.1']);
    expect((chunked.get('wos-session.0') ?? '') + (chunked.get('wos-session.1') ?? '')).toBe(big);
    const plain = cookiesAfter(chunked, writeChunkedCookie({ name: cookie.name, value: 'small', options: cookie.options, existingNames: chunked }));
    expect(Object.fromEntries(plain)).toEqual({ theme: 'dark', 'wos-session': 'small' });
    const signedOut = cookiesAfter(plain, deleteChunkedCookie(cookie.name, plain, cookie.options));
    expect(Object.fromEntries(signedOut)).toEqual({ theme: 'dark' });
  });
});
