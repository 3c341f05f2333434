/**
 * Sign-in links and the PKCE flow behind them.
 *
 * `getSignInUrl()` is called while a page renders, where Next.js forbids setting cookies, yet a
 * sign-in needs one: the PKCE verifier, bound to the browser so a stranger's callback URL cannot
 * sign it in (login CSRF). So a sign-in link points at the app's own callback route, carrying
 * its options sealed; the route (a route handler, which may set cookies) starts the flow there:
 * verifier cookie, then redirect to the provider. The link holds no secret and never expires;
 * the flow's cookie lives 10 minutes.
 */
import { constantTimeEqual, utf8Encode } from '../crypto/bytes.js';
import { safeReturnTo } from '../http/index.js';
import { deleteCookie, isSecureDefault, serializeCookie, type CookieOptions } from '../cookies/index.js';
import type { Runtime } from './runtime.js';

/** The query parameter of a sign-in link. */
export const SIGN_IN_PARAM = 'authkit_sign_in';
/** How long a started sign-in may take, in seconds. */
export const FLOW_TTL_SEC = 600;
const VERIFIER_NAME = 'wos-auth-verifier-';
/** Past this many unfinished sign-ins in one browser (tabs), the older ones are dropped. */
const MAX_FLOWS = 5;

/** Options of `getSignInUrl` and `getSignUpUrl`. */
export interface SignInUrlOptions {
  /** Where to land after sign-in: a path of this app (anything else becomes `/`). */
  returnTo?: string;
  /** Sign in through this organization. */
  organizationId?: string;
  /** Pre-fills the email field. */
  loginHint?: string;
  /** Forwarded as the authorization request's `prompt`. */
  prompt?: 'consent';
  /** The app's own data, handed back to `handleAuth`'s `onSuccess` as `state`. Sealed: nobody can forge it. */
  state?: string;
  /** The callback URL for this sign-in. Default: the proxy's `redirectUri`, or `NEXT_PUBLIC_WORKOS_REDIRECT_URI`. */
  redirectUri?: string;
}

interface LinkPayload {
  t: 'link';
  /** The callback URL. */
  u: string;
  h: 'sign-in' | 'sign-up';
  r?: string;
  o?: string;
  l?: string;
  p?: string;
  s?: string;
}

interface FlowPayload {
  t: 'flow';
  state: string;
  codeVerifier: string;
  returnPathname: string | undefined;
  customState: string | undefined;
}

/** What a callback learns from its verifier cookie. */
export interface Flow {
  codeVerifier: string;
  returnPathname: string | undefined;
  customState: string | undefined;
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
}

/** A sign-in link: the callback URL with the sealed options. */
export async function signInLink(rt: Runtime, screenHint: 'sign-in' | 'sign-up', options: SignInUrlOptions = {}): Promise<string> {
  const redirectUri = options.redirectUri ?? rt.redirectUri;
  const payload: LinkPayload = { t: 'link', u: redirectUri, h: screenHint };
  if (options.returnTo !== undefined) payload.r = safeReturnTo(options.returnTo);
  if (options.organizationId) payload.o = options.organizationId;
  if (options.loginHint) payload.l = options.loginHint;
  if (options.prompt) payload.p = options.prompt;
  if (options.state !== undefined) payload.s = options.state;
  const url = new URL(redirectUri);
  url.searchParams.set(SIGN_IN_PARAM, await rt.sessions.sealState(payload, 0));
  return url.href;
}

/** The verifier cookie of a flow: named after its `state`, `__Host-` over https (no sibling subdomain can plant it). */
export function verifierCookie(redirectUri: string, state: string): { name: string; options: CookieOptions } {
  const options: CookieOptions = { path: '/', httpOnly: true, sameSite: 'lax', maxAge: FLOW_TTL_SEC };
  const secure = isSecureDefault(redirectUri);
  const name = `${secure ? '__Host-' : ''}${VERIFIER_NAME}${state.slice(0, 16)}`;
  return { name, options: { ...options, secure } };
}

function isVerifierCookie(name: string): boolean {
  return name.startsWith(VERIFIER_NAME) || name.startsWith(`__Host-${VERIFIER_NAME}`);
}

/** Deletions of every verifier cookie `cookies` holds: sign-out leaves no flow behind. */
export function clearVerifierCookies(redirectUri: string, cookies: Iterable<string>): string[] {
  const { options } = verifierCookie(redirectUri, '');
  return [...cookies].filter(isVerifierCookie).map((name) => deleteCookie(name, options));
}

/**
 * Starts the sign-in of a link: a 307 to the provider with a fresh PKCE pair, and the verifier
 * cookie. `undefined` when the link was not sealed by this app.
 */
export async function startSignIn(rt: Runtime, sealedLink: string, cookies: ReadonlyMap<string, string>): Promise<Response | undefined> {
  let link: Partial<LinkPayload>;
  try {
    link = await rt.sessions.unsealState<Partial<LinkPayload>>(sealedLink, 0);
  } catch {
    return undefined;
  }
  const redirectUri = text(link?.u, 2048);
  if (link?.t !== 'link' || !redirectUri || !URL.canParse(redirectUri)) return undefined;
  const { url, state, codeVerifier } = await rt.sessions.getAuthorizationUrlWithPKCE({
    provider: 'authkit',
    redirectUri,
    screenHint: link.h === 'sign-up' ? 'sign-up' : 'sign-in',
    organizationId: text(link.o, 256),
    loginHint: text(link.l, 320),
    prompt: text(link.p, 64),
  });
  const flow: FlowPayload = { t: 'flow', state, codeVerifier, returnPathname: text(link.r, 2048), customState: typeof link.s === 'string' ? link.s : undefined };
  const cookie = verifierCookie(redirectUri, state);
  const response = new Response(null, { status: 307, headers: { location: url, 'cache-control': 'no-store' } });
  const open = [...cookies.keys()].filter(isVerifierCookie);
  if (open.length >= MAX_FLOWS) for (const header of clearVerifierCookies(redirectUri, open)) response.headers.append('set-cookie', header);
  response.headers.append('set-cookie', serializeCookie(cookie.name, await rt.sessions.sealState(flow, FLOW_TTL_SEC), cookie.options));
  return response;
}

/**
 * The flow a callback's `state` belongs to, from its verifier cookie: `'missing'` without the
 * cookie, `'mismatch'` when it does not open, is no flow, or is another sign-in's.
 */
export async function readFlow(rt: Runtime, redirectUri: string, state: string, cookies: ReadonlyMap<string, string>): Promise<Flow | 'missing' | 'mismatch'> {
  const sealed = cookies.get(verifierCookie(redirectUri, state).name);
  if (!sealed) return 'missing';
  let flow: Partial<FlowPayload>;
  try {
    flow = await rt.sessions.unsealState<Partial<FlowPayload>>(sealed, FLOW_TTL_SEC);
  } catch {
    return 'mismatch';
  }
  if (flow?.t !== 'flow' || typeof flow.state !== 'string' || typeof flow.codeVerifier !== 'string') return 'mismatch';
  if (!constantTimeEqual(utf8Encode(flow.state), utf8Encode(state))) return 'mismatch';
  return {
    codeVerifier: flow.codeVerifier,
    returnPathname: text(flow.returnPathname, 2048),
    customState: typeof flow.customState === 'string' ? flow.customState : undefined,
  };
}
