import type { AuthenticationMethod, Impersonator, User } from '../api/types.js';
import { readImpersonator, readUser, writeUserSnake } from '../api/wire.js';
import { codecOf } from '../seal/codecs.js';
import type { SealFormat } from '../seal/index.js';

/**
 * What a session cookie holds, and nothing else: a cookie must never grow with whatever an
 * API response happened to carry (workos/emulate#93: a stray field pushed a cookie past 4 KB).
 * Iron cookies hold it with camelCase keys (as @workos-inc/node writes them), Fernet cookies
 * with snake_case keys (as workos-python does); both are read either way.
 */
export interface SessionPayload {
  /** The access token (a short-lived JWT); verified on every request. */
  accessToken: string;
  /** The single-use refresh token; each refresh seals its successor into a new cookie. */
  refreshToken: string;
  /** The signed-in user; its `id` must match the access token's `sub`. */
  user: User;
  /** The admin impersonating the user, when there is one. */
  impersonator?: Impersonator;
  /** How the user signed in, when the provider said; kept across refreshes. */
  authenticationMethod?: AuthenticationMethod;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a session from unsealed data in either key style: camelCase (@workos-inc/node,
 * authkit-*) or snake_case (workos-python). `undefined` when a required field is missing.
 */
export function readSessionPayload(data: unknown): SessionPayload | undefined {
  if (!isObject(data)) return undefined;
  const accessToken = data.accessToken ?? data.access_token;
  const refreshToken = data.refreshToken ?? data.refresh_token;
  const user = readUser(data.user);
  if (typeof accessToken !== 'string' || !accessToken) return undefined;
  if (typeof refreshToken !== 'string' || !refreshToken || !user) return undefined;
  const payload: SessionPayload = { accessToken, refreshToken, user };
  const impersonator = readImpersonator(data.impersonator);
  if (impersonator) payload.impersonator = impersonator;
  const method = data.authenticationMethod ?? data.authentication_method;
  if (typeof method === 'string' && method) payload.authenticationMethod = method;
  return payload;
}

/**
 * The JSON to seal for `format`, in the key style its codec names: camelCase for Iron (what the
 * Node SDK reads), snake_case for Fernet (what workos-python reads), so the other SDK can read
 * our cookies too.
 */
export function writeSessionPayload(payload: SessionPayload, format: SealFormat): Json {
  if (codecOf(format)?.payloadKeys === 'snake_case') {
    const out: Json = {
      access_token: payload.accessToken,
      refresh_token: payload.refreshToken,
      user: writeUserSnake(payload.user),
    };
    if (payload.impersonator) out.impersonator = payload.impersonator;
    if (payload.authenticationMethod) out.authentication_method = payload.authenticationMethod;
    return out;
  }
  const out: Json = {
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
    user: payload.user,
  };
  if (payload.impersonator) out.impersonator = payload.impersonator;
  if (payload.authenticationMethod) out.authenticationMethod = payload.authenticationMethod;
  return out;
}
