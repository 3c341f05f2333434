import { InvalidResponseError } from './errors.js';
import type { AuthenticationResponse, Impersonator, User } from './types.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function nullableStr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Reads a value under its camelCase or snake_case key (cookies of both SDKs exist). */
function pick(source: Json, camel: string, snake: string): unknown {
  return camel in source ? source[camel] : source[snake];
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') out[key] = entry;
  }
  return out;
}

/**
 * A user from the API or from a cookie, in either key style. Only known fields are kept:
 * a cookie must never grow with whatever a response happened to carry.
 */
export function readUser(value: unknown): User | undefined {
  if (!isObject(value)) return undefined;
  const id = str(value.id);
  if (!id) return undefined;
  const user: User = {
    object: 'user',
    id,
    email: str(value.email) ?? '',
    emailVerified: pick(value, 'emailVerified', 'email_verified') === true,
    profilePictureUrl: nullableStr(pick(value, 'profilePictureUrl', 'profile_picture_url')),
    firstName: nullableStr(pick(value, 'firstName', 'first_name')),
    lastName: nullableStr(pick(value, 'lastName', 'last_name')),
    lastSignInAt: nullableStr(pick(value, 'lastSignInAt', 'last_sign_in_at')),
    createdAt: str(pick(value, 'createdAt', 'created_at')) ?? '',
    updatedAt: str(pick(value, 'updatedAt', 'updated_at')) ?? '',
    externalId: nullableStr(pick(value, 'externalId', 'external_id')),
    metadata: stringRecord(value.metadata),
  };
  if ('name' in value) user.name = nullableStr(value.name);
  if ('locale' in value) user.locale = nullableStr(value.locale);
  return user;
}

/**
 * A copy of a user made by {@link readUser}, with the same fields in the same order. Written out
 * because V8 spreads the frozen cached users slowly; keep it in step with {@link readUser}.
 */
export function copyUser(user: User): User {
  const copy: User = {
    object: user.object,
    id: user.id,
    email: user.email,
    emailVerified: user.emailVerified,
    profilePictureUrl: user.profilePictureUrl,
    firstName: user.firstName,
    lastName: user.lastName,
    lastSignInAt: user.lastSignInAt,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    externalId: user.externalId,
    metadata: { ...user.metadata },
  };
  if (user.name !== undefined) copy.name = user.name;
  if (user.locale !== undefined) copy.locale = user.locale;
  return copy;
}

/** A user in the snake_case shape of the API and of workos-python cookies. */
export function writeUserSnake(user: User): Json {
  const out: Json = {
    object: 'user',
    id: user.id,
    email: user.email,
    email_verified: user.emailVerified,
    profile_picture_url: user.profilePictureUrl,
    first_name: user.firstName,
    last_name: user.lastName,
    last_sign_in_at: user.lastSignInAt,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    external_id: user.externalId,
    metadata: user.metadata,
  };
  if (user.name !== undefined) out.name = user.name;
  if (user.locale !== undefined) out.locale = user.locale;
  return out;
}

/** An impersonator in either key style, or `undefined`. */
export function readImpersonator(value: unknown): Impersonator | undefined {
  if (!isObject(value)) return undefined;
  const email = str(value.email);
  if (!email) return undefined;
  return { email, reason: nullableStr(value.reason) };
}

/** Bound on a token from the API: no longer one could fit in a cookie. */
const MAX_TOKEN_LENGTH = 16 * 1024;
/** Printable ASCII without spaces: what an opaque token is made of. */
const TOKEN = /^[\x21-\x7e]+$/;
/** A compact JWS: three base64url parts. */
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** `value` when it is a token within bounds (and, with `shape`, of that shape). */
export function readToken(value: unknown, shape: RegExp = TOKEN): string | undefined {
  return typeof value === 'string' && value.length <= MAX_TOKEN_LENGTH && shape.test(value) ? value : undefined;
}

/**
 * Parses the body of `POST /user_management/authenticate`, keeping only documented fields.
 * Stricter than a cookie read: the access token must be a compact JWS and tokens are bounded;
 * any miss is an {@link InvalidResponseError}. The user is kept whole, however large (the body
 * itself is bounded): its refresh token may already have replaced the one in the cookie, so
 * refusing a well-formed answer would end the session; a session too large for its cookie is
 * the request handler's typed `cookie_too_large`.
 */
export function readAuthenticationResponse(body: unknown): AuthenticationResponse {
  if (!isObject(body)) throw new InvalidResponseError('Authentication response is not a JSON object');
  const accessToken = readToken(body.access_token, COMPACT_JWS);
  const refreshToken = readToken(body.refresh_token);
  const user = readUser(body.user);
  if (!accessToken || !refreshToken || !user) {
    throw new InvalidResponseError('Authentication response lacks a well-formed access_token, refresh_token or user');
  }
  const organizationId = str(body.organization_id);
  const impersonator = readImpersonator(body.impersonator);
  const authenticationMethod = str(body.authentication_method);
  const response: AuthenticationResponse = { user, accessToken, refreshToken };
  if (organizationId) response.organizationId = organizationId;
  if (impersonator) response.impersonator = impersonator;
  if (authenticationMethod) response.authenticationMethod = authenticationMethod;
  return response;
}
