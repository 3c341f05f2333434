import { currentPrimitives, loadPrimitives } from '../crypto/primitives.js';
import { type ClaimsPolicy, tokenExpired, validateClaims } from './claims.js';
import { type DecodedJwt, decodeJwt } from './decode.js';
import { type AccessTokenClaims, JwtExpiredError, JwtInvalidError } from './errors.js';
import type { JwksCache } from './jwks.js';
import type { VerifyKey } from './keys.js';
import { LongStringCache } from './string-cache.js';

/** Options of {@link AccessTokenVerifier}. */
export interface AccessTokenVerifierOptions extends ClaimsPolicy {
  jwks: JwksCache;
  /** Current time in milliseconds. */
  now?: () => number;
  /** How many verified tokens to remember (0 disables the cache). */
  cacheSize?: number;
}

const ALGORITHM = 'RS256';
const DEFAULT_CACHE_SIZE = 1_000;

/**
 * Remembered claims are handed to every request carrying the token: read-only all the way down,
 * so no caller can change what the next request sees.
 */
function freezeClaims(claims: AccessTokenClaims): void {
  // Iterative, so that no nesting depth can exhaust the stack.
  const stack: object[] = [claims];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    Object.freeze(node);
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        const value: unknown = node[index];
        if (typeof value === 'object' && value !== null) stack.push(value);
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (typeof value === 'object' && value !== null) stack.push(value);
    }
  }
}

/**
 * When the provider had published the key of a token (signature not checked yet): by its issue
 * time, allowing for the skew between the provider's clock and ours. Without an `iat`, unknown.
 */
function keyPublishedBy(payload: Record<string, unknown>, clockToleranceSec: number): number | undefined {
  const { iat } = payload;
  return typeof iat === 'number' && Number.isFinite(iat) ? (iat + clockToleranceSec) * 1000 : undefined;
}

/**
 * Verifies WorkOS access tokens: RS256 only, key from the provider's JWKS by `kid`, then the
 * {@link ClaimsPolicy}. Verified tokens are remembered (bounded, keyed by the exact string), so a
 * page firing many requests pays for one RSA check; expiry is re-checked on every hit and the
 * cache is dropped whenever the key set changes.
 */
export class AccessTokenVerifier {
  readonly #jwks: JwksCache;
  readonly #policy: ClaimsPolicy;
  readonly #now: () => number;
  readonly #cacheSize: number;
  readonly #cache: LongStringCache<AccessTokenClaims>;
  #cacheVersion = -1;

  constructor(options: AccessTokenVerifierOptions) {
    this.#jwks = options.jwks;
    this.#policy = {
      issuers: [...options.issuers],
      audience: options.audience,
      requireAudience: options.requireAudience,
      clockToleranceSec: options.clockToleranceSec,
    };
    this.#now = options.now ?? Date.now;
    this.#cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.#cache = new LongStringCache(this.#cacheSize);
  }

  /**
   * The verified claims of `token`. Throws {@link JwtExpiredError} when only `exp` fails (unless
   * `ignoreExpiry`), {@link JwtInvalidError} when the token is unacceptable, and
   * `JwksUnavailableError` when the keys cannot be fetched.
   */
  async verify(token: unknown, options: { ignoreExpiry?: boolean } = {}): Promise<AccessTokenClaims> {
    return this.claims(token, options);
  }

  /**
   * As {@link verify}, but settled at once whenever nothing has to be awaited (a remembered
   * token, or warm keys on Node): a promise only when the keys must be fetched or the signature
   * checked asynchronously. Throws (rather than rejects) when it answers at once.
   */
  claims(token: unknown, options: { ignoreExpiry?: boolean } = {}): AccessTokenClaims | Promise<AccessTokenClaims> {
    const nowSec = this.#now() / 1000;
    if (typeof token === 'string') {
      const cached = this.#cachedAt(token, nowSec, options);
      if (cached) return cached;
    }
    const decoded = decodeJwt(token);
    const { header } = decoded;
    if (header.alg !== ALGORITHM) {
      throw new JwtInvalidError(`Access token algorithm ${JSON.stringify(header.alg)} is not ${ALGORITHM}`, { code: 'jwt_bad_algorithm' });
    }
    if (header.crit !== undefined || header.b64 !== undefined) {
      throw new JwtInvalidError('Access token uses unsupported JWS header parameters', { code: 'jwt_malformed' });
    }
    if (header.kid !== undefined && typeof header.kid !== 'string') {
      throw new JwtInvalidError('Access token `kid` is not a string', { code: 'jwt_malformed' });
    }
    const kid = header.kid as string | undefined;
    // Warm keys on Node: verified without awaiting, so the request costs no microtask turn.
    const key = this.#jwks.freshKey(kid);
    const sync = currentPrimitives()?.sync;
    if (key && sync) {
      const verified = sync.verifyRs256(key, decoded.signingInput, decoded.signature);
      return this.#accept(token as string, decoded, verified, nowSec, options);
    }
    return this.#verifyLater(token as string, decoded, kid, key, nowSec, options);
  }

  async #verifyLater(
    token: string,
    decoded: DecodedJwt,
    kid: string | undefined,
    fresh: VerifyKey | undefined,
    nowSec: number,
    options: { ignoreExpiry?: boolean },
  ): Promise<AccessTokenClaims> {
    const key = fresh ?? (await this.#jwks.getKey(kid, { publishedBy: keyPublishedBy(decoded.payload, this.#policy.clockToleranceSec) }));
    const p = currentPrimitives() ?? (await loadPrimitives());
    const verified = await p.verifyRs256(key, decoded.signingInput, decoded.signature);
    return this.#accept(token, decoded, verified, nowSec, options);
  }

  /** The claims of a token whose signature was just checked (`verified`), remembered when acceptable. */
  #accept(token: string, decoded: DecodedJwt, verified: boolean, nowSec: number, options: { ignoreExpiry?: boolean }): AccessTokenClaims {
    if (!verified) {
      throw new JwtInvalidError('Access token signature does not verify', { code: 'jwt_bad_signature' });
    }
    let claims: AccessTokenClaims;
    try {
      claims = validateClaims(decoded.payload, this.#policy, nowSec, options);
    } catch (error) {
      if (error instanceof JwtExpiredError) this.#remember(token, error.claims);
      throw error;
    }
    this.#remember(token, claims);
    return claims;
  }

  #cachedAt(token: string, nowSec: number, options: { ignoreExpiry?: boolean }): AccessTokenClaims | undefined {
    const cached = this.#cached(token);
    if (cached && !options.ignoreExpiry && cached.exp <= nowSec - this.#policy.clockToleranceSec) {
      throw tokenExpired(cached);
    }
    return cached;
  }

  /** Forgets every remembered token once the key set has changed. */
  #syncWithKeys(): void {
    if (this.#cacheVersion === this.#jwks.version) return;
    this.#cache.clear();
    this.#cacheVersion = this.#jwks.version;
  }

  #cached(token: string): AccessTokenClaims | undefined {
    this.#syncWithKeys();
    return this.#cache.get(token);
  }

  #remember(token: string, claims: AccessTokenClaims): void {
    if (this.#cacheSize === 0) return;
    this.#syncWithKeys();
    freezeClaims(claims);
    this.#cache.set(token, claims);
  }
}
