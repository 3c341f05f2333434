import { describe, expect, test } from 'vitest';
import { SessionManager, createRequestAuthenticator, createSessionHandler, type SessionHandlerOptions } from '../../../src/index.js';
import { ConfigError } from '../../../src/errors/index.js';
import { thrownBy } from '../../support/errors.js';

const sessions = new SessionManager({ clientId: 'client_123', cookiePassword: 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA', env: {} });
const valid: SessionHandlerOptions = { sessions, redirectUri: 'https://app.example.com/auth/callback' };

const refusal = (create: () => unknown): ConfigError => thrownBy(ConfigError, create);

// [option named first in the message, options, words of the fix]
const wrong: Array<[string, Record<string, unknown>, RegExp]> = [
  ['redirectUri', { redirectUri: undefined }, /required.*https:\/\/app\.example\.com\/auth\/callback.*WorkOS dashboard/],
  ['redirectUri', { redirectUri: '' }, /required/],
  ['redirectUri', { redirectUri: '/auth/callback' }, /absolute http\(s\) URL.*relative.*got "\/auth\/callback"/],
  ['redirectUri', { redirectUri: 'auth/callback' }, /relative/],
  ['redirectUri', { redirectUri: 'localhost:3000/auth/callback' }, /scheme localhost:/],
  ['redirectUri', { redirectUri: '//app.example.com/auth/callback' }, /relative/],
  ['redirectUri', { redirectUri: 'ftp://app.example.com/cb' }, /scheme ftp:/],
  ['redirectUri', { redirectUri: 'javascript:alert(1)' }, /scheme javascript:/],
  ['redirectUri', { redirectUri: 'https://app.example.com/cb#x' }, /without fragment/],
  ['redirectUri', { redirectUri: 'https://u:p@app.example.com/cb' }, /without user name or password/],
  ['redirectUri', { redirectUri: 3000 }, /got 3000/],
  ['redirectUri', { redirectUri: null }, /got null/],
  ['sessions', { sessions: undefined }, /SessionManager.*got nothing/],
  ['sessions', { sessions: {} }, /new SessionManager\(/],
  ['sessions', { sessions: 'sessions' }, /got "sessions"/],
  ['basePath', { basePath: 'auth' }, /starting with a single \/ \(default "\/auth"\), without query or fragment; got "auth"/],
  ['basePath', { basePath: '//auth' }, /single \//],
  ['basePath', { basePath: '/auth?x' }, /without query/],
  ['basePath', { basePath: 1 }, /got 1/],
  ['afterSignInPath', { afterSignInPath: 'https://evil.example/' }, /path on this site.*default "\/"/],
  ['afterSignInPath', { afterSignInPath: '//evil.example' }, /path on this site/],
  ['afterSignInPath', { afterSignInPath: 'dashboard' }, /path on this site/],
  ['afterSignInPath', { afterSignInPath: 7 }, /got 7/],
  ['afterSignOutUrl', { afterSignOutUrl: '/signed-out' }, /absolute http\(s\) URL.*sign-out redirect.*WorkOS dashboard/],
  ['afterSignOutUrl', { afterSignOutUrl: 'mailto:x@example.com' }, /scheme mailto:/],
  ['revokeOnSignOut', { revokeOnSignOut: 'yes' }, /true or false \(default false\); got "yes"/],
  ['refreshBufferSec', { refreshBufferSec: -1 }, /seconds from 0.*\(default 60\); got -1/],
  ['refreshBufferSec', { refreshBufferSec: '60' }, /got "60"/],
  ['proactiveRefreshWaitMs', { proactiveRefreshWaitMs: Number.NaN }, /milliseconds.*\(default 2000\); got NaN/],
  ['proactiveRefreshWaitMs', { proactiveRefreshWaitMs: 2 ** 31 }, /got 2147483648/],
  ['coordinator', { coordinator: 'redis' }, /RefreshCoordinator.*got "redis"/],
  ['coordinator', { coordinator: {} }, /RefreshCoordinator/],
  ['cookie', { cookie: '__Host-wos-session' }, /object.*name.*got "__Host-wos-session"/],
  ['cookie', { cookie: { name: 'my session' } }, /cookie name/],
  ['cookie', { cookie: { maxAge: 0 } }, /maxAge must be a positive integer/],
  ['cookie', { cookie: { name: '__Host-wos-session', domain: 'example.com' } }, /__Host-/],
  ['cookie', { cookie: { sameSite: 'never' } }, /sameSite|SameSite/],
  ['cookie.maxChunks', { cookie: { maxChunks: 0 } }, /whole number from 1 to 16 \(default 3\); got 0/],
  ['cookie.maxChunks', { cookie: { maxChunks: 2.5 } }, /got 2.5/],
  ['cookie.maxChunks', { cookie: { maxChunks: 99 } }, /got 99/],
  ['cookie.url', { cookie: { url: '/app' } }, /absolute http\(s\) URL/],
  ['authorization', { authorization: 'authkit' }, /provider: 'authkit'.*got "authkit"/],
];

describe('createSessionHandler options', () => {
  test.each(wrong)('%s: %j', (option, options, fix) => {
    const error = refusal(() => createSessionHandler({ ...valid, ...options } as SessionHandlerOptions));
    expect(error.code).toBe('config_invalid');
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    expect(problem?.startsWith(option)).toBe(true);
    expect(problem).toMatch(fix);
  });

  test.each([undefined, null, 'https://app.example.com/auth/callback', [valid]])('options that are not an object (%j)', (options) => {
    const error = refusal(() => createSessionHandler(options as never));
    expect(error.problems).toEqual([expect.stringMatching(/^createSessionHandler\(\) (takes|needs) .*\{ sessions, redirectUri \}/)]);
  });

  test('every problem at once', () => {
    const error = refusal(() => createSessionHandler({ sessions, redirectUri: '/cb', basePath: 'auth', refreshBufferSec: -1 } as SessionHandlerOptions));
    expect(error.problems.map((problem) => problem.split(' ', 1)[0])).toEqual(['refreshBufferSec', 'redirectUri', 'basePath']);
  });

  test('valid settings are accepted, http://localhost included', () => {
    expect(() => createSessionHandler({ ...valid, redirectUri: 'http://localhost:3000/auth/callback?tenant=a', basePath: '/api/auth/', afterSignInPath: '/app?tab=1', afterSignOutUrl: 'http://localhost:3000/', cookie: { name: '__Host-wos-session', maxChunks: 5 } })).not.toThrow();
  });
});

describe('createRequestAuthenticator options', () => {
  test.each(wrong.filter(([option]) => !['redirectUri', 'basePath', 'afterSignInPath', 'afterSignOutUrl', 'revokeOnSignOut', 'authorization'].includes(option)))(
    '%s: %j',
    (option, options, fix) => {
      const error = refusal(() => createRequestAuthenticator({ sessions, ...options } as never));
      expect(error.problems[0]?.startsWith(option)).toBe(true);
      expect(error.problems[0]).toMatch(fix);
    },
  );
});
