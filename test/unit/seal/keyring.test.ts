/**
 * Keyring construction: password strength, ids, Fernet key recognition, log safety.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { SealPasswordError } from '../../../src/errors/index.js';
import { createKeyring, type PasswordInput } from '../../../src/seal/index.js';
import { estimateEntropyBits, passwordWeakness, repetitionPeriod } from '../../../src/seal/password-strength.js';
import type { CodecKey } from '../../../src/seal/codec.js';
import type { FernetKey } from '../../../src/seal/fernet.js';
import { stateOf } from '../../../src/seal/keyring.js';
import { PASSWORDS, syncSealErrorOf } from './helpers.js';

function refusal(password: PasswordInput): SealPasswordError {
  const error = syncSealErrorOf(() => createKeyring(password));
  expect(error).toBeInstanceOf(SealPasswordError);
  expect(error.code).toBe('seal_weak_password');
  const problem = (error as SealPasswordError).problem;
  // Secret problems point at the generator; id problems are about naming, not randomness.
  if (problem !== 'bad_id' && problem !== 'duplicate_id') expect(error.message).toContain('npx sealed-session keygen');
  return error as SealPasswordError;
}

describe('password strength', () => {
  test.each([
    ['empty', '', 'missing'],
    ['31 characters', 'k3P9vQx7LmZ2rT8wYb4NcF6hJd1SgA5', 'too_short'],
    ["'a' x 40", 'a'.repeat(40), 'weak'],
    ["'ab' x 20", 'ab'.repeat(20), 'weak'],
    ['a repeated word', 'password'.repeat(5), 'weak'],
    ['a repeated block that does not divide the length', 'Tr0ub4dor&3!'.repeat(3) + 'Tr0', 'weak'],
    ['four distinct characters', 'aaaaaaaabbbbbbbbccccccccdddddddd', 'weak'],
    ['almost all zeros', `${'0'.repeat(39)}1`, 'weak'],
  ])('refuses %s', (_name, secret, problem) => {
    expect(refusal(secret).problem).toBe(problem);
  });

  test('messages say what is wrong without echoing the secret', () => {
    const secret = 'ab'.repeat(20);
    const error = refusal(secret);
    expect(error.message).toMatch(/repeats a block of 2/);
    expect(error.message).not.toContain(secret);
    expect(refusal('short-secret').message).toMatch(/12 characters, at least 32/);
  });

  test('every entry of a list is checked, and the bad one is named', () => {
    expect(refusal([PASSWORDS.ironA, 'x'.repeat(40)]).message).toContain("Password '1'");
  });

  test('random secrets from the usual generators always pass', () => {
    for (let i = 0; i < 2000; i++) {
      expect(passwordWeakness(randomBytes(24).toString('base64'))).toBeUndefined(); // openssl rand -base64 24
      expect(passwordWeakness(randomBytes(16).toString('hex'))).toBeUndefined(); // openssl rand -hex 16
      expect(passwordWeakness(randomBytes(32).toString('base64url'))).toBeUndefined(); // Fernet key
    }
  });

  test('readable long passphrases pass (the public vectors use them)', () => {
    expect(passwordWeakness('some_not_random_password_that_is_also_long_enough')).toBeUndefined();
    expect(passwordWeakness('correct horse battery staple and a bit more')).toBeUndefined();
  });

  test('estimator and period helpers', () => {
    expect(estimateEntropyBits('a'.repeat(40))).toBe(0);
    expect(estimateEntropyBits('ab'.repeat(20))).toBe(40);
    expect(repetitionPeriod('abcabcab')).toBe(3);
    expect(repetitionPeriod('abcabcax')).toBeUndefined();
  });
});

describe('entries and ids', () => {
  test.each([
    [[], 'missing'],
    [null, 'missing'],
    [[42], 'missing'],
    [{ id: 'has space', secret: PASSWORDS.ironA }, 'bad_id'],
    [{ id: '', secret: PASSWORDS.ironA }, 'bad_id'],
    [{ id: 'x'.repeat(65), secret: PASSWORDS.ironA }, 'bad_id'],
    [{ id: 'a', secret: 42 }, 'missing'],
    [[{ id: '1', secret: PASSWORDS.ironA }, PASSWORDS.ironB], 'duplicate_id'],
  ])('refuses %j', (input, problem) => {
    expect(refusal(input as unknown as PasswordInput).problem).toBe(problem);
  });

  test('Fernet keys are recognised in base64url and standard base64, with or without padding', () => {
    const bytes = randomBytes(32);
    for (const key of [bytes.toString('base64url'), `${bytes.toString('base64url')}=`, bytes.toString('base64')]) {
      const { key: fernet } = stateOf(createKeyring(key)).formats.fernet.opening[0] as CodecKey<FernetKey>;
      expect(fernet.signing).toEqual(new Uint8Array(bytes.subarray(0, 16)));
      expect(fernet.encryption).toEqual(new Uint8Array(bytes.subarray(16)));
    }
    expect(stateOf(createKeyring(randomBytes(24).toString('base64'))).formats.fernet.opening).toHaveLength(0);
    expect(stateOf(createKeyring(randomBytes(33).toString('base64url'))).formats.fernet.opening).toHaveLength(0);
  });

  test('a keyring never shows its secrets when logged or serialized', () => {
    const keyring = createKeyring([{ id: 'prod', secret: PASSWORDS.ironA }]);
    expect(JSON.stringify(keyring)).toBe('{"ids":["prod"]}');
    expect(Object.values(keyring)).toEqual([]);
    expect(String(Object.keys(keyring))).not.toContain(PASSWORDS.ironA);
  });
});
