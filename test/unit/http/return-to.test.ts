import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { safeReturnTo } from '../../../src/http/index.js';
import { HOSTILE_RETURN_TO, LOCAL_RETURN_TO } from '../../support/hostile-return-to.js';

const APP = 'https://app.example';

/** Where a browser on `page` goes when told `Location: target`. */
function landing(target: string, page = `${APP}/deep/page?x=1`): URL {
  return new URL(target, page);
}

function expectLocal(result: string): void {
  expect(result.startsWith('/')).toBe(true);
  expect(result.startsWith('//')).toBe(false);
  expect(result.startsWith('/\\')).toBe(false);
  expect(landing(result).origin).toBe(APP);
  expect(landing(result, `${APP}/`).origin).toBe(APP);
  // What the helper returns it accepts unchanged: a second pass cannot find anything to fix.
  expect(safeReturnTo(result, '/never')).toBe(result);
}

describe('safeReturnTo', () => {
  test(`${HOSTILE_RETURN_TO.length} hostile variants all stay on this origin`, () => {
    expect(HOSTILE_RETURN_TO.length).toBeGreaterThan(2_000);
    for (const input of HOSTILE_RETURN_TO) {
      const result = safeReturnTo(input, '/home');
      expectLocal(result);
      // Whatever the input, the browser never reaches the other host.
      expect(landing(result).hostname).toBe('app.example');
    }
  });

  test('the dot-segment forms that reduce to `//host` fall back', () => {
    for (const input of ['/.//evil.example/', '/..//evil.example/', '/%2e//evil.example/', '/%2E%2E//evil.example/', '/a/..//evil.example/', '/./\\evil.example', '/.%2e/\\evil.example']) {
      expect(safeReturnTo(input, '/home')).toBe('/home');
    }
  });

  test.each(LOCAL_RETURN_TO)('a local path is kept: %j → %j', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
    expectLocal(expected);
  });

  test('non-strings, empty and over-long values fall back', () => {
    for (const input of [undefined, null, 42, {}, ['/x'], '', 'dashboard', `/${'a'.repeat(2048)}`, `/${'\u00e9'.repeat(400)}`]) {
      expect(safeReturnTo(input, '/home')).toBe('/home');
    }
  });

  test('an unsafe fallback is replaced by `/`', () => {
    for (const fallback of ['//evil.example', '/.//evil.example', 'https://evil.example', '/\\evil.example', '', 'home']) {
      expect(safeReturnTo('//evil.example', fallback)).toBe('/');
    }
    expect(safeReturnTo(undefined, '/a/../b')).toBe('/b');
  });
});

describe('safeReturnTo, properties', () => {
  const pieces = fc.constantFrom(
    '/', '\\', '.', '..', '%2e', '%2E', '%2f', '%5c', '%09', '\t', '\n', '\r', ' ', '\u0000', '\u00a0', '\uff0f',
    'evil.example', '@', ':', '?', '#', 'https:', 'javascript:', 'a', '%', '%zz', '\u00e9', '[::1]',
  );
  const urlish = fc.array(pieces, { maxLength: 16 }).map((parts) => parts.join(''));
  const anything = fc.oneof(urlish, fc.string({ maxLength: 64 }), fc.string({ unit: 'binary', maxLength: 64 }), fc.string({ unit: 'grapheme', maxLength: 64 }));

  test('any input, with any fallback, gives a path on the same origin', () => {
    fc.assert(
      fc.property(anything, anything, (input, fallback) => {
        const result = safeReturnTo(input, fallback);
        expect(new URL(result, APP).origin).toBe(APP);
        expect(/^\/(?![/\\])/.test(result)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  test('the result needs no second pass', () => {
    fc.assert(
      fc.property(urlish, (input) => {
        const result = safeReturnTo(input);
        expect(safeReturnTo(result, '/never')).toBe(result);
      }),
      { numRuns: 5_000 },
    );
  });
});
