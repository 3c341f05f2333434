/**
 * `sealed-session/next`: the API of `@workos-inc/authkit-nextjs` on sealed-session's core.
 * Change the import paths and keep the code, environment variables and cookie; gain strict
 * token validation, one refresh per session however many requests race for it, a shared
 * refresh store across instances, and chunked cookies. Client components are in
 * `sealed-session/next/components`.
 *
 * @example
 * ```ts
 * // proxy.ts
 * import { authkitProxy } from 'sealed-session/next';
 * export default authkitProxy();
 *
 * // app/auth/callback/route.ts
 * import { handleAuth } from 'sealed-session/next';
 * export const GET = handleAuth();
 * ```
 * @packageDocumentation
 */
export {
  authkit,
  authkitMiddleware,
  authkitProxy,
  handleAuthkitHeaders,
  handleAuthkitProxy,
  type AuthkitMiddlewareAuth,
  type AuthkitMiddlewareOptions,
  type AuthkitOptions,
  type AuthkitResponse,
} from './proxy.js';
export { AUTHKIT_REQUEST_HEADERS, applyResponseHeaders, isAuthkitRequestHeader, partitionAuthkitHeaders } from './headers.js';
export {
  getSignInUrl,
  getSignUpUrl,
  getTokenClaims,
  refreshSession,
  saveSession,
  signOut,
  switchToOrganization,
  withAuth,
  type SwitchToOrganizationOptions,
} from './auth.js';
export { handleAuth, type HandleAuthOptions, type HandleAuthSuccessData } from './callback.js';
export type { SignInUrlOptions } from './sign-in.js';
export type { NoUserInfo, UserInfo } from './user-info.js';
export {
  AuthKitError,
  CallbackError,
  TokenRefreshError,
  type AuthKitErrorCode,
  type CallbackErrorCode,
  type TokenRefreshErrorCode,
} from './errors.js';
export { configureAuthKit, type AuthKitConfig } from './runtime.js';
