/** Store keys, one-way digests of what they stand for, and lock owner ids. */
const KEY_CONTEXT = 'sealed-session/refresh/v1\0';
const SESSION_KEY_CONTEXT = 'sealed-session/session/v1\0';
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The store key of a refresh token: base64url(SHA-256(context ‖ token)). One-way, so neither a
 * store nor anyone reading it learns the token; the context string separates it from any other
 * SHA-256 of the same token.
 */
export function refreshTokenKey(refreshToken: string): Promise<string> {
  return digestKey(KEY_CONTEXT, refreshToken);
}

/**
 * The store key of a session's sign-out marker: base64url(SHA-256(context ‖ sid)), apart from
 * every refresh-token key by its context string.
 */
export function sessionKey(sessionId: string): Promise<string> {
  return digestKey(SESSION_KEY_CONTEXT, sessionId);
}

async function digestKey(context: string, value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(context + value));
  return base64url(new Uint8Array(digest));
}

export function randomOwner(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}
