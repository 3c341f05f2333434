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
 * rather than spread: the cached users are frozen, and V8 copies a frozen object by spread
 * about four times slower than field by field. Keep it in step with {@link readUser}.
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

/** Parses the body of `POST /user_management/authenticate`, keeping only documented fields. */
export function readAuthenticationResponse(body: unknown): AuthenticationResponse {
  if (!isObject(body)) throw new InvalidResponseError('Authentication response is not a JSON object');
  const accessToken = str(body.access_token);
  const refreshToken = str(body.refresh_token);
  const user = readUser(body.user);
  if (!accessToken || !refreshToken || !user) {
    throw new InvalidResponseError('Authentication response lacks access_token, refresh_token or user');
  }
  const response: AuthenticationResponse = { user, accessToken, refreshToken };
  const organizationId = str(body.organization_id);
  if (organizationId) response.organizationId = organizationId;
  const impersonator = readImpersonator(body.impersonator);
  if (impersonator) response.impersonator = impersonator;
  const authenticationMethod = str(body.authentication_method);
  if (authenticationMethod) response.authenticationMethod = authenticationMethod;
  return response;
}
