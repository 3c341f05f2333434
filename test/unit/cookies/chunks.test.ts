import { describe, expect, it } from 'vitest';
import { CookieOptionsError, CookieTooLargeError, CookieValueError } from '../../../src/errors/index.js';
import {
  COOKIE_SIZE_BUDGET,
  DEFAULT_MAX_CHUNKS,
  MAX_READ_CHUNKS,
  chunkCookieName,
  deleteChunkedCookie,
  parseCookieHeader,
  readChunkedCookie,
  sessionCookieDefaults,
  setCookieByteLength,
  writeChunkedCookie,
} from '../../../src/cookies/index.js';

const session = sessionCookieDefaults({ name: '__Host-wos-session' });
const { name, options } = session;

/** A cookie-safe value of `length` bytes that is not a repetition (so a misordered join shows). */
function sealedOfLength(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_*~.';
  let out = 'Fe26.2*1*';
  for (let i = 0; out.length < length; i++) out += alphabet[(i * 7 + (i >> 5)) % alphabet.length];
  return out.slice(0, length);
}

/** What the browser would send back after applying `setCookies` (in a fresh jar). */
function browserJar(setCookies: string[], jar = new Map<string, string>()): Map<string, string> {
  for (const header of setCookies) {
    const pair = header.split('; ')[0]!;
    const eq = pair.indexOf('=');
    const cookieName = pair.slice(0, eq);
    if (header.includes('; Max-Age=0')) jar.delete(cookieName);
    else jar.set(cookieName, pair.slice(eq + 1));
  }
  return jar;
}

function namesOf(headers: string[]): string[] {
  return headers.map((header) => header.slice(0, header.indexOf('=')));
}

const deletions = (headers: string[]) => headers.filter((h) => h.includes('; Max-Age=0'));
const sets = (headers: string[]) => headers.filter((h) => !h.includes('; Max-Age=0'));

describe('writeChunkedCookie', () => {
  it('writes a small value as one plain cookie', () => {
    const headers = writeChunkedCookie({ name, value: 'Fe26.2*small~2', options });
    expect(headers).toEqual(['__Host-wos-session=Fe26.2*small~2; Path=/; Max-Age=34560000; HttpOnly; Secure; SameSite=Lax']);
  });

  it('uses the plain cookie up to exactly the budget, chunks one byte beyond', () => {
    const overhead = setCookieByteLength(writeChunkedCookie({ name, value: '', options })[0]!);
    const fits = sealedOfLength(COOKIE_SIZE_BUDGET - overhead);
    const [exact] = writeChunkedCookie({ name, value: fits, options });
    expect(setCookieByteLength(exact!)).toBe(COOKIE_SIZE_BUDGET);
    const over = writeChunkedCookie({ name, value: `${fits}x`, options });
    expect(namesOf(over)).toEqual([`${name}.0`, `${name}.1`]);
  });

  it('splits a large value into chunks within the budget that join back', () => {
    const value = sealedOfLength(10_000);
    const headers = writeChunkedCookie({ name, value, options });
    expect(namesOf(headers)).toEqual([`${name}.0`, `${name}.1`, `${name}.2`]);
    for (const header of headers) {
      expect(setCookieByteLength(header)).toBeLessThanOrEqual(COOKIE_SIZE_BUDGET);
      expect(header.endsWith('; Path=/; Max-Age=34560000; HttpOnly; Secure; SameSite=Lax')).toBe(true);
    }
    expect(readChunkedCookie(browserJar(headers), name)).toEqual({ status: 'ok', value, chunks: 3 });
  });

  it('round trips through a real Cookie header', () => {
    const value = sealedOfLength(7_000);
    const jar = browserJar(writeChunkedCookie({ name, value, options }));
    const header = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    expect(readChunkedCookie(parseCookieHeader(header), name)).toMatchObject({ status: 'ok', value });
  });

  it('honours a smaller budget', () => {
    const headers = writeChunkedCookie({ name, value: sealedOfLength(3_000), options, budget: 1_000, maxChunks: 4 });
    expect(headers).toHaveLength(4);
    for (const header of headers) expect(setCookieByteLength(header)).toBeLessThanOrEqual(1_000);
  });

  it('bounds the number of chunks', () => {
    expect(DEFAULT_MAX_CHUNKS).toBe(3);
    const value = sealedOfLength(13_000);
    const error = (() => {
      try {
        writeChunkedCookie({ name, value, options });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CookieTooLargeError);
    expect((error as CookieTooLargeError).code).toBe('cookie_too_large');
    expect((error as CookieTooLargeError).size).toBe(13_000);
    expect((error as Error).message).not.toContain(value.slice(0, 20));
    expect(writeChunkedCookie({ name, value, options, maxChunks: 4 })).toHaveLength(4);
    expect(() => writeChunkedCookie({ name, value: sealedOfLength(5_000), options, maxChunks: 1 })).toThrow(CookieTooLargeError);
  });

  it('throws when the attributes alone exceed the budget', () => {
    expect(() => writeChunkedCookie({ name: 'n', value: 'abcdef', options: { path: '/' }, budget: 10 })).toThrow(CookieTooLargeError);
  });

  it('rejects bad bounds and values', () => {
    expect(() => writeChunkedCookie({ name, value: 'v', options, maxChunks: 0 })).toThrow(CookieOptionsError);
    expect(() => writeChunkedCookie({ name, value: 'v', options, maxChunks: MAX_READ_CHUNKS + 1 })).toThrow(CookieOptionsError);
    expect(() => writeChunkedCookie({ name, value: 'v', options, budget: 5000 })).toThrow(CookieOptionsError);
    expect(() => writeChunkedCookie({ name, value: 'a b', options })).toThrow(CookieValueError);
    expect(() => writeChunkedCookie({ name, value: `"${sealedOfLength(5_000)}"`, options })).toThrow(CookieValueError);
    expect(() => writeChunkedCookie({ name: '__Host-x', value: 'v', options: { path: '/' } })).toThrow(CookieOptionsError);
  });

  it('deletes stale chunks when the value shrinks', () => {
    const before = browserJar(writeChunkedCookie({ name, value: sealedOfLength(10_000), options }));
    const value = sealedOfLength(5_000);
    const headers = writeChunkedCookie({ name, value, options, existingNames: before });
    expect(namesOf(sets(headers))).toEqual([`${name}.0`, `${name}.1`]);
    expect(namesOf(deletions(headers))).toEqual([`${name}.2`]);
    expect(readChunkedCookie(browserJar(headers, before), name)).toEqual({ status: 'ok', value, chunks: 2 });
  });

  it('deletes the plain cookie when it grows into chunks', () => {
    const before = browserJar(writeChunkedCookie({ name, value: 'Fe26.2*small~2', options }));
    const value = sealedOfLength(6_000);
    const headers = writeChunkedCookie({ name, value, options, existingNames: before });
    expect(namesOf(deletions(headers))).toEqual([name]);
    const after = browserJar(headers, before);
    expect([...after.keys()].sort()).toEqual([`${name}.0`, `${name}.1`]);
    expect(readChunkedCookie(after, name)).toMatchObject({ status: 'ok', value });
  });

  it('deletes every chunk when it shrinks back to a plain cookie', () => {
    const before = browserJar(writeChunkedCookie({ name, value: sealedOfLength(6_000), options }));
    const headers = writeChunkedCookie({ name, value: 'Fe26.2*small~2', options, existingNames: before.keys() });
    expect(namesOf(sets(headers))).toEqual([name]);
    expect(namesOf(deletions(headers))).toEqual([`${name}.0`, `${name}.1`]);
    expect(readChunkedCookie(browserJar(headers, before), name)).toEqual({ status: 'ok', value: 'Fe26.2*small~2', chunks: 0 });
  });

  it('deletes with the attributes the cookie was set with', () => {
    const headers = writeChunkedCookie({ name, value: 'v', options, existingNames: [`${name}.0`] });
    expect(headers[1]).toBe(
      `${name}.0=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax`,
    );
  });

  it('leaves other cookies alone and deletes each stale name once', () => {
    const existing = ['other', `${name}x`, `${name}.abc`, `${name}.123`, 'wos-session.1', `${name}.5`, `${name}.5`, `${name}.01`];
    const headers = writeChunkedCookie({ name, value: 'v', options, existingNames: existing });
    expect(namesOf(deletions(headers))).toEqual([`${name}.5`, `${name}.01`]);
  });
});

describe('readChunkedCookie', () => {
  it('reads a plain cookie', () => {
    expect(readChunkedCookie(new Map([[name, 'abc']]), name)).toEqual({ status: 'ok', value: 'abc', chunks: 0 });
  });

  it('reports absence, including an empty plain cookie', () => {
    expect(readChunkedCookie(new Map(), name)).toEqual({ status: 'absent' });
    expect(readChunkedCookie(new Map([[name, '']]), name)).toEqual({ status: 'absent' });
    expect(readChunkedCookie(new Map([['other', 'x']]), name)).toEqual({ status: 'absent' });
  });

  it('joins chunks in index order whatever the header order', () => {
    const jar = parseCookieHeader(`${name}.2=C; ${name}.0=A; ${name}.1=B`);
    expect(readChunkedCookie(jar, name)).toEqual({ status: 'ok', value: 'ABC', chunks: 3 });
  });

  it('prefers chunks over a leftover plain cookie', () => {
    const jar = new Map([
      [name, 'old'],
      [`${name}.0`, 'new'],
    ]);
    expect(readChunkedCookie(jar, name)).toEqual({ status: 'ok', value: 'new', chunks: 1 });
  });

  it('reports a gap as missing_chunk', () => {
    expect(readChunkedCookie(parseCookieHeader(`${name}.0=A; ${name}.2=C`), name)).toEqual({
      status: 'invalid',
      reason: 'missing_chunk',
      index: 1,
    });
    expect(readChunkedCookie(parseCookieHeader(`${name}.1=B`), name)).toMatchObject({ reason: 'missing_chunk', index: 0 });
  });

  it('reports absurd, non-canonical and empty chunks as bad_chunk', () => {
    expect(readChunkedCookie(parseCookieHeader(`${name}.0=A; ${name}.99=Z`), name)).toEqual({
      status: 'invalid',
      reason: 'bad_chunk',
      index: 99,
    });
    expect(readChunkedCookie(parseCookieHeader(`${name}.00=A`), name)).toMatchObject({ reason: 'bad_chunk' });
    expect(readChunkedCookie(parseCookieHeader(`${name}.0=; ${name}.1=B`), name)).toMatchObject({ reason: 'bad_chunk', index: 0 });
    expect(readChunkedCookie(parseCookieHeader(`${name}.0=A; ${name}.3=B`), name, { maxChunks: 3 })).toMatchObject({
      reason: 'bad_chunk',
      index: 3,
    });
  });

  it('ignores cookies that only look related', () => {
    const jar = parseCookieHeader(`${name}=P; ${name}.x=1; ${name}.123=1; ${name}x.0=1; other.0=1`);
    expect(readChunkedCookie(jar, name)).toEqual({ status: 'ok', value: 'P', chunks: 0 });
  });

  it('keeps the first of duplicate chunk cookies', () => {
    const jar = parseCookieHeader(`${name}.0=A; ${name}.0=stale; ${name}.1=B`);
    expect(readChunkedCookie(jar, name)).toMatchObject({ value: 'AB' });
  });

  it('accepts a plain record', () => {
    const record: Record<string, string | undefined> = { [`${name}.0`]: 'A', [`${name}.1`]: 'B', unrelated: undefined };
    expect(readChunkedCookie(record, name)).toEqual({ status: 'ok', value: 'AB', chunks: 2 });
    expect(readChunkedCookie({}, 'toString')).toEqual({ status: 'absent' });
  });
});

describe('deleteChunkedCookie', () => {
  it('deletes the plain cookie even when unseen, and every chunk seen', () => {
    const jar = parseCookieHeader(`${name}.0=A; ${name}.1=B; ${name}.7=Z; other=1`);
    const headers = deleteChunkedCookie(name, jar, options);
    expect(namesOf(headers)).toEqual([name, `${name}.0`, `${name}.1`, `${name}.7`]);
    for (const header of headers) {
      expect(header).toMatch(/=; Path=\/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/);
    }
    expect(deleteChunkedCookie(name, [], options)).toHaveLength(1);
  });

  it('applies the prefix rules', () => {
    expect(() => deleteChunkedCookie('__Host-x', [], { path: '/' })).toThrow(CookieOptionsError);
  });

  it('names chunks <name>.<index>', () => {
    expect(chunkCookieName('wos-session', 3)).toBe('wos-session.3');
  });
});
