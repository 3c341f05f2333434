import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { JwksUnavailableError } from '../../../src/errors/index.js';
import { startFaultServer, type JwksFault } from '../../support/fault-server.js';
import { createSigner, type TestSigner } from '../../support/tokens.js';
import { burst, clocked, type Clocked, cookiesSignedBy, expectAuthenticated, expectCookieKept, expectRetryable, type FaultServer, handlerBurst } from './jwks-helpers.js';

// The JWKS endpoint fails in every way a server can while bursts of concurrent requests arrive.
// Fetches are single flight and back off after each failure (1 s, 2 s, 4 s… up to 30 s, each
// jittered down to no less than half), whatever the state of the key cache: about one upstream
// fetch per backoff step, however many requests. Keys in the cache keep working throughout.
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
const MAX_AGE_MS = 600_000;
const HUGE_BODY_BYTES = 16 * 1024 * 1024;
const FAULTS: JwksFault[] = ['status500', 'hang', 'reset', 'garbage', 'html', 'huge', 'hugeDeclared'];

let signer: TestSigner;
let server: FaultServer;

beforeAll(async () => {
  signer = await createSigner('k1');
  server = await startFaultServer({ jwks: () => signer.jwks });
});
afterEach(() => {
  server.state.jwksFault = 'none';
});
afterAll(() => server.close());

/** The longest wait after `failures` failed fetches in a row. */
const ceiling = (failures: number) => Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));

/** A manager whose JWKS fetches give up after 200 ms (the `hang` fault waits that long). */
const app = () => clocked(server, { jwks: { timeoutMs: 200 } });

/**
 * Walks the backoff: after each failure, a burst (`run`, which also judges its results) before
 * half the wait starts no fetch; a burst once the whole wait has passed starts exactly one.
 */
async function walkBackoff(client: Clocked, steps: number, run: () => Promise<{ fetches: number }>): Promise<void> {
  for (let failures = 1; failures <= steps; failures++) {
    client.advance(ceiling(failures) / 2 - 1);
    expect((await run()).fetches, `burst during backoff step ${failures}`).toBe(0);
    client.advance(ceiling(failures) / 2 + 1);
    expect((await run()).fetches, `burst after backoff step ${failures}`).toBe(1);
  }
}

describe.each(FAULTS)('JWKS endpoint failing (%s)', (fault) => {
  test('cold cache: bursts of 200 cost one fetch per backoff step, all retryable with the cookie kept; recovery after the backoff', async () => {
    const client = app();
    const cookies = await cookiesSignedBy(client, server, signer, 10);
    server.state.jwksFault = fault;

    const first = await handlerBurst(client, server, cookies);
    expectCookieKept(first.auths);
    expect(first.fetches).toBe(1);
    const again = await burst(client, server, cookies);
    expectRetryable(again.results);
    expect(again.fetches).toBe(0);

    const steps = 7; // up to the cap, and once at it
    await walkBackoff(client, steps, async () => {
      const { results, fetches } = await burst(client, server, cookies);
      expectRetryable(results);
      return { fetches };
    });

    server.state.jwksFault = 'none';
    client.advance(ceiling(steps + 1));
    const recovered = await burst(client, server, cookies);
    expectAuthenticated(recovered.results);
    expect(recovered.fetches).toBe(1);
    expect((await burst(client, server, cookies)).fetches).toBe(0);
  });

  test('stale keys: every request is served from the cache, one background fetch per backoff step; recovery after the backoff', async () => {
    const client = app();
    await client.sessions.jwks.refresh();
    client.advance(MAX_AGE_MS + 1);
    server.state.jwksFault = fault;
    // New tokens for every burst: a token verified before is answered without its key.
    const fresh = () => cookiesSignedBy(client, server, signer, 10);

    const first = await handlerBurst(client, server, await fresh(), { background: true });
    for (const { session, setCookies } of first.auths) {
      expect(session.authenticated).toBe(true);
      expect(setCookies).toEqual([]);
    }
    expect(first.fetches).toBe(1);

    const steps = 3;
    await walkBackoff(client, steps, async () => {
      const { results, fetches } = await burst(client, server, await fresh(), { background: true });
      expectAuthenticated(results);
      return { fetches };
    });

    server.state.jwksFault = 'none';
    client.advance(ceiling(steps + 1));
    const recovered = await burst(client, server, await fresh(), { background: true });
    expectAuthenticated(recovered.results);
    expect(recovered.fetches).toBe(1);
    // The keys are fresh again: no more fetches.
    expect((await burst(client, server, await fresh(), { background: true })).fetches).toBe(0);
  });
});

describe('the JWKS response body', () => {
  test.each(['huge', 'hugeDeclared'] as const)('%s: read no further than the bound, then the connection is dropped', async (fault) => {
    const client = app();
    server.state.jwksFault = fault;
    server.state.jwksHugeSent = [];
    const error = await client.sessions.jwks.getKey('k1').then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(JwksUnavailableError);
    expect(((error as JwksUnavailableError).cause as Error).message).toMatch(/too_large/);
    await vi.waitFor(() => expect(server.state.jwksHugeSent).toHaveLength(1));
    expect(server.state.jwksHugeSent[0]).toBeLessThan(HUGE_BODY_BYTES);
  });

  test('a key set with no usable key keeps the keys in hand', async () => {
    const client = app();
    await client.sessions.jwks.refresh();
    const cookies = await cookiesSignedBy(client, server, signer, 10);
    const served = server.state.jwks;
    server.state.jwks = () => ({ keys: [] });
    try {
      client.advance(MAX_AGE_MS + 1);
      expectAuthenticated((await burst(client, server, cookies, { background: true })).results);
      await expect(client.sessions.jwks.refresh()).rejects.toThrow(/no usable/);
      expectAuthenticated((await burst(client, server, await cookiesSignedBy(client, server, signer, 10), { background: true })).results);
    } finally {
      server.state.jwks = served;
    }
  });
});
