import { readBody } from '../net/body.js';
import { JwksUnavailableError, JwtInvalidError } from './errors.js';
import { importRsaKey, isUsableRsaSigningKey, type VerifyKey } from './keys.js';

/** Options of {@link JwksCache}. */
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
  /** Clock in milliseconds since the epoch, deciding when keys are stale and when a fetch may start. Default `Date.now`. */
  now?: () => number;
  /** Told about every fetch of the key set, once it has succeeded or failed. Must not throw. */
  onFetch?: (report: JwksFetchReport) => void;
}

/** Why the key set was fetched: the first use, keys past `maxAgeMs`, a `kid` not in the keys, or {@link JwksCache.refresh}. */
export type JwksFetchTrigger = 'initial' | 'stale' | 'unknown_kid' | 'manual';

/** Why a fetch failed: no answer in time, no connection, or an answer that is not a usable key set. */
export type JwksFetchFailure = 'timeout' | 'network_error' | 'invalid_response';

/** One fetch of the key set, as the cache's `onFetch` option hears of it. */
export type JwksFetchReport = { trigger: JwksFetchTrigger; durationMs: number } & (
  | { ok: true; keyCount: number }
  | { ok: false; reason: JwksFetchFailure }
);

const defaults = {
  timeoutMs: 5_000,
  maxAgeMs: 10 * 60_000,
  cooldownMs: 10_000,
};

const MAX_KEYS = 64;
const MAX_BODY_BYTES = 256 * 1024;
/** Wait after a failed fetch, doubled for each further failure up to the cap, then jittered. */
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/** Options of {@link JwksCache.getKey}. */
export interface GetKeyOptions {
  /**
   * When the key must have been published, in milliseconds since the epoch: the token's issue
   * time. A key set fetched before then may predate the key, so a `kid` missing from it is a
   * reason to wait, not to refuse. Default: now.
   */
  publishedBy?: number;
}

/** How long to wait before the next fetch after `failures` failed ones in a row. */
function backoffMs(failures: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));
  // Jittered, so that the instances of an app do not all return to the provider at the same moment.
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

/** What a failed fetch comes down to, for reports: the errors themselves may name hosts and addresses. */
function failureOf(error: unknown): JwksFetchFailure {
  if (error instanceof KeySetFetchError) return error.failure;
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'timeout' : 'network_error';
}

/** A fetch that reached the provider and failed: the cause of a {@link JwksUnavailableError}. */
class KeySetFetchError extends Error {
  readonly failure: JwksFetchFailure;

  constructor(failure: JwksFetchFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.failure = failure;
  }
}

/**
 * The provider's signing keys, cached. Stale keys keep being served while a background fetch
 * replaces them, and an outage with keys in the cache changes nothing: a JWKS hiccup must never
 * look like a bad token. Fetches are single flight, and after a failure the next one waits
 * (exponential backoff, capped), whatever asks for it.
 *
 * A `kid` missing from the cached keys may name a key published since they were fetched: it is
 * refetched for (at most once per cooldown), and refused only when keys fetched after the token
 * was issued lack it. Until then it is a {@link JwksUnavailableError}, retryable.
 *
 * Every `SessionManager` has one as `sessions.jwks`; warm it at startup (`sessions.jwks.refresh()`)
 * so the first requests do not wait for the provider.
 */
export class JwksCache {
  /** The JWKS endpoint the keys come from. */
  readonly url: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #maxAgeMs: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #onFetch: ((report: JwksFetchReport) => void) | undefined;
  #keys = new Map<string, VerifyKey>();
  /** When the fetch that returned `#keys` started: the provider published them by then. */
  #loadedAt = Number.NEGATIVE_INFINITY;
  /** When the last fetch started, whether or not it succeeded. */
  #attemptedAt = Number.NEGATIVE_INFINITY;
  /** Failed fetches in a row, and the earliest time the next fetch may start. */
  #failures = 0;
  #retryAt = Number.NEGATIVE_INFINITY;
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
    this.#onFetch = options.onFetch;
  }

  /**
   * The key for `kid` (or the only key, when the token names none).
   * @throws {@link errors!JwksUnavailableError} when no cached key fits and the keys cannot be fetched,
   * or when `kid` is missing from keys fetched before `publishedBy` and the cooldown forbids a refetch.
   * @throws {@link errors!JwtInvalidError} `jwt_unknown_key` when keys fetched at or after `publishedBy` do not include `kid`.
   */
  async getKey(kid: string | undefined, options: GetKeyOptions = {}): Promise<VerifyKey> {
    const now = this.#now();
    if (this.#loadedAt === Number.NEGATIVE_INFINITY) {
      if (this.#inflight || this.#mayFetch(now)) await this.#refresh('initial').catch(() => undefined);
    } else if (now - this.#loadedAt > this.#maxAgeMs && this.#mayFetch(now)) {
      this.#refresh('stale').catch(() => undefined);
    }
    const key = this.#find(kid);
    if (key) return key;
    if (this.#loadedAt === Number.NEGATIVE_INFINITY) {
      throw new JwksUnavailableError(`Signing keys could not be fetched from ${this.url}`, { cause: this.#lastError });
    }
    const { publishedBy } = options;
    // A claimed issue time in the future (or none) asks for keys fetched now, no more.
    return this.#newKey(kid, publishedBy !== undefined && publishedBy < now ? publishedBy : now);
  }

  /**
   * The key for `kid` when it can be had without waiting: the keys are fresh (no background
   * refresh due) and hold it. Otherwise `undefined`: call {@link getKey}.
   */
  freshKey(kid: string | undefined): VerifyKey | undefined {
    return this.#now() - this.#loadedAt <= this.#maxAgeMs ? this.#find(kid) : undefined;
  }

  /** Fetches the key set now (single flight, without waiting out a backoff). Rejects when the fetch fails. */
  refresh(): Promise<void> {
    return this.#refresh('manual');
  }

  /** The key for a `kid` the cached keys lack: joins or starts a refetch when allowed, then decides. */
  async #newKey(kid: string | undefined, publishedBy: number): Promise<VerifyKey> {
    const now = this.#now();
    if (this.#inflight || (this.#mayFetch(now) && now - this.#attemptedAt >= this.#cooldownMs)) {
      await this.#refresh('unknown_kid').catch(() => undefined);
      const key = this.#find(kid);
      if (key) return key;
    }
    if (this.#loadedAt >= publishedBy) {
      throw new JwtInvalidError('Access token was signed with a key the provider does not publish', { code: 'jwt_unknown_key' });
    }
    throw new JwksUnavailableError(`Signing key ${JSON.stringify(kid ?? null)} is not in the keys fetched from ${this.url} yet`, {
      cause: this.#lastError,
    });
  }

  /** Whether a new fetch may start: none is in flight and no backoff is running. */
  #mayFetch(now: number): boolean {
    return !this.#inflight && now >= this.#retryAt;
  }

  #find(kid: string | undefined): VerifyKey | undefined {
    if (kid !== undefined) return this.#keys.get(kid);
    return this.#keys.size === 1 ? this.#keys.values().next().value : undefined;
  }

  #refresh(trigger: JwksFetchTrigger): Promise<void> {
    this.#inflight ??= this.#load(trigger).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #load(trigger: JwksFetchTrigger): Promise<void> {
    const startedAt = this.#now();
    const started = performance.now();
    this.#attemptedAt = startedAt;
    try {
      const keys = await this.#fetchKeys();
      this.#keys = keys;
      this.#loadedAt = startedAt;
      this.#failures = 0;
      this.#retryAt = Number.NEGATIVE_INFINITY;
      this.#lastError = undefined;
      this.version++;
      this.#report({ trigger, durationMs: performance.now() - started, ok: true, keyCount: keys.size });
    } catch (error) {
      this.#failures++;
      this.#retryAt = this.#now() + backoffMs(this.#failures);
      this.#lastError = error;
      this.#report({ trigger, durationMs: performance.now() - started, ok: false, reason: failureOf(error) });
      throw error;
    }
  }

  #report(report: JwksFetchReport): void {
    try {
      this.#onFetch?.(report);
    } catch {
      // Observing a fetch must not fail it.
    }
  }

  async #fetchKeys(): Promise<Map<string, VerifyKey>> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    const response = await this.#fetch(this.url, { headers: { accept: 'application/json' }, redirect: 'manual', signal });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new KeySetFetchError('invalid_response', `JWKS endpoint answered HTTP ${response.status}`);
    }
    const read = await readBody(response, MAX_BODY_BYTES, signal);
    if (!read.ok) {
      const failure = read.failure === 'timeout' ? 'timeout' : read.failure === 'broken' ? 'network_error' : 'invalid_response';
      throw new KeySetFetchError(failure, `JWKS response could not be read (${read.failure})`, { cause: read.cause });
    }
    let body: unknown;
    try {
      body = JSON.parse(read.text);
    } catch (error) {
      throw new KeySetFetchError('invalid_response', 'JWKS response is not JSON', { cause: error });
    }
    const list = (body as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) throw new KeySetFetchError('invalid_response', 'JWKS response has no `keys` list');
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
    // A set without one usable key cannot be a rotation: keep the keys in hand rather than refuse every token.
    if (keys.size === 0) throw new KeySetFetchError('invalid_response', 'JWKS response holds no usable RS256 signing key');
    return keys;
  }
}
