import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COOKIE_SIZE_BUDGET,
  type CookieOptions,
  parseCookieHeader,
  readChunkedCookie,
  serializeCookie,
  setCookieByteLength,
  writeChunkedCookie,
} from '../../../src/cookies/index.js';

const TCHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const COOKIE_OCTETS = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i))
  .filter((c) => !'",;\\'.includes(c))
  .join('');

const from = (alphabet: string) => fc.constantFrom(...alphabet.split(''));
const cookieName = fc.string({ unit: from(TCHARS), minLength: 1, maxLength: 40 });
/** Cookie-safe values the parser gives back unchanged: no `%` (it would be decoded). */
const rawValue = fc.string({ unit: from(COOKIE_OCTETS.replace('%', '')), maxLength: 200 });

const soup = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: from(';= "%\t,a1~%E2%82'), maxLength: 500 }),
  fc.array(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }))).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(';')),
  fc.string({ unit: from('%0123456789ABCDEFGabcdefg=;'), maxLength: 2_000 }),
);

const options: fc.Arbitrary<CookieOptions> = fc.record(
  {
    path: fc.constantFrom('/', '/app', '/a/b'),
    domain: fc.constantFrom('example.com', '.sub.example.com'),
    maxAge: fc.integer({ min: 0, max: 34_560_000 }),
    httpOnly: fc.boolean(),
    secure: fc.boolean(),
    sameSite: fc.constantFrom('lax', 'strict', 'none'),
    priority: fc.constantFrom('low', 'medium', 'high'),
  },
  { requiredKeys: [] },
);

describe('properties', () => {
  it('parseCookieHeader never throws and returns only strings', () => {
    fc.assert(
      fc.property(soup, (header) => {
        const cookies = parseCookieHeader(header);
        for (const [key, value] of cookies) {
          expect(typeof key).toBe('string');
          expect(key.length).toBeGreaterThan(0);
          expect(typeof value).toBe('string');
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('parseCookieHeader never throws on long inputs', () => {
    fc.assert(
      fc.property(fc.string({ unit: from('a=;% "\t'), minLength: 10_000, maxLength: 70_000 }), (header) => {
        parseCookieHeader(header);
      }),
      { numRuns: 30 },
    );
  });

  it('serialize → parse round trips names and raw values', () => {
    fc.assert(
      fc.property(cookieName, rawValue, options, (name, value, opts) => {
        const header = serializeCookie(name, value, opts);
        // A browser sends back only the name=value pair.
        const pair = header.split('; ')[0]!;
        expect(parseCookieHeader(pair).get(name)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('serialize → parse round trips any string once percent-encoded', () => {
    fc.assert(
      fc.property(cookieName, fc.string({ unit: 'grapheme', maxLength: 100 }), (name, value) => {
        const pair = serializeCookie(name, encodeURIComponent(value));
        expect(parseCookieHeader(`other=1; ${pair}`).get(name)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('chunk → Cookie header → read round trips cookie-safe values up to 20 KB within the budget', () => {
    // Without `%`: the parser percent-decodes each cookie, and sealed values never contain one.
    const value = fc.string({ unit: from(COOKIE_OCTETS.replace('%', '')), maxLength: 20_000 });
    fc.assert(
      fc.property(value, options, (sealed, opts) => {
        const name = '__Host-wos-session';
        const hostOptions = { ...opts, secure: true, path: '/', domain: undefined };
        const headers = writeChunkedCookie({ name, value: sealed, options: hostOptions, maxChunks: 6 });
        for (const header of headers) expect(setCookieByteLength(header)).toBeLessThanOrEqual(COOKIE_SIZE_BUDGET);
        // What the browser sends back: every name=value pair, in any order, in one header.
        const cookieHeader = ['theme=dark', ...headers.map((header) => header.split('; ')[0]!)].reverse().join('; ');
        const read = readChunkedCookie(parseCookieHeader(cookieHeader), name);
        if (sealed === '') expect(read).toEqual({ status: 'absent' });
        else expect(read).toMatchObject({ status: 'ok', value: sealed });
      }),
      { numRuns: 200 },
    );
  });
});
