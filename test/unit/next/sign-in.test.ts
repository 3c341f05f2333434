import { afterEach, describe, expect, test } from 'vitest';
import { SessionManager, sealData } from '../../../src/index.js';
import { CallbackError, configureAuthKit, handleAuth } from '../../../src/next/index.js';
import { signInLink } from '../../../src/next/sign-in.js';
import { runtime } from '../../../src/next/runtime.js';
import { cookiesAfter, parseSetCookie } from '../../../src/next/set-cookie.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const OTHER_PASSWORD = 'Zq8w3Ex5Rt7Yu9Io1Pa2Sd4Fg6Hj8Kl0';
const API = 'https://api.workos.test';
/** No network in unit tests: the provider is unreachable. */
const offline: typeof fetch = async () => {
  throw new TypeError('fetch failed');
};

function setUp(redirectUri = 'http://localhost:3000/auth/callback', password = PASSWORD) {
  configureAuthKit({ sessions: new SessionManager({ clientId: 'client_test', cookiePassword: password, baseUrl: API, fetch: offline }), redirectUri });
  return runtime();
}

afterEach(() => configureAuthKit());

/** Follows a sign-in link into the callback route: the redirect to the provider and the cookies it set. */
async function start(link: string, cookies = new Map<string, string>()) {
  const response = await handleAuth()(new Request(link, { headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } }));
  return { response, location: new URL(response.headers.get('location') ?? 'about:blank'), setCookies: response.headers.getSetCookie() };
}

function callback(query: string, cookies: Map<string, string>, onError?: Parameters<typeof handleAuth>[0] extends infer O ? O extends { onError?: infer E } ? E : never : never) {
  return handleAuth(onError ? { onError } : {})(
    new Request(`http://localhost:3000/auth/callback?${query}`, { headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } }),
  );
}

describe('sign-in links', () => {
  test('a link starts a PKCE sign-in at the provider with its options, and sets the verifier cookie', async () => {
    const rt = setUp();
    const link = await signInLink(rt, 'sign-up', { returnTo: '/billing?tab=1', organizationId: 'org_123', loginHint: 'alice@acme.test', prompt: 'consent' });
    expect(link.startsWith('http://localhost:3000/auth/callback?authkit_sign_in=Fe26.2*')).toBe(true);
    const { response, location, setCookies } = await start(link);
    expect(response.status).toBe(307);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(`${location.origin}${location.pathname}`).toBe(`${API}/user_management/authorize`);
    const params = Object.fromEntries(location.searchParams);
    expect(params).toMatchObject({
      client_id: 'client_test',
      redirect_uri: 'http://localhost:3000/auth/callback',
      response_type: 'code',
      provider: 'authkit',
      screen_hint: 'sign-up',
      organization_id: 'org_123',
      login_hint: 'alice@acme.test',
      prompt: 'consent',
      code_challenge_method: 'S256',
    });
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(setCookies).toHaveLength(1);
    const cookie = parseSetCookie(setCookies[0]!);
    expect(cookie.name).toBe(`wos-auth-verifier-${params.state!.slice(0, 16)}`);
    expect(cookie.options).toEqual({ path: '/', maxAge: 600, httpOnly: true, sameSite: 'lax' });
    // Two starts of one link are two flows.
    expect((await start(link)).location.searchParams.get('state')).not.toBe(params.state);
  });

  test('over https the verifier cookie is __Host- and Secure', async () => {
    const rt = setUp('https://app.example.com/auth/callback');
    const { location, setCookies } = await start(await signInLink(rt, 'sign-in'));
    const cookie = parseSetCookie(setCookies[0]!);
    expect(cookie.name).toBe(`__Host-wos-auth-verifier-${location.searchParams.get('state')!.slice(0, 16)}`);
    expect(cookie.options).toMatchObject({ path: '/', secure: true, httpOnly: true });
    expect(cookie.options.domain).toBeUndefined();
  });

  test('a return path that leaves the app becomes /', async () => {
    const rt = setUp();
    for (const returnTo of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/.//evil.example', 'javascript:alert(1)']) {
      const link = await signInLink(rt, 'sign-in', { returnTo });
      const sealed = new URL(link).searchParams.get('authkit_sign_in')!;
      expect((await rt.sessions.unsealState<{ r: string }>(sealed, 0)).r).toBe('/');
    }
  });

  test('a link not sealed by this app starts nothing: 400, no cookie', async () => {
    const rt = setUp();
    const genuine = new URL(await signInLink(rt, 'sign-in'));
    const sealed = genuine.searchParams.get('authkit_sign_in')!;
    const other = new SessionManager({ clientId: 'client_test', cookiePassword: OTHER_PASSWORD, baseUrl: API, fetch: offline });
    const forgeries = [
      '',
      'x',
      `${sealed.slice(0, -3)}abc`,
      sealed.replace('Fe26.2', 'Fe26.1'),
      new URL(await signInLink({ ...rt, sessions: other }, 'sign-in')).searchParams.get('authkit_sign_in')!,
      // Sealed with the cookie password itself, not the sign-in key derived from it.
      await sealData({ t: 'link', u: 'http://localhost:3000/auth/callback', h: 'sign-in' }, { password: PASSWORD }),
      // A verifier cookie's content is no link.
      await rt.sessions.sealState({ t: 'flow', state: 's', codeVerifier: 'v' }, 600),
      await rt.sessions.sealState({ t: 'link', u: 'not a url', h: 'sign-in' }, 0),
      await rt.sessions.sealState('just a string', 0),
      'a'.repeat(100_000),
    ];
    for (const forged of forgeries) {
      const url = new URL(genuine);
      url.searchParams.set('authkit_sign_in', forged);
      const { response, setCookies } = await start(url.href);
      expect(response.status, forged.slice(0, 40)).toBe(400);
      expect(setCookies).toEqual([]);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe('Something went wrong');
    }
  });

  test('past five unfinished sign-ins in one browser, the older verifier cookies are deleted', async () => {
    const rt = setUp();
    const link = await signInLink(rt, 'sign-in');
    let cookies = new Map<string, string>([['theme', 'dark']]);
    for (let i = 0; i < 5; i++) cookies = cookiesAfter(cookies, (await start(link, cookies)).setCookies);
    expect([...cookies.keys()].filter((name) => name.startsWith('wos-auth-verifier-'))).toHaveLength(5);
    cookies = cookiesAfter(cookies, (await start(link, cookies)).setCookies);
    expect([...cookies.keys()].filter((name) => name.startsWith('wos-auth-verifier-'))).toHaveLength(1);
    expect(cookies.get('theme')).toBe('dark');
  });
});

describe('callbacks that must fail', () => {
  async function startedFlow() {
    const rt = setUp();
    const { location, setCookies } = await start(await signInLink(rt, 'sign-in', { returnTo: '/x' }));
    return { state: location.searchParams.get('state')!, cookies: cookiesAfter(new Map(), setCookies), rt };
  }

  test('each failure is a 400 with a CallbackError code, and deletes the flow’s verifier cookie', async () => {
    const { state, cookies, rt } = await startedFlow();
    const name = [...cookies.keys()][0]!;
    const sameNameOtherState = `${state.slice(0, 16)}${'A'.repeat(16)}`;
    const linkAsCookie = new URL(await signInLink(rt, 'sign-in')).searchParams.get('authkit_sign_in')!;
    const cases: Array<[query: string, jar: Map<string, string>, code: string]> = [
      ['', cookies, 'missing_auth_params'],
      [`state=${state}`, cookies, 'missing_auth_params'],
      ['code=abc', cookies, 'missing_auth_params'],
      [`code=&state=${state}`, cookies, 'missing_auth_params'],
      [`code=abc&state=${state}`, new Map(), 'missing_pkce_cookie'],
      [`code=abc&state=${state}&error=access_denied`, cookies, 'provider_error'],
      [`code=abc&state=${sameNameOtherState}`, cookies, 'oauth_state_mismatch'],
      [`code=abc&state=${state}`, new Map([[name, 'Fe26.2*garbage']]), 'oauth_state_mismatch'],
      [`code=abc&state=${state}`, new Map([[name, linkAsCookie]]), 'oauth_state_mismatch'],
      [`code=abc&state=${state}`, new Map([[name, await rt.sessions.sealState({ t: 'flow', state: 'other', codeVerifier: 'v' }, 600)]]), 'oauth_state_mismatch'],
      [`code=abc&state=${state}`, new Map([[name, await sealData({ t: 'flow', state, codeVerifier: 'v' }, { password: PASSWORD, ttl: 600 })]]), 'oauth_state_mismatch'],
    ];
    for (const [query, jar, code] of cases) {
      const errors: unknown[] = [];
      const response = await callback(query, jar, ({ error }) => {
        errors.push(error);
        return Response.json({ code: error instanceof CallbackError ? error.code : 'other' }, { status: 400 });
      });
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { code: string }).code, query).toBe(code);
      expect(errors[0]).toBeInstanceOf(CallbackError);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const statePart = new URLSearchParams(query).get('state');
      const deleted = response.headers.getSetCookie().map(parseSetCookie);
      expect(deleted.every((cookie) => cookie.options.maxAge === 0)).toBe(true);
      if (statePart) expect(deleted.map((cookie) => cookie.name)).toEqual([`wos-auth-verifier-${statePart.slice(0, 16)}`]);
      else expect(deleted).toEqual([]);
    }
  });

  test('without onError, a failure is a 400 JSON error that tells nothing of the cause', async () => {
    const { state } = await startedFlow();
    const response = await callback(`code=abc&state=${state}`, new Map());
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { message: 'Something went wrong', description: "Couldn't sign in. If you are not sure what happened, please contact your organization admin." },
    });
  });

  test('a flow older than ten minutes is refused; a fresh one with the same content opens', async () => {
    const { state, cookies } = await startedFlow();
    const name = [...cookies.keys()][0]!;
    const sealedAt = (now: number) =>
      new SessionManager({ clientId: 'client_test', cookiePassword: PASSWORD, baseUrl: API, fetch: offline, now: () => now }).sealState({ t: 'flow', state, codeVerifier: 'v' }, 600);
    const codeOf = async (sealed: string) => {
      const response = await callback(`code=abc&state=${state}`, new Map([[name, sealed]]), ({ error }) => Response.json({ code: (error as CallbackError).code }, { status: 400 }));
      return ((await response.json()) as { code: string }).code;
    };
    expect(await codeOf(await sealedAt(Date.now() - 700_000))).toBe('oauth_state_mismatch');
    // The fresh one gets as far as the code exchange (no provider here).
    expect(await codeOf(await sealedAt(Date.now()))).toBe('code_exchange_failed');
  });

  test('an unreachable provider is a 503, not a 400: the user did nothing wrong', async () => {
    const { state, cookies } = await startedFlow();
    const response = await callback(`code=abc&state=${state}`, cookies);
    expect(response.status).toBe(503);
  });
});
