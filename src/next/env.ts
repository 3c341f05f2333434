import type { SameSite, SessionCookieConfig } from '../cookies/index.js';
import { AuthKitError } from './errors.js';

/** What `sealed-session/next` reads from the environment, besides what `SessionManager` reads itself. */
export interface NextEnvSettings {
  /** `NEXT_PUBLIC_WORKOS_REDIRECT_URI`: the callback URL registered with WorkOS. */
  redirectUri: string | undefined;
  /** The session cookie from `WORKOS_COOKIE_NAME`, `WORKOS_COOKIE_MAX_AGE`, `WORKOS_COOKIE_DOMAIN`, `WORKOS_COOKIE_SAMESITE`. */
  cookie: SessionCookieConfig;
}

const SAME_SITE: ReadonlySet<string> = new Set(['lax', 'strict', 'none']);

function invalid(message: string): AuthKitError {
  return new AuthKitError(message, { code: 'invalid_config' });
}

/**
 * The settings of the authkit-nextjs environment variables. Unset or empty variables keep the
 * defaults (cookie `wos-session`, 400 days, host-only, `SameSite=Lax`); a value that cannot be
 * meant (a max-age that is no positive integer, an unknown `SameSite`) is refused at startup
 * rather than guessed at.
 *
 * @throws {AuthKitError} `invalid_config`, naming the variable.
 */
export function readNextEnv(env: Readonly<Record<string, string | undefined>>): NextEnvSettings {
  const redirectUri = env.NEXT_PUBLIC_WORKOS_REDIRECT_URI || undefined;
  if (redirectUri !== undefined && !URL.canParse(redirectUri)) {
    throw invalid(`NEXT_PUBLIC_WORKOS_REDIRECT_URI is not an absolute URL: ${JSON.stringify(redirectUri)}`);
  }
  const cookie: SessionCookieConfig = {};
  if (redirectUri !== undefined) cookie.url = redirectUri;
  if (env.WORKOS_COOKIE_NAME) cookie.name = env.WORKOS_COOKIE_NAME;
  if (env.WORKOS_COOKIE_DOMAIN) cookie.domain = env.WORKOS_COOKIE_DOMAIN;
  if (env.WORKOS_COOKIE_MAX_AGE) {
    const maxAge = /^[0-9]{1,10}$/.test(env.WORKOS_COOKIE_MAX_AGE) ? Number(env.WORKOS_COOKIE_MAX_AGE) : Number.NaN;
    if (!(maxAge > 0)) throw invalid(`WORKOS_COOKIE_MAX_AGE must be a positive number of seconds, got ${JSON.stringify(env.WORKOS_COOKIE_MAX_AGE)}`);
    cookie.maxAge = maxAge;
  }
  if (env.WORKOS_COOKIE_SAMESITE) {
    const sameSite = env.WORKOS_COOKIE_SAMESITE.toLowerCase();
    if (!SAME_SITE.has(sameSite)) throw invalid(`WORKOS_COOKIE_SAMESITE must be lax, strict or none, got ${JSON.stringify(env.WORKOS_COOKIE_SAMESITE)}`);
    cookie.sameSite = sameSite as SameSite;
    // A cross-site cookie without Secure is refused by browsers.
    if (sameSite === 'none') cookie.secure = true;
  }
  return { redirectUri, cookie };
}
