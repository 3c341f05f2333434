/**
 * WebCrypto backend for runtimes without `node:crypto` (workers, Deno, Bun without the Node
 * compatibility layer, browsers).
 */
import { decodeBase64url } from './base64url.js';
import { constantTimeEqual, utf8Encode } from './bytes.js';
import type { CryptoPrimitives } from './primitives.js';

type Subtle = SubtleCrypto;

function subtle(): Subtle {
  const s = (globalThis as { crypto?: { subtle?: Subtle } }).crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available in this runtime');
  return s;
}

// Copies into a fresh ArrayBuffer: WebCrypto rejects views over SharedArrayBuffer and some
// runtimes reject views with a non-zero offset.
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(bytes);
}

// A string input is its UTF-8 bytes; TextEncoder already returns a fresh ArrayBuffer.
function ownBytes(data: Uint8Array | string): Uint8Array<ArrayBuffer> {
  return typeof data === 'string' ? utf8Encode(data) : own(data);
}

// Importing a password for PBKDF2 is the same work on every call; a keyring holds one array per
// password, so keying the imported key by that array imports each password once.
const passwordKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function passwordKey(password: Uint8Array): Promise<CryptoKey> {
  let key = passwordKeys.get(password);
  if (!key) {
    key = subtle().importKey('raw', own(password), 'PBKDF2', false, ['deriveBits']);
    passwordKeys.set(password, key);
  }
  return key;
}

const RS256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** Builds the primitives over `globalThis.crypto`. */
export function createWebPrimitives(): CryptoPrimitives {
  return {
    backend: 'webcrypto',
    async pbkdf2Sha1(password, salt, iterations, length) {
      const params = { name: 'PBKDF2', hash: 'SHA-1', salt: utf8Encode(salt), iterations };
      return new Uint8Array(await subtle().deriveBits(params, await passwordKey(password), length * 8));
    },
    async hmacSha256(key, data) {
      const k = await subtle().importKey('raw', own(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      return new Uint8Array(await subtle().sign('HMAC', k, ownBytes(data)));
    },
    async aesCbcEncrypt(key, iv, plaintext) {
      const k = await subtle().importKey('raw', own(key), 'AES-CBC', false, ['encrypt']);
      return new Uint8Array(await subtle().encrypt({ name: 'AES-CBC', iv: own(iv) }, k, own(plaintext)));
    },
    async aesCbcDecrypt(key, iv, ciphertext) {
      const bytes = typeof ciphertext === 'string' ? decodeBase64url(ciphertext) : ciphertext;
      if (!bytes || bytes.length === 0 || bytes.length % 16 !== 0) return undefined;
      const k = await subtle().importKey('raw', own(key), 'AES-CBC', false, ['decrypt']);
      try {
        return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: own(iv) }, k, own(bytes)));
      } catch {
        // WebCrypto signals bad padding with an OperationError.
        return undefined;
      }
    },
    async importRsaPublicJwk({ n, e }) {
      const key = await subtle().importKey('jwk', { kty: 'RSA', n, e }, RS256, false, ['verify']);
      return { backend: 'webcrypto', modulusBits: (key.algorithm as RsaHashedKeyAlgorithm).modulusLength, key };
    },
    async verifyRs256(key, data, signature) {
      if (key.backend !== 'webcrypto') return false;
      // The signature is the sender's: one an implementation refuses to read is a bad one.
      return subtle().verify(RS256, key.key, own(signature), ownBytes(data)).catch(() => false);
    },
    randomBytes(length) {
      const out = new Uint8Array(length);
      (globalThis as { crypto: Crypto }).crypto.getRandomValues(out);
      return out;
    },
    timingSafeEqual: constantTimeEqual,
  };
}
