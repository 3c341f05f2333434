/**
 * Helpers shared by the refresh storm tests: sign a user in at the emulator and seal the cookie
 * an app would set, fire many requests carrying one cookie, and read what came back.
 */
import { SessionManager } from '../../../src/index.js';
import { PASSWORD } from '../../support/web-app.js';
import { signInCode } from '../../support/signin.js';

/** An access token is expired (and the refresh buffer passed) when the app's clock is this far ahead. */
export const EXPIRED_OFFSET_MS = 3600_000 + 60_000;

export interface Provider {
  /** What the app talks to (the counting proxy). */
  baseUrl: string;
  /** The emulator's own URL: the `iss` of its tokens. */
  issuer: string;
  clientId: string;
  apiKey: string;
}

/** A manager with the test apps' password (on the real clock unless `now` is given): it can open and check their cookies. */
export function referenceManager(provider: Provider, now?: () => number): SessionManager {
  return new SessionManager({ ...provider, cookiePassword: PASSWORD, now });
}

/** Signs `email` in at the emulator and returns the sealed cookie a callback would have set. */
export async function sealedCookieFor(manager: SessionManager, email: string): Promise<string> {
  const { code, codeVerifier } = await signInCode(manager, email);
  const auth = await manager.authenticateWithCode({ code, codeVerifier });
  return manager.sealSessionFromAuthResponse(auth);
}

/** What one request of a storm got back. */
export interface StormReply {
  status: number;
  body: {
    authenticated?: boolean; reason?: string; refreshed?: boolean; email?: string;
    retryable?: boolean; detail?: string; retryAfter?: number; cookieError?: string;
  };
  /** Every `Set-Cookie` of the response. */
  setCookies: string[];
  /** The `wos-session` value the response sets, if any. */
  newCookie: string | undefined;
}

/** The value of the `name` cookie a response sets, or `undefined`. */
export function setCookieValue(response: Response, name = 'wos-session'): string | undefined {
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) === name) return pair.slice(eq + 1);
  }
  return undefined;
}

/** `GET /api/me` on `origin` with the session cookie `cookie`. */
export async function me(origin: string, cookie: string): Promise<StormReply> {
  const response = await fetch(new URL('/api/me', origin), { headers: { cookie: `wos-session=${cookie}` } });
  return { status: response.status, body: (await response.json()) as StormReply['body'], newCookie: setCookieValue(response), setCookies: response.headers.getSetCookie() };
}

/** `count` concurrent requests carrying `cookie`, spread round-robin over `origins`. */
export function storm(origins: readonly string[], cookie: string, count: number): Promise<StormReply[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => me(origins[i % origins.length]!, cookie)));
}
