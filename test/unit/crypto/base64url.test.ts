/**
 * The base64url codec, native (`Buffer`, with the node backend) and portable (with the
 * WebCrypto backend), against each other and against every non-canonical spelling.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  decodeBase64Lenient,
  decodeBase64url,
  decodeBase64urlPadded,
  encodeBase64url,
  encodeBase64urlPadded,
} from '../../../src/crypto/base64url.js';
import { utf8Encode } from '../../../src/crypto/bytes.js';
import { backends, useBackend } from '../../support/crypto-backends.js';

describe('base64url', () => {
  test('native and portable codecs agree on every byte string', async () => {
    const samples = fc.sample(fc.uint8Array({ maxLength: 70 }), 400);
    const results: Record<string, string[]> = {};
    for (const backend of backends) {
      await useBackend(backend);
      results[backend] = samples.map((bytes) => {
        const text = encodeBase64url(bytes);
        expect(decodeBase64url(text)).toEqual(bytes);
        expect(decodeBase64urlPadded(encodeBase64urlPadded(bytes))).toEqual(bytes);
        return text;
      });
    }
    expect(results.webcrypto).toEqual(results.node);
    expect(results.node![0]).toBe(Buffer.from(samples[0]!).toString('base64url'));
  });

  test.each(backends)('strict decoding refuses every non-canonical spelling (%s)', async (backend) => {
    await useBackend(backend);
    for (const bad of ['QQ=', 'QQ==', 'QR', 'QUJ', 'Q', 'QU JD', 'QU+D', 'QU/D', 'QUJD\n', 'QUé', '=']) {
      expect(decodeBase64url(bad), bad).toBeUndefined();
    }
    expect(decodeBase64url('QUI')).toEqual(utf8Encode('AB'));
    for (const bad of ['QQ', 'QR==', 'QUJD====', 'QUJ=D', 'QUI']) expect(decodeBase64urlPadded(bad), bad).toBeUndefined();
    expect(decodeBase64urlPadded('QQ==')).toEqual(utf8Encode('A'));
  });

  test.each(backends)('a non-canonical reading ignores only the unused bits of the last character (%s)', async (backend) => {
    await useBackend(backend);
    const loose = { canonical: false };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), fc.nat(15), (bytes, stray) => {
        const text = encodeBase64url(bytes);
        const rest = text.length % 4;
        if (rest === 0) {
          expect(decodeBase64url(text, loose)).toEqual(bytes);
          return;
        }
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const last = alphabet.indexOf(text.at(-1)!) | (stray & (rest === 2 ? 0x0f : 0x03));
        const spelled = text.slice(0, -1) + alphabet[last]!;
        expect(decodeBase64url(spelled, loose)).toEqual(bytes);
        if (spelled !== text) expect(decodeBase64url(spelled)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    for (const bad of ['QQ=', 'QQ==', 'Q', 'QUJDR', 'QU JD', 'QU+D', 'QU/D', 'QU/', 'QQ+', 'QUJD\n', 'QUé', 'QUJ=', '=', ' QQ']) {
      expect(decodeBase64url(bad, loose), bad).toBeUndefined();
    }
    expect(decodeBase64url('QR', loose)).toEqual(utf8Encode('A'));
    expect(decodeBase64url('QUL', loose)).toEqual(utf8Encode('AB'));
  });

  test('lenient key decoding accepts both alphabets', () => {
    expect(decodeBase64Lenient('-_-_')).toEqual(decodeBase64Lenient('+/+/'));
    expect(decodeBase64Lenient('QQ')).toEqual(utf8Encode('A'));
    expect(decodeBase64Lenient('QQ==')).toEqual(utf8Encode('A'));
    expect(decodeBase64Lenient('Q!Q=')).toBeUndefined();
  });
});
