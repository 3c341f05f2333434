/** The manager, coordinator and session handler the adapter runs on, built from the configuration. */
import type { AuthenticationResponse } from '../api/types.js';
import { createSessionHandler, type SessionHandler } from '../http/index.js';
import { RefreshCoordinator } from '../session/coordinator.js';
import { SessionManager } from '../session/manager.js';
import { type AuthKitConfig, configGeneration, getConfig } from './config.js';
import { reactRouterCookieEncoding } from './cookie.js';

interface Core {
  generation: number;
  sessions: SessionManager;
  coordinator: RefreshCoordinator;
  /** Builds a handler on the shared manager and coordinator; `afterSignInPath` and `onSignIn` vary per callback route. */
  handler(extra?: { afterSignInPath?: string; onSignIn?: (auth: AuthenticationResponse, request: Request) => Promise<void> }): SessionHandler;
  auth: SessionHandler;
}

let built: Core | undefined;

function passwordsOf(value: AuthKitConfig['cookiePassword']): string[] {
  return typeof value === 'string' ? [value] : [...value];
}

/** The manager, coordinator and handler of the current configuration, built on first use. */
export function core(): Core {
  const generation = configGeneration();
  if (built?.generation === generation) return built;
  const passwords = passwordsOf(getConfig('cookiePassword'));
  const port = getConfig('apiPort');
  const sessions = new SessionManager({
    clientId: getConfig('clientId'),
    apiKey: getConfig('apiKey'),
    cookiePassword: passwords,
    baseUrl: `${getConfig('apiHttps') ? 'https' : 'http'}://${getConfig('apiHostname')}${port ? `:${port}` : ''}`,
  });
  const coordinator = new RefreshCoordinator({ now: () => sessions.now() });
  const redirectUri = getConfig('redirectUri');
  const cookie = { name: getConfig('cookieName'), maxAge: getConfig('cookieMaxAge'), url: redirectUri, encoding: reactRouterCookieEncoding(passwords) };
  const handler: Core['handler'] = (extra = {}) =>
    createSessionHandler({ sessions, coordinator, redirectUri, cookie, authorization: { provider: 'authkit' }, ...extra });
  built = { generation, sessions, coordinator, handler, auth: handler() };
  return built;
}

/**
 * The manager behind the adapter, for what the helpers do not cover (`getAuthorizationUrl`,
 * `getLogoutUrl`, `revokeSession`, `jwks`). `@workos-inc/authkit-react-router` returns a
 * `@workos-inc/node` client here; for other WorkOS APIs, create one yourself.
 *
 * @example
 * ```ts
 * await getWorkOS().revokeSession({ sessionId });
 * ```
 */
export function getWorkOS(): SessionManager {
  return core().sessions;
}
