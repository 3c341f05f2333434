/**
 * Checks of the options of `createRequestAuthenticator` and `createSessionHandler`, run once at
 * construction: a mistake fails the app's startup with every problem named, rather than a
 * request later with a 500.
 */
import {
  absoluteUrl,
  booleanProblem,
  MAX_TIMER_MS,
  numberProblem,
  objectProblem,
  optionsProblem,
  shown,
} from '../session/config-checks.js';
import { configErrorOf } from '../session/errors.js';
import { MAX_READ_CHUNKS } from '../cookies/chunks.js';
import { CookieError } from '../cookies/errors.js';
import { sessionCookieDefaults } from '../cookies/session-cookie.js';
import type { RequestAuthenticatorOptions } from './request-authenticator.js';
import { redirectUris, type RedirectUriOption, type RedirectUris } from './redirect-uri.js';
import { safeReturnTo } from './return-to.js';
import type { SessionHandlerOptions } from './session-handler.js';

const REDIRECT_EXAMPLE = 'https://app.example.com/auth/callback (the Redirect URI registered in the WorkOS dashboard)';

type Problems = Array<string | undefined>;

/** Throws one {@link ConfigError} with every problem found, if any. */
function report(problems: Problems): void {
  const found = problems.filter((problem): problem is string => problem !== undefined);
  if (found.length > 0) throw configErrorOf(found);
}

function problemsOf(what: string, options: unknown): Problems {
  const shape = optionsProblem(what, options, '{ sessions, redirectUri }') ?? (options === undefined ? `${what} needs options: { sessions, redirectUri }` : undefined);
  if (shape) throw configErrorOf([shape]);
  const given = options as RequestAuthenticatorOptions;
  const problems: Problems = [];
  const sessions = given.sessions as { loadSealedSession?: unknown } | undefined;
  if (typeof sessions?.loadSealedSession !== 'function') {
    problems.push(`sessions must be the app's SessionManager (sessions: new SessionManager({ clientId, cookiePassword })); got ${shown(given.sessions)}`);
  }
  problems.push(numberProblem('refreshBufferSec', given.refreshBufferSec, { min: 0, max: 86_400, unit: 'seconds', fallback: 60 }));
  problems.push(numberProblem('proactiveRefreshWaitMs', given.proactiveRefreshWaitMs, { min: 0, max: MAX_TIMER_MS, unit: 'milliseconds', fallback: 2000 }));
  const coordinator = given.coordinator as { run?: unknown; endSession?: unknown } | undefined;
  if (coordinator !== undefined && (typeof coordinator?.run !== 'function' || typeof coordinator.endSession !== 'function')) {
    problems.push(`coordinator must be a RefreshCoordinator (new RefreshCoordinator({ store })), or leave it out for one in memory; got ${shown(coordinator)}`);
  }
  problems.push(...cookieProblems(given.cookie));
  return problems;
}

function cookieProblems(cookie: unknown): Problems {
  const shape = objectProblem('cookie', cookie, "{ name: '__Host-wos-session' }");
  if (shape || cookie === undefined) return [shape];
  const { url, maxChunks, ...settings } = cookie as NonNullable<RequestAuthenticatorOptions['cookie']>;
  const problems: Problems = [];
  if (url !== undefined) {
    const parsed = absoluteUrl('cookie.url', url, 'https://app.example.com (the app\'s public URL)', true);
    if (typeof parsed === 'string') problems.push(parsed);
  }
  if (maxChunks !== undefined && !(Number.isSafeInteger(maxChunks) && maxChunks >= 1 && maxChunks <= MAX_READ_CHUNKS)) {
    problems.push(`cookie.maxChunks must be a whole number from 1 to ${MAX_READ_CHUNKS} (default 3); got ${shown(maxChunks)}`);
  }
  try {
    sessionCookieDefaults(settings);
  } catch (error) {
    if (!(error instanceof CookieError)) throw error;
    problems.push(`cookie: ${error.message}`);
  }
  return problems;
}

/** @throws {ConfigError} listing every problem of `options`. */
export function checkAuthenticatorOptions(options: RequestAuthenticatorOptions): void {
  report(problemsOf('createRequestAuthenticator()', options));
}

/**
 * The redirect URIs the handler answers for, once every option has been checked.
 * @throws {ConfigError} listing every problem of `options`.
 */
export function checkSessionHandlerOptions(options: SessionHandlerOptions): RedirectUris {
  const problems = problemsOf('createSessionHandler()', options);
  const { basePath, afterSignInPath, afterSignOutUrl } = options;
  const basePathProblem =
    basePath !== undefined && !(typeof basePath === 'string' && /^\/[\w\-./~%]*$/.test(basePath) && !basePath.startsWith('//'))
      ? `basePath must be a path starting with a single / (default "/auth"), without query or fragment; got ${shown(basePath)}`
      : undefined;
  const redirects = redirectsOf(options.redirectUri, basePathProblem ? '/auth' : (basePath ?? '/auth').replace(/\/+$/, ''), problems);
  problems.push(basePathProblem);
  // safeReturnTo falls back for a path it refuses: two different fallbacks tell a refusal apart.
  if (afterSignInPath !== undefined && safeReturnTo(afterSignInPath, '/a') !== safeReturnTo(afterSignInPath, '/b')) {
    problems.push(`afterSignInPath must be a path on this site starting with a single / (default "/"); got ${shown(afterSignInPath)}`);
  }
  if (afterSignOutUrl !== undefined) {
    const url = absoluteUrl('afterSignOutUrl', afterSignOutUrl, 'https://app.example.com/ (a sign-out redirect registered in the WorkOS dashboard)', true);
    if (typeof url === 'string') problems.push(url);
  }
  problems.push(booleanProblem('revokeOnSignOut', options.revokeOnSignOut, 'false'));
  problems.push(booleanProblem('errorDetails', options.errorDetails, 'on outside production'));
  problems.push(objectProblem('authorization', options.authorization, "{ provider: 'authkit' }"));
  report(problems);
  return redirects as RedirectUris;
}

/** `redirectUri` read as one URL, a list of them or a function; a problem when it is none of these. */
function redirectsOf(option: unknown, basePath: string, problems: Problems): RedirectUris | undefined {
  if (typeof option === 'string' || option === undefined || option === null || (typeof option !== 'function' && !Array.isArray(option))) {
    const url = absoluteUrl('redirectUri', option, REDIRECT_EXAMPLE, true);
    if (typeof url === 'string') return void problems.push(url);
  }
  try {
    return redirectUris(option as RedirectUriOption, basePath);
  } catch (error) {
    problems.push(`${error instanceof Error ? error.message : String(error)} (e.g. ${REDIRECT_EXAMPLE})`);
    return undefined;
  }
}
