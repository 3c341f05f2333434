import { ApiError } from '../api/errors.js';
import type { AuthenticationMethod, Impersonator, User } from '../api/types.js';
import { safeReturnTo } from '../http/index.js';
import { deleteCookie, parseCookieHeader, writeChunkedCookie } from '../cookies/index.js';
import { CookieTooLargeError } from '../errors/index.js';
import { CallbackError } from './errors.js';
import { runtime, type Runtime } from './runtime.js';
import { readFlow, SIGN_IN_PARAM, startSignIn, verifierCookie } from './sign-in.js';

/** What `handleAuth`'s `onSuccess` receives after a sign-in. */
export interface HandleAuthSuccessData {
  accessToken: string;
  refreshToken: string;
  user: User;
  impersonator?: Impersonator;
  authenticationMethod?: AuthenticationMethod;
  organizationId?: string;
  /** The `state` given to `getSignInUrl`, unchanged. */
  state?: string;
}

/** Options of {@link handleAuth}. */
export interface HandleAuthOptions {
  /** Where to land when the sign-in named no return path. Default `/`. */
  returnPathname?: string;
  /** The app's public origin, when the request's URL is an internal one (containers, proxies). */
  baseURL?: string;
  /** Runs after the code exchange, before the session cookie is set; throwing fails the sign-in. */
  onSuccess?: (data: HandleAuthSuccessData) => void | Promise<void>;
  /** Answers a failed sign-in. Default: a 400 JSON error (503 when the provider is unreachable). */
  onError?: (params: { error: unknown; request: Request }) => Response | Promise<Response>;
}

function preventCaching(response: Response): Response {
  response.headers.set('cache-control', 'no-store');
  response.headers.set('vary', 'Cookie');
  return response;
}

function defaultError(error: unknown): Response {
  const unavailable = error instanceof CallbackError && error.cause instanceof ApiError && error.cause.retryable;
  return Response.json(
    {
      error: {
        message: 'Something went wrong',
        description: unavailable
          ? 'The sign-in service did not answer. Please try again in a moment.'
          : "Couldn't sign in. If you are not sure what happened, please contact your organization admin.",
      },
    },
    { status: unavailable ? 503 : 400 },
  );
}

async function signIn(rt: Runtime, request: Request, options: HandleAuthOptions, url: URL): Promise<Response> {
  const code = url.searchParams.get('code');
  const state = url.searchParams.get('state');
  const context = { path: url.pathname, userAgent: request.headers.get('user-agent') ?? undefined, hasCode: code !== null, hasState: state !== null };
  const error = url.searchParams.get('error');
  if (error !== null) throw new CallbackError(`The identity provider answered with an error: ${error.slice(0, 100)}`, 'provider_error', context);
  if (!code || !state) throw new CallbackError('Missing required auth parameter', 'missing_auth_params', context);
  const cookies = parseCookieHeader(request.headers);
  const flow = await readFlow(rt, rt.redirectUri, state, cookies);
  if (flow === 'missing') throw new CallbackError('Sign-in session could not be verified. Please try signing in again.', 'missing_pkce_cookie', context);
  if (flow === 'mismatch') throw new CallbackError('OAuth state mismatch', 'oauth_state_mismatch', context);

  let auth;
  let sealed: string;
  try {
    auth = await rt.sessions.authenticateWithCode({ code, codeVerifier: flow.codeVerifier, userAgent: context.userAgent });
    sealed = await rt.sessions.sealSessionFromAuthResponse(auth);
  } catch (cause) {
    throw new CallbackError('The sign-in code could not be exchanged', 'code_exchange_failed', { ...context, cause });
  }
  let setCookies: string[];
  try {
    setCookies = writeChunkedCookie({ name: rt.cookie.name, value: sealed, options: rt.cookie.options, existingNames: cookies, maxChunks: rt.maxChunks });
  } catch (cause) {
    if (cause instanceof CookieTooLargeError) throw new CallbackError('The session does not fit in its cookie', 'cookie_too_large', { ...context, cause });
    throw cause;
  }
  await options.onSuccess?.({
    accessToken: auth.accessToken,
    refreshToken: auth.refreshToken,
    user: auth.user,
    ...(auth.impersonator && { impersonator: auth.impersonator }),
    ...(auth.authenticationMethod && { authenticationMethod: auth.authenticationMethod }),
    ...(auth.organizationId && { organizationId: auth.organizationId }),
    ...(flow.customState !== undefined && { state: flow.customState }),
  });

  const target = new URL(options.baseURL ?? url.origin);
  const path = new URL(safeReturnTo(flow.returnPathname, safeReturnTo(options.returnPathname)), target);
  const response = new Response(null, { status: 307, headers: { location: path.href } });
  for (const header of setCookies) response.headers.append('set-cookie', header);
  return response;
}

/**
 * The route handler of the callback URL (`app/auth/callback/route.ts`):
 * `export const GET = handleAuth()`. It also starts the sign-ins of the links that
 * `getSignInUrl` makes. On success: the session cookie, the verifier cookie deleted, a 307 to
 * the sign-in's return path (a path of this app, never another origin). On failure: `onError`'s
 * response, or a 400; the verifier cookie is deleted either way, so a callback URL works once.
 *
 * @throws {TypeError} at once when `baseURL` is not an absolute URL.
 * @example
 * ```ts
 * // app/auth/callback/route.ts
 * import { handleAuth } from 'sealed-session/next';
 * export const GET = handleAuth({ returnPathname: '/dashboard' });
 * ```
 */
export function handleAuth(options: HandleAuthOptions = {}): (request: Request) => Promise<Response> {
  if (options.baseURL !== undefined && !URL.canParse(options.baseURL)) throw new TypeError(`Invalid baseURL: ${options.baseURL}`);
  return async function GET(request: Request): Promise<Response> {
    const rt = runtime();
    const url = new URL(request.url);
    const link = url.searchParams.get(SIGN_IN_PARAM);
    if (link !== null && !url.searchParams.has('code')) {
      const started = await startSignIn(rt, link, parseCookieHeader(request.headers));
      if (started) return started;
      const error = new CallbackError('This sign-in link was not made by this app', 'invalid_sign_in_link', { path: url.pathname });
      return preventCaching(options.onError ? await options.onError({ error, request }) : defaultError(error));
    }
    const state = url.searchParams.get('state');
    const clearFlow = state ? [deleteCookie(verifierCookie(rt.redirectUri, state).name, verifierCookie(rt.redirectUri, state).options)] : [];
    let response: Response;
    try {
      response = await signIn(rt, request, options, url);
    } catch (error) {
      response = options.onError ? await options.onError({ error, request }) : defaultError(error);
    }
    response = preventCaching(new Response(response.body, response));
    for (const header of clearFlow) response.headers.append('set-cookie', header);
    return response;
  };
}
