/**
 * Password rotation and mixed keyrings: ids, which password seals, which ones open, isNewest.
 */
import { describe, expect, test } from 'vitest';
import { sealData as ironSessionSeal } from 'iron-session';
import { createKeyring, sealData, unsealData, unsealWithDetails } from '../../../src/seal/index.js';
import { PASSWORDS, sealErrorOf, syncSealErrorOf } from './helpers.js';

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

describe('declared formats', () => {
  // What `sealed-session keygen` prints: an Iron password that is also 32 bytes of base64url,
  // so without a declaration it would pass for a Fernet key as well.
  const keygenIron = 'uiSEf83cE6weUOkjcsaPt6VmmwQSla3XiL-9G9UDWVI';
  const fernetKey = { format: 'fernet', secret: fernetA } as const;
  const ironOnly = { format: 'iron', secret: keygenIron } as const;

  test.each([
    ['Iron first, Fernet declared', [keygenIron, fernetKey], ['1', 'fernet_1']],
    ['Fernet declared first', [fernetKey, keygenIron], ['fernet_1', '1']],
    ['Iron declared first', [ironOnly, fernetA], ['1', 'fernet_1']],
    ['Iron declared last', [fernetA, ironOnly], ['fernet_1', '1']],
    ['both declared', [ironOnly, fernetKey], ['1', 'fernet_1']],
    ['both declared, Fernet first', [fernetKey, ironOnly], ['fernet_1', '1']],
  ] as const)('%s: Iron seals with the Iron password (id 1), Fernet with the Fernet key', async (_name, list, ids) => {
    const keyring = createKeyring(list);
    expect(keyring.ids).toEqual(ids);
    expect(keyring.sealingIds('iron')).toEqual(['1']);
    expect(keyring.sealingIds('fernet')).toEqual(['fernet_1']);
    const iron = await sealData(data, { password: keyring });
    expect(idOf(iron)).toBe('1');
    expect(await unsealData(iron, { password: keygenIron })).toEqual(data);
    const fernet = await sealData(data, { password: keyring, format: 'fernet' });
    expect(await unsealData(fernet, { password: fernetA })).toEqual(data);
    expect((await sealErrorOf(unsealData(fernet, { password: keygenIron }))).code).toBe('seal_bad_mac');
  });

  test('without declarations a 32-byte Iron password is a Fernet key too, and the newest seals both', () => {
    const keyring = createKeyring([keygenIron, fernetA]);
    expect(keyring.ids).toEqual(['2', '1']);
    expect(keyring.sealingIds('iron')).toEqual(['2', '1']);
    expect(keyring.sealingIds('fernet')).toEqual(['2', '1']);
  });

  test('a declared entry opens its own format only', async () => {
    const fernetUnderIron = await sealData(data, { password: keygenIron, format: 'fernet' });
    const ironUnderFernet = await sealData(data, { password: fernetA });
    expect((await sealErrorOf(unsealData(fernetUnderIron, { password: [ironOnly, fernetKey] }))).code).toBe('seal_bad_mac');
    expect((await sealErrorOf(unsealData(ironUnderFernet, { password: [ironOnly, fernetKey] }))).code).toBe('seal_bad_mac');
    // An undeclared entry still opens what it sealed before the list declared formats.
    expect(await unsealWithDetails(fernetUnderIron, { password: [keygenIron, fernetKey] })).toMatchObject({ data, passwordId: '1', isNewest: false });
  });

  test('passwordId picks one of the entries that seal the format, and only those', async () => {
    const keyring = createKeyring([fernetB, fernetA]);
    const older = await sealData(data, { password: keyring, format: 'fernet', passwordId: '1' });
    expect(await unsealData(older, { password: fernetA })).toEqual(data);
    expect(await unsealWithDetails(older, { password: keyring })).toMatchObject({ passwordId: '1', isNewest: false });
    const declared = createKeyring([{ format: 'fernet', secret: fernetB }, fernetA]);
    for (const [password, format, passwordId] of [
      [keyring, 'fernet', '3'],
      [declared, 'fernet', '1'],
      [declared, 'iron', 'fernet_1'],
    ] as const) {
      const error = await sealErrorOf(sealData(data, { password, format, passwordId }));
      expect(error).toMatchObject({ code: 'seal_weak_password', problem: 'no_key_for_format' });
    }
    const notString = await sealErrorOf(sealData(data, { password: keyring, passwordId: 2 as unknown as string }));
    expect(notString.code).toBe('seal_bad_options');
  });

  test('unusable declarations are refused when the keyring is built', async () => {
    for (const [list, problem] of [
      [[{ format: 'rot13', secret: keygenIron }], 'bad_format'],
      [[{ format: 'fernet', secret: ironA }], 'bad_format'],
      [[fernetKey, { id: 'fernet_1', secret: keygenIron }], 'duplicate_id'],
      [[{ format: 'iron', secret: 'short' }], 'too_short'],
    ] as const) {
      expect(syncSealErrorOf(() => createKeyring(list as never))).toMatchObject({ code: 'seal_weak_password', problem });
    }
    const onlyFernet = createKeyring([fernetKey]);
    expect(onlyFernet.newestId('iron')).toBeUndefined();
    expect(await sealErrorOf(sealData(data, { password: onlyFernet }))).toMatchObject({ problem: 'no_key_for_format' });
  });
});
