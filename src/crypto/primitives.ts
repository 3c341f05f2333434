/**
 * The primitives the seal formats and the access-token check need, behind one interface with
 * two backends: synchronous `node:crypto` where it exists, WebCrypto elsewhere. Both must give
 * identical answers.
 */
import type { KeyObject } from 'node:crypto';
import { nodeCrypto, nodeCryptoIfLoaded, type NodeCrypto } from './runtime.js';
import { createNodePrimitives } from './node-primitives.js';
import { createWebPrimitives } from './web-primitives.js';

/** The public members of an RSA JSON Web Key (RFC 7518 §6.3.1), base64url. */
export interface RsaPublicJwk {
  readonly n: string;
  readonly e: string;
}

/**
 * An RSA public key imported by one backend. Only the backend that imported it verifies with
 * it; the other answers `false`.
 */
export type RsaPublicKey =
  | { readonly backend: 'node'; readonly modulusBits: number; readonly key: KeyObject }
  | { readonly backend: 'webcrypto'; readonly modulusBits: number; readonly key: CryptoKey };

/** Cryptographic operations used by the Iron and Fernet codecs and the access-token check. */
export interface CryptoPrimitives {
  /** Which implementation is answering: `'node'` (`node:crypto`) or `'webcrypto'`. */
  readonly backend: 'node' | 'webcrypto';
  /** PBKDF2-HMAC-SHA1, `length` bytes of key. The string `salt` stands for its UTF-8 bytes. */
  pbkdf2Sha1(password: Uint8Array, salt: string, iterations: number, length: number): Promise<Uint8Array>;
  /**
   * HMAC-SHA256 of `data` under `key`. A string `data` stands for its UTF-8 bytes; `node:crypto`
   * hashes it without an intermediate copy.
   */
  hmacSha256(key: Uint8Array, data: Uint8Array | string): Promise<Uint8Array>;
  /** AES-CBC with PKCS#7 padding; AES-128 or AES-256 chosen by the key length (16 or 32 bytes). */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /**
   * Inverse of {@link CryptoPrimitives.aesCbcEncrypt}; `undefined` when the padding is wrong or
   * the ciphertext is not whole blocks. A string `ciphertext` is its base64url text: `node:crypto`
   * decodes it inside the decryption, without a buffer of its own, and reads non-canonical text
   * (the other alphabet, stray bits) where WebCrypto's path refuses it. Iron passes only text its
   * MAC has just verified, and every conforming sealer writes that text canonically.
   */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array | string): Promise<Uint8Array | undefined>;
  /**
   * Imports an RSA public key for RS256 verification, its size in `modulusBits` for the caller
   * to judge. Rejects when the backend refuses the JWK.
   */
  importRsaPublicJwk(jwk: RsaPublicJwk): Promise<RsaPublicKey>;
  /**
   * Whether `signature` is an RS256 signature (RSASSA-PKCS1-v1_5 with SHA-256, RFC 8017 §8.2.2)
   * of `data` under `key`. A string `data` stands for its UTF-8 bytes.
   */
  verifyRs256(key: RsaPublicKey, data: Uint8Array | string, signature: Uint8Array): Promise<boolean>;
  /** `length` bytes from a cryptographically secure generator. */
  randomBytes(length: number): Uint8Array;
  /** Equality in time independent of the contents. */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
  /** The same operations as plain calls, when the backend has them (`node:crypto`); the codecs prefer them. */
  readonly sync?: SyncPrimitives;
}

/** Synchronous forms of the {@link CryptoPrimitives} operations; same inputs, same bytes. */
export interface SyncPrimitives {
  pbkdf2Sha1(password: Uint8Array, salt: string, iterations: number, length: number): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array | string): Uint8Array;
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array;
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array | string): Uint8Array | undefined;
  verifyRs256(key: RsaPublicKey, data: Uint8Array | string, signature: Uint8Array): boolean;
}

let nodeModule: NodeCrypto | undefined;
let nodePrimitives: CryptoPrimitives | undefined;
let webPrimitives: CryptoPrimitives | undefined;

function forModule(mod: NodeCrypto | null): CryptoPrimitives {
  if (mod === null) return (webPrimitives ??= createWebPrimitives());
  if (mod !== nodeModule || !nodePrimitives) {
    nodeModule = mod;
    nodePrimitives = createNodePrimitives(mod);
  }
  return nodePrimitives;
}

/** The active backend if the runtime probe has already finished, else `undefined` (then await {@link loadPrimitives}). */
export function currentPrimitives(): CryptoPrimitives | undefined {
  const mod = nodeCryptoIfLoaded();
  return mod === undefined ? undefined : forModule(mod);
}

/** The active backend, probing for `node:crypto` on first use. */
export async function loadPrimitives(): Promise<CryptoPrimitives> {
  return currentPrimitives() ?? forModule(await nodeCrypto());
}
