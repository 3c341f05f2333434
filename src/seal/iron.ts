/**
 * Iron (Fe26.2) codec, byte-compatible with @hapi/iron, iron-webcrypto and iron-session:
 *
 * `Fe26.2*id*encSalt*iv*ciphertext*expiry*hmacSalt*hmac~2`
 *
 * AES-256-CBC encrypt-then-MAC with HMAC-SHA256, both keys derived by PBKDF2-SHA1 (one
 * iteration) from the password and a per-seal salt; the salt is the 64-char hex string itself.
 * Works on bytes; JSON is the caller's business.
 */
import { hexEncode } from '../crypto/bytes.js';
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
import type { KeyEntry, KeyringState } from './keyring.js';

/** Iron parameters (the @hapi/iron defaults; anything else would not interoperate). */
export const ironDefaults = {
  macPrefix: 'Fe26.2',
  /** iron-session's format marker; written always, optional on read. */
  versionSuffix: '~2',
  keyBytes: 32,
  saltBytes: 32,
  ivBytes: 16,
  iterations: 1,
  /** Seals are accepted this long after their expiry, as in @hapi/iron. */
  timestampSkewMs: 60_000,
  /** hapi seals without an id are looked up under this id, as hapi does. */
  defaultId: 'default',
  /** Derived keys remembered per password (two per cookie in circulation). */
  derivedKeyCacheSize: 2048,
} as const;

// Each field is checked before any decoding or crypto. Lengths are exact: 64 hex chars per
// salt, a 16-byte IV and a 32-byte HMAC; base64url fields must be canonical (see base64url.ts),
// so every seal has exactly one accepted spelling.
const ID = /^\w{0,64}$/;
const SALT = /^[0-9a-f]{64}$/;
const EXPIRY = /^(?:[1-9]\d{0,15})?$/;

/** `'*' + hmacSalt + '*' + hmac`, the fixed-length tail after the MAC'd part. */
const MAC_TAIL_LENGTH = 1 + 64 + 1 + 43;

/** Clock and lifetime policy for one call. */
export interface IronTime {
  /** Current time, ms since the epoch. */
  readonly nowMs: number;
  /** Seal: lifetime in seconds (0 = no expiry). Unseal: longest acceptable remaining lifetime. */
  readonly ttlSec: number;
}

/** A parsed, syntactically valid seal. */
interface ParsedIron {
  readonly id: string;
  readonly encSalt: string;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
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
  const ciphertext = decodeBase64url(ctText);
  if (!ciphertext || ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw new SealMalformedError('Iron ciphertext is not canonical base64url of whole AES blocks');
  }
  return {
    id,
    encSalt,
    iv,
    ciphertext,
    expiryMs: expiry === '' ? undefined : Number(expiry),
    hmacSalt,
    hmac,
    macBase: body.slice(0, body.length - MAC_TAIL_LENGTH),
  };
}

// Derived keys of recently seen salts, per password. A browser sends the same cookie on every
// request until it is re-sealed, so the same two salts come back again and again; remembering
// their keys skips both PBKDF2 runs (bench/seal.ts on Node 20, ~2 KB session: about 25-30 us
// per unseal of a returning cookie against 40-50 us for one never seen). Only keys of seals
// whose MAC verified are stored, so forged cookies can neither fill nor flush the cache. Kept
// per backend so that switching backends (as the tests do) never skips a PBKDF2.
const derivedKeys = new WeakMap<CryptoPrimitives, WeakMap<Uint8Array, KeyCache>>();

/**
 * Two generations of maps: when the young one is full it becomes the old one and the previous
 * old one is dropped. Bounded, and O(1) per operation; evicting one entry at a time from a
 * single Map was measured to cost more than the PBKDF2 it saves (V8 leaves deleted slots at the
 * front of a Map's iteration order until it rehashes).
 */
interface KeyCache {
  young: Map<string, Uint8Array>;
  old: Map<string, Uint8Array>;
}

function keyCache(p: CryptoPrimitives, password: Uint8Array): KeyCache {
  let perPassword = derivedKeys.get(p);
  if (!perPassword) derivedKeys.set(p, (perPassword = new WeakMap()));
  let cache = perPassword.get(password);
  if (!cache) perPassword.set(password, (cache = { young: new Map(), old: new Map() }));
  return cache;
}

function cachedKey(cache: KeyCache, salt: string): Uint8Array | undefined {
  return cache.young.get(salt) ?? cache.old.get(salt);
}

function rememberKey(cache: KeyCache, salt: string, key: Uint8Array): void {
  if (cache.young.size >= ironDefaults.derivedKeyCacheSize / 2) {
    cache.old = cache.young;
    cache.young = new Map();
  }
  cache.young.set(salt, key);
}

// Salts and MAC bases go to the primitives as strings: each has passed the field checks (or was
// built by us) and is ASCII, so its UTF-8 bytes are its ASCII bytes, and node:crypto hashes a
// string without the encode-and-copy a Uint8Array would need.
function deriveKey(p: CryptoPrimitives, password: Uint8Array, salt: string): Promise<Uint8Array> {
  return p.pbkdf2Sha1(password, salt, ironDefaults.iterations, ironDefaults.keyBytes);
}

function deriveKeySync(sync: SyncPrimitives, password: Uint8Array, salt: string): Uint8Array {
  return sync.pbkdf2Sha1(password, salt, ironDefaults.iterations, ironDefaults.keyBytes);
}

// The codecs below await only when the backend has no synchronous primitives: with
// node:crypto a seal is made or opened without a single promise hop, and WebCrypto takes the
// awaited branch of each `sync ? … : await …`. The tests run every vector through both.

/**
 * Candidates in trial order: the entry named by the seal's id first, then every other entry.
 * Trying the others is cheap (one PBKDF2 block pair and one HMAC each) and needed because the
 * WorkOS SDKs write id '1' whatever password they hold, and hapi writes no id at all.
 */
function candidates(state: KeyringState, id: string): { named: KeyEntry | undefined; order: readonly KeyEntry[] } {
  const named = state.byId.get(id === '' ? ironDefaults.defaultId : id);
  if (!named || named === state.entries[0]) return { named, order: state.entries };
  return { named, order: [named, ...state.entries.filter((entry) => entry !== named)] };
}

/**
 * Seals `plaintext` under the newest entry of the keyring.
 *
 * @returns `Fe26.2*…~2`.
 */
export async function sealIron(state: KeyringState, plaintext: Uint8Array, time: IronTime): Promise<string> {
  const entry = state.entries[0];
  if (!entry) throw new SealUnknownPasswordError('Keyring is empty');
  const p = currentPrimitives() ?? (await loadPrimitives());
  // One draw for both salts and the IV: each call into the system generator costs about as
  // much as the draw itself (three calls took ~9 us on Node 20, one call of 80 bytes ~3 us).
  const { saltBytes, ivBytes } = ironDefaults;
  const random = p.randomBytes(2 * saltBytes + ivBytes);
  const encSalt = hexEncode(random.subarray(0, saltBytes));
  const hmacSalt = hexEncode(random.subarray(saltBytes, 2 * saltBytes));
  const iv = random.subarray(2 * saltBytes);
  const { sync } = p;
  const encKey = sync ? deriveKeySync(sync, entry.iron, encSalt) : await deriveKey(p, entry.iron, encSalt);
  const ciphertext = sync ? sync.aesCbcEncrypt(encKey, iv, plaintext) : await p.aesCbcEncrypt(encKey, iv, plaintext);
  const expiry = time.ttlSec > 0 ? String(Math.floor(time.nowMs + time.ttlSec * 1000)) : '';
  const macBase = `${ironDefaults.macPrefix}*${entry.id}*${encSalt}*${encodeBase64url(iv)}*${encodeBase64url(ciphertext)}*${expiry}`;
  const macKey = sync ? deriveKeySync(sync, entry.iron, hmacSalt) : await deriveKey(p, entry.iron, hmacSalt);
  const mac = sync ? sync.hmacSha256(macKey, macBase) : await p.hmacSha256(macKey, macBase);
  return `${macBase}*${hmacSalt}*${encodeBase64url(mac)}${ironDefaults.versionSuffix}`;
}

/**
 * Checks and opens an Iron seal: shape, then MAC (constant time), then expiry, then decryption.
 * Time is judged only once the seal is known to be authentic, so a forged expiry reads as a bad
 * MAC rather than as an expired seal.
 */
export async function unsealIron(
  state: KeyringState,
  sealed: string,
  time: IronTime,
): Promise<{ plaintext: Uint8Array; entry: KeyEntry }> {
  const seal = parseIron(sealed);
  const p = currentPrimitives() ?? (await loadPrimitives());
  const { sync } = p;
  const { named, order } = candidates(state, seal.id);
  let entry: KeyEntry | undefined;
  for (const candidate of order) {
    const cache = keyCache(p, candidate.iron);
    const cached = cachedKey(cache, seal.hmacSalt);
    const key =
      cached ??
      (sync ? deriveKeySync(sync, candidate.iron, seal.hmacSalt) : await deriveKey(p, candidate.iron, seal.hmacSalt));
    const mac = sync ? sync.hmacSha256(key, seal.macBase) : await p.hmacSha256(key, seal.macBase);
    if (p.timingSafeEqual(mac, seal.hmac)) {
      if (!cached) rememberKey(cache, seal.hmacSalt, key);
      entry = candidate;
      break;
    }
  }
  if (!entry) {
    if (!named && seal.id !== '') throw new SealUnknownPasswordError(`No password with id '${seal.id}' opens this seal`);
    throw new SealBadMacError('Iron seal integrity check failed');
  }
  checkExpiry(seal.expiryMs, time);
  // The MAC has verified, so the salt is authentic and its key worth remembering.
  const cache = keyCache(p, entry.iron);
  let encKey = cachedKey(cache, seal.encSalt);
  if (!encKey) {
    encKey = sync ? deriveKeySync(sync, entry.iron, seal.encSalt) : await deriveKey(p, entry.iron, seal.encSalt);
    rememberKey(cache, seal.encSalt, encKey);
  }
  const plaintext = sync
    ? sync.aesCbcDecrypt(encKey, seal.iv, seal.ciphertext)
    : await p.aesCbcDecrypt(encKey, seal.iv, seal.ciphertext);
  if (!plaintext) throw new SealPayloadError('Iron seal does not decrypt with AES-256-CBC');
  return { plaintext, entry };
}

function checkExpiry(expiryMs: number | undefined, time: IronTime): void {
  // An Iron seal without expiry carries no time at all, so there is nothing to hold a `ttl`
  // against; that is how the WorkOS SDKs write session cookies.
  if (expiryMs === undefined) return;
  if (expiryMs <= time.nowMs - ironDefaults.timestampSkewMs) throw new SealExpiredError('Iron seal has expired');
  if (time.ttlSec > 0 && expiryMs > time.nowMs + time.ttlSec * 1000 + ironDefaults.timestampSkewMs) {
    throw new SealTimestampError('Iron seal expires further in the future than the accepted ttl');
  }
}
