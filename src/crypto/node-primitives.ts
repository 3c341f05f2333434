/**
 * `node:crypto` backend. Every call is synchronous underneath; the `async` signatures only
 * match the WebCrypto backend.
 */
import type { CryptoPrimitives } from './primitives.js';
import type { NodeCrypto } from './runtime.js';

function view(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Builds the primitives over a loaded `node:crypto` module. */
export function createNodePrimitives(nc: NodeCrypto): CryptoPrimitives {
  return {
    backend: 'node',
    async pbkdf2Sha1(password, salt, iterations, length) {
      return view(nc.pbkdf2Sync(password, salt, iterations, length, 'sha1'));
    },
    async hmacSha256(key, data) {
      return view(nc.createHmac('sha256', key).update(data).digest());
    },
    async aesCbcEncrypt(key, iv, plaintext) {
      const cipher = nc.createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
      const head = cipher.update(plaintext);
      const tail = cipher.final();
      return view(tail.length === 0 ? head : Buffer.concat([head, tail]));
    },
    async aesCbcDecrypt(key, iv, ciphertext) {
      try {
        const decipher = nc.createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv);
        const head = decipher.update(ciphertext);
        const tail = decipher.final();
        return view(tail.length === 0 ? head : Buffer.concat([head, tail]));
      } catch {
        // OpenSSL reports bad padding (and only that, given validated lengths) by throwing.
        return undefined;
      }
    },
    randomBytes(length) {
      return view(nc.randomBytes(length));
    },
    timingSafeEqual(a, b) {
      return a.length === b.length && nc.timingSafeEqual(a, b);
    },
  };
}
