/**
 * Iron's key derivation (PBKDF2-HMAC-SHA1, one iteration, written in JavaScript) against RFC
 * 6070 and against `node:crypto` on arbitrary passwords, salts and lengths.
 */
import { pbkdf2Sync } from 'node:crypto';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { hexEncode, utf8Encode } from '../../../src/crypto/bytes.js';
import { pbkdf2Sha1OneIteration } from '../../../src/crypto/pbkdf2-sha1.js';

test('RFC 6070 case 1, and Iron-sized output (two blocks, truncated)', () => {
  const derive = pbkdf2Sha1OneIteration(utf8Encode('password'));
  expect(hexEncode(derive('salt', 20))).toBe('0c60c80f961f0e71f3a9b524af6012062fe037a6');
  expect(hexEncode(derive('salt', 32))).toBe(pbkdf2Sync('password', 'salt', 1, 32, 'sha1').toString('hex'));
});

test('matches node:crypto for any password, salt and length, calls interleaved', () => {
  fc.assert(
    fc.property(
      // Passwords around the 64-byte block size (longer ones are hashed first), salts around
      // the block boundaries of the inner message, non-ASCII included.
      fc.uint8Array({ maxLength: 200 }),
      fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 150 }), fc.integer({ min: 1, max: 100 })), { minLength: 1, maxLength: 4 }),
      (password, calls) => {
        const derive = pbkdf2Sha1OneIteration(password);
        for (const [salt, length] of calls) {
          const expected = pbkdf2Sync(password, Buffer.from(salt, 'utf8'), 1, length, 'sha1');
          expect(hexEncode(derive(salt, length))).toBe(expected.toString('hex'));
        }
      },
    ),
    { numRuns: 500 },
  );
});

test('every salt length from 0 to 200 characters', () => {
  const password = utf8Encode('k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA');
  const derive = pbkdf2Sha1OneIteration(password);
  for (let length = 0; length <= 200; length++) {
    const salt = 'a'.repeat(length);
    expect(hexEncode(derive(salt, 32))).toBe(pbkdf2Sync(password, salt, 1, 32, 'sha1').toString('hex'));
  }
});
