import type { ApiClient } from '../api/client.js';
import type { AccessTokenVerifier } from '../jwt/verify.js';
import type { ResolvedConfig } from './config.js';
import type { Events } from './events.js';

import type { RefreshOutcome } from './stores/types.js';

export type { RefreshOutcome };

/**
 * Runs a refresh at most once per refresh token among everyone sharing it, and keeps signed-out
 * sessions out. The contract of the `coordinator` option of `session.refresh()` and of the
 * request handlers; `RefreshCoordinator` implements it.
 */
export interface RefreshCoordination {
  /**
   * Calls `refresh` unless a refresh of the same token is running or recently finished, and
   * resolves to that refresh's outcome, with `shared: true` when it came from another caller's
   * refresh. A `sessionId` that signed out gets a terminal failure instead. Must not throw.
   */
  run(refreshToken: string, refresh: () => Promise<RefreshOutcome>, options?: {
    /** The session (`sid`) the refresh token belongs to. */
    sessionId?: string;
  }): Promise<RefreshOutcome & {
    /** True when the outcome came from another caller's refresh, not from this call's `refresh`. */
    shared: boolean;
    /** True when that refresh had already finished and its outcome was kept (the grace window). */
    kept?: boolean;
  }>;
  /** Records a sign-out: `run` refuses that session from now on, on every instance. Must not throw. */
  endSession(sessionId: string): Promise<void>;
}

/** What a `Session` needs from its manager. Internal. */
export interface SessionContext {
  config: ResolvedConfig;
  api: ApiClient;
  verifier: AccessTokenVerifier;
  events: Events;
}
