import { beforeAll, describe, expect, test } from 'vitest';
import { JwksCache } from '../../../src/jwt/jwks.js';
import { JwksUnavailableError, JwtInvalidError } from '../../../src/jwt/errors.js';
import { createSigner, jwksFetch, type TestSigner } from '../../support/tokens.js';

const T0 = 1_800_000_000_000;
const COOLDOWN_MS = 10_000;

let k1: TestSigner;
let k2: TestSigner;
beforeAll(async () => {
  [k1, k2] = await Promise.all([createSigner('k1'), createSigner('k2')]);
});

/** A cache over an in-memory JWKS serving `keys`, on a clock the test moves. */
function setup(initial: TestSigner[] = [k1]) {
  let published = initial;
  let clock = T0;
  const served = jwksFetch(() => ({ keys: published.flatMap((signer) => signer.jwks.keys) }));
  const jwks = new JwksCache({ url: 'https://x/jwks', fetch: served.fetch, now: () => clock, cooldownMs: COOLDOWN_MS });
  return {
    jwks,
    served,
    publish: (signers: TestSigner[]) => void (published = signers),
    advance: (ms: number) => void (clock += ms),
  };
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'key';
  } catch (error) {
    if (error instanceof JwksUnavailableError) return 'retryable';
    if (error instanceof JwtInvalidError) return error.code;
    throw error;
  }
}

describe('a kid missing from the cached keys', () => {
  // [keys fetched at, asked at, publishedBy (ms after T0, or undefined), expected]: the keys come
  // from a fetch at T0; "asked at" is within the cooldown unless noted.
  const cases: Array<[string, number, number | undefined, string]> = [
    ['token issued long before the fetch', 2_000, -60_000, 'jwt_unknown_key'],
    ['token issued just before the fetch', 2_000, -1, 'jwt_unknown_key'],
    ['token issued at the fetch', 2_000, 0, 'jwt_unknown_key'],
    ['token issued just after the fetch', 2_000, 1, 'retryable'],
    ['token issued after the fetch', 9_999, 5_000, 'retryable'],
    ['token claiming to be issued in the future', 2_000, 3_600_000, 'retryable'],
    ['issue time unknown', 2_000, undefined, 'retryable'],
    ['issue time not a number', 2_000, Number.NaN, 'retryable'],
  ];
  for (const [name, askedAt, publishedBy, expected] of cases) {
    test(`within the cooldown, ${name}: ${expected}, no fetch`, async () => {
      const { jwks, served, advance } = setup();
      await jwks.refresh();
      advance(askedAt);
      const options = publishedBy === undefined ? {} : { publishedBy: T0 + publishedBy };
      expect(await outcome(jwks.getKey('k-new', options))).toBe(expected);
      expect(served.state.calls).toBe(1);
    });
  }

  test('after the cooldown: refetched once, found when published, refused when not', async () => {
    const { jwks, served, advance, publish } = setup();
    await jwks.refresh();
    publish([k1, k2]);
    advance(COOLDOWN_MS);
    const found = await Promise.all(Array.from({ length: 50 }, () => outcome(jwks.getKey('k2', { publishedBy: T0 + 5_000 }))));
    expect(new Set(found)).toEqual(new Set(['key']));
    expect(served.state.calls).toBe(2);
    advance(COOLDOWN_MS);
    expect(await outcome(jwks.getKey('k-never', { publishedBy: T0 + 15_000 }))).toBe('jwt_unknown_key');
    expect(served.state.calls).toBe(3);
  });

  test('a request arriving during a fetch joins it, even within the cooldown', async () => {
    const { jwks, served, publish, advance } = setup();
    await jwks.refresh();
    publish([k1, k2]);
    advance(1_000);
    const refreshing = jwks.refresh();
    const looked = Promise.all(Array.from({ length: 50 }, () => outcome(jwks.getKey('k2', { publishedBy: T0 + 900 }))));
    await refreshing;
    expect(new Set(await looked)).toEqual(new Set(['key']));
    expect(served.state.calls).toBe(2);
  });

  test('endpoint failing: never terminal, however late; refetches follow the backoff, not each request', async () => {
    const { jwks, served, advance, publish } = setup();
    await jwks.refresh();
    publish([k1, k2]);
    served.state.down = true;
    const publishedBy = T0 + 1_000;
    for (const step of [COOLDOWN_MS, 100, 100, COOLDOWN_MS, 3_600_000]) {
      advance(step);
      const results = await Promise.all(Array.from({ length: 20 }, () => outcome(jwks.getKey('k2', { publishedBy }))));
      expect(new Set(results)).toEqual(new Set(['retryable']));
    }
    // Past the cooldown three times, each past the backoff of the failure before it.
    expect(served.state.calls).toBe(1 + 3);
    await expect(jwks.getKey('k1')).resolves.toBeTruthy();
  });

  test('nothing negative is remembered: a kid refused once is found once published', async () => {
    const { jwks, advance, publish } = setup();
    await jwks.refresh();
    expect(await outcome(jwks.getKey('k2', { publishedBy: T0 - 1 }))).toBe('jwt_unknown_key');
    publish([k1, k2]);
    advance(COOLDOWN_MS);
    expect(await outcome(jwks.getKey('k2', { publishedBy: T0 - 1 }))).toBe('key');
  });
});

describe('fetch failures back off in every state', () => {
  test('cold: one fetch per step of an exponential backoff capped at 30 s, each step jittered to at least half', async () => {
    const { jwks, served, advance } = setup();
    served.state.down = true;
    const burst = () => Promise.all(Array.from({ length: 100 }, () => outcome(jwks.getKey('k1'))));
    expect(new Set(await burst())).toEqual(new Set(['retryable']));
    expect(served.state.calls).toBe(1);
    const ceilings = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000];
    for (const [index, ceiling] of ceilings.entries()) {
      const failures = index + 1;
      advance(ceiling / 2 - 1);
      await burst();
      expect(served.state.calls, `before half of step ${failures}`).toBe(failures);
      advance(ceiling / 2 + 1);
      await burst();
      expect(served.state.calls, `after step ${failures}`).toBe(failures + 1);
    }
    served.state.down = false;
    advance(30_000);
    expect(new Set(await burst())).toEqual(new Set(['key']));
    // A success resets the backoff: the next failure waits one base step again.
    served.state.down = true;
    advance(600_001);
    await burst();
    const calls = served.state.calls;
    advance(1_000);
    await burst();
    expect(served.state.calls).toBe(calls + 1);
  });

  test('explicit refresh() is not held back by the backoff, and is single flight', async () => {
    const { jwks, served } = setup();
    served.state.down = true;
    await expect(jwks.refresh()).rejects.toThrow();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => jwks.refresh()));
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(served.state.calls).toBe(2);
  });
});

describe('the response body is read up to its bound', () => {
  const keys = () => JSON.stringify(k1.jwks);
  const bodies: Array<[string, () => Response, string]> = [
    ['declared too large', () => new Response(keys(), { headers: { 'content-length': String(10_000_000) } }), 'retryable'],
    ['streamed without end', () => new Response(new ReadableStream({ pull: (controller) => controller.enqueue(new Uint8Array(64 * 1024).fill(0x20)) })), 'retryable'],
    ['declared small, streamed large', () => new Response(new ReadableStream({ pull: (controller) => controller.enqueue(new Uint8Array(64 * 1024).fill(0x20)) }), { headers: { 'content-length': '10' } }), 'retryable'],
    ['no body', () => new Response(null, { status: 200 }), 'retryable'],
    ['not UTF-8', () => new Response(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 'retryable'],
    ['not JSON', () => new Response('{"keys":'), 'retryable'],
    ['JSON without keys', () => new Response('{"kes":[]}'), 'retryable'],
    ['keys not a list', () => new Response('{"keys":{}}'), 'retryable'],
    ['null', () => new Response('null'), 'retryable'],
    ['redirect', () => new Response(null, { status: 302, headers: { location: 'https://evil.example/jwks' } }), 'retryable'],
    ['padded to just under the bound', () => new Response(keys().replace('{', `{${' '.repeat(256 * 1024 - keys().length - 1)}`)), 'key'],
  ];
  for (const [name, respond, expected] of bodies) {
    test(`${name}: ${expected}`, async () => {
      let calls = 0;
      const jwks = new JwksCache({ url: 'https://x/jwks', fetch: async () => (calls++, respond()), now: () => T0 });
      expect(await outcome(jwks.getKey('k1'))).toBe(expected);
      expect(calls).toBe(1);
    });
  }
});
