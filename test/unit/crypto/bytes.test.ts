import { expect, test } from 'vitest';
import { constantTimeEqual, utf8Encode } from '../../../src/crypto/bytes.js';

test('constantTimeEqual', () => {
  expect(constantTimeEqual(utf8Encode('abc'), utf8Encode('abc'))).toBe(true);
  expect(constantTimeEqual(utf8Encode('abc'), utf8Encode('abd'))).toBe(false);
  expect(constantTimeEqual(utf8Encode('abc'), utf8Encode('ab'))).toBe(false);
});
