/**
 * Helpers shared by the JWKS tests: a manager on a clock the test moves, against the fault
 * server's JWKS; cookies holding tokens signed by a given key; bursts of concurrent requests
 * through the public API or the request handler, with the JWKS fetches they caused.
 */
import { expect } from 'vitest';
import {
  createRequestAuthenticator,
  SessionManager,
  type AuthenticateResult,
  type RequestAuth,
  type SessionManagerOptions,
} from '../../../src/index.js';
import type { startFaultServer } from '../../support/fault-server.js';
import type { TestSigner } from '../../support/tokens.js';
import { user } from '../../support/users.js';

export type FaultServer = Awaited<ReturnType<typeof startFaultServer>>;

export const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
export const CLIENT_ID = 'client_jwks';
/** The test clock starts here, in milliseconds. */
export const T0 = 1_800_000_000_000;
/** Concurrent requests per burst. */
export const BURST = 200;


/** A manager whose clock only moves when the test says. */
export function clocked(server: FaultServer, options: Partial<SessionManagerOptions> = {}) {
  let clock = T0;
  const sessions = new SessionManager({
    clientId: CLIENT_ID, apiKey: 'sk_test', cookiePassword: PASSWORD, baseUrl: server.url, now: () => clock, ...options,
  });
  return {
    sessions,
    authenticator: createRequestAuthenticator({ sessions, cookie: { url: 'https://app.test' } }),
    now: () => clock,
    advance: (ms: number) => void (clock += ms),
  };
}
export type Clocked = ReturnType<typeof clocked>;

let serial = 0;

/** `count` cookies, each with its own token signed by `signer`, issued `ageMs` before the clock. */
export async function cookiesSignedBy(app: Clocked, server: FaultServer, signer: TestSigner, count: number, ageMs = 1_000): Promise<string[]> {
  const iat = Math.floor((app.now() - ageMs) / 1000);
  return Promise.all(
    Array.from({ length: count }, async () => {
      const accessToken = await signer.sign({
        iss: server.url, sub: user.id, sid: 'session_1', aud: CLIENT_ID, iat, exp: iat + 3600, jti: `t${serial++}`,
      });
      return app.sessions.sealSessionFromAuthResponse({ accessToken, refreshToken: 'refresh_1', user });
    }),
  );
}

/**
 * Options of a burst. `background`: the keys are stale, so requests may have started a fetch
 * without waiting for it; wait for it before counting. A lookup of a `kid` nobody publishes
 * joins the fetch in flight, and starts none of its own: with stale keys, either a fetch was
 * attempted at this same instant (the cooldown holds) or a backoff is running.
 */
export interface BurstOptions {
  background?: boolean;
}

async function settled(app: Clocked, options: BurstOptions): Promise<void> {
  if (options.background) await app.sessions.jwks.getKey('settle-probe').catch(() => undefined);
}

/** `BURST` concurrent `authenticate()` calls over `cookies` (round robin), and the JWKS fetches they caused. */
export async function burst(app: Clocked, server: FaultServer, cookies: readonly string[], options: BurstOptions = {}): Promise<{ results: AuthenticateResult[]; fetches: number }> {
  const before = server.state.calls.jwks;
  const results = await Promise.all(
    Array.from({ length: BURST }, (_, index) => app.sessions.loadSealedSession({ sessionData: cookies[index % cookies.length] }).authenticate()),
  );
  await settled(app, options);
  return { results, fetches: server.state.calls.jwks - before };
}

/** `BURST` concurrent requests through the request handler, and the JWKS fetches they caused. */
export async function handlerBurst(app: Clocked, server: FaultServer, cookies: readonly string[], options: BurstOptions = {}): Promise<{ auths: RequestAuth[]; fetches: number }> {
  const before = server.state.calls.jwks;
  const name = app.authenticator.cookie.name;
  const auths = await Promise.all(
    Array.from({ length: BURST }, (_, index) =>
      app.authenticator.authenticate(new Request('https://app.test/', { headers: { cookie: `${name}=${cookies[index % cookies.length]}` } })),
    ),
  );
  await settled(app, options);
  return { auths, fetches: server.state.calls.jwks - before };
}

/** Every result kept the cookie and may succeed later: `jwks_unavailable`, retryable, no refresh. */
export function expectRetryable(results: readonly AuthenticateResult[]): void {
  for (const result of results) {
    expect(result).toEqual({ authenticated: false, reason: 'jwks_unavailable', detail: 'jwks_unavailable', refreshable: false, retryable: true });
  }
}

/** Every request was retryable and its response neither deletes nor rewrites the cookie. */
export function expectCookieKept(auths: readonly RequestAuth[]): void {
  for (const { session, setCookies } of auths) {
    expect(session).toMatchObject({ authenticated: false, reason: 'jwks_unavailable', retryable: true });
    expect(setCookies).toEqual([]);
  }
}

export function expectAuthenticated(results: readonly AuthenticateResult[]): void {
  for (const result of results) expect(result).toMatchObject({ authenticated: true, sessionId: 'session_1' });
}
