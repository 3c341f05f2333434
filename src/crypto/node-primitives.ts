/**
 * `node:crypto` backend. Every call is synchronous underneath: `sync` exposes the calls as they
 * are, and the `async` methods wrap them only to match the WebCrypto backend.
 */
import type { Decipher } from 'node:crypto';
import type { CryptoPrimitives, SyncPrimitives } from './primitives.js';
import type { NodeCrypto } from './runtime.js';

function view(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** `head` and the last block of `decipher`, or `undefined` when that block's padding is wrong. */
function finish(decipher: Decipher, head: Buffer): Uint8Array | undefined {
  try {
    const tail = decipher.final();
    return view(tail.length === 0 ? head : Buffer.concat([head, tail]));
  } catch {
    return undefined;
  }
}

/** Builds the primitives over a loaded `node:crypto` module. */
export function createNodePrimitives(nc: NodeCrypto): CryptoPrimitives {
  const sync: SyncPrimitives = {
    pbkdf2Sha1(password, salt, iterations, length) {
      return view(nc.pbkdf2Sync(password, salt, iterations, length, 'sha1'));
    },
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
      const isText = typeof ciphertext === 'string';
      // Whole blocks only; for base64url text, Node's decoder skips characters it does not
      // know, so a byte count short of what the text's length promises means a bad character.
      const expected = isText ? (ciphertext.length * 3) >> 2 : ciphertext.length;
      if (expected === 0 || expected % 16 !== 0 || (isText && ciphertext.length % 4 === 1)) return undefined;
      const decipher = nc.createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv);
      // OpenSSL holds the last block back for `final()`, which checks its padding.
      const head = isText ? decipher.update(ciphertext, 'base64url') : decipher.update(ciphertext);
      return head.length === expected - 16 ? finish(decipher, head) : undefined;
    },
    verifyRs256(key, data, signature) {
      if (key.backend !== 'node') return false;
      return nc.verify('sha256', typeof data === 'string' ? Buffer.from(data) : data, key.key, signature);
    },
  };
  return {
    backend: 'node',
    sync,
    async pbkdf2Sha1(password, salt, iterations, length) {
      return sync.pbkdf2Sha1(password, salt, iterations, length);
    },
    async hmacSha256(key, data) {
      return sync.hmacSha256(key, data);
    },
    async aesCbcEncrypt(key, iv, plaintext) {
      return sync.aesCbcEncrypt(key, iv, plaintext);
    },
    async aesCbcDecrypt(key, iv, ciphertext) {
      return sync.aesCbcDecrypt(key, iv, ciphertext);
    },
    async importRsaPublicJwk({ n, e }) {
      const key = nc.createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' });
      return { backend: 'node', modulusBits: key.asymmetricKeyDetails?.modulusLength ?? 0, key };
    },
    async verifyRs256(key, data, signature) {
      return sync.verifyRs256(key, data, signature);
    },
    randomBytes(length) {
      return view(nc.randomBytes(length));
    },
    timingSafeEqual(a, b) {
      return a.length === b.length && nc.timingSafeEqual(a, b);
    },
  };
}
