import { getAccessTokenAction, refreshAccessTokenAction } from '../actions.js';
import { decodeClaims } from './claims.js';

/** What `useAccessToken` renders from. */
export interface TokenState {
  token: string | undefined;
  loading: boolean;
  error: Error | null;
}

/** Refresh this long before expiry (half the lifetime for short tokens). */
const EXPIRY_BUFFER_SEC = 60;
/** After a failure, try again this much later. */
const RETRY_MS = 300_000;

function secondsLeft(token: string | undefined): { left: number; lifetime: number } | undefined {
  const claims = decodeClaims(token);
  if (typeof claims?.exp !== 'number') return undefined;
  const now = Date.now() / 1000;
  const issued = typeof claims.iat === 'number' ? claims.iat : now;
  return { left: claims.exp - now, lifetime: claims.exp - issued };
}

function isFresh(token: string | undefined): boolean {
  const time = secondsLeft(token);
  return time !== undefined && time.left > Math.min(EXPIRY_BUFFER_SEC, time.lifetime / 2);
}

/**
 * The browser's copy of the access token: fetched from the server when first needed, renewed
 * shortly before it expires, one request at a time however many components ask.
 */
export class TokenStore {
  #state: TokenState = { token: undefined, loading: false, error: null };
  readonly #listeners = new Set<() => void>();
  #inFlight: Promise<string | undefined> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  static readonly #serverState: TokenState = { token: undefined, loading: false, error: null };

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stopTimer();
    };
  };

  getSnapshot = (): TokenState => this.#state;

  getServerSnapshot = (): TokenState => TokenStore.#serverState;

  #set(next: Partial<TokenState>): void {
    this.#state = { ...this.#state, ...next };
    for (const listener of this.#listeners) listener();
  }

  #stopTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(token: string | undefined, failed: boolean): void {
    this.#stopTimer();
    if (this.#listeners.size === 0) return;
    const time = secondsLeft(token);
    const delay = failed || !time ? RETRY_MS : Math.max(0, (time.left - Math.min(EXPIRY_BUFFER_SEC, time.lifetime / 2)) * 1000);
    this.#timer = setTimeout(() => void this.getAccessToken().catch(() => undefined), delay);
  }

  /** A fresh token: the cached one, or one from the server. */
  getAccessToken(): Promise<string | undefined> {
    if (isFresh(this.#state.token)) return Promise.resolve(this.#state.token);
    return this.#fetch(this.#state.token !== undefined);
  }

  /** A new token, whatever the state of the cached one. */
  refresh(): Promise<string | undefined> {
    return this.#fetch(true);
  }

  clear(): void {
    this.#stopTimer();
    this.#set({ token: undefined, loading: false, error: null });
  }

  #fetch(refresh: boolean): Promise<string | undefined> {
    this.#inFlight ??= (async () => {
      this.#set({ loading: true, error: null });
      try {
        let token = refresh ? undefined : await getAccessTokenAction();
        if (!isFresh(token)) {
          const result = await refreshAccessTokenAction();
          if (result.error) throw new Error(result.error);
          token = result.accessToken;
        }
        this.#set({ token, loading: false, error: null });
        this.#schedule(token, false);
        return token;
      } catch (error) {
        this.#set({ loading: false, error: error instanceof Error ? error : new Error(String(error)) });
        this.#schedule(this.#state.token, true);
        throw error;
      } finally {
        this.#inFlight = undefined;
      }
    })();
    return this.#inFlight;
  }
}

/** One store per page: every component shares its token and its requests. */
export const tokenStore = new TokenStore();
