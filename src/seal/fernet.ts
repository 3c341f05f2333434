/**
 * Fernet codec (github.com/fernet/spec), what workos-python writes with `cryptography`:
 *
 * base64url(0x80 ‖ timestamp u64 BE seconds ‖ IV 16 ‖ AES-128-CBC(ciphertext) ‖ HMAC-SHA256 32)
 *
 * The key is 32 bytes: the first 16 sign, the last 16 encrypt. Works on bytes; JSON is the
 * caller's business.
 */
import { concatBytes } from '../crypto/bytes.js';
import { decodeBase64Lenient, decodeBase64urlPadded, encodeBase64urlPadded } from '../crypto/base64url.js';
import { currentPrimitives, loadPrimitives } from '../crypto/primitives.js';
import {
  SealBadMacError,
  SealExpiredError,
  SealMalformedError,
  SealPayloadError,
  SealTimestampError,
  SealUnknownPasswordError,
} from './errors.js';
import type { CodecKey, CodecOpened, CodecTime, SealCodec } from './codec.js';

/** Fernet layout and clock policy. */
export const fernetDefaults = {
  version: 0x80,
  /** The key: 16 bytes that sign, then 16 that encrypt. */
  keyBytes: 32,
  ivBytes: 16,
  macBytes: 32,
  /** Version, timestamp and IV: the bytes before the ciphertext. */
  headerBytes: 1 + 8 + 16,
  /** Tokens dated further ahead than this are refused (cryptography's `_MAX_CLOCK_SKEW`). */
  maxClockSkewSec: 60,
} as const;

const MIN_TOKEN_BYTES = fernetDefaults.headerBytes + 16 + fernetDefaults.macBytes;

// Version byte 0x80 followed by the high bytes of a 64-bit timestamp, which stay zero until the
// year 4147, encode to these six characters.
const PREFIX = 'gAAAAA';

/** A Fernet key, split. */
export interface FernetKey {
  readonly signing: Uint8Array;
  readonly encryption: Uint8Array;
}

/** The key `secret` holds: 32 bytes in base64 or base64url, padded or not. */
function fernetKey(secret: string): FernetKey | undefined {
  const bytes = decodeBase64Lenient(secret);
  if (bytes?.length !== fernetDefaults.keyBytes) return undefined;
  return { signing: bytes.slice(0, 16), encryption: bytes.slice(16) };
}

/** Options that tests use to reproduce the spec's `generate` vector. */
export interface FernetSealParts {
  /** Fixed IV instead of a random one. */
  readonly iv?: Uint8Array;
}

/**
 * Seals `plaintext` under `entry`, a Fernet key. The token does not say which key sealed it,
 * and carries its creation time rather than an expiry (`time.ttlSec` is not used).
 *
 * @returns a padded base64url token starting with `gAAAAA`.
 */
export async function sealFernet(
  entry: CodecKey<FernetKey>,
  plaintext: Uint8Array,
  time: CodecTime,
  parts: FernetSealParts = {},
): Promise<string> {
  const p = currentPrimitives() ?? (await loadPrimitives());
  const iv = parts.iv ?? p.randomBytes(fernetDefaults.ivBytes);
  const header = new Uint8Array(fernetDefaults.headerBytes);
  const view = new DataView(header.buffer);
  header[0] = fernetDefaults.version;
  const seconds = Math.floor(time.nowMs / 1000);
  view.setUint32(1, Math.floor(seconds / 2 ** 32));
  view.setUint32(5, seconds >>> 0);
  header.set(iv, 9);
  const { sync } = p;
  const key = entry.key.encryption;
  const ciphertext = sync ? sync.aesCbcEncrypt(key, iv, plaintext) : await p.aesCbcEncrypt(key, iv, plaintext);
  const signed = concatBytes(header, ciphertext);
  const mac = sync ? sync.hmacSha256(entry.key.signing, signed) : await p.hmacSha256(entry.key.signing, signed);
  return encodeBase64urlPadded(concatBytes(signed, mac));
}

/**
 * Checks and opens a Fernet token: shape, then MAC (constant time) against each Fernet key,
 * then the timestamp, then decryption. Like Python's `cryptography`, a token more than 60 s in
 * the future is refused, but always, not only when a `ttl` is given.
 */
export async function unsealFernet(keys: readonly CodecKey<FernetKey>[], token: string, time: CodecTime): Promise<CodecOpened> {
  const bytes = decodeBase64urlPadded(token);
  if (!bytes) throw new SealMalformedError('Fernet token is not canonical padded base64url');
  if (bytes.length < MIN_TOKEN_BYTES || (bytes.length - fernetDefaults.headerBytes - fernetDefaults.macBytes) % 16 !== 0) {
    throw new SealMalformedError('Fernet token has an impossible length');
  }
  if (bytes[0] !== fernetDefaults.version) throw new SealMalformedError('Unknown Fernet version');
  if (keys.length === 0) {
    throw new SealUnknownPasswordError('No password in the keyring is a 32-byte Fernet key');
  }
  const p = currentPrimitives() ?? (await loadPrimitives());
  const { sync } = p;
  const macStart = bytes.length - fernetDefaults.macBytes;
  const signed = bytes.subarray(0, macStart);
  const mac = bytes.subarray(macStart);
  let entry: CodecKey<FernetKey> | undefined;
  for (const candidate of keys) {
    const { signing } = candidate.key;
    const expected = sync ? sync.hmacSha256(signing, signed) : await p.hmacSha256(signing, signed);
    if (p.timingSafeEqual(expected, mac)) {
      entry = candidate;
      break;
    }
  }
  if (!entry) throw new SealBadMacError('Fernet token integrity check failed');
  const issued = fernetTimestamp(bytes);
  checkTimestamp(issued, time);
  const key = entry.key.encryption;
  const iv = bytes.subarray(9, fernetDefaults.headerBytes);
  const ciphertext = bytes.subarray(fernetDefaults.headerBytes, macStart);
  const plaintext = sync ? sync.aesCbcDecrypt(key, iv, ciphertext) : await p.aesCbcDecrypt(key, iv, ciphertext);
  if (!plaintext) throw new SealPayloadError('Fernet token does not decrypt (bad padding)');
  return { plaintext, passwordId: entry.id, sealedAtMs: issued * 1000, expiresAtMs: undefined };
}

/** Seconds since the epoch encoded in a token (may exceed 2^53 for forged values; still ordered). */
function fernetTimestamp(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(1) * 2 ** 32 + view.getUint32(5);
}

function checkTimestamp(issued: number, time: CodecTime): void {
  const now = Math.floor(time.nowMs / 1000);
  if (time.ttlSec > 0 && issued + time.ttlSec < now) throw new SealExpiredError('Fernet token is older than the ttl');
  if (issued > now + fernetDefaults.maxClockSkewSec) {
    throw new SealTimestampError('Fernet token is dated in the future beyond the allowed clock skew');
  }
}

/** Fernet: what workos-python writes. The key is 32 random bytes in base64url. */
export const fernetCodec: SealCodec<'fernet', FernetKey> = {
  format: 'fernet',
  name: 'Fernet',
  noun: 'a Fernet token (gAAAAA…)',
  writtenBy: 'workos-python',
  writesExpiry: false,
  namesKey: false,
  payloadKeys: 'snake_case',
  keyShape: 'a 32-byte key in base64url',
  keyHelp: 'Generate one with `npx sealed-session keygen --format fernet`.',
  keyBytes: fernetDefaults.keyBytes,
  detect: (sealed) => sealed.startsWith(PREFIX),
  keyOf: fernetKey,
  // Padded, exactly what Python's `Fernet.generate_key()` prints.
  encodeKey: (random) => encodeBase64urlPadded(random),
  seal: sealFernet,
  unseal: unsealFernet,
};
