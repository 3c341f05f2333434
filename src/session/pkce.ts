import { base64url } from 'jose';

function randomToken(bytes: number): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A PKCE verifier (RFC 7636, 43 chars), its S256 challenge, and a random OAuth `state`. */
export async function createPkcePair(): Promise<{ codeVerifier: string; codeChallenge: string; state: string }> {
  const codeVerifier = randomToken(32);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return { codeVerifier, codeChallenge: base64url.encode(new Uint8Array(digest)), state: randomToken(24) };
}
