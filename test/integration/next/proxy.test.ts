/**
 * `authkitProxy` options as a Next.js app sets them, called as Next.js calls the proxy (a
 * Request in, a response out), with sessions from the WorkOS emulator.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { SessionManager } from '../../../src/index.js';
import { authkitProxy, configureAuthKit, handleAuth } from '../../../src/next/index.js';
import { signInCode } from '../../support/signin.js';
import { PASSWORD } from '../../support/web-app.js';

const APP = 'http://localhost:3000';
const REDIRECT_URI = `${APP}/auth/callback`;

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let cookie: string;

beforeAll(async () => {
  emulator = await startEmulator();
  const sessions = new SessionManager({ clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: PASSWORD, baseUrl: emulator.url });
  configureAuthKit({ sessions, redirectUri: REDIRECT_URI });
  const { code, codeVerifier } = await signInCode(sessions, emulator.users.alice.email, REDIRECT_URI);
  cookie = await sessions.sealSessionFromAuthResponse(await sessions.authenticateWithCode({ code, codeVerifier }));
});

afterAll(async () => {
  configureAuthKit();
  await emulator?.close();
});

const proxy = authkitProxy({
  middlewareAuth: { enabled: true, unauthenticatedPaths: ['/', '/blog/:slug*'] },
  signUpPaths: ['/join', '/invite/:code'],
});

/** Where a sign-in redirect leads: the provider's screen and the return path after the callback route starts it. */
async function signInTarget(location: string): Promise<{ screenHint: string | null; returnTo: string | null }> {
  const started = await handleAuth()(new Request(new URL(location, APP)));
  const provider = new URL(started.headers.get('location')!);
  const callback = new URL((await fetch(provider, { redirect: 'manual' })).headers.get('location')!);
  const finished = await handleAuth()(
    new Request(callback, { headers: { cookie: started.headers.getSetCookie().map((value) => value.split(';', 1)[0]).join('; ') } }),
  );
  return { screenHint: provider.searchParams.get('screen_hint'), returnTo: finished.headers.get('location') };
}

describe('authkitProxy with middlewareAuth and signUpPaths', () => {
  test('signed out: protected paths redirect to sign-in and back, open paths and the callback pass', async () => {
    const protectedPaths: Array<[path: string, method: string, status: number]> = [
      ['/dashboard?tab=billing', 'GET', 307],
      ['/blogs', 'GET', 307],
      ['/admin/blog/x', 'HEAD', 307],
      ['/dashboard', 'POST', 303],
    ];
    for (const [path, method, status] of protectedPaths) {
      const response = await proxy(new Request(`${APP}${path}`, { method }));
      expect(response.status, `${method} ${path}`).toBe(status);
      expect(response.headers.get('location')).toMatch(/^http:\/\/localhost:3000\/auth\/callback\?authkit_sign_in=/);
    }
    const target = await signInTarget((await proxy(new Request(`${APP}/dashboard?tab=billing`))).headers.get('location')!);
    expect(target).toEqual({ screenHint: 'sign-in', returnTo: `${APP}/dashboard?tab=billing` });

    for (const path of ['/', '/blog', '/blog/2026/hello', '/auth/callback', '/auth/callback?code=x&state=y']) {
      const response = await proxy(new Request(`${APP}${path}`));
      expect(response.headers.get('location'), path).toBeNull();
      expect(response.status, path).toBe(200);
    }
  });

  test('sign-up paths open the sign-up screen', async () => {
    for (const path of ['/join', '/invite/abc123']) {
      const response = await proxy(new Request(`${APP}${path}`));
      expect((await signInTarget(response.headers.get('location')!)).screenHint, path).toBe('sign-up');
    }
  });

  test('signed in: every path passes, and the response is never stored by a shared cache', async () => {
    for (const path of ['/dashboard', '/join', '/']) {
      const response = await proxy(new Request(`${APP}${path}`, { headers: { cookie: `wos-session=${cookie}` } }));
      expect(response.headers.get('location'), path).toBeNull();
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(response.headers.get('vary')).toBe('Cookie');
      expect(response.headers.getSetCookie()).toEqual([]);
    }
  });

  test('a session cookie that does not open is deleted on the redirect', async () => {
    for (const bad of ['garbage', `${cookie.slice(0, -4)}AAAA`, 'Fe26.2**', cookie.replace('Fe26.2', 'Fe26.3')]) {
      const response = await proxy(new Request(`${APP}/dashboard`, { headers: { cookie: `wos-session=${bad}` } }));
      expect(response.status).toBe(307);
      expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^wos-session=; Path=\/; Max-Age=0/)]);
    }
  });

  test('an invalid path pattern fails when the proxy is created', () => {
    expect(() => authkitProxy({ middlewareAuth: { enabled: true, unauthenticatedPaths: ['dashboard'] } })).toThrow(TypeError);
    expect(() => authkitProxy({ signUpPaths: ['join'] })).toThrow(TypeError);
  });
});
