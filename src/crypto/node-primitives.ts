/**
 * `node:crypto` backend. Every call is synchronous underneath: `sync` exposes the calls as they
 * are, and the `async` methods wrap them only to match the WebCrypto backend.
 */
import type { CryptoPrimitives, SyncPrimitives } from './primitives.js';
import type { NodeCrypto } from './runtime.js';

function view(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Builds the primitives over a loaded `node:crypto` module. */
export function createNodePrimitives(nc: NodeCrypto): CryptoPrimitives {
  const sync: SyncPrimitives = {
    hmacSha256(key, data) {
      return view(nc.createHmac('sha256', key).update(data).digest());
    },
    aesCbcEncrypt(key, iv, plaintext) {
      const cipher = nc.createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
      const head = cipher.update(plaintext);
      const tail = cipher.final();
      return view(tail.length === 0 ? head : Buffer.concat([head, tail]));
    },
    aesCbcDecrypt(key, iv, ciphertext) {
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
  };
  return {
    backend: 'node',
    sync,
    async hmacSha256(key, data) {
      return sync.hmacSha256(key, data);
    },
    async aesCbcEncrypt(key, iv, plaintext) {
      return sync.aesCbcEncrypt(key, iv, plaintext);
    },
    async aesCbcDecrypt(key, iv, ciphertext) {
      return sync.aesCbcDecrypt(key, iv, ciphertext);
    },
    randomBytes(length) {
      return view(nc.randomBytes(length));
    },
    timingSafeEqual(a, b) {
      return a.length === b.length && nc.timingSafeEqual(a, b);
    },
  };
}
