/**
 * Fernet interoperability with Python's `cryptography` (what workos-python's `seal_data` and
 * `unseal_data` call), both directions. Spawns `python3`; skipped, with the reason printed, when
 * `python3 -c "import cryptography"` fails.
 */
import { describe, expect, test } from 'vitest';
import { disableNodeCrypto } from '../../../src/crypto/runtime.js';
import { sealData, unsealData, unsealWithDetails } from '../../../src/seal/index.js';
import { python, pythonReady } from '../../support/python-fernet.js';

const URLSAFE_KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
// Standard alphabet (`+`, `/`), as produced by `openssl rand -base64 32`; Python accepts it.
const STANDARD_KEY = 'pfSqwTFXUTGEBBD1RQh2kt/oNJYxBgaoZan4Z8sMrKU=';
const IRON_PASSWORD = 'k3P9vQx7LmZ2rT8wYb4NcF6hJd1SgA5e';

const session = {
  access_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzAxIn0.c2ln',
  refresh_token: 'rt_01HXYZ',
  user: { id: 'user_01', email: 'ada@example.com', first_name: 'Adà ✓', metadata: {} },
};

describe.skipIf(!pythonReady).each(['node', 'webcrypto'] as const)('Fernet with Python cryptography (%s backend)', (backend) => {
  test.each([URLSAFE_KEY, STANDARD_KEY])('python seal -> ours, ours -> python (key %s)', async (key) => {
    disableNodeCrypto(backend === 'webcrypto');
    const before = Math.floor(Date.now() / 1000) * 1000;
    const token = python({ op: 'seal', key, data: session }) as string;
    const after = Date.now();
    expect(token.startsWith('gAAAAA')).toBe(true);
    const details = await unsealWithDetails(token, { password: key, ttl: 60 });
    expect(details).toEqual({
      data: session,
      format: 'fernet',
      passwordId: '1',
      isNewest: true,
      sealedAtMs: expect.any(Number),
      expiresAtMs: undefined,
    });
    // The token's own creation time, in whole seconds as Python wrote it.
    expect(details.sealedAtMs! % 1000).toBe(0);
    expect(details.sealedAtMs).toBeGreaterThanOrEqual(before);
    expect(details.sealedAtMs).toBeLessThanOrEqual(after);

    const ours = await sealData(session, { password: key, format: 'fernet' });
    expect(python({ op: 'unseal', key, token: ours, ttl: 60 })).toEqual(session);
  });

  test('a mixed list (Iron password + Fernet key) reads Python tokens and seals both formats', async () => {
    disableNodeCrypto(backend === 'webcrypto');
    const password = [IRON_PASSWORD, URLSAFE_KEY];
    const token = python({ op: 'seal', key: URLSAFE_KEY, data: session }) as string;
    expect(await unsealWithDetails(token, { password })).toMatchObject({ data: session, passwordId: '1', isNewest: true });
    const ours = await sealData(session, { password, format: 'fernet' });
    expect(python({ op: 'unseal', key: URLSAFE_KEY, token: ours })).toEqual(session);
    const iron = await sealData(session, { password });
    expect(await unsealData(iron, { password: IRON_PASSWORD })).toEqual(session);
  });

  test('python refuses our token once the ttl has passed (our timestamp is in seconds, big-endian)', async () => {
    disableNodeCrypto(backend === 'webcrypto');
    const old = await sealData(session, { password: URLSAFE_KEY, format: 'fernet', now: () => Date.now() - 3_600_000 });
    expect(() => python({ op: 'unseal', key: URLSAFE_KEY, token: old, ttl: 60 })).toThrow(/InvalidToken/);
    expect(python({ op: 'unseal', key: URLSAFE_KEY, token: old, ttl: 7200 })).toEqual(session);
  });
});
