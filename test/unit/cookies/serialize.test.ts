import { describe, expect, it } from 'vitest';
import { type CookieError, CookieNameError, CookieOptionsError, CookieTooLargeError, CookieValueError } from '../../../src/errors/index.js';
import { deleteCookie, serializeCookie } from '../../../src/cookies/index.js';

const IRON = 'Fe26.2*1*3c2a5d7e*nT0XJHcYvAqkRa-3PjGkvA*bWl4ZWQtY2lwaGVydGV4dA*1735689600000*9f8e7d*Qm9ndXNITUFD~2';
const FERNET = 'gAAAAABnY2xvdWRzLWFyZS1wcmV0dHktZmx1ZmZ5LWFuZC13aGl0ZQ==';

function attributesOf(header: string): string[] {
  return header.split('; ').slice(1);
}

describe('serializeCookie', () => {
  it('writes name=value alone without options', () => {
    expect(serializeCookie('a', 'b')).toBe('a=b');
  });

  it('writes sealed values raw, not percent-encoded', () => {
    expect(serializeCookie('wos-session', IRON)).toBe(`wos-session=${IRON}`);
    expect(serializeCookie('wos-session', FERNET)).toBe(`wos-session=${FERNET}`);
  });

  it.each([
    [{ path: '/app' }, ['Path=/app']],
    [{ domain: 'example.com' }, ['Domain=example.com']],
    [{ domain: '.Sub.Example.com' }, ['Domain=.Sub.Example.com']],
    [{ maxAge: 3600 }, ['Max-Age=3600']],
    [{ maxAge: 0 }, ['Max-Age=0']],
    [{ expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)) }, ['Expires=Wed, 02 Jan 2030 03:04:05 GMT']],
    [{ httpOnly: true }, ['HttpOnly']],
    [{ httpOnly: false }, []],
    [{ secure: true }, ['Secure']],
    [{ secure: false }, []],
    [{ sameSite: 'lax' }, ['SameSite=Lax']],
    [{ sameSite: 'Strict' }, ['SameSite=Strict']],
    [{ sameSite: 'none' }, ['Secure', 'SameSite=None']],
    [{ sameSite: 'none', secure: false }, ['Secure', 'SameSite=None']],
    [{ priority: 'high' }, ['Priority=High']],
    [{ priority: 'Low' }, ['Priority=Low']],
    [{ partitioned: true }, ['Secure', 'Partitioned']],
  ] as const)('attribute %o', (options, expected) => {
    expect(attributesOf(serializeCookie('n', 'v', options))).toEqual(expected);
  });

  it('orders attributes like authkit-session', () => {
    const header = serializeCookie('n', 'v', {
      partitioned: true,
      priority: 'medium',
      sameSite: 'none',
      secure: true,
      httpOnly: true,
      expires: new Date(0),
      maxAge: 10,
      domain: 'example.com',
      path: '/',
    });
    expect(header).toBe(
      'n=v; Path=/; Domain=example.com; Max-Age=10; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=None; Priority=Medium; Partitioned',
    );
  });

  it.each(['', 'a b', 'a;b', 'a=b', 'a,b', 'é', 'a\tb', '(x)', 'a"b'])('rejects name %j', (name) => {
    expect(() => serializeCookie(name, 'v')).toThrow(CookieNameError);
  });

  it('accepts token names including chunk names and prefixes', () => {
    for (const name of ['wos-session', 'wos-session.0', '__Host-x', "!#$%&'*+-.^_`|~"]) {
      expect(serializeCookie(name, 'v', name.startsWith('__Host-') ? { secure: true, path: '/' } : {})).toMatch(/=v/);
    }
  });

  it.each(['a b', 'a;b', 'a,b', 'a\\b', 'a"b', '€', 'a\nb', '\u0000'])('rejects value %j', (value) => {
    const error = (() => {
      try {
        serializeCookie('n', value);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CookieValueError);
    expect((error as CookieError).code).toBe('invalid_cookie_value');
    expect((error as Error).message).not.toContain(value);
  });

  it('accepts empty and quoted values', () => {
    expect(serializeCookie('n', '')).toBe('n=');
    expect(serializeCookie('n', '"abc"')).toBe('n="abc"');
  });

  it('refuses name + value over 4096 bytes', () => {
    expect(serializeCookie('n', 'x'.repeat(4095))).toHaveLength(4097);
    expect(() => serializeCookie('n', 'x'.repeat(4096))).toThrow(CookieTooLargeError);
  });

  it.each([
    [{ path: 'relative' }],
    [{ path: '/a;b' }],
    [{ path: '' }],
    [{ path: `/${'a'.repeat(1024)}` }],
    [{ domain: 'exa mple.com' }],
    [{ domain: 'a..b' }],
    [{ domain: '-a.com' }],
    [{ domain: 'a.com;x' }],
    [{ maxAge: 1.5 }],
    [{ maxAge: Number.NaN }],
    [{ maxAge: Number.POSITIVE_INFINITY }],
    [{ expires: new Date(Number.NaN) }],
    [{ sameSite: 'sometimes' }],
    [{ priority: 'urgent' }],
  ])('rejects options %o', (options) => {
    expect(() => serializeCookie('n', 'v', options as never)).toThrow(CookieOptionsError);
  });
});

describe('cookie prefixes', () => {
  const ok = { secure: true, path: '/' } as const;

  it('accepts a valid __Host- cookie', () => {
    expect(serializeCookie('__Host-wos-session', 'v', ok)).toBe('__Host-wos-session=v; Path=/; Secure');
  });

  it.each([
    [{ path: '/' }],
    [{ secure: true }],
    [{ secure: true, path: '/app' }],
    [{ ...ok, domain: 'example.com' }],
  ])('rejects __Host- with %o', (options) => {
    expect(() => serializeCookie('__Host-wos-session', 'v', options)).toThrow(CookieOptionsError);
  });

  it('matches prefixes case-insensitively', () => {
    expect(() => serializeCookie('__host-x', 'v', { path: '/' })).toThrow(CookieOptionsError);
    expect(() => serializeCookie('__SECURE-x', 'v')).toThrow(CookieOptionsError);
  });

  it('requires Secure for __Secure-, which SameSite=None provides', () => {
    expect(() => serializeCookie('__Secure-x', 'v', { path: '/a' })).toThrow(CookieOptionsError);
    expect(serializeCookie('__Secure-x', 'v', { sameSite: 'none' })).toBe('__Secure-x=v; Secure; SameSite=None');
  });
});

describe('deleteCookie', () => {
  it('repeats name, path, domain and flags with Max-Age=0 and an epoch Expires', () => {
    const options = { path: '/app', domain: 'example.com', httpOnly: true, secure: true, sameSite: 'lax', maxAge: 99 } as const;
    const set = serializeCookie('wos-session', 'v', options);
    const del = deleteCookie('wos-session', options);
    expect(del).toBe(
      'wos-session=; Path=/app; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax',
    );
    const scope = (header: string) => attributesOf(header).filter((a) => /^(Path|Domain)=/.test(a));
    expect(scope(del)).toEqual(scope(set));
  });

  it('keeps Partitioned so the partitioned cookie is the one removed', () => {
    expect(deleteCookie('n', { partitioned: true, path: '/' })).toContain('; Partitioned');
  });

  it('applies the prefix rules too', () => {
    expect(() => deleteCookie('__Host-x', { path: '/' })).toThrow(CookieOptionsError);
  });
});
