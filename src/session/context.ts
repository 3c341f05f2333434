import type { ApiClient } from '../api/client.js';
import type { AccessTokenVerifier } from '../jwt/verify.js';
import type { ResolvedConfig } from './config.js';

import type { RefreshOutcome } from './stores/types.js';

export type { RefreshOutcome };

/** Runs a refresh at most once per refresh token among everyone sharing it. */
export interface RefreshCoordination {
  run(refreshToken: string, refresh: () => Promise<RefreshOutcome>): Promise<RefreshOutcome & { shared: boolean }>;
}

/** What a `Session` needs from its manager. Internal. */
export interface SessionContext {
  config: ResolvedConfig;
  api: ApiClient;
  verifier: AccessTokenVerifier;
}
