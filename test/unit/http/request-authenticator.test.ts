/**
 * The request authenticator's cookie writes, as its events report them: a session cookie near
 * the bytes its chunks can hold, or past them, is a `cookie.budget` event; a small one is not.
 * A session that could not be written is printed as a warning by default.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { COOKIE_SIZE_BUDGET } from '../../../src/cookies/index.js';
import { createRequestAuthenticator, SessionManager, type SessionEvent } from '../../../src/index.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const sessions = new SessionManager({ clientId: 'client_test', apiKey: 'sk_test', cookiePassword: PASSWORD, baseUrl: 'https://api.example.com', env: {} });
const request = new Request('https://app.example.com/');

afterEach(() => {
  vi.restoreAllMocks();
});

function authenticator(maxChunks?: number) {
  const events: SessionEvent[] = [];
  const auth = createRequestAuthenticator({ sessions, cookie: { url: 'https://app.example.com', maxChunks }, onEvent: (event) => events.push(event) });
  return { auth, events };
}

describe('cookie.budget', () => {
  test('sizes well under the budget write silently; near it, one event with the bytes and chunks written', () => {
    for (const maxChunks of [1, 2, 3]) {
      const { auth, events } = authenticator(maxChunks);
      const budgetBytes = maxChunks * COOKIE_SIZE_BUDGET;
      for (const length of [100, Math.floor(budgetBytes * 0.5), Math.floor(budgetBytes * 0.75)]) auth.writeCookie(request, 'a'.repeat(length));
      expect(events).toEqual([]);
      const written = auth.writeCookie(request, 'a'.repeat(Math.floor(budgetBytes * 0.9)));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'cookie.budget', budgetBytes, chunks: written.length, fits: true });
      const bytes = written.reduce((sum, header) => sum + header.length, 0);
      expect(events[0]).toMatchObject({ bytes });
    }
  });

  test('past the budget: the write throws as before, and the event says it did not fit', () => {
    const { auth, events } = authenticator(2);
    const value = 'a'.repeat(3 * COOKIE_SIZE_BUDGET);
    expect(() => auth.writeCookie(request, value)).toThrow(expect.objectContaining({ code: 'cookie_too_large' }));
    expect(events).toMatchObject([{ type: 'cookie.budget', bytes: value.length, budgetBytes: 2 * COOKIE_SIZE_BUDGET, chunks: 0, fits: false }]);
  });

  test('stale chunks deleted by a write are not counted', () => {
    const { auth, events } = authenticator(2);
    const stale = new Request('https://app.example.com/', { headers: { cookie: 'wos-session.0=a; wos-session.1=b; wos-session.2=c' } });
    const written = auth.writeCookie(stale, 'a'.repeat(Math.floor(COOKIE_SIZE_BUDGET * 1.8)));
    expect(written).toHaveLength(3);
    expect(written[2]).toMatch(/^wos-session\.2=;/);
    const bytes = written[0]!.length + written[1]!.length;
    expect(events).toMatchObject([{ type: 'cookie.budget', bytes, chunks: 2, fits: true }]);
  });

  test('without a listener, a cookie that could not be written is printed as a warning; one near the budget is not', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const auth = createRequestAuthenticator({ sessions, cookie: { url: 'https://app.example.com', maxChunks: 1 } });
    auth.writeCookie(request, 'a'.repeat(3900));
    expect(warn).not.toHaveBeenCalled();
    expect(() => auth.writeCookie(request, 'a'.repeat(5000))).toThrow();
    expect(warn.mock.calls).toEqual([[`sealed-session cookie.budget bytes=5000 budgetBytes=${COOKIE_SIZE_BUDGET} chunks=0 fits=false`]]);
  });
});
