/**
 * A sign-in between its redirect to the provider and the callback: the state sealed into a
 * short-lived cookie, and what the callback reads from the provider's answer.
 */
import { isSecureDefault } from '../cookies/session-cookie.js';
import type { CookieOptions } from '../cookies/serialize.js';
import { decodeJwt } from '../jwt/decode.js';

/** How long a sign-in may take, from the redirect to the callback. */
export const STATE_TTL_SEC = 600;

/**
 * The cookie that carries a sign-in's sealed state to the callback. Over https it is a `__Host-`
 * cookie, read under that name only: a sibling subdomain cannot plant one holding the state of
 * its own sign-in (login CSRF). Plain http is for loopback development, with no sibling to fear.
 */
export function stateCookieOf(redirectUrl: URL): { name: string; options: CookieOptions } {
  const options = { maxAge: STATE_TTL_SEC, httpOnly: true, sameSite: 'lax' as const };
  return isSecureDefault(redirectUrl)
    ? { name: '__Host-wos-auth-state', options: { ...options, path: '/', secure: true } }
    : { name: 'wos-auth-state', options: { ...options, path: redirectUrl.pathname, secure: false } };
}

/** What the state cookie holds. */
export interface SignInState {
  state: string;
  codeVerifier: string;
  returnTo: string;
  /** The callback URL the provider was given: the callback must arrive there. */
  redirectUri: string;
}

/** Codes with which a provider refuses a code for its PKCE verifier. */
export const PKCE_CODES = new Set(['invalid_pkce', 'invalid_code_verifier', 'pkce_verification_failed']);

/** The ids of a new session, read from its access token (just issued by the provider). */
export function idsOf(accessToken: string): { sessionId: string | undefined; organizationId: string | undefined } {
  try {
    const { sid, org_id: org } = decodeJwt(accessToken).payload;
    return { sessionId: typeof sid === 'string' ? sid : undefined, organizationId: typeof org === 'string' ? org : undefined };
  } catch {
    return { sessionId: undefined, organizationId: undefined };
  }
}
