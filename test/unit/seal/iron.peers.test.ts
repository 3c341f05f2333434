/**
 * Iron interoperability with the libraries the WorkOS SDKs use: iron-session 8 (authkit-nextjs)
 * and iron-webcrypto 2 (@workos-inc/node, authkit-session), both directions, both backends.
 * Fernet against Python's `cryptography` lives in test/integration/seal (it spawns python3).
 */
import * as ironWebcrypto from 'iron-webcrypto';
import { sealData as ironSessionSeal, unsealData as ironSessionUnseal } from 'iron-session';
import { beforeAll, describe, expect, test } from 'vitest';
import { createKeyring, sealData, unsealData, unsealWithDetails } from '../../../src/seal/index.js';
import { backends, PASSWORDS, sealErrorOf, useBackend } from './helpers.js';

const session = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzAxIn0.c2lnbmF0dXJl',
  refreshToken: 'rt_01HXYZ',
  user: { id: 'user_01', email: 'ada@example.com', firstName: 'Ada', metadata: { team: 'ünïcødé ✓' } },
  impersonator: null,
};

describe.each(backends)('iron peers on the %s backend', (backend) => {
  beforeAll(() => useBackend(backend));
  const password = PASSWORDS.ironA;

  test('iron-session seal -> ours', async () => {
    const sealed = await ironSessionSeal(session, { password });
    expect(sealed.endsWith('~2')).toBe(true);
    const details = await unsealWithDetails(sealed, { password });
    // iron-session writes an expiry by default; details report the one in the seal.
    const expiresAtMs = Number(sealed.split('*')[5]);
    expect(expiresAtMs).toBeGreaterThan(Date.now());
    expect(details).toEqual({ data: session, format: 'iron', passwordId: '1', isNewest: true, sealedAtMs: undefined, expiresAtMs });
  });

  test('ours -> iron-session unseal', async () => {
    const sealed = await sealData(session, { password });
    expect(await ironSessionUnseal(sealed, { password })).toEqual(session);
  });

  test('iron-session with a ttl -> ours, and ours with a ttl -> iron-session', async () => {
    const theirs = await ironSessionSeal(session, { password, ttl: 3600 });
    expect(theirs.split('*')[5]).toMatch(/^\d{13}$/);
    expect(await unsealData(theirs, { password, ttl: 3600 })).toEqual(session);
    const ours = await sealData(session, { password, ttl: 3600 });
    expect(await ironSessionUnseal(ours, { password, ttl: 3600 })).toEqual(session);
  });

  test('iron-session password map (highest numeric id seals) -> our keyring with the same ids', async () => {
    const sealed = await ironSessionSeal(session, { password: { 1: PASSWORDS.ironB, 2: password } });
    const keyring = createKeyring([
      { id: '2', secret: password },
      { id: '1', secret: PASSWORDS.ironB },
    ]);
    expect(await unsealWithDetails(sealed, { password: keyring })).toMatchObject({ passwordId: '2', isNewest: true });
    // Our positional ids match iron-session's numbering: newest string gets the highest id.
    const ours = await sealData(session, { password: [password, PASSWORDS.ironB] });
    expect(ours.split('*')[1]).toBe('2');
    expect(await ironSessionUnseal(ours, { password: { 1: PASSWORDS.ironB, 2: password } })).toEqual(session);
  });

  test('iron-webcrypto seal -> ours (WorkOS node SDK shape: id 1, no expiry, ~2 added by caller)', async () => {
    const raw = await ironWebcrypto.seal(session, { id: '1', secret: password }, ironWebcrypto.defaults);
    expect(await unsealData(raw, { password })).toEqual(session);
    expect(await unsealData(`${raw}~2`, { password })).toEqual(session);
  });

  test('iron-webcrypto plain seal without id -> ours', async () => {
    const raw = await ironWebcrypto.seal(session, password, ironWebcrypto.defaults);
    expect(raw.split('*')[1]).toBe('');
    expect(await unsealWithDetails(raw, { password })).toMatchObject({ data: session, passwordId: '1' });
  });

  test('ours -> iron-webcrypto unseal (after removing the ~2 marker, as the WorkOS SDK does)', async () => {
    const sealed = await sealData(session, { password });
    const opened = await ironWebcrypto.unseal(sealed.slice(0, -2), { 1: password }, ironWebcrypto.defaults);
    expect(opened).toEqual(session);
  });

  test('iron-webcrypto seal under another password is refused with a typed error', async () => {
    const raw = await ironWebcrypto.seal(session, { id: '1', secret: PASSWORDS.ironB }, ironWebcrypto.defaults);
    expect((await sealErrorOf(unsealData(raw, { password }))).code).toBe('seal_bad_mac');
  });
});
