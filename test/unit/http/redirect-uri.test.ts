/**
 * The `redirectUri` option of the session handler, judged through the sign-in route as a
 * browser meets it: the callback URL the provider is sent to, for one URL, an allow-list with a
 * wildcard subdomain, and a function of the request; hostile origins never get a callback of
 * their own; a bad configuration is refused at construction.
 */
import { describe, expect, test } from 'vitest';
import { createSessionHandler, SessionManager, type SessionEvent, type SessionHandlerOptions } from '../../../src/index.js';
import { ConfigError } from '../../../src/errors/index.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const PROD = 'https://app.example.com/auth/callback';
const PREVIEWS = 'https://*.preview.example.com/auth/callback';
const STAGING = 'https://staging.example.com/auth/callback';

const sessions = new SessionManager({ clientId: 'client_test', apiKey: 'sk_test', cookiePassword: PASSWORD, baseUrl: 'https://api.example.com', env: {} });

function handler(redirectUri: SessionHandlerOptions['redirectUri'], options: Partial<SessionHandlerOptions> = {}) {
  const events: SessionEvent[] = [];
  const auth = createSessionHandler({ sessions, redirectUri, onEvent: (event) => events.push(event), ...options });
  return { auth, events };
}

/** The callback URL a sign-in at `origin` sends the provider, or the status when it is refused. */
async function callbackFor(auth: ReturnType<typeof createSessionHandler>, origin: string): Promise<string | number> {
  const response = (await auth.handle(new Request(`${origin}${auth.paths.signIn}`)))!;
  if (response.status !== 302) return response.status;
  return new URL(response.headers.get('location')!).searchParams.get('redirect_uri')!;
}

describe('one URL', () => {
  test('every request uses it, whatever its origin (a proxy may hide the public one)', async () => {
    const { auth } = handler(PROD);
    for (const origin of ['https://app.example.com', 'http://10.0.0.7:3000', 'https://evil.example']) {
      expect(await callbackFor(auth, origin)).toBe(PROD);
    }
    expect(auth.paths.callback).toBe('/auth/callback');
  });
});

describe('an allow-list', () => {
  const { auth, events } = handler([PROD, STAGING, PREVIEWS]);

  test('a listed origin gets its own callback; a preview subdomain fills the wildcard', async () => {
    expect(await callbackFor(auth, 'https://app.example.com')).toBe(PROD);
    expect(await callbackFor(auth, 'https://staging.example.com')).toBe(STAGING);
    expect(await callbackFor(auth, 'https://pr-42.preview.example.com')).toBe('https://pr-42.preview.example.com/auth/callback');
    expect(await callbackFor(auth, 'https://PR-43.Preview.Example.COM')).toBe('https://pr-43.preview.example.com/auth/callback');
    expect(events.filter((event) => event.type === 'sign_in.started').map((event) => event.type === 'sign_in.started' && event.redirectUri)).toEqual([
      PROD, STAGING, 'https://pr-42.preview.example.com/auth/callback', 'https://pr-43.preview.example.com/auth/callback',
    ]);
  });

  // Origins an attacker can make a request come from (a Host header, a look-alike domain): each
  // must fall back to the first URL, never get a callback on its own origin.
  const HOSTILE = [
    'https://evil.example',
    'https://preview.example.com',
    'https://a.b.preview.example.com',
    'https://x.preview.example.com.evil.example',
    'https://xpreview.example.com',
    'https://x-preview.example.com',
    'http://x.preview.example.com',
    'https://x.preview.example.com:8443',
    'https://-x.preview.example.com',
    'https://x-.preview.example.com',
    'https://x_y.preview.example.com',
    `https://${'a'.repeat(64)}.preview.example.com`,
    'https://app.example.com:444',
    'http://app.example.com',
    'https://staging.example.com.evil.example',
    'https://xn--80ak6aa92e.preview.example.com.evil.example',
    'https://[::1]',
    'https://127.0.0.1',
  ];
  for (const origin of HOSTILE) {
    test(`${origin} gets the first URL`, async () => {
      expect(await callbackFor(auth, origin)).toBe(PROD);
    });
  }

  test('a one-label subdomain of the wildcard, punycode included, is accepted', async () => {
    for (const label of ['a', 'pr-1', 'xn--80ak6aa92e', 'a'.repeat(63), '0']) {
      expect(await callbackFor(auth, `https://${label}.preview.example.com`)).toBe(`https://${label}.preview.example.com/auth/callback`);
    }
  });
});

describe('a function of the request', () => {
  const fromHeader = (request: Request) => {
    const branch = request.headers.get('x-branch');
    return branch === null ? undefined : `https://${branch}.preview.example.com/auth/callback`;
  };

  test('its URL is used; undefined refuses the sign-in with a 400 and a sign_in.failed event', async () => {
    const { auth, events } = handler(fromHeader);
    const started = (await auth.handle(new Request('https://x.example/auth/sign-in', { headers: { 'x-branch': 'feat-1' } })))!;
    expect(new URL(started.headers.get('location')!).searchParams.get('redirect_uri')).toBe('https://feat-1.preview.example.com/auth/callback');
    expect(await callbackFor(auth, 'https://x.example')).toBe(400);
    expect(events.map((event) => event.type)).toEqual(['sign_in.started', 'sign_in.failed']);
    expect(events[1]).toMatchObject({ cause: 'redirect_uri_not_allowed', retryable: false });
  });

  test('the callback path is <basePath>/callback; any other answer refuses the sign-in', async () => {
    const answers: unknown[] = [
      'https://a.example/other/callback',
      'javascript:alert(1)//auth/callback',
      'ftp://a.example/auth/callback',
      '/auth/callback',
      'https://user:pass@a.example/auth/callback',
      'https://a.example/auth/callback#fragment',
      'not a url',
      '',
      42,
      null,
      { href: 'https://a.example/auth/callback' },
    ];
    for (const answer of answers) {
      const { auth } = handler(() => answer as string);
      expect({ answer, status: await callbackFor(auth, 'https://a.example') }).toEqual({ answer, status: 400 });
    }
    const { auth } = handler(() => new URL('https://a.example/auth/callback'));
    expect(await callbackFor(auth, 'https://a.example')).toBe('https://a.example/auth/callback');
    expect(auth.paths.callback).toBe('/auth/callback');
  });

  test('a function that throws refuses the sign-in; nothing escapes the handler', async () => {
    const { auth, events } = handler(() => {
      throw new Error('app bug');
    });
    expect(await callbackFor(auth, 'https://a.example')).toBe(400);
    const callback = await auth.handle(new Request('https://a.example/auth/callback?code=c&state=s'));
    expect(callback?.status).toBe(400);
    expect(events.map((event) => event.type === 'sign_in.failed' && event.cause)).toEqual(['redirect_uri_not_allowed', 'redirect_uri_not_allowed']);
  });
});

describe('configuration', () => {
  const bad: Array<[string, SessionHandlerOptions['redirectUri']]> = [
    ['an empty list', []],
    ['a wildcard first', [PREVIEWS, PROD]],
    ['two paths', [PROD, 'https://staging.example.com/callback']],
    ['a relative URL', '/auth/callback'],
    ['another scheme', 'ftp://app.example.com/auth/callback'],
    ['a wildcard inside a label', [PROD, 'https://pr-*.preview.example.com/auth/callback']],
    ['two wildcards', [PROD, 'https://*.*.example.com/auth/callback']],
    ['a wildcard over a public suffix', [PROD, 'https://*.com/auth/callback']],
    ['a fragment', 'https://app.example.com/auth/callback#x'],
  ];
  for (const [name, redirectUri] of bad) {
    test(`${name} is refused at construction`, () => {
      expect(() => createSessionHandler({ sessions, redirectUri })).toThrow(ConfigError);
      try {
        createSessionHandler({ sessions, redirectUri });
      } catch (error) {
        expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^redirectUri/)]);
      }
    });
  }
});
