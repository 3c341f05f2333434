import { JwksUnavailableError, JwtInvalidError } from './errors.js';
import { importRsaKey, isUsableRsaSigningKey, type VerifyKey } from './keys.js';

/**
 * Options of {@link JwksCache}. A `SessionManager` builds its own cache from its `jwks`,
 * `fetch` and `now` options; these matter when constructing one directly.
 *
 * @example
 * ```ts
 * const options: JwksCacheOptions = { url: sessions.getJwksUrl(), maxAgeMs: 5 * 60_000, timeoutMs: 2_000 };
 * const jwks = new JwksCache(options);
 * ```
 */
export interface JwksCacheOptions {
  /** The provider's JWKS endpoint (`sessions.getJwksUrl()`). Redirects are not followed. */
  url: string;
  /** `fetch` to reach `url` with (tests, proxies, workers with bindings). Default the global `fetch`. */
  fetch?: typeof fetch;
  /** Bound on one fetch, in milliseconds. */
  timeoutMs?: number;
  /** After this age the keys are refreshed in the background while still being served. */
  maxAgeMs?: number;
  /** Minimum time between fetches triggered by an unknown `kid` (guards against forced refetch floods). */
  cooldownMs?: number;
  /** Clock in milliseconds since the epoch, deciding when keys are stale. Default `Date.now`. */
  now?: () => number;
}

const defaults = {
  timeoutMs: 5_000,
  maxAgeMs: 10 * 60_000,
  cooldownMs: 10_000,
};

const MAX_KEYS = 64;
const FAILED_RETRY_MS = 1_000;
const MAX_BODY_BYTES = 256 * 1024;

/**
 * The provider's signing keys, cached. Stale keys keep being served while a background fetch
 * replaces them, an unknown `kid` triggers one fetch per cooldown, and an outage with keys in
 * the cache changes nothing: a JWKS hiccup must never look like a bad token.
 *
 * Every `SessionManager` has one as `sessions.jwks`; warm it at startup so the first requests
 * do not wait for the provider.
 *
 * @example
 * ```ts
 * const sessions = new SessionManager({ clientId, apiKey, cookiePassword });
 * await sessions.jwks.refresh().catch((error) => console.warn('JWKS not reachable yet:', error));
 * ```
 */
export class JwksCache {
  /** The JWKS endpoint the keys come from. */
  readonly url: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #maxAgeMs: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  #keys = new Map<string, VerifyKey>();
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  #lastError: unknown;
  #inflight: Promise<void> | undefined;
  /** Increases whenever the key set changes, so verified-token caches know to forget. */
  version = 0;

  constructor(options: JwksCacheOptions) {
    this.url = options.url;
    this.#fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.#timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
    this.#maxAgeMs = options.maxAgeMs ?? defaults.maxAgeMs;
    this.#cooldownMs = options.cooldownMs ?? defaults.cooldownMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The key for `kid` (or the only key, when the token names none).
   * @throws {@link JwksUnavailableError} when no cached key fits and the keys cannot be fetched.
   * @throws {@link JwtInvalidError} `jwt_unknown_key` when the fetched keys do not include `kid`.
   */
  async getKey(kid: string | undefined): Promise<VerifyKey> {
    const now = this.#now();
    if (this.#fetchedAt === Number.NEGATIVE_INFINITY) {
      // Cold cache: wait for keys, but while the provider is down do not make every request
      // sit through a full timeout; one attempt per cooldown is enough.
      if (this.#inflight || now - this.#attemptedAt >= Math.min(this.#cooldownMs, FAILED_RETRY_MS)) {
        await this.#refresh().catch(() => undefined);
      }
    } else if (now - this.#fetchedAt > this.#maxAgeMs && !this.#inflight) {
      this.#refresh().catch(() => undefined);
    }
    let key = this.#find(kid);
    if (!key && this.#fetchedAt !== Number.NEGATIVE_INFINITY && this.#now() - this.#attemptedAt >= this.#cooldownMs) {
      await this.#refresh().catch(() => undefined);
      key = this.#find(kid);
    }
    if (key) return key;
    if (this.#lastError !== undefined) {
      throw new JwksUnavailableError(`Signing keys could not be fetched from ${this.url}`, { cause: this.#lastError });
    }
    throw new JwtInvalidError('jwt_unknown_key', 'Access token was signed with a key the provider does not publish');
  }

  /**
   * The key for `kid` when it can be had without waiting: the keys are fresh (no background
   * refresh due) and hold it. Otherwise `undefined`: call {@link getKey}.
   */
  freshKey(kid: string | undefined): VerifyKey | undefined {
    return this.#now() - this.#fetchedAt <= this.#maxAgeMs ? this.#find(kid) : undefined;
  }

  /** Fetches the key set now (single flight). Rejects when the fetch fails. */
  refresh(): Promise<void> {
    return this.#refresh();
  }

  #find(kid: string | undefined): VerifyKey | undefined {
    if (kid !== undefined) return this.#keys.get(kid);
    return this.#keys.size === 1 ? this.#keys.values().next().value : undefined;
  }

  #refresh(): Promise<void> {
    this.#inflight ??= this.#load().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #load(): Promise<void> {
    this.#attemptedAt = this.#now();
    try {
      const keys = await this.#fetchKeys();
      this.#keys = keys;
      this.#fetchedAt = this.#now();
      this.#lastError = undefined;
      this.version++;
    } catch (error) {
      this.#lastError = error;
      throw error;
    }
  }

  async #fetchKeys(): Promise<Map<string, VerifyKey>> {
    const response = await this.#fetch(this.url, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    if (response.status !== 200) throw new Error(`JWKS endpoint answered HTTP ${response.status}`);
    const text = await response.text();
    if (text.length > MAX_BODY_BYTES) throw new Error('JWKS response is too large');
    const body: unknown = JSON.parse(text);
    const list = (body as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) throw new Error('JWKS response has no `keys` list');
    const keys = new Map<string, VerifyKey>();
    for (const jwk of list.slice(0, MAX_KEYS)) {
      if (typeof jwk !== 'object' || jwk === null || !isUsableRsaSigningKey(jwk)) continue;
      const kid = typeof jwk.kid === 'string' ? jwk.kid : '';
      try {
        const key = await importRsaKey(jwk);
        if (key) keys.set(kid, key);
      } catch {
        // One malformed key must not take the others down with it.
      }
    }
    return keys;
  }
}
