/**
 * The derived-key cache behind Iron unsealing: results never depend on it, whether keys are
 * remembered, evicted across generations or looked up for a forged seal reusing real salts.
 */
import { expect, test } from 'vitest';
import { createKeyring, sealData, unsealData } from '../../../src/seal/index.js';
import { ironDefaults } from '../../../src/seal/iron.js';
import { PASSWORDS, sealErrorOf } from './helpers.js';

test('more seals than the cache holds all open, twice, in any order', async () => {
  const keyring = createKeyring(PASSWORDS.ironA);
  const count = ironDefaults.derivedKeyCacheSize + 100;
  const seals = await Promise.all(Array.from({ length: count }, (_, n) => sealData({ n }, { password: keyring })));
  for (const order of [seals, [...seals].reverse()]) {
    for (const sealed of order) {
      const { n } = await unsealData<{ n: number }>(sealed, { password: keyring });
      expect(sealed).toBe(seals[n]);
    }
  }
});

test('a forged seal reusing the salts of a cached one is still refused', async () => {
  const keyring = createKeyring(PASSWORDS.ironA);
  const real = await sealData({ role: 'user' }, { password: keyring });
  await unsealData(real, { password: keyring });
  const other = await sealData({ role: 'admin' }, { password: keyring });
  const [prefix, id, encSalt, , , expiry, hmacSalt, mac] = real.split('*');
  const [, , , iv, ciphertext] = other.split('*');
  const forged = [prefix, id, encSalt, iv, ciphertext, expiry, hmacSalt, mac].join('*');
  expect((await sealErrorOf(unsealData(forged, { password: keyring }))).code).toBe('seal_bad_mac');
});

test('a different password with the same salts gets its own keys', async () => {
  const sealed = await sealData({ ok: 1 }, { password: PASSWORDS.ironA });
  await unsealData(sealed, { password: PASSWORDS.ironA });
  expect((await sealErrorOf(unsealData(sealed, { password: PASSWORDS.ironB }))).code).toBe('seal_bad_mac');
});
