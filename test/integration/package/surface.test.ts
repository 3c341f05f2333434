/**
 * The public surface, pinned: the entry points of package.json and the names each one exports,
 * read from the built package the way an app imports it (values from `import('sealed-session/…')`,
 * types from the declaration files). A change here is a change to the public API: make it on
 * purpose, and document it in the README's entry-point table.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, test } from 'vitest';
import { build, root } from '../cli/run-cli.js';

const surface: Record<string, { values: string[]; types: string[] }> = {
  '.': {
    values: [
      'Session',
      'SessionManager',
      'createRequestAuthenticator',
      'createSessionHandler',
      'defaultIssuers',
      'describeEvent',
      'safeReturnTo',
      'sealData',
      'unsealData',
      'withCookies',
    ],
    types: [
      'AccessTokenClaims',
      'AuthenticateEvent',
      'AuthenticateFailure',
      'AuthenticateFailureReason',
      'AuthenticateResult',
      'AuthenticateSuccess',
      'AuthenticateWithCodeOptions',
      'AuthenticateWithRefreshTokenOptions',
      'AuthenticationMethod',
      'AuthenticationResponse',
      'AuthorizationUrlOptions',
      'ClientSignals',
      'CookieBudgetEvent',
      'CookieValueEncoding',
      'EventOptions',
      'GetKeyOptions',
      'Impersonator',
      'JwksCache',
      'JwksFailedEvent',
      'JwksFetchFailure',
      'JwksFetchReport',
      'JwksFetchTrigger',
      'JwksFetchedEvent',
      'LogoutUrlOptions',
      'OpenOnlyPasswordEvent',
      'PasswordEntry',
      'PasswordInput',
      'ReadCookieResult',
      'RedirectUriOption',
      'RefreshCoordination',
      'RefreshFailedEvent',
      'RefreshFailure',
      'RefreshOptions',
      'RefreshResult',
      'RefreshStartedEvent',
      'RefreshSucceededEvent',
      'RefreshSuccess',
      'RequestAuth',
      'RequestAuthenticator',
      'RequestAuthenticatorOptions',
      'RequestSession',
      'RetryableRefreshFailureReason',
      'SealFormat',
      'SealOptions',
      'SealSessionInput',
      'SessionEvent',
      'SessionEventType',
      'SessionHandler',
      'SessionHandlerOptions',
      'SessionInfo',
      'SessionManagerOptions',
      'SessionPayload',
      'SignInFailedEvent',
      'SignInFailureCause',
      'SignInStartedEvent',
      'SignInSucceededEvent',
      'SignOutEvent',
      'StoreFallbackEvent',
      'TerminalRefreshFailureReason',
      'UnsealOptions',
      'User',
    ],
  },
  './errors': {
    values: [
      'AUTHENTICATION_FLOW_CODES',
      'ApiError',
      'AuthenticationFlowError',
      'ConfigError',
      'CookieError',
      'CookieNameError',
      'CookieOptionsError',
      'CookieTooLargeError',
      'CookieValueError',
      'InvalidGrantError',
      'InvalidResponseError',
      'JwksUnavailableError',
      'JwtError',
      'JwtExpiredError',
      'JwtInvalidError',
      'NetworkError',
      'RateLimitedError',
      'RefreshCoordinationError',
      'RefreshLockLostError',
      'RefreshOptionsError',
      'RefreshStoreError',
      'RefreshStoreTimeoutError',
      'RefreshStoreUnavailableError',
      'RequestRejectedError',
      'SealBadMacError',
      'SealError',
      'SealExpiredError',
      'SealMalformedError',
      'SealOptionsError',
      'SealPasswordError',
      'SealPayloadError',
      'SealTimestampError',
      'SealUnknownPasswordError',
      'SealedSessionError',
      'ServerError',
      'SessionError',
      'TimeoutError',
    ],
    types: [
      'ApiErrorOptions',
      'AuthenticationFlowCode',
      'CookieErrorCode',
      'JwtInvalidCode',
      'RefreshCoordinationErrorCode',
      'RefreshStoreErrorCode',
      'SealErrorCode',
      'SealPasswordProblem',
      'SessionErrorCode',
    ],
  },
  './seal': {
    values: ['Keyring', 'createKeyring', 'detectFormat', 'sealData', 'sealDefaults', 'unsealData', 'unsealWithDetails'],
    types: ['PasswordEntry', 'PasswordInput', 'SealFormat', 'SealOptions', 'UnsealDetails', 'UnsealOptions'],
  },
  './refresh': {
    values: ['RefreshCoordinator', 'createMemoryRefreshStore'],
    types: [
      'MemoryRefreshStore',
      'MemoryRefreshStoreOptions',
      'RefreshClaim',
      'RefreshClaimOptions',
      'RefreshCoordinatorOptions',
      'RefreshOutcome',
      'RefreshRunOptions',
      'RefreshStore',
      'SharedRefreshOutcome',
    ],
  },
  './cookies': {
    values: [
      'COOKIE_SIZE_BUDGET',
      'DEFAULT_MAX_CHUNKS',
      'DEFAULT_SESSION_COOKIE_NAME',
      'MAX_ATTRIBUTE_VALUE_BYTES',
      'MAX_COOKIE_AGE_SECONDS',
      'MAX_COOKIE_HEADER_LENGTH',
      'MAX_COOKIE_NAME_VALUE_BYTES',
      'MAX_COOKIE_PAIRS',
      'MAX_READ_CHUNKS',
      'assertCookieName',
      'assertCookieValue',
      'chunkCookieName',
      'deleteChunkedCookie',
      'deleteCookie',
      'deletionOptions',
      'isCookieName',
      'isSecureDefault',
      'parseCookieHeader',
      'readChunkedCookie',
      'serializeCookie',
      'serializeCookieAttributes',
      'sessionCookieDefaults',
      'setCookieByteLength',
      'utf8ByteLength',
      'writeChunkedCookie',
    ],
    types: [
      'CookieJar',
      'CookieNames',
      'CookieOptions',
      'CookiePriority',
      'HeadersLike',
      'ParseCookieOptions',
      'ReadChunkedCookieOptions',
      'ReadChunkedCookieResult',
      'SameSite',
      'SessionCookie',
      'SessionCookieConfig',
      'WriteChunkedCookieInput',
    ],
  },
  './express': { values: ['sessionMiddleware'], types: ['SessionMiddlewareOptions', 'SessionRequest'] },
  './redis': {
    values: ['DEFAULT_KEY_PREFIX', 'createRedisRefreshStore', 'redisRefreshKey', 'redisSessionKey'],
    types: ['RedisRefreshStoreOptions', 'RedisScriptClient'],
  },
  './cloudflare': {
    values: ['RefreshStoreObject', 'createDurableObjectRefreshStore', 'durableObjectRefreshName', 'durableObjectSessionName'],
    types: ['RefreshStoreNamespace', 'RefreshStoreObjectState', 'RefreshStoreObjectStorage', 'RefreshStoreStub'],
  },
  './fastify': { values: ['sessionPlugin'], types: ['SessionPluginOptions'] },
  './koa': { values: ['sessionMiddleware'], types: ['SessionMiddlewareOptions', 'SessionState'] },
  './hono': { values: ['sessionMiddleware'], types: ['SessionEnv'] },
  './react-router': {
    values: ['authLoader', 'authkitLoader', 'configure', 'getConfig', 'getSignInUrl', 'getSignUpUrl', 'getWorkOS', 'refreshSession', 'sessionHeaders', 'signOut', 'switchToOrganization', 'withAuth'],
    types: ['AuthKitConfig', 'AuthKitLoaderOptions', 'AuthLoaderSuccessData', 'AuthorizedData', 'EndedSession', 'HandleAuthOptions', 'NoUserInfo', 'RefreshErrorOptions', 'RefreshSuccessOptions', 'RefreshedSession', 'UnauthorizedData', 'UserInfo', 'ValueSource'],
  },
  './next': {
    values: [
      'AUTHKIT_REQUEST_HEADERS', 'AuthKitError', 'CallbackError', 'TokenRefreshError', 'applyResponseHeaders', 'authkit', 'authkitMiddleware',
      'authkitProxy', 'configureAuthKit', 'getSignInUrl', 'getSignUpUrl', 'getTokenClaims', 'handleAuth', 'handleAuthkitHeaders',
      'handleAuthkitProxy', 'isAuthkitRequestHeader', 'partitionAuthkitHeaders', 'refreshSession', 'saveSession', 'signOut',
      'switchToOrganization', 'withAuth',
    ],
    types: ['AuthKitConfig', 'AuthKitErrorCode', 'AuthkitMiddlewareAuth', 'AuthkitMiddlewareOptions', 'AuthkitOptions', 'AuthkitResponse', 'CallbackErrorCode', 'HandleAuthOptions', 'HandleAuthSuccessData', 'NoUserInfo', 'SignInUrlOptions', 'SwitchToOrganizationOptions', 'TokenRefreshErrorCode', 'UserInfo'],
  },
  './next/components': { values: ['AuthKitProvider', 'Impersonation', 'useAccessToken', 'useAuth', 'useTokenClaims'], types: ['AuthContextValue', 'AuthKitProviderProps', 'ImpersonationProps', 'UseAccessTokenResult'] },
};

/** Entry points that keep the error classes of the SDK they stand in for, under its names. */
const DROP_IN_ERRORS: Record<string, string[]> = { './next': ['AuthKitError', 'CallbackError', 'TokenRefreshError'] };

type Target = { types: string; default: string };
const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Target | string> };
const entries = Object.entries(exports).filter((entry): entry is [string, Target] => typeof entry[1] === 'object');

/** `sealed-session/errors` for `./errors`. */
const specifierOf = (subpath: string): string => `sealed-session${subpath.slice(1)}`;

/** Values of a subpath, imported by its package name as an app would. */
async function valuesOf(subpath: string): Promise<Record<string, unknown>> {
  return (await import(specifierOf(subpath))) as Record<string, unknown>;
}

/** Every name the declaration file of each subpath exports, types and values alike. */
function declaredNames(): Map<string, string[]> {
  const files = entries.map(([, target]) => join(root, target.types));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  return new Map(
    entries.map(([subpath], index) => {
      const module = checker.getSymbolAtLocation(program.getSourceFile(files[index]!)!)!;
      return [subpath, checker.getExportsOfModule(module).map((symbol) => symbol.name).sort()];
    }),
  );
}

let declared: Map<string, string[]>;

beforeAll(() => {
  build();
  declared = declaredNames();
});

test('package.json exports exactly these entry points, each with types and code that exist', () => {
  expect(Object.keys(exports)).toEqual([...Object.keys(surface), './package.json']);
  for (const [, target] of entries) {
    expect(Object.keys(target)).toEqual(['types', 'default']);
    expect(existsSync(join(root, target.types)), target.types).toBe(true);
    expect(existsSync(join(root, target.default)), target.default).toBe(true);
  }
});

describe.each(Object.entries(surface).map(([subpath, names]) => ({ specifier: specifierOf(subpath), subpath, ...names })))('$specifier', ({ subpath, values, types }) => {
  test('exports exactly the pinned values', async () => {
    expect(Object.keys(await valuesOf(subpath)).sort()).toEqual(values);
  });

  test('declares exactly the pinned values and types', () => {
    expect(declared.get(subpath)).toEqual([...values, ...types].sort());
  });
});

test('error classes come from sealed-session/errors alone', async () => {
  for (const [subpath] of entries) {
    const module = await valuesOf(subpath);
    const errorClasses = Object.keys(module).filter((name) => {
      const value = module[name];
      return typeof value === 'function' && value.prototype instanceof Error;
    });
    if (subpath === './errors') expect(errorClasses.length).toBe(surface['./errors']!.values.length - 1);
    else expect(errorClasses, subpath).toEqual(DROP_IN_ERRORS[subpath] ?? []);
  }
});

test('the root re-exports the seal functions of sealed-session/seal, not copies', async () => {
  const [rootModule, seal] = await Promise.all([valuesOf('.'), valuesOf('./seal')]);
  expect(rootModule.sealData).toBe(seal.sealData);
  expect(rootModule.unsealData).toBe(seal.unsealData);
});
