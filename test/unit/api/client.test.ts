import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { base64url } from 'jose';
import { SessionManager } from '../../../src/index.js';
import {
  ApiError,
  InvalidResponseError,
  NetworkError,
  RequestRejectedError,
  ServerError,
  TimeoutError,
} from '../../../src/errors/index.js';
import { rejectionOf } from '../../support/errors.js';
import { user, wireUser as testWireUser } from '../../support/users.js';

// The client through the public API, with a `fetch` that answers crafted `Response`s: every body
// a broken or hostile provider could send, streamed the way a socket delivers it.
const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const MiB = 1024 * 1024;
const JSON_TYPE = { 'content-type': 'application/json' };
const encoder = new TextEncoder();

const jwt = (claims: Record<string, unknown>) =>
  `${base64url.encode('{"alg":"RS256","kid":"k1"}')}.${base64url.encode(JSON.stringify(claims))}.c2lnbmF0dXJl`;
const ACCESS_TOKEN = jwt({ sub: 'user_1', sid: 'session_1', exp: 1 });
const wireUser = { ...testWireUser, metadata: { plan: 'pro' } };
const good = { access_token: ACCESS_TOKEN, refresh_token: 'refresh_2', user: wireUser };

/** What one crafted answer did to its stream: bytes handed out, and whether it was cancelled. */
interface Tap {
  pulled: number;
  cancelled: boolean;
  init?: RequestInit;
}

type Answer = (tap: Tap) => Response | Promise<Response>;

function manager(answer: Answer, tap: Tap = { pulled: 0, cancelled: false }, timeoutMs = 2_000) {
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    tap.init = init;
    return answer(tap);
  };
  return new SessionManager({ clientId: 'client_api', apiKey: 'sk_test', cookiePassword: PASSWORD, baseUrl: 'https://api.test', fetch, timeoutMs });
}

/** A body streamed from `chunks` (drawn lazily, so an endless source is fine), counted in `tap`. */
function streamed(tap: Tap, chunks: Iterable<Uint8Array | string>, options: { delayMs?: number } = {}): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.iterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const next = iterator.next();
      if (next.done) return controller.close();
      const bytes = typeof next.value === 'string' ? encoder.encode(next.value) : next.value;
      tap.pulled += bytes.byteLength;
      controller.enqueue(bytes);
    },
    cancel() {
      tap.cancelled = true;
    },
  });
}

function* forever(chunk: Uint8Array) {
  for (;;) yield chunk;
}

const text = (body: string | Uint8Array, status = 200, headers: Record<string, string> = JSON_TYPE): Answer => (tap) =>
  new Response(status === 204 ? null : streamed(tap, [body]), { status, headers });

/** The ApiError `promise` rejected with; fails the test when it resolved or rejected with anything else. */
const failure = (promise: Promise<unknown>): Promise<ApiError> => rejectionOf(ApiError, promise);

const exchange = (sessions: SessionManager) => sessions.authenticateWithRefreshToken({ refreshToken: 'refresh_1' });

describe('2xx bodies that are not an authentication response: InvalidResponseError', () => {
  const json = (body: unknown) => JSON.stringify(body);
  const bodies: Array<[string, string | Uint8Array, Record<string, string>?]> = [
    ['truncated JSON', '{"access_token":'],
    ['a lone brace', '{'],
    ['HTML page', '<!doctype html><html><body>Service unavailable</body></html>'],
    ['JSON with a BOM', `\uFEFF${json(good)}`],
    ['JSON and trailing garbage', `${json(good)}<html>`],
    ['array', '[]'],
    ['array of the answer', json([good])],
    ['string', '"ok"'],
    ['null', 'null'],
    ['number', '42'],
    ['boolean', 'true'],
    ['empty object', '{}'],
    ['access_token a number', json({ ...good, access_token: 42 })],
    ['access_token an object', json({ ...good, access_token: { jwt: ACCESS_TOKEN } })],
    ['access_token empty', json({ ...good, access_token: '' })],
    ['access_token no JWT', json({ ...good, access_token: 'not-a-jwt' })],
    ['access_token with a space', json({ ...good, access_token: `${ACCESS_TOKEN} x` })],
    ['access_token of 20 000 characters', json({ ...good, access_token: `${ACCESS_TOKEN}${'A'.repeat(20_000)}` })],
    ['refresh_token missing', json({ ...good, refresh_token: undefined })],
    ['refresh_token null', json({ ...good, refresh_token: null })],
    ['refresh_token with a newline', json({ ...good, refresh_token: 'refresh\n2' })],
    ['refresh_token of 20 000 characters', json({ ...good, refresh_token: 'r'.repeat(20_000) })],
    ['user missing', json({ ...good, user: undefined })],
    ['user a string', json({ ...good, user: 'user_1' })],
    ['user an array', json({ ...good, user: [wireUser] })],
    ['user null', json({ ...good, user: null })],
    ['user.id missing', json({ ...good, user: { ...wireUser, id: undefined } })],
    ['user.id a number', json({ ...good, user: { ...wireUser, id: 1 } })],
    ['user.id empty', json({ ...good, user: { ...wireUser, id: '' } })],
    ['answer only under __proto__', `{"__proto__":${json(good)}}`],
    ['user only under __proto__', `{"access_token":"${ACCESS_TOKEN}","refresh_token":"r","__proto__":{"user":${json(wireUser)}}}`],
    ['user.id only under constructor.prototype', json({ ...good, user: { ...wireUser, id: undefined, constructor: { prototype: { id: 'user_x' } } } })],
    ['answer as text/html', json(good), { 'content-type': 'text/html' }],
    ['answer as text/plain', json(good), { 'content-type': 'text/plain; charset=utf-8' }],
    ['answer without a content type', json(good), {}],
    ['answer as application/jsonp', json(good), { 'content-type': 'application/jsonp' }],
    ['empty body', ''],
    ['invalid UTF-8 (0xff)', Uint8Array.of(0x7b, 0xff, 0x7d)],
    ['invalid UTF-8 (overlong slash)', Uint8Array.of(0x22, 0xc0, 0xaf, 0x22)],
    ['invalid UTF-8 (lone surrogate)', Uint8Array.of(0x22, 0xed, 0xa0, 0x80, 0x22)],
    ['invalid UTF-8 (cut multi-byte at the end)', Uint8Array.of(0x22, 0x61, 0x22, 0xe2, 0x82)],
    ['invalid UTF-8 inside a valid answer', new Uint8Array([...encoder.encode(json(good).slice(0, -1)), ...encoder.encode(',"x":"'), 0xfe, ...encoder.encode('"}')])],
  ];
  for (const [name, body, headers] of bodies) {
    test(name, async () => {
      const error = await failure(exchange(manager(text(body, 200, headers))));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({ code: 'invalid_response', retryable: true, status: 200 });
    });
  }
  test('204 No Content', async () => {
    expect(await failure(exchange(manager(text('', 204))))).toBeInstanceOf(InvalidResponseError);
  });
  test('a 200 that a fetch reached by following a redirect', async () => {
    const answer: Answer = () => Object.defineProperty(new Response(JSON.stringify(good), { headers: JSON_TYPE }), 'redirected', { value: true });
    expect(await failure(exchange(manager(answer)))).toBeInstanceOf(InvalidResponseError);
  });
});

describe('2xx bodies that are an authentication response', () => {
  // The answer may carry the only refresh token still valid: a well-formed one is never refused for its size.
  const large: Array<[string, Record<string, unknown>, (auth: Awaited<ReturnType<typeof exchange>>) => unknown, unknown]> = [
    ['email of 100 000 characters', { user: { ...wireUser, email: `${'a'.repeat(100_000)}@x.test` } }, (auth) => auth.user.email.length, 100_007],
    ['first name of 5 000 characters', { user: { ...wireUser, first_name: 'A'.repeat(5_000) } }, (auth) => auth.user.firstName?.length, 5_000],
    ['metadata value of 5 000 characters', { user: { ...wireUser, metadata: { note: 'n'.repeat(5_000) } } }, (auth) => auth.user.metadata.note?.length, 5_000],
    ['metadata of 1 000 entries', { user: { ...wireUser, metadata: Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, 'v'])) } }, (auth) => Object.keys(auth.user.metadata).length, 1_000],
    ['organization_id of 5 000 characters', { organization_id: `org_${'A'.repeat(5_000)}` }, (auth) => auth.organizationId?.length, 5_004],
  ];
  test.each(large)('kept whole: %s', async (_name, fields, measure, expected) => {
    expect(measure(await exchange(manager(text(JSON.stringify({ ...good, ...fields })))))).toBe(expected);
  });
  test('prototype keys stay data: nothing is inherited, nothing polluted', async () => {
    const body = JSON.stringify({ ...good, user: { ...wireUser, metadata: { plan: 'pro', constructor: 'c', toString: 't' } } })
      .replace('{"access_token"', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"access_token"')
      .replace('"metadata":{', '"metadata":{"__proto__":"x",');
    const auth = await exchange(manager(text(body)));
    expect(auth.user.metadata).toEqual({ plan: 'pro', constructor: 'c', toString: 't' });
    expect(Object.getPrototypeOf(auth.user.metadata)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(auth).sort()).toEqual(['accessToken', 'refreshToken', 'user']);
  });
  test('JSON types with parameters, and UTF-8 split between chunks', async () => {
    const bytes = encoder.encode(JSON.stringify({ ...good, user: { ...wireUser, first_name: 'Zoë 👩‍💻' } }));
    const at = bytes.indexOf(0xc3) + 1; // inside the two bytes of ë
    for (const type of ['application/json; charset=utf-8', 'Application/JSON', 'application/vnd.api+json']) {
      const answer: Answer = (tap) =>
        new Response(streamed(tap, [bytes.slice(0, at), ...Array.from(bytes.slice(at), (byte) => Uint8Array.of(byte))]), { headers: { 'content-type': type } });
      expect((await exchange(manager(answer))).user.firstName).toBe('Zoë 👩‍💻');
    }
  });
});

describe('error statuses', () => {
  const html = '<html><head><title>Error</title></head><body>nginx</body></html>';
  for (const status of [400, 401, 403, 404, 405, 413, 418, 431]) {
    test(`${status} HTML page (not the API speaking): InvalidResponseError, retryable`, async () => {
      const error = await failure(exchange(manager(text(html, status, { 'content-type': 'text/html' }))));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({ status, retryable: true });
    });
  }
  for (const [name, body] of [['empty', ''], ['array', '[]'], ['string', '"no"'], ['invalid UTF-8', Uint8Array.of(0xff)]] as const) {
    test(`400 with a body that is ${name}: InvalidResponseError`, async () => {
      expect(await failure(exchange(manager(text(body, 400))))).toBeInstanceOf(InvalidResponseError);
    });
  }
  for (const status of [500, 502, 503, 504]) {
    test(`${status} HTML page: ServerError`, async () => {
      expect(await failure(exchange(manager(text(html, status, { 'content-type': 'text/html' }))))).toBeInstanceOf(ServerError);
    });
  }
  for (const status of [301, 302, 303, 307, 308]) {
    test(`${status} redirect: InvalidResponseError, asked of fetch not to follow, body not read`, async () => {
      const tap: Tap = { pulled: 0, cancelled: false };
      const answer: Answer = (t) => new Response(streamed(t, forever(new Uint8Array(1024))), { status, headers: { location: 'https://evil.test/token' } });
      const error = await failure(exchange(manager(answer, tap)));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error.status).toBe(status);
      expect(tap.init?.redirect).toBe('manual');
      expect(tap.cancelled).toBe(true);
    });
  }
  test('an API error keeps its code and a bounded message', async () => {
    const body = JSON.stringify({ code: 'organization_not_authorized', message: 'm'.repeat(100_000) });
    const error = await failure(exchange(manager(text(body, 403))));
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.code).toBe('organization_not_authorized');
    expect(error.message.length).toBeLessThanOrEqual(500);
  });
  test('codes that are no codes become bad_request', async () => {
    for (const code of ['', 'x'.repeat(101), 'bad code', 'evil\r\nheader', '<script>', 42, null, ['invalid_grant'], { code: 'invalid_grant' }]) {
      const error = await failure(exchange(manager(text(JSON.stringify({ code, error: code }), 400))));
      expect(error).toBeInstanceOf(RequestRejectedError);
      expect(error.code).toBe('bad_request');
    }
  });
});

describe('size bound: 1 MiB, never buffered past it', () => {
  test('declared by Content-Length: refused before reading', async () => {
    for (const status of [200, 400]) {
      const tap: Tap = { pulled: 0, cancelled: false };
      const answer: Answer = (t) => new Response(streamed(t, forever(new Uint8Array(64 * 1024))), { status, headers: { ...JSON_TYPE, 'content-length': String(2 * MiB) } });
      expect(await failure(exchange(manager(answer, tap)))).toBeInstanceOf(InvalidResponseError);
      expect(tap.pulled).toBeLessThanOrEqual(64 * 1024); // at most the one chunk a stream pulls ahead
      expect(tap.cancelled).toBe(true);
    }
  });
  test('declared 500 with a huge body: still a ServerError', async () => {
    const answer: Answer = (t) => new Response(streamed(t, forever(new Uint8Array(64 * 1024))), { status: 500, headers: { 'content-length': String(50 * MiB) } });
    expect(await failure(exchange(manager(answer)))).toBeInstanceOf(ServerError);
  });
  for (const [name, chunk] of [['64 KiB chunks', 64 * 1024], ['1 KiB chunks', 1024], ['one chunk of 3 MiB', 3 * MiB]] as const) {
    test(`undeclared, endless, ${name}: cancelled just past the bound`, async () => {
      const tap: Tap = { pulled: 0, cancelled: false };
      const body = new Uint8Array(chunk).fill(0x20);
      body[0] = 0x7b;
      const answer: Answer = (t) => new Response(streamed(t, forever(body)), { headers: JSON_TYPE });
      expect(await failure(exchange(manager(answer, tap)))).toBeInstanceOf(InvalidResponseError);
      expect(tap.cancelled).toBe(true);
      expect(tap.pulled).toBeLessThanOrEqual(MiB + 2 * chunk);
    });
  }
  test('exactly 1 MiB of valid JSON is read', async () => {
    const base = JSON.stringify(good);
    const padded = `${base.slice(0, -1)},"pad":"${'p'.repeat(MiB - base.length - 9)}"}`;
    expect(encoder.encode(padded).byteLength).toBe(MiB);
    expect((await exchange(manager(text(padded)))).user.id).toBe('user_1');
    expect(await failure(exchange(manager(text(`${padded} `))))).toBeInstanceOf(InvalidResponseError);
  });
});

describe('timeouts cover the whole exchange', () => {
  test('a fetch that never answers and ignores the signal', async () => {
    const sessions = manager(() => new Promise<Response>(() => undefined), undefined, 100);
    const error = await failure(exchange(sessions));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.retryable).toBe(true);
  });
  test('headers in time, then a body that stalls (and ignores the signal)', async () => {
    const tap: Tap = { pulled: 0, cancelled: false };
    const answer: Answer = (t) => new Response(new ReadableStream({ pull: () => new Promise(() => undefined), cancel: () => void (t.cancelled = true) }), { headers: JSON_TYPE });
    expect(await failure(exchange(manager(answer, tap, 100)))).toBeInstanceOf(TimeoutError);
    expect(tap.cancelled).toBe(true);
  });
  test('a body that drips one byte at a time, valid as far as it goes', async () => {
    const tap: Tap = { pulled: 0, cancelled: false };
    const drip = (function* () {
      yield '{"access_token":"';
      yield* forever(encoder.encode('a'));
    })();
    const answer: Answer = (t) => new Response(streamed(t, drip, { delayMs: 10 }), { headers: JSON_TYPE });
    const error = await failure(exchange(manager(answer, tap, 150)));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.status).toBe(200);
    expect(tap.cancelled).toBe(true);
  });
  test('an error page that drips: a timeout too', async () => {
    const answer: Answer = (t) => new Response(streamed(t, forever(encoder.encode('<')), { delayMs: 10 }), { status: 502 });
    expect(await failure(exchange(manager(answer, undefined, 100)))).toBeInstanceOf(TimeoutError);
  });
});

describe('broken transports', () => {
  test('fetch rejects: NetworkError', async () => {
    for (const thrown of [new TypeError('fetch failed'), new Error('ECONNRESET'), 'a string', undefined]) {
      const error = await failure(exchange(manager(() => Promise.reject(thrown))));
      expect(error).toBeInstanceOf(NetworkError);
    }
  });
  test('an app fetch that throws at once, or answers with no Response: NetworkError', async () => {
    const throwing = new SessionManager({
      clientId: 'client_api', apiKey: 'sk_test', cookiePassword: PASSWORD, baseUrl: 'https://api.test',
      fetch: () => {
        throw new TypeError('not today');
      },
    });
    expect(await failure(exchange(throwing))).toBeInstanceOf(NetworkError);
    for (const answer of [undefined, null, 'ok', { status: '200' }, { status: 200 }]) {
      expect(await failure(exchange(manager(() => answer as unknown as Response)))).toBeInstanceOf(NetworkError);
    }
  });
  test('an app fetch whose body is no ReadableStream: NetworkError', async () => {
    const answer: Answer = () => ({ status: 200, ok: true, redirected: false, headers: new Headers(JSON_TYPE), body: { pipe: () => undefined } }) as unknown as Response;
    expect(await failure(exchange(manager(answer)))).toBeInstanceOf(NetworkError);
  });
  test('the body stream errors half way: NetworkError', async () => {
    const answer: Answer = () =>
      new Response(new ReadableStream({ start: (controller) => { controller.enqueue(encoder.encode('{"access')); controller.error(new TypeError('terminated')); } }), { headers: JSON_TYPE });
    expect(await failure(exchange(manager(answer)))).toBeInstanceOf(NetworkError);
  });
  test('a stream of things that are not bytes: NetworkError', async () => {
    for (const chunk of ['{"a":1}', 42, null, { length: 3 }]) {
      const answer: Answer = () => new Response(new ReadableStream({ start: (controller) => { controller.enqueue(chunk); controller.close(); } }), { headers: JSON_TYPE });
      expect(await failure(exchange(manager(answer)))).toBeInstanceOf(NetworkError);
    }
  });
});

describe('every public entry point gives a typed result', () => {
  const hostile: Array<[string, Answer, string]> = [
    ['HTML 200', text('<html>', 200, { 'content-type': 'text/html' }), 'invalid_response'],
    ['HTML 403', text('<html>', 403, { 'content-type': 'text/html' }), 'invalid_response'],
    ['redirect', text('', 302, { location: 'https://evil.test/' }), 'invalid_response'],
    ['huge', (t) => new Response(streamed(t, forever(new Uint8Array(256 * 1024))), { headers: JSON_TYPE }), 'invalid_response'],
    ['wrong shape', text('[]'), 'invalid_response'],
    ['stall', () => new Response(new ReadableStream({ pull: () => new Promise(() => undefined) }), { headers: JSON_TYPE }), 'timeout'],
  ];
  for (const [name, answer, code] of hostile) {
    test(`${name}: authenticateWithCode and authenticateWithRefreshToken reject with ${code}, refresh() keeps the cookie`, async () => {
      const sessions = manager(answer, undefined, 200);
      expect(await failure(sessions.authenticateWithCode({ code: 'code_1', codeVerifier: 'v' }))).toMatchObject({ code });
      expect(await failure(exchange(sessions))).toMatchObject({ code });
      const cookie = await sessions.sealSessionFromAuthResponse({ accessToken: ACCESS_TOKEN, refreshToken: 'refresh_1', user });
      expect(await sessions.loadSealedSession({ sessionData: cookie }).refresh()).toEqual({ authenticated: false, reason: code, retryable: true });
    });
  }
});

describe('any status, headers and bytes', () => {
  test('resolve to an authentication response or reject with an ApiError, in any chunking', async () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 256 }),
      fc.jsonValue().map((value) => encoder.encode(JSON.stringify(value) ?? '')),
      fc.record({ access_token: fc.oneof(fc.constant(ACCESS_TOKEN), fc.anything()), refresh_token: fc.anything(), user: fc.oneof(fc.constant(wireUser), fc.anything()) })
        .map((value) => encoder.encode(JSON.stringify(value))),
    );
    const type = fc.constantFrom('application/json', 'text/html', 'application/problem+json', '', 'application/json; charset=latin1');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 200, max: 599 }), body, type, fc.integer({ min: 1, max: 64 }), async (status, bytes, contentType, size) => {
        const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.slice(i * size, (i + 1) * size));
        const nullBody = [204, 205, 304].includes(status);
        const answer: Answer = (tap) => new Response(nullBody ? null : streamed(tap, chunks), { status, headers: contentType ? { 'content-type': contentType } : {} });
        const outcome = await exchange(manager(answer)).then(
          (auth) => auth,
          (error: unknown) => error,
        );
        if (outcome instanceof ApiError) return;
        expect(outcome).toMatchObject({ accessToken: ACCESS_TOKEN, user: { id: 'user_1' } });
      }),
      { numRuns: 300 },
    );
  });
});
