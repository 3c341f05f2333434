/**
 * React Router 7 (framework mode) adapter, with the names and shapes of
 * `@workos-inc/authkit-react-router` 0.8 so an app switches by its imports, and its cookie (a
 * React Router cookie session around the Iron seal), so sessions carry over both ways.
 * Sign-in uses PKCE and a state cookie; refreshes are shared between concurrent requests.
 * @packageDocumentation
 */
export { signOut, refreshSession, switchToOrganization } from './actions.js';
export { authLoader } from './callback.js';
export { configure, getConfig, type AuthKitConfig, type ValueSource } from './config.js';
export { getWorkOS } from './core.js';
export { getSignInUrl, getSignUpUrl } from './links.js';
export { authkitLoader, sessionHeaders, withAuth } from './loaders.js';
export type {
  AuthKitLoaderOptions,
  AuthLoaderSuccessData,
  AuthorizedData,
  EndedSession,
  HandleAuthOptions,
  NoUserInfo,
  RefreshedSession,
  RefreshErrorOptions,
  RefreshSuccessOptions,
  UnauthorizedData,
  UserInfo,
} from './types.js';
