export * from './cookies.js';
export * from './chunks.js';
export {
  createRequestAuthenticator,
  withCookies,
  type RequestAuthenticator,
  type RequestAuthenticatorOptions,
  type RequestAuth,
  type RequestSession,
} from './handler.js';
export { createSessionHandler, type SessionHandler, type SessionHandlerOptions } from './routes.js';
export { safeReturnTo } from './return-to.js';
