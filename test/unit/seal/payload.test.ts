/**
 * Format detection, JSON payload rules (prototype poisoning, non-JSON data, size limits) and
 * the `~2` marker handling.
 */
import { describe, expect, test } from 'vitest';
import { createKeyring, detectFormat, sealData, sealDefaults, unsealData } from '../../../src/seal/index.js';
import { parsePayload } from '../../../src/seal/json.js';
import { PASSWORDS, sealErrorOf } from './helpers.js';

const keyring = createKeyring([PASSWORDS.ironA, PASSWORDS.fernetA]);

describe('detectFormat', () => {
  test('by prefix only', async () => {
    expect(detectFormat(await sealData(1, { password: keyring }))).toBe('iron');
    expect(detectFormat(await sealData(1, { password: keyring, format: 'fernet' }))).toBe('fernet');
    expect(detectFormat('Fe26.2*')).toBe('iron');
    expect(detectFormat('gAAAAA')).toBe('fernet');
    for (const other of ['', 'Fe26.1*x', 'fe26.2*', 'Fe26.2', 'gAAAA', 'eyJhbGciOi', ' Fe26.2*']) {
      expect(detectFormat(other)).toBeUndefined();
    }
    expect(detectFormat(42 as never)).toBeUndefined();
  });

  test('an unknown prefix is malformed', async () => {
    expect((await sealErrorOf(unsealData('eyJhbGciOiJub25lIn0.e30.', { password: keyring }))).code).toBe('seal_malformed');
  });
});

describe('iron version marker', () => {
  test('~2 is written; ~2 or nothing is read; any other suffix is malformed', async () => {
    const sealed = await sealData({ a: 1 }, { password: keyring });
    expect(sealed.endsWith('~2')).toBe(true);
    expect(await unsealData(sealed.slice(0, -2), { password: keyring })).toEqual({ a: 1 });
    for (const bad of [`${sealed.slice(0, -2)}~1`, `${sealed.slice(0, -2)}~`, `${sealed}~2`, `${sealed} `]) {
      expect((await sealErrorOf(unsealData(bad, { password: keyring }))).code).toBe('seal_malformed');
    }
  });
});

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
