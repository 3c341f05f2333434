import { ApiClient } from '../api/client.js';
import type {
  AuthenticateWithCodeOptions,
  AuthenticateWithRefreshTokenOptions,
  AuthenticationMethod,
  AuthenticationResponse,
  AuthorizationUrlOptions,
  Impersonator,
  LogoutUrlOptions,
  User,
} from '../api/types.js';
import { JwksCache } from '../jwt/jwks.js';
import { AccessTokenVerifier } from '../jwt/verify.js';
import { type Keyring, sealData, type SealFormat, unsealData } from '../seal/index.js';
import { resolveConfig, type ResolvedConfig, type SessionManagerOptions } from './config.js';
import { absoluteUrl } from './config-checks.js';
import { configErrorOf } from './errors.js';
import type { SessionContext } from './context.js';
import { createEvents, type Events } from './events.js';
import { OpenedSessionCache } from './opened-cache.js';
import { createPkcePair } from './pkce.js';
import { deriveStateKeyring } from './state-key.js';
import { readSessionPayload, writeSessionPayload } from './payload.js';
import type { AuthenticateResult } from './results.js';
import { Session } from './session.js';

/**
 * Input of {@link SessionManager.sealSessionFromAuthResponse}. An `AuthenticationResponse`
 * fits as is; only these fields are sealed, whatever else the object carries.
 */
export interface SealSessionInput {
  /** The access token; verified on every request that carries the cookie. */
  accessToken: string;
  /** The refresh token that renews the session. Single use: every refresh seals a new one. */
  refreshToken: string;
  /** Required: a cookie without its user breaks on the next refresh. */
  user: User;
  /** The admin impersonating the user, when there is one; `null` is the same as absent. */
  impersonator?: Impersonator | null;
  /** How the user signed in; kept across refreshes when the provider no longer says. */
  authenticationMethod?: AuthenticationMethod;
}

/** The manager's events. Internal: for the request handlers. */
export let eventsOf: (manager: SessionManager) => Events;
/** `manager.loadSealedSession`, with the session's events sent to `events`. Internal: for the request handlers. */
export let loadWithEvents: (manager: SessionManager, sessionData: string, events: Events) => Session;

/**
 * Entry point: signs users in, seals sessions into cookies and loads them back.
 * One per app (it holds the JWKS cache, the verified-token cache and the opened-cookie cache).
 *
 * @example
 * ```ts
 * const sessions = new SessionManager({ clientId, apiKey, cookiePassword });
 * const auth = await sessions.authenticateWithCode({ code, codeVerifier });
 * const cookie = await sessions.sealSessionFromAuthResponse(auth);
 * const result = await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
 * ```
 */
export class SessionManager {
  readonly #config: ResolvedConfig;
  readonly #context: SessionContext;
  /** Cookies that opened with this manager's keyring: a repeated cookie is not unsealed again. */
  readonly #opened = new OpenedSessionCache();
  /** The context of sessions loaded for a handler with events of its own, one per handler. */
  readonly #contexts = new WeakMap<Events, SessionContext>();
  #stateKeyring: Promise<Keyring> | undefined;
  /** The JWKS cache: call `jwks.refresh()` at startup to warm it. */
  readonly jwks: JwksCache;

  /** @throws {ConfigError} listing every configuration problem found. */
  constructor(options: SessionManagerOptions = {}) {
    const config = resolveConfig(options);
    const api = new ApiClient({
      baseUrl: config.baseUrl,
      clientId: config.clientId,
      apiKey: config.apiKey,
      timeoutMs: config.timeoutMs,
      fetch: config.fetch,
    });
    const events = createEvents({ onEvent: options.onEvent, debug: options.debug });
    this.jwks = new JwksCache({
      url: api.getJwksUrl(),
      fetch: config.fetch,
      now: config.now,
      ...config.jwks,
      onFetch: (report) => {
        const { trigger, durationMs } = report;
        const at = config.now();
        events.emit(report.ok
          ? { type: 'jwks.fetched', at, trigger, durationMs, keyCount: report.keyCount }
          : { type: 'jwks.failed', at, trigger, durationMs, reason: report.reason });
      },
    });
    const verifier = new AccessTokenVerifier({ ...config, jwks: this.jwks });
    this.#config = config;
    this.#context = { config, api, verifier, events };
  }

  static {
    eventsOf = (manager) => manager.#context.events;
    loadWithEvents = (manager, sessionData, events) => {
      let context = manager.#contexts.get(events);
      if (context === undefined) {
        context = events === manager.#context.events ? manager.#context : { ...manager.#context, events };
        manager.#contexts.set(events, context);
      }
      return new Session(context, sessionData, manager.#opened);
    };
  }

  /** The manager's clock, in milliseconds since the epoch (the `now` option). */
  now(): number {
    return this.#config.now();
  }

  /** The client id this manager works for. */
  get clientId(): string {
    return this.#config.clientId;
  }

  /** Exchanges a sign-in code for tokens and the user. Seal the result with {@link sealSessionFromAuthResponse}. */
  authenticateWithCode(options: AuthenticateWithCodeOptions): Promise<AuthenticationResponse> {
    return this.#context.api.authenticateWithCode(options);
  }

  /** Exchanges a refresh token for new tokens (the old one is spent). Prefer `session.refresh()`. */
  authenticateWithRefreshToken(options: AuthenticateWithRefreshTokenOptions): Promise<AuthenticationResponse> {
    return this.#context.api.authenticateWithRefreshToken(options);
  }

  /**
   * Seals tokens and user into a cookie value. Only these fields are sealed, never a whole API
   * response. `user` is required.
   * @throws {TypeError} when `accessToken`, `refreshToken` or `user` is missing.
   */
  async sealSessionFromAuthResponse(input: SealSessionInput, options: { format?: SealFormat } = {}): Promise<string> {
    const payload = readSessionPayload({
      accessToken: input?.accessToken,
      refreshToken: input?.refreshToken,
      user: input?.user,
      impersonator: input?.impersonator ?? undefined,
      authenticationMethod: input?.authenticationMethod,
    });
    if (!payload) {
      throw new TypeError('sealSessionFromAuthResponse needs accessToken, refreshToken and user (with its id)');
    }
    const format = options.format ?? this.#config.sealFormat;
    return sealData(writeSessionPayload(payload, format), { password: this.#config.keyring, format });
  }

  /** Loads a sealed session cookie. Synchronous and never throws; nothing is checked until you call a method. */
  loadSealedSession(options: { sessionData: string | undefined | null }): Session {
    return new Session(this.#context, options?.sessionData, this.#opened);
  }

  /** Same as `loadSealedSession(options).authenticate()`. */
  authenticateWithSessionCookie(options: { sessionData: string | undefined | null }): Promise<AuthenticateResult> {
    return this.loadSealedSession(options).authenticate();
  }

  /**
   * The provider's sign-in URL. Pass a `codeChallenge`, or use {@link getAuthorizationUrlWithPKCE}.
   * @throws {ConfigError} when `redirectUri` is not an absolute http(s) URL.
   */
  getAuthorizationUrl(options: AuthorizationUrlOptions): string {
    const redirectUrl = absoluteUrl('redirectUri', options?.redirectUri, 'https://app.example.com/auth/callback (the Redirect URI registered in the WorkOS dashboard)', true);
    if (typeof redirectUrl === 'string') throw configErrorOf([redirectUrl]);
    return this.#context.api.getAuthorizationUrl(options);
  }

  /**
   * The sign-in URL with a fresh PKCE pair. Keep `codeVerifier` (and `state`) for the callback,
   * in a short-lived cookie sealed with a key of its own.
   */
  async getAuthorizationUrlWithPKCE(
    options: Omit<AuthorizationUrlOptions, 'codeChallenge' | 'codeChallengeMethod'>,
  ): Promise<{
    /** The provider's sign-in URL, with the PKCE challenge and `state`: redirect the browser there. */
    url: string;
    /** `options.state`, or a fresh random value: compare it with the callback's `state`. */
    state: string;
    /** The PKCE verifier: the callback needs it for `authenticateWithCode`. Never send it to the browser unsealed. */
    codeVerifier: string;
  }> {
    const { codeVerifier, codeChallenge, state } = await createPkcePair();
    const chosenState = options.state ?? state;
    const url = this.getAuthorizationUrl({ ...options, state: chosenState, codeChallenge, codeChallengeMethod: 'S256' });
    return { url, state: chosenState, codeVerifier };
  }

  /** The provider's logout URL for a session id. */
  getLogoutUrl(options: LogoutUrlOptions): string {
    return this.#context.api.getLogoutUrl(options);
  }

  /** The provider's JWKS URL for this client. */
  getJwksUrl(): string {
    return this.#context.api.getJwksUrl();
  }

  /**
   * Seals short-lived sign-in state (PKCE verifier, return path) with a key derived from, but
   * separate from, the cookie password. Expires after `ttlSec`.
   */
  async sealState(data: unknown, ttlSec: number): Promise<string> {
    return sealData(data, { password: await this.#stateKeys(), ttl: ttlSec, now: this.#config.now });
  }

  /** Opens what {@link sealState} sealed. @throws {SealError} when it is invalid or expired. */
  async unsealState<T = unknown>(sealed: unknown, ttlSec: number): Promise<T> {
    return unsealData<T>(sealed, { password: await this.#stateKeys(), ttl: ttlSec, now: this.#config.now });
  }

  #stateKeys(): Promise<Keyring> {
    this.#stateKeyring ??= deriveStateKeyring(this.#config.password);
    return this.#stateKeyring;
  }

  /** Ends a session at the provider: its refresh token stops working. */
  revokeSession(options: { sessionId: string }): Promise<void> {
    return this.#context.api.revokeSession(options);
  }
}
