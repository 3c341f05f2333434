/**
 * Open-only keyring entries: a predictable password an app already seals with (accepted by
 * @workos-inc/node, refused here as a sealing password) opens the cookies it sealed, and never
 * seals; a keyring must hold a password that seals every format such an entry opens.
 */
import { sealData as ironSessionSeal } from 'iron-session';
import { describe, expect, test } from 'vitest';
import { SealPasswordError } from '../../../src/errors/index.js';
import { createKeyring, sealData, unsealWithDetails, type PasswordInput } from '../../../src/seal/index.js';
import { PASSWORDS, sealErrorOf, syncSealErrorOf } from './helpers.js';

const data = { userId: 'user_01', n: 7 };

// What an app may already have: 32+ characters, so every Iron implementation seals with it,
// but too predictable to seal with here.
const WEAK_IRON: Array<[string, string]> = [
  ['one character', 'a'.repeat(32)],
  ['a repeated word', 'changeme'.repeat(4)],
  ['a repeated pair', 'ab'.repeat(20)],
  ['a repeated block that does not divide the length', 'password1234'.repeat(2) + 'password'],
  ['four distinct characters', 'aaaaaaaabbbbbbbbccccccccdddddddd'],
  ['almost all zeros', `${'0'.repeat(39)}1`],
  ['a phrase of few letters', 'aaabbbaaabbbaaabbbaaabbbaaabbbaaabbbc'],
];
// A Fernet key of 32 zero bytes: what `cryptography` accepts, and far too predictable.
const WEAK_FERNET: Array<[string, string]> = [
  ['zero bytes, base64url', Buffer.alloc(32).toString('base64url')],
  ['zero bytes, padded base64', Buffer.alloc(32).toString('base64')],
  ['one byte value, base64url', Buffer.alloc(32, 0xff).toString('base64url')],
];

function refusal(password: PasswordInput): SealPasswordError {
  const error = syncSealErrorOf(() => createKeyring(password));
  expect(error).toBeInstanceOf(SealPasswordError);
  return error as SealPasswordError;
}

const idOf = (sealed: string) => sealed.split('*')[1];

describe.each(WEAK_IRON)('a predictable Iron password (%s)', (_name, weak) => {
  test('is refused as a sealing password, and the message points to openOnly without showing it', () => {
    for (const input of [weak, [PASSWORDS.ironA, weak], { secret: weak, openOnly: false }] as PasswordInput[]) {
      const error = refusal(input);
      expect(error.problem).toBe('weak');
      expect(error.message).toContain('openOnly: true');
      expect(error.message).not.toContain(weak);
    }
  });

  test('listed openOnly after a strong one: opens what it sealed, flagged as not the newest', async () => {
    const keyring = createKeyring([PASSWORDS.ironA, { secret: weak, openOnly: true }]);
    // Named apart, so the password that seals keeps id '1', the one @workos-inc/node reads.
    expect(keyring.ids).toEqual(['1', 'open_1']);
    expect(keyring.openOnlyIds).toEqual(['open_1']);
    expect(keyring.newestId('iron')).toBe('1');
    expect(keyring.sealingIds('iron')).toEqual(['1']);
    // iron-session writes id '1' too: the password named by it fails, the open-only one opens.
    const theirs = await ironSessionSeal(data, { password: weak });
    expect(idOf(theirs)).toBe('1');
    expect(await unsealWithDetails(theirs, { password: keyring })).toMatchObject({ data, format: 'iron', passwordId: 'open_1', isNewest: false });
  });

  test('never seals, not even when asked for by id', async () => {
    const keyring = createKeyring([PASSWORDS.ironA, { secret: weak, openOnly: true }]);
    const sealed = await sealData(data, { password: keyring });
    expect(idOf(sealed)).toBe('1');
    expect(await unsealWithDetails(sealed, { password: PASSWORDS.ironA })).toMatchObject({ data, passwordId: '1' });
    expect(await sealErrorOf(sealData(data, { password: keyring, passwordId: 'open_1' }))).toMatchObject({ problem: 'no_key_for_format' });
  });

  test('alone, or with other open-only entries only, it is refused: nothing could re-seal its cookies', () => {
    for (const input of [
      { secret: weak, openOnly: true },
      [{ secret: weak, openOnly: true }],
      [{ secret: weak, openOnly: true }, { secret: PASSWORDS.ironB, openOnly: true }],
      [{ id: 'legacy', secret: weak, openOnly: true, format: 'iron' }, { format: 'fernet', secret: PASSWORDS.fernetA }],
    ] as PasswordInput[]) {
      const error = refusal(input);
      expect(error.problem).toBe('no_key_for_format');
      expect(error.message).toMatch(/only opens \(`openOnly`\) and no password seals Iron/);
      expect(error.message).not.toContain(weak);
    }
  });
});

describe('open-only entries in a keyring', () => {
  const weak = 'changeme'.repeat(4);

  test('the order does not matter: the password that seals seals, the open-only one opens', async () => {
    const keyring = createKeyring([{ secret: weak, openOnly: true }, PASSWORDS.ironA]);
    expect(keyring.ids).toEqual(['open_1', '1']);
    expect(keyring.newestId('iron')).toBe('1');
    const theirs = await ironSessionSeal(data, { password: weak });
    expect(await unsealWithDetails(theirs, { password: keyring })).toMatchObject({ data, passwordId: 'open_1', isNewest: false });
  });

  test('adding or removing an open-only entry changes no id that a seal carries', () => {
    const before = createKeyring([PASSWORDS.ironB, PASSWORDS.ironA]);
    const during = createKeyring([PASSWORDS.ironB, PASSWORDS.ironA, { secret: weak, openOnly: true }, { secret: 'letmein!'.repeat(4), openOnly: true }]);
    expect(during.ids).toEqual(['2', '1', 'open_2', 'open_1']);
    expect(during.sealingIds('iron')).toEqual(before.sealingIds('iron'));
  });

  test('explicit ids are kept, and several open-only entries each open their own seals', async () => {
    const other = 'letmein!'.repeat(4);
    const keyring = createKeyring([
      { id: 'current', secret: PASSWORDS.ironA },
      { id: 'old_weak', secret: weak, openOnly: true },
      { id: 'older_weak', secret: other, openOnly: true },
      PASSWORDS.ironB,
    ]);
    expect(keyring.ids).toEqual(['current', 'old_weak', 'older_weak', '1']);
    expect(keyring.openOnlyIds).toEqual(['old_weak', 'older_weak']);
    expect(keyring.sealingIds('iron')).toEqual(['current', '1']);
    for (const [secret, id] of [[weak, 'old_weak'], [other, 'older_weak'], [PASSWORDS.ironB, '1']]) {
      const theirs = await ironSessionSeal(data, { password: secret as string });
      expect(await unsealWithDetails(theirs, { password: keyring })).toMatchObject({ passwordId: id, isNewest: false });
    }
  });

  test('a declaration on an open-only entry does not take sealing away from the others', () => {
    // What `sealed-session keygen` prints: an Iron password that is also a Fernet key.
    const keygen = 'uiSEf83cE6weUOkjcsaPt6VmmwQSla3XiL-9G9UDWVI';
    const keyring = createKeyring([keygen, { format: 'iron', secret: weak, openOnly: true }]);
    expect(keyring.sealingIds('iron')).toEqual(['1']);
    expect(keyring.sealingIds('fernet')).toEqual(['1']);
    expect(keyring.openOnlyIds).toEqual(['open_1']);
  });

  test('still held to the format minimum: 32 characters, a real key for Fernet', () => {
    for (const [entry, problem] of [
      [{ secret: 'k3P9vQx7LmZ2rT8wYb4NcF6hJd1SgA5', openOnly: true }, 'too_short'],
      [{ secret: 'a'.repeat(31), openOnly: true }, 'too_short'],
      [{ secret: '', openOnly: true }, 'missing'],
      [{ secret: 42, openOnly: true }, 'missing'],
      [{ format: 'fernet', secret: weak, openOnly: true }, 'bad_format'],
      [{ format: 'fernet', secret: Buffer.alloc(31).toString('base64url'), openOnly: true }, 'bad_format'],
      [{ format: 'rot13', secret: weak, openOnly: true }, 'bad_format'],
      [{ id: 'no spaces', secret: weak, openOnly: true }, 'bad_id'],
    ] as const) {
      expect(refusal([PASSWORDS.ironA, entry as never]).problem).toBe(problem);
    }
  });

  test.each([['true'], [1], [null], [{}], ['yes']])('openOnly %j is refused, not guessed at', (value) => {
    const error = refusal([PASSWORDS.ironA, { secret: PASSWORDS.ironB, openOnly: value } as never]);
    expect(error.problem).toBe('bad_open_only');
  });

  test('a strong password may be open-only too: retired from sealing, still opening', async () => {
    const keyring = createKeyring([PASSWORDS.ironA, { secret: PASSWORDS.ironB, openOnly: true }]);
    const older = await sealData(data, { password: PASSWORDS.ironB });
    expect(await unsealWithDetails(older, { password: keyring })).toMatchObject({ passwordId: 'open_1', isNewest: false });
    expect(keyring.sealingIds('iron')).toEqual(['1']);
  });

  test('logging a keyring shows ids only', () => {
    const keyring = createKeyring([PASSWORDS.ironA, { secret: weak, openOnly: true }]);
    expect(JSON.stringify(keyring)).toBe('{"ids":["1","open_1"]}');
    expect(JSON.stringify({ ...keyring, openOnly: keyring.openOnlyIds })).not.toContain(weak);
  });
});

describe.each(WEAK_FERNET)('a predictable Fernet key (%s)', (_name, weak) => {
  const fernetOnly = { format: 'fernet', secret: PASSWORDS.fernetB } as const;

  test('is refused as a sealing key', () => {
    expect(refusal({ format: 'fernet', secret: weak }).problem).toBe('weak');
  });

  test('open-only, next to a key that seals Fernet: opens, never seals, cookies move to the new key', async () => {
    const keyring = createKeyring([PASSWORDS.ironA, fernetOnly, { format: 'fernet', secret: weak, openOnly: true }]);
    expect(keyring.ids).toEqual(['1', 'fernet_1', 'open_1']);
    expect(keyring.openOnlyIds).toEqual(['open_1']);
    expect(keyring.sealingIds('fernet')).toEqual(['fernet_1']);
    expect(keyring.sealingIds('iron')).toEqual(['1']);
    const sealed = await sealData(data, { password: keyring, format: 'fernet' });
    expect(await unsealWithDetails(sealed, { password: PASSWORDS.fernetB })).toMatchObject({ data });
    expect(await sealErrorOf(sealData(data, { password: keyring, format: 'fernet', passwordId: 'open_1' }))).toMatchObject({
      problem: 'no_key_for_format',
    });
  });

  test('without a key that seals Fernet it is refused, and told how to fix it', () => {
    for (const input of [
      [PASSWORDS.ironA, { format: 'fernet', secret: weak, openOnly: true }],
      [{ format: 'iron', secret: 'uiSEf83cE6weUOkjcsaPt6VmmwQSla3XiL-9G9UDWVI' }, { secret: weak, openOnly: true }],
    ] as PasswordInput[]) {
      const error = refusal(input);
      expect(error.problem).toBe('no_key_for_format');
      expect(error.message).toMatch(/no password seals Fernet/);
      expect(error.message).toContain('keygen --format fernet');
    }
    // Undeclared, it is taken for a Fernet key as well: the message says to declare it.
    expect(refusal([PASSWORDS.ironA, { secret: weak, openOnly: true }]).message).toContain("format: 'iron', openOnly: true");
    // Declared as the Iron password it is, it needs an Iron password that seals and nothing more.
    expect(createKeyring([PASSWORDS.ironA, { format: 'iron', secret: weak, openOnly: true }]).sealingIds('fernet')).toEqual([]);
    // The other way round: a Python app's old key next to its new one, and no Iron password.
    const pythonOnly = [fernetOnly, { secret: weak, openOnly: true }] as PasswordInput;
    expect(refusal(pythonOnly).message).toMatch(/no password seals Iron\b.*format: 'fernet', openOnly: true/);
    expect(createKeyring([fernetOnly, { format: 'fernet', secret: weak, openOnly: true }]).openOnlyIds).toEqual(['open_1']);
  });
});
