import { describe, expect, it } from 'vitest';
import {
  CookieError,
  CookieNameError,
  CookieOptionsError,
  CookieTooLargeError,
  CookieValueError,
  DEFAULT_SESSION_COOKIE_NAME,
  MAX_COOKIE_AGE_SECONDS,
  deleteCookie,
  isSecureDefault,
  parseCookieHeader,
  serializeCookie,
  sessionCookieDefaults,
  utf8ByteLength,
} from '../../../src/http/cookies.js';

const IRON = 'Fe26.2*1*3c2a5d7e*nT0XJHcYvAqkRa-3PjGkvA*bWl4ZWQtY2lwaGVydGV4dA*1735689600000*9f8e7d*Qm9ndXNITUFD~2';
const FERNET = 'gAAAAABnY2xvdWRzLWFyZS1wcmV0dHktZmx1ZmZ5LWFuZC13aGl0ZQ==';

function attributesOf(header: string): string[] {
  return header.split('; ').slice(1);
}

describe('parseCookieHeader', () => {
  it('parses pairs and trims whitespace', () => {
    const cookies = parseCookieHeader('a=1; b = 2 ;\tc=3\t');
    expect([...cookies]).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
  });

  it('reads from a Headers object', () => {
    const headers = new Headers({ cookie: 'wos-session=abc; other=1' });
    expect(parseCookieHeader(headers).get('wos-session')).toBe('abc');
    expect(parseCookieHeader(new Headers()).size).toBe(0);
  });

  it('returns an empty map for absent or non-string input', () => {
    expect(parseCookieHeader(undefined).size).toBe(0);
    expect(parseCookieHeader(null).size).toBe(0);
    expect(parseCookieHeader('').size).toBe(0);
    expect(parseCookieHeader(42 as unknown as string).size).toBe(0);
    expect(parseCookieHeader({ get: () => { throw new Error('boom'); } }).size).toBe(0);
  });

  it('skips malformed pairs', () => {
    const cookies = parseCookieHeader('novalue; =orphan; ok=1;; ; also=2; trailing');
    expect([...cookies]).toEqual([
      ['ok', '1'],
      ['also', '2'],
    ]);
  });

  it('keeps the first of duplicate names (the most specific path comes first)', () => {
    expect(parseCookieHeader('wos-session=new; wos-session=old').get('wos-session')).toBe('new');
  });

  it('keeps `=` inside values', () => {
    expect(parseCookieHeader(`wos-session=${FERNET}`).get('wos-session')).toBe(FERNET);
    expect(parseCookieHeader('a==b=').get('a')).toBe('=b=');
  });

  it('unwraps double-quoted values', () => {
    expect(parseCookieHeader('a="quoted"; b=""; c="').get('a')).toBe('quoted');
    expect(parseCookieHeader('b=""').get('b')).toBe('');
    expect(parseCookieHeader('c="').get('c')).toBe('"');
  });

  it('percent-decodes valid sequences and keeps the raw value otherwise', () => {
    const cookies = parseCookieHeader('enc=Fe26.2%2A1%2Aabc~2; bad=100%; utf=%E2%82%AC; lone=%E2%82; mixed=%zz%41');
    expect(cookies.get('enc')).toBe('Fe26.2*1*abc~2');
    expect(cookies.get('bad')).toBe('100%');
    expect(cookies.get('utf')).toBe('€');
    expect(cookies.get('lone')).toBe('%E2%82');
    expect(cookies.get('mixed')).toBe('%zz%41');
  });

  it('leaves sealed values untouched', () => {
    const cookies = parseCookieHeader(`wos-session=${IRON}; py=${FERNET}`);
    expect(cookies.get('wos-session')).toBe(IRON);
    expect(cookies.get('py')).toBe(FERNET);
  });

  it('does not confuse names with Object.prototype members', () => {
    const cookies = parseCookieHeader('__proto__=x; constructor=y; toString=z');
    expect(cookies.get('__proto__')).toBe('x');
    expect(cookies.get('constructor')).toBe('y');
    expect(cookies.size).toBe(3);
  });

  it('ignores headers over the length bound', () => {
    const huge = `a=1; ${'x'.repeat(70_000)}=2`;
    expect(parseCookieHeader(huge).size).toBe(0);
    expect(parseCookieHeader(huge, { maxLength: 100_000 }).get('a')).toBe('1');
  });

  it('stops after maxPairs pairs', () => {
    const header = Array.from({ length: 50 }, (_, i) => `c${i}=${i}`).join('; ');
    expect(parseCookieHeader(header, { maxPairs: 10 }).size).toBe(10);
    expect(parseCookieHeader(header).size).toBe(50);
  });

  it('stays linear on pathological input', () => {
    const inputs = [';'.repeat(65_000) + '=', 'a'.repeat(65_000), '=;'.repeat(32_000), ' '.repeat(65_000) + 'a=b'];
    const started = performance.now();
    for (const input of inputs) parseCookieHeader(input);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

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

describe('errors', () => {
  it('carry stable codes and names', () => {
    const cases: [CookieError, string, string][] = [
      [new CookieNameError('m'), 'invalid_cookie_name', 'CookieNameError'],
      [new CookieValueError('m'), 'invalid_cookie_value', 'CookieValueError'],
      [new CookieOptionsError('m'), 'invalid_cookie_options', 'CookieOptionsError'],
      [new CookieTooLargeError('m', 5000, 4096), 'cookie_too_large', 'CookieTooLargeError'],
    ];
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(CookieError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
    }
  });
});

describe('utf8ByteLength', () => {
  it('counts UTF-8 bytes', () => {
    expect(utf8ByteLength('')).toBe(0);
    expect(utf8ByteLength('abc')).toBe(3);
    expect(utf8ByteLength('é€😀')).toBe(new TextEncoder().encode('é€😀').length);
    expect(utf8ByteLength('\ud800x')).toBe(4); // a lone surrogate is written as U+FFFD (3 bytes)
  });
});
