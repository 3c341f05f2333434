/**
 * Time rules: Iron expiry (+60 s skew, far-future refusal when a ttl is given) and Fernet age
 * (ttl) and clock skew (always), on an injected clock.
 */
import { describe, expect, test } from 'vitest';
import { createKeyring, sealData, unsealData } from '../../../src/seal/index.js';
import { PASSWORDS, sealErrorOf } from './helpers.js';

const keyring = createKeyring([PASSWORDS.ironA, PASSWORDS.fernetA]);
const T0 = 1_750_000_000_000;
const at = (ms: number) => () => ms;
const data = { ok: true };

describe('iron', () => {
  test('seal ttl writes now + ttl in ms into the expiry field', async () => {
    const sealed = await sealData(data, { password: keyring, ttl: 600, now: at(T0) });
    expect(sealed.split('*')[5]).toBe(String(T0 + 600_000));
    const never = await sealData(data, { password: keyring, now: at(T0) });
    expect(never.split('*')[5]).toBe('');
  });

  test('valid until expiry + 60 s of skew, expired after', async () => {
    const sealed = await sealData(data, { password: keyring, ttl: 600, now: at(T0) });
    expect(await unsealData(sealed, { password: keyring, now: at(T0 + 600_000 + 59_999) })).toEqual(data);
    const error = await sealErrorOf(unsealData(sealed, { password: keyring, now: at(T0 + 600_000 + 60_000) }));
    expect(error.code).toBe('seal_expired');
  });

  test('with a ttl at unseal, an expiry further ahead than ttl + skew is refused', async () => {
    const longLived = await sealData(data, { password: keyring, ttl: 86_400, now: at(T0) });
    expect(await unsealData(longLived, { password: keyring, now: at(T0) })).toEqual(data);
    expect(await unsealData(longLived, { password: keyring, ttl: 86_400, now: at(T0) })).toEqual(data);
    const error = await sealErrorOf(unsealData(longLived, { password: keyring, ttl: 3600, now: at(T0) }));
    expect(error.code).toBe('seal_bad_timestamp');
  });

  test('seals without expiry (what the WorkOS SDKs write) are accepted even with a ttl', async () => {
    const sealed = await sealData(data, { password: keyring, now: at(T0) });
    expect(await unsealData(sealed, { password: keyring, ttl: 60, now: at(T0 + 10 ** 11) })).toEqual(data);
  });

  test('a tampered expiry is a bad MAC, not an expiry', async () => {
    const sealed = await sealData(data, { password: keyring, ttl: 600, now: at(T0) });
    const parts = sealed.split('*');
    parts[5] = String(T0 + 10 ** 9);
    const error = await sealErrorOf(unsealData(parts.join('*'), { password: keyring, now: at(T0) }));
    expect(error.code).toBe('seal_bad_mac');
  });
});

describe('fernet', () => {
  const seal = (now: number) => sealData(data, { password: keyring, format: 'fernet', now: at(now) });

  test('no ttl: any age is accepted', async () => {
    const token = await seal(T0);
    expect(await unsealData(token, { password: keyring, now: at(T0 + 10 ** 10) })).toEqual(data);
  });

  test('ttl: accepted up to ttl seconds old, expired after', async () => {
    const token = await seal(T0);
    expect(await unsealData(token, { password: keyring, ttl: 60, now: at(T0 + 60_999) })).toEqual(data);
    const error = await sealErrorOf(unsealData(token, { password: keyring, ttl: 60, now: at(T0 + 61_000) }));
    expect(error.code).toBe('seal_expired');
  });

  test('a token more than 60 s in the future is refused, with or without ttl', async () => {
    const token = await seal(T0 + 61_000);
    expect((await sealErrorOf(unsealData(token, { password: keyring, now: at(T0) }))).code).toBe('seal_bad_timestamp');
    expect((await sealErrorOf(unsealData(token, { password: keyring, ttl: 3600, now: at(T0) }))).code).toBe(
      'seal_bad_timestamp',
    );
    expect(await unsealData(await seal(T0 + 60_000), { password: keyring, now: at(T0) })).toEqual(data);
  });
});

describe('options', () => {
  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '60'])('ttl %s is refused as a bad option', async (ttl) => {
    const sealed = await sealData(data, { password: keyring });
    const error = await sealErrorOf(unsealData(sealed, { password: keyring, ttl: ttl as number }));
    expect(error.code).toBe('seal_bad_options');
    expect((await sealErrorOf(sealData(data, { password: keyring, ttl: ttl as number }))).code).toBe('seal_bad_options');
  });

  test('a clock returning garbage, or throwing, still yields a SealError', async () => {
    const sealed = await sealData(data, { password: keyring });
    expect((await sealErrorOf(unsealData(sealed, { password: keyring, now: () => Number.NaN }))).code).toBe(
      'seal_bad_options',
    );
    const thrown = await sealErrorOf(
      unsealData(sealed, {
        password: keyring,
        now: () => {
          throw new Error('clock broke');
        },
      }),
    );
    expect(thrown.code).toBe('seal_bad_options');
  });

  test('missing options or format are refused with typed errors', async () => {
    const sealed = await sealData(data, { password: keyring });
    expect((await sealErrorOf(unsealData(sealed, undefined as never))).code).toBe('seal_bad_options');
    expect((await sealErrorOf(sealData(data, { password: keyring, format: 'jwe' as never }))).code).toBe(
      'seal_bad_options',
    );
  });
});
