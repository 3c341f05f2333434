import {
  AUTHENTICATION_FLOW_CODES,
  type ApiError,
  AuthenticationFlowError,
  type AuthenticationFlowCode,
  InvalidGrantError,
  InvalidResponseError,
  NetworkError,
  RateLimitedError,
  RequestRejectedError,
  ServerError,
  TimeoutError,
} from './errors.js';
import type {
  AuthenticateWithCodeOptions,
  AuthenticateWithRefreshTokenOptions,
  AuthenticationResponse,
  AuthorizationUrlOptions,
  ClientSignals,
  LogoutUrlOptions,
} from './types.js';
import { raceAbort, readBody } from '../net/body.js';
import { readAuthenticationResponse, readToken } from './wire.js';

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  baseUrl: string;
  clientId: string;
  apiKey?: string;
  /**
   * Bound on each request in milliseconds, from connecting to the last byte of the body. A slow
   * provider must not hold a page for a minute.
   */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const defaults = {
  // Below the refresh coordinator's 10 s lock, so a slow refresh cannot outlive its lock.
  timeoutMs: 8_000,
};

/** Bound on a response body: a user with its metadata is a few kilobytes; this is far above any real one. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Bound on the provider's error message kept in an error: it ends up in the app's logs. */
const MAX_MESSAGE_LENGTH = 500;
/** An error code as the provider spells them; anything else is no code. */
const ERROR_CODE = /^[A-Za-z0-9_.:-]{1,100}$/;

type Body = Record<string, string | undefined>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `value` has what is read of a `Response`; by shape, as another realm's `fetch` has its own class. */
function isResponse(value: unknown): value is Response {
  return isObject(value) && typeof value.status === 'number' && typeof (value.headers as Headers | undefined)?.get === 'function';
}

/** Whether a `Content-Type` names JSON (`application/json`, `application/problem+json`, …). */
function isJsonType(header: string | null): boolean {
  const type = header?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function isFlowCode(code: string): code is AuthenticationFlowCode {
  return (AUTHENTICATION_FLOW_CODES as readonly string[]).includes(code);
}

function errorCode(value: unknown): string | undefined {
  return typeof value === 'string' && ERROR_CODE.test(value) ? value : undefined;
}

function errorMessage(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value.slice(0, MAX_MESSAGE_LENGTH) : undefined;
}

/**
 * Maps an error response to the error class that tells the caller what to do. `body` is the
 * parsed JSON, `undefined` when there was none. A 4xx whose body is no JSON object did not come
 * from the API (a gateway's or proxy's page): it says nothing about the grant, so it is an
 * {@link InvalidResponseError}, retryable, and a session is not ended on its word.
 */
export function errorFromResponse(status: number, headers: Headers, body: unknown): ApiError {
  const requestId = headers.get('x-request-id') ?? undefined;
  const json = isObject(body) ? body : {};
  const code = errorCode(json.error) ?? errorCode(json.code);
  const message =
    errorMessage(json.error_description) ?? errorMessage(json.message) ?? `Identity provider answered HTTP ${status}`;
  const meta = { status, requestId };
  if (status === 429) {
    return new RateLimitedError(message, { ...meta, retryAfter: parseRetryAfter(headers.get('retry-after'), Date.now()) });
  }
  if (status === 408) return new TimeoutError(message, meta);
  if (status >= 500) return new ServerError(message, meta);
  if (!isObject(body)) return new InvalidResponseError(`Identity provider answered HTTP ${status} without an API error`, meta);
  if (code === 'invalid_grant') return new InvalidGrantError(message, meta);
  if (code && isFlowCode(code)) {
    return new AuthenticationFlowError(message, { ...meta, code, pendingAuthenticationToken: readToken(json.pending_authentication_token) });
  }
  return new RequestRejectedError(message, { ...meta, code: code ?? 'bad_request' });
}

/**
 * HTTP client for the identity provider's user-management API: snake_case on the wire,
 * camelCase here, errors typed by {@link ApiError}. Grants are never retried: a code or a
 * refresh token is single use, and replaying one after a lost response logs the user out.
 */
export class ApiClient {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.clientId = options.clientId;
    this.#apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
    this.#fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  /** Exchanges a sign-in code (and its PKCE verifier) for tokens and the user. */
  async authenticateWithCode(options: AuthenticateWithCodeOptions): Promise<AuthenticationResponse> {
    if (!options.code) throw new TypeError('authenticateWithCode: `code` is required');
    if (!this.#apiKey && !options.codeVerifier) {
      throw new TypeError('authenticateWithCode: a public client (no apiKey) must send the PKCE `codeVerifier`');
    }
    return this.#authenticate({
      grant_type: 'authorization_code',
      code: options.code,
      code_verifier: options.codeVerifier || undefined,
      invitation_token: options.invitationToken,
      ...this.#signals(options),
    });
  }

  /** Exchanges a refresh token for new tokens. The old refresh token is spent by this call. */
  async authenticateWithRefreshToken(options: AuthenticateWithRefreshTokenOptions): Promise<AuthenticationResponse> {
    if (!options.refreshToken) throw new TypeError('authenticateWithRefreshToken: `refreshToken` is required');
    return this.#authenticate({
      grant_type: 'refresh_token',
      refresh_token: options.refreshToken,
      organization_id: options.organizationId,
      ...this.#signals(options),
    });
  }

  /** Ends a session at the provider, so its refresh token stops working. */
  async revokeSession(options: { sessionId: string }): Promise<void> {
    if (!options.sessionId) throw new TypeError('revokeSession: `sessionId` is required');
    await this.#post('/user_management/sessions/revoke', { session_id: options.sessionId }, () => undefined);
  }

  /** The provider's sign-in URL. */
  getAuthorizationUrl(options: AuthorizationUrlOptions): string {
    if (!options.redirectUri) throw new TypeError('getAuthorizationUrl: `redirectUri` is required');
    const url = new URL(`${this.baseUrl}/user_management/authorize`);
    const provider = options.provider ?? (options.connectionId || options.organizationId ? undefined : 'authkit');
    const params: Record<string, string | undefined> = {
      client_id: this.clientId,
      redirect_uri: options.redirectUri,
      response_type: 'code',
      provider,
      connection_id: options.connectionId,
      organization_id: options.organizationId,
      state: options.state,
      code_challenge: options.codeChallenge,
      code_challenge_method: options.codeChallenge ? (options.codeChallengeMethod ?? 'S256') : undefined,
      screen_hint: provider === 'authkit' ? options.screenHint : undefined,
      login_hint: options.loginHint,
      domain_hint: options.domainHint,
      prompt: options.prompt,
      invitation_token: options.invitationToken,
    };
    for (const [key, value] of Object.entries(params)) {
      if (value) url.searchParams.set(key, value);
    }
    return url.toString();
  }

  /** The URL that ends the provider's session in the browser, then returns to `returnTo`. */
  getLogoutUrl(options: LogoutUrlOptions): string {
    if (!options.sessionId) throw new TypeError('getLogoutUrl: `sessionId` is required');
    const url = new URL(`${this.baseUrl}/user_management/sessions/logout`);
    url.searchParams.set('session_id', options.sessionId);
    if (options.returnTo) url.searchParams.set('return_to', options.returnTo);
    return url.toString();
  }

  /** Where the provider publishes the keys that sign access tokens. */
  getJwksUrl(): string {
    return `${this.baseUrl}/sso/jwks/${encodeURIComponent(this.clientId)}`;
  }

  #signals(options: ClientSignals): Body {
    return { ip_address: options.ipAddress, user_agent: options.userAgent };
  }

  async #authenticate(body: Body): Promise<AuthenticationResponse> {
    return this.#post('/user_management/authenticate', { client_id: this.clientId, client_secret: this.#apiKey, ...body }, readAuthenticationResponse);
  }

  /** POSTs `body` to `path` and reads a 2xx answer's JSON (`undefined` when empty) with `read`. */
  async #post<T>(path: string, body: Body, read: (json: unknown) => T): Promise<T> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    // One deadline for the whole exchange: connecting, the headers and every byte of the body.
    const signal = AbortSignal.timeout(this.#timeoutMs);
    const timedOut = (cause: unknown, status?: number) =>
      new TimeoutError(`No complete answer from ${path} within ${this.#timeoutMs} ms`, { cause, status });
    // Through a promise, so that a `fetch` passed in by the app that throws at once rejects it.
    const pending = new Promise<Response>((resolve) => {
      resolve(this.#fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body), redirect: 'manual', signal }));
    });
    let response: Response;
    try {
      response = await raceAbort(pending, signal);
      if (!isResponse(response)) throw new TypeError('fetch did not resolve to a Response');
    } catch (error) {
      if (signal.aborted) {
        // A `fetch` that ignored the signal may still answer: let that connection go.
        void pending.then((late) => late.body?.cancel(), () => undefined).catch(() => undefined);
        throw timedOut(error);
      }
      throw new NetworkError(`Could not reach ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const { status } = response;
    const meta = { status, requestId: response.headers.get('x-request-id') ?? undefined };
    // A grant carries the client secret and a single-use token: it is never sent on to another URL.
    if (response.redirected || (status >= 300 && status < 400)) {
      await response.body?.cancel().catch(() => undefined);
      throw new InvalidResponseError(`${path} answered with a redirect (HTTP ${status})`, meta);
    }
    const text = await readBody(response, MAX_BODY_BYTES, signal);
    if (!text.ok && text.failure === 'timeout') throw timedOut(text.cause, status);
    if (!text.ok && text.failure === 'broken') throw new NetworkError(`Response from ${path} was cut off`, { cause: text.cause, status });
    const json = text.ok ? parseJson(text.text) : undefined;
    if (!response.ok) throw errorFromResponse(status, response.headers, json);
    if (!text.ok) throw new InvalidResponseError(`Response from ${path} is ${text.failure === 'too_large' ? `over ${MAX_BODY_BYTES} bytes` : 'not UTF-8'}`, meta);
    if (text.text && (json === undefined || !isJsonType(response.headers.get('content-type')))) {
      throw new InvalidResponseError(`Response from ${path} is not JSON`, meta);
    }
    try {
      return read(json);
    } catch (error) {
      if (error instanceof InvalidResponseError) throw new InvalidResponseError(error.message, { ...meta, cause: error });
      throw error;
    }
  }
}
