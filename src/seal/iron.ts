/**
 * Iron (Fe26.2) codec, byte-compatible with @hapi/iron, iron-webcrypto and iron-session:
 *
 * `Fe26.2*id*encSalt*iv*ciphertext*expiry*hmacSalt*hmac~2`
 *
 * AES-256-CBC encrypt-then-MAC with HMAC-SHA256, both keys derived by PBKDF2-SHA1 (one
 * iteration) from the password and a per-seal salt; the salt is the 64-char hex string itself.
 * Works on bytes; JSON is the caller's business.
 */
import { hexEncode, utf8Encode } from '../crypto/bytes.js';
import { decodeBase64url, encodeBase64url } from '../crypto/base64url.js';
import { currentPrimitives, loadPrimitives, type CryptoPrimitives, type SyncPrimitives } from '../crypto/primitives.js';
import {
  SealBadMacError,
  SealExpiredError,
  SealMalformedError,
  SealPayloadError,
  SealTimestampError,
  SealUnknownPasswordError,
} from './errors.js';
import type { CodecKey, CodecOpened, CodecTime, SealCodec } from './codec.js';

/** Iron parameters (the @hapi/iron defaults; anything else would not interoperate). */
export const ironDefaults = {
  macPrefix: 'Fe26.2',
  /** iron-session's format marker; written always, optional on read. */
  versionSuffix: '~2',
  keyBytes: 32,
  saltBytes: 32,
  ivBytes: 16,
  /** PBKDF2 iterations per key: one, as every Iron implementation derives them. */
  iterations: 1,
  /** Seals are accepted this long after their expiry, as in @hapi/iron. */
  timestampSkewMs: 60_000,
  /** hapi seals without an id are looked up under this id, as hapi does. */
  defaultId: 'default',
} as const;

// Each field is checked before any crypto. Lengths are exact: 64 hex chars per salt, a 16-byte
// IV and a 32-byte HMAC, both canonical base64url (see base64url.ts); the ciphertext's text is
// covered by the MAC, so no other spelling of an authentic seal can verify.
const ID = /^\w{0,64}$/;
const SALT = /^[0-9a-f]{64}$/;
const EXPIRY = /^(?:[1-9]\d{0,15})?$/;

const PREFIX = `${ironDefaults.macPrefix}*`;

/** `'*' + hmacSalt + '*' + hmac`, the fixed-length tail after the MAC'd part. */
const MAC_TAIL_LENGTH = 1 + 64 + 1 + 43;

/** An Iron key: the UTF-8 bytes of the password, which PBKDF2 stretches per seal. */
type IronKey = CodecKey<Uint8Array>;

/** A parsed, syntactically valid seal. */
interface ParsedIron {
  readonly id: string;
  readonly encSalt: string;
  readonly iv: Uint8Array;
  /** Base64url text, decoded by the decryption itself once the MAC (over this text) has verified. */
  readonly ciphertext: string;
  readonly expiryMs: number | undefined;
  readonly hmacSalt: string;
  readonly hmac: Uint8Array;
  readonly macBase: string;
}

function parseIron(sealed: string): ParsedIron {
  const { versionSuffix, macPrefix, ivBytes } = ironDefaults;
  const body = sealed.endsWith(versionSuffix) ? sealed.slice(0, -versionSuffix.length) : sealed;
  const parts = body.split('*');
  if (parts.length !== 8) throw new SealMalformedError('Iron seal must have 8 fields');
  const [prefix, id = '', encSalt = '', ivText = '', ctText = '', expiry = '', hmacSalt = '', hmacText = ''] = parts;
  if (prefix !== macPrefix) throw new SealMalformedError('Unsupported Iron version');
  if (!ID.test(id) || !SALT.test(encSalt) || !SALT.test(hmacSalt) || !EXPIRY.test(expiry)) {
    throw new SealMalformedError('Iron seal has a malformed id, salt or expiry');
  }
  // Decode the short fields first so garbage is refused before the long ciphertext is touched.
  const iv = decodeBase64url(ivText);
  const hmac = decodeBase64url(hmacText);
  if (iv?.length !== ivBytes || hmac?.length !== 32) throw new SealMalformedError('Iron seal has a malformed IV or HMAC');
  // The ciphertext is only measured here: the MAC covers its text exactly, so it is decoded
  // once, inside the decryption, and only when authentic.
  const ciphertextBytes = (ctText.length * 3) >> 2;
  if (ctText.length % 4 === 1 || ciphertextBytes === 0 || ciphertextBytes % 16 !== 0) {
    throw new SealMalformedError('Iron ciphertext is not base64url of whole AES blocks');
  }
  return {
    id,
    encSalt,
    iv,
    ciphertext: ctText,
    expiryMs: expiry === '' ? undefined : Number(expiry),
    hmacSalt,
    hmac,
    macBase: body.slice(0, body.length - MAC_TAIL_LENGTH),
  };
}

// Salts go to PBKDF2 as strings: each is 64 hex chars (checked, or written by us), so its UTF-8
// bytes are its char codes and node:crypto reads it without an encoded copy.
function deriveKey(p: CryptoPrimitives, entry: IronKey, salt: string): Promise<Uint8Array> {
  return p.pbkdf2Sha1(entry.key, salt, ironDefaults.iterations, ironDefaults.keyBytes);
}

function deriveKeySync(sync: SyncPrimitives, entry: IronKey, salt: string): Uint8Array {
  return sync.pbkdf2Sha1(entry.key, salt, ironDefaults.iterations, ironDefaults.keyBytes);
}

/**
 * Candidates in trial order: the key named by the seal's id first, then every other key.
 * Trying the others is cheap (one PBKDF2 block pair and one HMAC each) and needed because the
 * WorkOS SDKs write id '1' whatever password they hold, and hapi writes no id at all.
 */
function candidates(keys: readonly IronKey[], id: string): { named: IronKey | undefined; order: readonly IronKey[] } {
  const wanted = id === '' ? ironDefaults.defaultId : id;
  let named: IronKey | undefined;
  for (const key of keys) {
    if (key.id === wanted) {
      named = key;
      break;
    }
  }
  if (!named || named === keys[0]) return { named, order: keys };
  return { named, order: [named, ...keys.filter((key) => key !== named)] };
}

/**
 * Seals `plaintext` under `entry`, whose id the seal carries.
 *
 * @returns `Fe26.2*…~2`.
 */
async function sealIron(entry: IronKey, plaintext: Uint8Array, time: CodecTime): Promise<string> {
  const p = currentPrimitives() ?? (await loadPrimitives());
  // One draw for both salts and the IV: each call into the system generator has a fixed cost.
  const { saltBytes, ivBytes } = ironDefaults;
  const random = p.randomBytes(2 * saltBytes + ivBytes);
  const encSalt = hexEncode(random.subarray(0, saltBytes));
  const hmacSalt = hexEncode(random.subarray(saltBytes, 2 * saltBytes));
  const iv = random.subarray(2 * saltBytes);
  const { sync } = p;
  const encKey = sync ? deriveKeySync(sync, entry, encSalt) : await deriveKey(p, entry, encSalt);
  const ciphertext = sync ? sync.aesCbcEncrypt(encKey, iv, plaintext) : await p.aesCbcEncrypt(encKey, iv, plaintext);
  const expiry = time.ttlSec > 0 ? String(Math.floor(time.nowMs + time.ttlSec * 1000)) : '';
  const macBase = `${ironDefaults.macPrefix}*${entry.id}*${encSalt}*${encodeBase64url(iv)}*${encodeBase64url(ciphertext)}*${expiry}`;
  const macKey = sync ? deriveKeySync(sync, entry, hmacSalt) : await deriveKey(p, entry, hmacSalt);
  const mac = sync ? sync.hmacSha256(macKey, macBase) : await p.hmacSha256(macKey, macBase);
  return `${macBase}*${hmacSalt}*${encodeBase64url(mac)}${ironDefaults.versionSuffix}`;
}

/**
 * Checks and opens an Iron seal: shape, then MAC (constant time), then expiry, then decryption.
 * Time is judged only once the seal is known to be authentic, so a forged expiry reads as a bad
 * MAC rather than as an expired seal.
 */
async function unsealIron(keys: readonly IronKey[], sealed: string, time: CodecTime): Promise<CodecOpened> {
  const seal = parseIron(sealed);
  const p = currentPrimitives() ?? (await loadPrimitives());
  const { sync } = p;
  const { named, order } = candidates(keys, seal.id);
  let entry: IronKey | undefined;
  for (const candidate of order) {
    const key = sync ? deriveKeySync(sync, candidate, seal.hmacSalt) : await deriveKey(p, candidate, seal.hmacSalt);
    const mac = sync ? sync.hmacSha256(key, seal.macBase) : await p.hmacSha256(key, seal.macBase);
    if (p.timingSafeEqual(mac, seal.hmac)) {
      entry = candidate;
      break;
    }
  }
  if (!entry) {
    if (!named && seal.id !== '') throw new SealUnknownPasswordError(`No password with id '${seal.id}' opens this seal`);
    throw new SealBadMacError('Iron seal integrity check failed');
  }
  checkExpiry(seal.expiryMs, time);
  const encKey = sync ? deriveKeySync(sync, entry, seal.encSalt) : await deriveKey(p, entry, seal.encSalt);
  const plaintext = sync
    ? sync.aesCbcDecrypt(encKey, seal.iv, seal.ciphertext)
    : await p.aesCbcDecrypt(encKey, seal.iv, seal.ciphertext);
  if (!plaintext) throw new SealPayloadError('Iron seal does not decrypt with AES-256-CBC');
  return { plaintext, passwordId: entry.id, sealedAtMs: undefined, expiresAtMs: seal.expiryMs };
}

function checkExpiry(expiryMs: number | undefined, time: CodecTime): void {
  // An Iron seal without expiry carries no time at all, so there is nothing to hold a `ttl`
  // against; that is how the WorkOS SDKs write session cookies.
  if (expiryMs === undefined) return;
  if (expiryMs <= time.nowMs - ironDefaults.timestampSkewMs) throw new SealExpiredError('Iron seal has expired');
  if (time.ttlSec > 0 && expiryMs > time.nowMs + time.ttlSec * 1000 + ironDefaults.timestampSkewMs) {
    throw new SealTimestampError('Iron seal expires further in the future than the accepted ttl');
  }
}

/** Iron: what @workos-inc/node, authkit-* and iron-session write. Any strong password is a key. */
export const ironCodec: SealCodec<'iron', Uint8Array> = {
  format: 'iron',
  name: 'Iron',
  noun: 'an Iron seal (Fe26.2*…)',
  writtenBy: 'Fe26.2, @workos-inc/node and authkit',
  writesExpiry: true,
  namesKey: true,
  payloadKeys: 'camelCase',
  keyShape: 'a password of 32+ characters',
  keyHelp: 'Generate one with `npx sealed-session keygen`.',
  keyBytes: 32,
  detect: (sealed) => sealed.startsWith(PREFIX),
  keyOf: (secret) => utf8Encode(secret),
  encodeKey: (random) => encodeBase64url(random),
  seal: sealIron,
  unseal: unsealIron,
};
