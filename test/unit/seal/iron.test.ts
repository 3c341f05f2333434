/**
 * The Iron codec: the `~2` version marker, and seals spliced from genuine parts (real salts and
 * a real MAC around another seal's ciphertext, or a genuine seal under another password) never
 * open.
 */
import { describe, expect, test } from 'vitest';
import { createKeyring, sealData, unsealData } from '../../../src/seal/index.js';
import { PASSWORDS, sealErrorOf } from './helpers.js';

test('a seal with the salts and MAC of one seal and the IV and ciphertext of another is refused', async () => {
  const keyring = createKeyring(PASSWORDS.ironA);
  const real = await sealData({ role: 'user' }, { password: keyring });
  await unsealData(real, { password: keyring });
  const other = await sealData({ role: 'admin' }, { password: keyring });
  const [prefix, id, encSalt, , , expiry, hmacSalt, mac] = real.split('*');
  const [, , , iv, ciphertext] = other.split('*');
  const forged = [prefix, id, encSalt, iv, ciphertext, expiry, hmacSalt, mac].join('*');
  expect((await sealErrorOf(unsealData(forged, { password: keyring }))).code).toBe('seal_bad_mac');
});

test('a seal opened under one password does not open under another', async () => {
  const sealed = await sealData({ ok: 1 }, { password: PASSWORDS.ironA });
  await unsealData(sealed, { password: PASSWORDS.ironA });
  expect((await sealErrorOf(unsealData(sealed, { password: PASSWORDS.ironB }))).code).toBe('seal_bad_mac');
});

describe('iron version marker', () => {
  test('~2 is written; ~2 or nothing is read; any other suffix is malformed', async () => {
    const sealed = await sealData({ a: 1 }, { password: PASSWORDS.ironA });
    expect(sealed.endsWith('~2')).toBe(true);
    expect(await unsealData(sealed.slice(0, -2), { password: PASSWORDS.ironA })).toEqual({ a: 1 });
    for (const bad of [`${sealed.slice(0, -2)}~1`, `${sealed.slice(0, -2)}~`, `${sealed}~2`, `${sealed} `]) {
      expect((await sealErrorOf(unsealData(bad, { password: PASSWORDS.ironA }))).code).toBe('seal_malformed');
    }
  });
});
