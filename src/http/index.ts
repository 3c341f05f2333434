export {
  createRequestAuthenticator,
  withCookies,
  type RequestAuthenticator,
  type CookieValueEncoding,
  type ReadCookieResult,
  type RequestAuthenticatorOptions,
  type RequestAuth,
  type RequestSession,
} from './request-authenticator.js';
export { createSessionHandler, type SessionHandler, type SessionHandlerOptions } from './session-handler.js';
export { safeReturnTo } from './return-to.js';
export type { RedirectUriOption } from './redirect-uri.js';
