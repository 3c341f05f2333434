/**
 * The refresh store on Durable Objects: every call goes to the object named for its key, which
 * applies the same rules as the in-memory store (see `RefreshStoreObject`). Waiters poll: an
 * open request held in an object would be billed for as long as it waits.
 */
import { RefreshStoreError } from '../session/stores/errors.js';
import type { RefreshClaim, RefreshClaimOptions, RefreshOutcome, RefreshStore } from '../session/stores/types.js';
import { type Bodies, type Operation, operationUrl, parseReply, type Replies } from './wire.js';

/** A Durable Object stub, as far as the store uses it. */
export interface RefreshStoreStub {
  fetch(request: Request): Promise<Response>;
}

/**
 * The Durable Object namespace bound to {@link RefreshStoreObject} (`env.REFRESH_STORE` in a
 * Worker), as far as the store uses it. Cloudflare's `DurableObjectNamespace` fits.
 */
export interface RefreshStoreNamespace<Id = unknown> {
  idFromName(name: string): Id;
  get(id: Id): RefreshStoreStub;
}

/**
 * The object name of a refresh-token key. Sign-out markers live in objects of their own, under
 * {@link durableObjectSessionName}; the prefixes keep the two apart whatever the keys are.
 */
export function durableObjectRefreshName(key: string): string {
  return `refresh:${key}`;
}

/** The object name of a session key's sign-out marker. */
export function durableObjectSessionName(sessionKey: string): string {
  return `session:${sessionKey}`;
}

async function readReply(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Creates a refresh store on the Durable Object namespace bound to {@link RefreshStoreObject}:
 * one object per refresh-token key (by `idFromName`), so every isolate and every location of the
 * Worker agrees on who refreshes a session. Objects hold only a SHA-256 of the refresh token and
 * outcomes, whose `sealedSession` is itself encrypted, and empty themselves once it all expires.
 *
 * @example
 * ```ts
 * import { createSessionHandler, SessionManager } from 'sealed-session';
 * import { createDurableObjectRefreshStore } from 'sealed-session/cloudflare';
 * import { RefreshCoordinator } from 'sealed-session/refresh';
 *
 * const coordinator = new RefreshCoordinator({ store: createDurableObjectRefreshStore(env.REFRESH_STORE) });
 * const auth = createSessionHandler({ sessions: new SessionManager({ ... }), redirectUri, coordinator });
 * ```
 */
export function createDurableObjectRefreshStore<Id>(namespace: RefreshStoreNamespace<Id>): RefreshStore {
  async function call<O extends Operation>(name: string, operation: O, body: Bodies[O]): Promise<Replies[O]> {
    const request = new Request(operationUrl(operation), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    let response: Response;
    try {
      response = await namespace.get(namespace.idFromName(name)).fetch(request);
    } catch (error) {
      throw new RefreshStoreError('Durable Object refresh store request failed', { cause: error });
    }
    const reply = response.ok ? parseReply(operation, await readReply(response)) : undefined;
    if (reply === undefined) {
      if (!response.bodyUsed) await response.body?.cancel();
      throw new RefreshStoreError(`malformed reply from the Durable Object refresh store (HTTP ${response.status})`);
    }
    return reply;
  }

  return {
    claim(key: string, owner: string, options: RefreshClaimOptions): Promise<RefreshClaim> {
      return call(durableObjectRefreshName(key), 'claim', { owner, lockTtlMs: options.lockTtlMs, acceptRetryable: options.acceptRetryable });
    },

    async settle(key: string, owner: string, outcome: RefreshOutcome, ttlMs: number): Promise<void> {
      await call(durableObjectRefreshName(key), 'settle', { owner, outcome, ttlMs });
    },

    async renew(key: string, owner: string, lockTtlMs: number): Promise<boolean> {
      return (await call(durableObjectRefreshName(key), 'renew', { owner, lockTtlMs })).renewed;
    },

    async endSession(sessionKey: string, ttlMs: number): Promise<void> {
      await call(durableObjectSessionName(sessionKey), 'end-session', { ttlMs });
    },

    async isSessionEnded(sessionKey: string): Promise<boolean> {
      return (await call(durableObjectSessionName(sessionKey), 'session-ended', {})).ended;
    },
  };
}
