/**
 * RS256 signature check on `node:crypto`, done the way RFC 8017 §8.2.2 describes it: the RSA
 * public operation on the signature (`publicDecrypt` without padding), then the expected
 * EMSA-PKCS1-v1_5 encoding of the SHA-256 digest compared with the result in full. Comparing
 * the whole encoding, rather than parsing it, leaves no room for the lenient-parsing forgeries
 * of PKCS#1 v1.5 (Bleichenbacher 2006); the Wycheproof RSA-2048/SHA-256 vectors check it.
 *
 * Written out because the signature check is the largest cost of a never-seen cookie, and this
 * form is about 1 µs (4 %) faster than `crypto.verify` on Node 20 for a JWT-sized input
 * (22.5 → 21.6 µs: one `crypto.hash` instead of a Verify job's digest set-up). A runtime whose
 * `node:crypto` lacks raw RSA falls back to `crypto.verify`, so the answer is the same everywhere.
 */
import type { KeyObject } from 'node:crypto';
import type { NodeCrypto } from '../crypto/runtime.js';

const DIGEST_BYTES = 32;
/** DER of `DigestInfo` for SHA-256, up to the digest itself (RFC 8017 §9.2, note 1). */
const SHA256_DIGEST_INFO = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

/** `00 01 FF…FF 00 DigestInfo`: the encoding of every SHA-256 digest for a `modulusBytes` key, bar the digest. */
const prefixes = new Map<number, Buffer>();

function encodingPrefix(modulusBytes: number): Buffer {
  let prefix = prefixes.get(modulusBytes);
  if (!prefix) {
    prefix = Buffer.alloc(modulusBytes - DIGEST_BYTES, 0xff);
    prefix[0] = 0x00;
    prefix[1] = 0x01;
    prefix[prefix.length - SHA256_DIGEST_INFO.length - 1] = 0x00;
    prefix.set(SHA256_DIGEST_INFO, prefix.length - SHA256_DIGEST_INFO.length);
    prefixes.set(modulusBytes, prefix);
  }
  return prefix;
}

/** An RSA public key imported with `node:crypto`, with its modulus length in bytes. */
export interface NodeRsaKey {
  readonly key: KeyObject;
  readonly modulusBytes: number;
}

/**
 * Whether `signature` is a valid RS256 signature of `data` under `rsa`. A string stands for its
 * UTF-8 bytes (a JWS signing input is ASCII, so hashing it needs no copy).
 */
export function verifyRs256(node: NodeCrypto, rsa: NodeRsaKey, data: string | Uint8Array, signature: Uint8Array): boolean {
  const { modulusBytes } = rsa;
  // RFC 8017 §8.2.2 step 1: a signature is exactly as long as the modulus.
  if (signature.length !== modulusBytes) return false;
  let encoded: Buffer;
  try {
    encoded = node.publicDecrypt({ key: rsa.key, padding: node.constants.RSA_NO_PADDING }, signature);
  } catch {
    // A signature not below the modulus, or a runtime without raw RSA: let OpenSSL decide.
    return node.verify('sha256', typeof data === 'string' ? Buffer.from(data) : data, rsa.key, signature);
  }
  // `crypto.hash` (Node 20.12+) is the one-shot form, without a Hash object per call.
  const digest = typeof node.hash === 'function' ? node.hash('sha256', data, 'buffer') : node.createHash('sha256').update(data).digest();
  const digestAt = modulusBytes - DIGEST_BYTES;
  return (
    encoded.length === modulusBytes &&
    encodingPrefix(modulusBytes).compare(encoded, 0, digestAt) === 0 &&
    digest.compare(encoded, digestAt) === 0
  );
}
