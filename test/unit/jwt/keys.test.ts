/**
 * Which JWKS keys the verifier will use, on both crypto backends: RSA of 2048 bits or more with
 * exponent 65537, for signatures; anything weaker or malformed is refused.
 */
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { importRsaKey, isUsableRsaSigningKey } from '../../../src/jwt/keys.js';
import { backends, useBackend } from '../../support/crypto-backends.js';

const jwkOf = (modulusLength: number, publicExponent = 65537): Record<string, unknown> => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength, publicExponent });
  return { ...(publicKey.export({ format: 'jwk' }) as JsonWebKey), use: 'sig', alg: 'RS256' };
};

const strong = jwkOf(2048);
const large = jwkOf(3072);
const weak = [jwkOf(1024), jwkOf(2040), jwkOf(2048, 3)];

describe.each(backends)('RSA signing keys on the %s backend', (backend) => {
  test('2048 bits and more with exponent 65537 are imported', async () => {
    await useBackend(backend);
    for (const jwk of [strong, large]) {
      expect(isUsableRsaSigningKey(jwk)).toBe(true);
      expect((await importRsaKey(jwk))?.backend).toBe(backend);
    }
  });

  test('a short modulus, another exponent or a malformed modulus is never a key', async () => {
    await useBackend(backend);
    const refused = [
      ...weak,
      { ...strong, e: '' },
      { ...strong, e: 'AQABAA' },
      { ...strong, n: '' },
      { ...strong, n: '!!!' },
      { ...strong, n: (strong.n as string).slice(0, 200) },
    ];
    for (const jwk of refused) {
      expect(await importRsaKey(jwk).catch(() => undefined), JSON.stringify(jwk).slice(0, 80)).toBeUndefined();
    }
  });
});
