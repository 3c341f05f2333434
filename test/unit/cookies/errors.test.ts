import { describe, expect, it } from 'vitest';
import { CookieError, CookieNameError, CookieOptionsError, CookieTooLargeError, CookieValueError } from '../../../src/cookies/index.js';

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
