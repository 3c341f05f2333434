/**
 * Properties: unsealing anything (arbitrary values, arbitrary strings, every single-character
 * mutation of a valid seal) fails only with a SealError carrying a documented code, and any JSON
 * value survives a round trip in both formats.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { SealError } from '../../../src/errors/index.js';
import { createKeyring, sealData, unsealData } from '../../../src/seal/index.js';
import { backends, PASSWORDS, UNSEAL_CODES, useBackend } from './helpers.js';

const keyring = createKeyring([PASSWORDS.fernetA, PASSWORDS.ironA]);
const NOW = 1_750_000_000_000;
const options = { password: keyring, now: () => NOW, ttl: 3600 };

/** Resolves to the error code, or 'ok' if the value unsealed. Fails the test on a foreign error. */
async function outcome(sealed: unknown): Promise<string> {
  try {
    await unsealData(sealed, options);
    return 'ok';
  } catch (error) {
    if (!(error instanceof SealError)) throw new Error(`foreign error: ${String(error)}`);
    return error.code;
  }
}

const ALPHABET = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  ...'*~=.+/ %\u0000é\u{1F600}',
];

/** Every string one substitution, deletion or insertion away from `text`. */
function* mutations(text: string): Generator<string> {
  const chars = [...text];
  for (let i = 0; i <= chars.length; i++) {
    const head = chars.slice(0, i).join('');
    const tail = chars.slice(i).join('');
    if (i < chars.length) {
      yield head + tail.slice(chars[i]!.length);
      for (const c of ALPHABET) if (c !== chars[i]) yield head + c + tail.slice(chars[i]!.length);
    }
    for (const c of ['A', '*', '~', '=']) yield head + c + tail;
  }
}

describe.each(backends)('properties on the %s backend', (backend) => {
  beforeAll(() => useBackend(backend));

  test('arbitrary values are refused with a documented code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (value) => {
        expect(UNSEAL_CODES).toContain(await outcome(value));
      }),
      { numRuns: 300 },
    );
  });

  test('arbitrary strings, including ones with valid prefixes, are refused with a documented code', async () => {
    const b64 = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=*~') });
    const candidates = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      b64.map((s) => `Fe26.2*${s}`),
      b64.map((s) => `Fe26.2*1*${'a'.repeat(64)}*${s}`),
      b64.map((s) => `gAAAAA${s}`),
    );
    await fc.assert(
      fc.asyncProperty(candidates, async (value) => {
        expect(UNSEAL_CODES).toContain(await outcome(value));
      }),
      { numRuns: 500 },
    );
  });

  test('a megabyte-long string is refused as malformed', async () => {
    expect(await outcome(`Fe26.2*${'A'.repeat(1 << 20)}`)).toBe('seal_malformed');
    expect(await outcome(`gAAAAA${'A'.repeat(1 << 20)}`)).toBe('seal_malformed');
  });

  test.each(['iron', 'fernet'] as const)('every single-character mutation of a valid %s seal is refused', async (format) => {
    const sealed = await sealData({ u: 'user_01', n: 1 }, { password: keyring, format, now: () => NOW, ttl: 60 });
    expect(await outcome(sealed)).toBe('ok');
    const seen = new Map<string, number>();
    let count = 0;
    for (const mutant of mutations(sealed)) {
      if (mutant === sealed) continue;
      const code = await outcome(mutant);
      expect(UNSEAL_CODES, `mutant ${mutant}`).toContain(code);
      seen.set(code, (seen.get(code) ?? 0) + 1);
      count++;
    }
    expect(count).toBeGreaterThan(sealed.length * ALPHABET.length - sealed.length);
    // Both the syntax gate and the MAC are exercised, not just one of them.
    expect(seen.get('seal_malformed')).toBeGreaterThan(0);
    expect(seen.get('seal_bad_mac')).toBeGreaterThan(0);
  }, 60_000);

  test.each(['iron', 'fernet'] as const)('any JSON value round-trips (%s)', async (format) => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue().filter((v) => !/__proto__|constructor/.test(JSON.stringify(v))),
        async (value) => {
          const sealed = await sealData(value, { password: keyring, format });
          expect(await unsealData(sealed, { password: keyring })).toEqual(JSON.parse(JSON.stringify(value)));
        },
      ),
      { numRuns: 150 },
    );
  });
});
