/**
 * Format detection: by prefix only, and an unknown prefix is malformed.
 */
import { describe, expect, test } from 'vitest';
import { createKeyring, detectFormat, sealData, unsealData } from '../../../src/seal/index.js';
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
