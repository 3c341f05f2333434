/**
 * `sealed-session/cloudflare`: refresh coordination for Cloudflare Workers on a Durable Object,
 * so that every isolate and location of a Worker spends a session's refresh token once. Web
 * standards only; no `nodejs_compat` needed.
 *
 * @example
 * ```ts
 * import { createDurableObjectRefreshStore } from 'sealed-session/cloudflare';
 * import { RefreshCoordinator } from 'sealed-session/refresh';
 *
 * // The class wrangler binds as REFRESH_STORE must be exported by the Worker's entry module.
 * export { RefreshStoreObject } from 'sealed-session/cloudflare';
 *
 * const coordinator = new RefreshCoordinator({ store: createDurableObjectRefreshStore(env.REFRESH_STORE) });
 * ```
 * @packageDocumentation
 */
export { RefreshStoreObject, type RefreshStoreObjectState, type RefreshStoreObjectStorage } from './object.js';
export {
  createDurableObjectRefreshStore,
  durableObjectRefreshName,
  durableObjectSessionName,
  type RefreshStoreNamespace,
  type RefreshStoreStub,
} from './store.js';
