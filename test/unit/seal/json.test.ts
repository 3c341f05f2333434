/**
 * JSON payload rules (prototype poisoning, non-JSON data, size limits), through `parsePayload`
 * and through sealing and unsealing.
 */
import { describe, expect, test } from 'vitest';
import { createKeyring, sealData, sealDefaults, unsealData } from '../../../src/seal/index.js';
import { parsePayload } from '../../../src/seal/json.js';
import { PASSWORDS, sealErrorOf } from './helpers.js';

const keyring = createKeyring([PASSWORDS.ironA, PASSWORDS.fernetA]);

describe('payload', () => {
  test.each([
    ['a __proto__ key', '{"a":1,"__proto__":{"admin":true}}'],
    ['a nested __proto__ key', '{"a":[{"b":{"__proto__":{"x":1}}}]}'],
    ['an escaped __proto__ key', '{"\\u005f_proto__":{"admin":true}}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"admin":true}}}'],
  ])('refuses %s', async (_name, json) => {
    expect(() => parsePayload(json)).toThrow(/prototype/);
    for (const format of ['iron', 'fernet'] as const) {
      const sealed = await sealData(JSON.parse(json), { password: keyring, format });
      const error = await sealErrorOf(unsealData(sealed, { password: keyring }));
      expect(error.code).toBe('seal_bad_payload');
    }
  });

  test('keeps harmless look-alikes', () => {
    expect(parsePayload('{"constructor":"Object","proto":1,"name":"\\u00e9"}')).toEqual({
      constructor: 'Object',
      proto: 1,
      name: 'é',
    });
  });

  test('does not overflow on deep nesting', () => {
    const deep = `${'['.repeat(5000)}"\\u0041"${']'.repeat(5000)}`;
    expect(() => parsePayload(deep)).not.toThrow();
  });

  test.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a BigInt', { n: 1n }],
  ])('sealing %s is a payload error', async (_name, value) => {
    expect((await sealErrorOf(sealData(value, { password: keyring }))).code).toBe('seal_bad_payload');
  });

  test('sealing a cycle is a payload error', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect((await sealErrorOf(sealData(cyclic, { password: keyring }))).code).toBe('seal_bad_payload');
  });

  test('data that would seal above the size limit is refused, not written unreadable', async () => {
    const big = 'x'.repeat(sealDefaults.maxSealedLength);
    expect((await sealErrorOf(sealData(big, { password: keyring }))).code).toBe('seal_bad_payload');
  });

  test('unicode survives both formats', async () => {
    const value = { name: 'Zoë 🦄 日本語', rtl: 'שלום', nul: '\u0000' };
    for (const format of ['iron', 'fernet'] as const) {
      expect(await unsealData(await sealData(value, { password: keyring, format }), { password: keyring })).toEqual(value);
    }
  });
});
