/**
 * Password rotation and mixed keyrings: ids, which password seals, which ones open, isNewest.
 */
import { describe, expect, test } from 'vitest';
import { sealData as ironSessionSeal } from 'iron-session';
import { createKeyring, sealData, unsealData, unsealWithDetails } from '../../../src/seal/index.js';
import { PASSWORDS, sealErrorOf } from './helpers.js';

const { ironA, ironB, ironC, fernetA, fernetB } = PASSWORDS;
const data = { user: 'user_01' };
const idOf = (sealed: string) => sealed.split('*')[1];

describe('ids', () => {
  test('a single string seals with id 1, as @workos-inc/node does', async () => {
    expect(idOf(await sealData(data, { password: ironA }))).toBe('1');
    expect(createKeyring(ironA).ids).toEqual(['1']);
  });

  test('plain strings are numbered from the oldest, so adding a new password keeps old ids', () => {
    expect(createKeyring([ironB, ironA]).ids).toEqual(['2', '1']);
    expect(createKeyring([ironC, ironB, ironA]).ids).toEqual(['3', '2', '1']);
  });

  test('explicit ids are kept and may be mixed with plain strings', () => {
    const keyring = createKeyring([{ id: 'v3', secret: ironC }, ironB, ironA]);
    expect(keyring.ids).toEqual(['v3', '2', '1']);
    expect(keyring.newestId('iron')).toBe('v3');
  });
});

describe('rotation', () => {
  test('an old password still opens, isNewest says to re-seal, re-sealing uses the newest', async () => {
    const old = await sealData(data, { password: ironA });
    const rotated = createKeyring([ironB, ironA]);
    const opened = await unsealWithDetails(old, { password: rotated });
    expect(opened).toEqual({ data, format: 'iron', passwordId: '1', isNewest: false });

    const resealed = await sealData(opened.data, { password: rotated });
    expect(idOf(resealed)).toBe('2');
    expect(await unsealWithDetails(resealed, { password: rotated })).toMatchObject({ passwordId: '2', isNewest: true });
  });

  test('once the old password is dropped its seals are refused', async () => {
    const old = await sealData(data, { password: [{ id: 'old', secret: ironA }] });
    const error = await sealErrorOf(unsealData(old, { password: [{ id: 'new', secret: ironB }] }));
    expect(error.code).toBe('seal_unknown_password');
  });

  test('a seal whose id names a different password is still opened by the right one', async () => {
    // The WorkOS SDKs write id '1' whatever password they hold: after a rotation, another app
    // sealing with the new password under id '1' must still be readable.
    const theirs = await ironSessionSeal(data, { password: ironB });
    expect(idOf(theirs)).toBe('1');
    expect(await unsealWithDetails(theirs, { password: [ironB, ironA] })).toMatchObject({ data, passwordId: '2', isNewest: true });
  });

  test('a known id with a wrong MAC under every password is a bad MAC', async () => {
    const sealed = await sealData(data, { password: ironC });
    const error = await sealErrorOf(unsealData(sealed, { password: [ironB, ironA] }));
    expect(error.code).toBe('seal_bad_mac');
  });

  test('Fernet rotation: each Fernet key is tried, newest first', async () => {
    const old = await sealData(data, { password: fernetA, format: 'fernet' });
    const opened = await unsealWithDetails(old, { password: [fernetB, fernetA] });
    expect(opened).toMatchObject({ data, format: 'fernet', passwordId: '1', isNewest: false });
    const resealed = await sealData(data, { password: [fernetB, fernetA], format: 'fernet' });
    expect(await unsealWithDetails(resealed, { password: [fernetB, fernetA] })).toMatchObject({ passwordId: '2', isNewest: true });
    expect((await sealErrorOf(unsealData(resealed, { password: fernetA }))).code).toBe('seal_bad_mac');
  });
});

describe('mixed Iron passwords and Fernet keys', () => {
  const mixed = createKeyring([ironA, fernetA]);

  test('one keyring reads both SDKs and seals either format', async () => {
    const iron = await sealData(data, { password: mixed });
    const fernet = await sealData(data, { password: mixed, format: 'fernet' });
    expect(await unsealWithDetails(iron, { password: mixed })).toMatchObject({ format: 'iron', passwordId: '2', isNewest: true });
    expect(await unsealWithDetails(fernet, { password: mixed })).toMatchObject({ format: 'fernet', passwordId: '1', isNewest: true });
  });

  test('Fernet seals use the newest entry that is a Fernet key; Iron the newest entry', () => {
    expect(mixed.newestId('iron')).toBe('2');
    expect(mixed.newestId('fernet')).toBe('1');
    expect(createKeyring(ironA).newestId('fernet')).toBeUndefined();
  });

  test('a Fernet key is also a valid Iron password', async () => {
    const sealed = await sealData(data, { password: fernetA });
    expect(await unsealData(sealed, { password: fernetA })).toEqual(data);
  });

  test('a Fernet token with no Fernet key in the keyring is an unknown password', async () => {
    const token = await sealData(data, { password: fernetA, format: 'fernet' });
    expect((await sealErrorOf(unsealData(token, { password: ironA }))).code).toBe('seal_unknown_password');
  });

  test('sealing Fernet without a Fernet key is a configuration error', async () => {
    const error = await sealErrorOf(sealData(data, { password: ironA, format: 'fernet' }));
    expect(error.code).toBe('seal_weak_password');
    expect(error.message).toMatch(/32-byte key/);
  });
});
