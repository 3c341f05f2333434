import { SessionManager } from '../session/manager.js';
import type { RefreshCoordination } from '../session/context.js';
import { RefreshCoordinator } from '../session/coordinator.js';
import { createRequestAuthenticator, type RequestAuthenticator } from '../http/index.js';
import { sessionCookieDefaults, type SessionCookie, type SessionCookieConfig } from '../cookies/index.js';
import { readNextEnv } from './env.js';
import { AuthKitError } from './errors.js';

/**
 * Optional settings of `sealed-session/next`, for what environment variables cannot say: a
 * shared refresh store across instances (Redis), or a `SessionManager` built in code. Without
 * a call to {@link configureAuthKit}, everything comes from the environment, as with
 * authkit-nextjs.
 */
export interface AuthKitConfig {
  /** The app's `SessionManager`. Default: one built from `WORKOS_*` variables. */
  sessions?: SessionManager;
  /** Shares refreshes between requests, and between instances with a shared store. Default: in-process. */
  coordinator?: RefreshCoordination;
  /** The callback URL. Default `NEXT_PUBLIC_WORKOS_REDIRECT_URI`. */
  redirectUri?: string;
  /** Session cookie settings, over those of the `WORKOS_COOKIE_*` variables. `maxChunks` default 3. */
  cookie?: SessionCookieConfig & { maxChunks?: number };
}

/** What every part of the adapter shares in one process. */
export interface Runtime {
  sessions: SessionManager;
  coordinator: RefreshCoordination;
  redirectUri: string;
  cookie: SessionCookie;
  maxChunks: number | undefined;
  /** The request authenticator for a refresh buffer (`undefined`: the default). */
  authenticator(refreshBufferSec?: number): RequestAuthenticator;
}

// Next.js loads the proxy, pages, route handlers and server actions as separate bundles, each
// with its own copy of this module; one process must still have one coordinator and one set
// of caches, so the state lives on the global object.
const KEY = Symbol.for('sealed-session/next');
type Slot = { config: AuthKitConfig; runtime?: Runtime };
const globals = globalThis as { [KEY]?: Slot };

/**
 * Sets the adapter up in code. Call it once, before the first request: in `instrumentation.ts`
 * (`register`), or at the top of `proxy.ts`. A later call replaces the settings for requests
 * that follow.
 *
 * The settings are read on first use: an unusable `WORKOS_COOKIE_*` variable fails that request
 * with an {@link AuthKitError} `invalid_config`.
 *
 * @example
 * ```ts
 * // instrumentation.ts
 * import { Redis } from 'ioredis';
 * import { RefreshCoordinator } from 'sealed-session/refresh';
 * import { configureAuthKit } from 'sealed-session/next';
 * import { createRedisRefreshStore } from 'sealed-session/redis';
 *
 * export function register() {
 *   if (process.env.NEXT_RUNTIME !== 'nodejs') return;
 *   configureAuthKit({ coordinator: new RefreshCoordinator({ store: createRedisRefreshStore(new Redis(process.env.REDIS_URL!)) }) });
 * }
 * ```
 */
export function configureAuthKit(config: AuthKitConfig = {}): void {
  globals[KEY] = { config };
}

function build(config: AuthKitConfig, fallbackRedirectUri: string | undefined): Runtime {
  const env = readNextEnv(process.env);
  const redirectUri = config.redirectUri ?? env.redirectUri ?? fallbackRedirectUri;
  if (!redirectUri || !URL.canParse(redirectUri)) {
    throw new AuthKitError('Set NEXT_PUBLIC_WORKOS_REDIRECT_URI (or the redirectUri option) to the absolute callback URL', { code: 'invalid_config' });
  }
  const sessions = config.sessions ?? new SessionManager();
  const coordinator = config.coordinator ?? new RefreshCoordinator({ now: () => sessions.now() });
  const cookieConfig = { ...env.cookie, url: redirectUri, ...config.cookie };
  const cookie = sessionCookieDefaults(cookieConfig);
  const maxChunks = config.cookie?.maxChunks;
  const authenticators = new Map<number | undefined, RequestAuthenticator>();
  return {
    sessions,
    coordinator,
    redirectUri,
    cookie,
    maxChunks,
    authenticator(refreshBufferSec) {
      let authenticator = authenticators.get(refreshBufferSec);
      if (!authenticator) {
        authenticator = createRequestAuthenticator({ sessions, coordinator, cookie: { ...cookieConfig, maxChunks }, refreshBufferSec });
        authenticators.set(refreshBufferSec, authenticator);
      }
      return authenticator;
    },
  };
}

/**
 * The process's shared state, built on first use from {@link configureAuthKit}'s settings and
 * the environment. `fallbackRedirectUri` (a proxy's `redirectUri` option) serves when neither
 * names a callback URL.
 */
export function runtime(fallbackRedirectUri?: string): Runtime {
  const slot = (globals[KEY] ??= { config: {} });
  slot.runtime ??= build(slot.config, fallbackRedirectUri);
  return slot.runtime;
}
