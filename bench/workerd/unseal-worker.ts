/**
 * Worker for bench/workerd/pbkdf2.ts: opens Iron seals on WebCrypto, deriving Iron's two keys
 * either with the platform (`deriveBits`) or with the JavaScript PBKDF2-HMAC-SHA1. Everything
 * else is the same WebCrypto work the library does on this backend (HMAC, AES-CBC, JSON).
 *
 * `GET /?derive=platform|javascript&n=N` opens N seals of the `SEALS` binding in turn and
 * answers how many it opened; the caller times the request from outside, since workerd's
 * clock stands still while a request computes.
 */
import { pbkdf2Sha1OneIteration } from '../../src/crypto/pbkdf2-sha1.js';

interface Env {
  SEALS: string[];
  PASSWORD: string;
}

type Derive = (salt: string) => Promise<Uint8Array<ArrayBuffer>>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

async function unseal(sealed: string, derive: Derive): Promise<unknown> {
  const parts = sealed.slice(0, -2).split('*');
  const [, , encSalt = '', iv = '', ciphertext = '', , hmacSalt = '', hmac = ''] = parts;
  const macKey = await crypto.subtle.importKey('raw', await derive(hmacSalt), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  if (!(await crypto.subtle.verify('HMAC', macKey, fromBase64url(hmac), encoder.encode(parts.slice(0, 6).join('*'))))) {
    throw new Error('bad seal');
  }
  const encKey = await crypto.subtle.importKey('raw', await derive(encSalt), 'AES-CBC', false, ['decrypt']);
  const plaintext = await crypto.subtle.decrypt({ name: 'AES-CBC', iv: fromBase64url(iv) }, encKey, fromBase64url(ciphertext));
  return JSON.parse(decoder.decode(plaintext));
}

function derivers(password: string): Record<string, Derive> {
  const bytes = encoder.encode(password);
  const javascript = pbkdf2Sha1OneIteration(bytes);
  const platformKey = crypto.subtle.importKey('raw', bytes, 'PBKDF2', false, ['deriveBits']);
  return {
    javascript: async (salt) => Uint8Array.from(javascript(salt, 32)),
    platform: async (salt) =>
      new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt: encoder.encode(salt), iterations: 1 }, await platformKey, 256)),
  };
}

let cached: { password: string; derive: Record<string, Derive> } | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const params = new URL(request.url).searchParams;
    if (cached?.password !== env.PASSWORD) cached = { password: env.PASSWORD, derive: derivers(env.PASSWORD) };
    const derive = cached.derive[params.get('derive') ?? ''];
    const count = Number(params.get('n') ?? 0);
    if (!derive) return new Response('derive=platform|javascript', { status: 400 });
    for (let i = 0; i < count; i++) await unseal(env.SEALS[i % env.SEALS.length]!, derive);
    return new Response(String(count));
  },
};
