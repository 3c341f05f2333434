/**
 * PBKDF2-HMAC-SHA1 with one iteration, for one password: what Iron derives both of its keys
 * with, once per seal and once per unseal.
 *
 * Written here rather than called from `node:crypto` or WebCrypto because the work is tiny
 * (five SHA-1 blocks for Iron's 64-char salts, once the password's HMAC pads are hashed) and the
 * platform calls are not: `pbkdf2Sync` spends about 4-5 µs per key on Node 20 in job set-up,
 * WebCrypto needs two promise round trips, and this runs in about 1.4 µs on either
 * (`bench/seal.ts`). Checked against RFC 6070 and against `node:crypto` on random inputs.
 */
import { utf8Encode } from './bytes.js';

const BLOCK_BYTES = 64;
const DIGEST_BYTES = 20;
const INITIAL_STATE = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0] as const;

/** One SHA-1 compression of the 16 big-endian words in `w[0..15]` into `state`; `w` is scratch of 80. */
function compress(state: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 80; i++) {
    const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  // Four loops rather than one with a branch per round: about twice as fast in V8.
  for (let i = 0; i < 20; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 20; i < 40; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 40; i < 60; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 60; i < 80; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
}

/** Loads the 64 bytes of `bytes` at `offset` into `w[0..15]` as big-endian words. */
function loadBlock(w: Int32Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + 4 * i;
    w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
  }
}

/** SHA-1 of `message`, for passwords longer than a block (HMAC hashes those first). */
function sha1(message: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil((message.length + 9) / BLOCK_BYTES) * BLOCK_BYTES);
  padded.set(message);
  padded[message.length] = 0x80;
  writeBitLength(padded, padded.length, message.length);
  const state = Int32Array.from(INITIAL_STATE);
  const w = new Int32Array(80);
  for (let offset = 0; offset < padded.length; offset += BLOCK_BYTES) {
    loadBlock(w, padded, offset);
    compress(state, w);
  }
  const digest = new Uint8Array(DIGEST_BYTES);
  writeStateBytes(state, digest, 0, DIGEST_BYTES);
  return digest;
}

/** Writes the bit length of a `byteLength`-byte message just before `end`, where its padding ends. */
function writeBitLength(padded: Uint8Array, end: number, byteLength: number): void {
  const bits = byteLength * 8;
  // Messages here are far below 2^32 bits, so the high word stays zero.
  padded[end - 4] = bits >>> 24;
  padded[end - 3] = (bits >>> 16) & 0xff;
  padded[end - 2] = (bits >>> 8) & 0xff;
  padded[end - 1] = bits & 0xff;
}

/** Writes the first `length` bytes of `state` (big-endian words) into `out` at `offset`. */
function writeStateBytes(state: Int32Array, out: Uint8Array, offset: number, length: number): void {
  for (let i = 0; i < length; i++) out[offset + i] = (state[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff;
}

/** The SHA-1 state after one block of `key XOR pad`: every HMAC under `key` starts from it. */
function padState(key: Uint8Array, pad: number): Int32Array {
  const block = new Uint8Array(BLOCK_BYTES).fill(pad);
  for (let i = 0; i < key.length; i++) block[i]! ^= key[i]!;
  const state = Int32Array.from(INITIAL_STATE);
  const w = new Int32Array(80);
  loadBlock(w, block, 0);
  compress(state, w);
  return state;
}

/** UTF-8 bytes of `salt`, or `undefined` when it is ASCII (its char codes are its bytes then). */
function nonAsciiBytes(salt: string): Uint8Array | undefined {
  for (let i = 0; i < salt.length; i++) if (salt.charCodeAt(i) > 0x7f) return utf8Encode(salt);
  return undefined;
}

/**
 * PBKDF2-HMAC-SHA1 with one iteration under `password`: the returned function maps a salt (a
 * string standing for its UTF-8 bytes) to `length` bytes of key. It reuses scratch buffers
 * between calls, which is safe: it runs to completion without yielding.
 *
 * @example
 * ```ts
 * const derive = pbkdf2Sha1OneIteration(utf8Encode(secret));
 * const key = derive(saltHex, 32); // = pbkdf2Sync(secret, saltHex, 1, 32, 'sha1')
 * ```
 */
export function pbkdf2Sha1OneIteration(password: Uint8Array): (salt: string, length: number) => Uint8Array {
  const key = password.length > BLOCK_BYTES ? sha1(password) : password;
  const inner = padState(key, 0x36);
  const outer = padState(key, 0x5c);
  const w = new Int32Array(80);
  const saltState = new Int32Array(5);
  const blockState = new Int32Array(5);
  // Iron's salts are 64 chars: salt, index and padding fill two blocks.
  const scratch = new Uint8Array(2 * BLOCK_BYTES);
  return (salt, length) => {
    // The inner message after the ipad block: salt, block index (written below), padding.
    const utf8 = nonAsciiBytes(salt);
    const saltLength = utf8 ? utf8.length : salt.length;
    const size = Math.ceil((saltLength + 4 + 9) / BLOCK_BYTES) * BLOCK_BYTES;
    const bytes = size <= scratch.length ? scratch : new Uint8Array(size);
    bytes.fill(0, saltLength, size);
    if (utf8) bytes.set(utf8);
    else for (let i = 0; i < saltLength; i++) bytes[i] = salt.charCodeAt(i);
    bytes[saltLength + 4] = 0x80;
    writeBitLength(bytes, size, BLOCK_BYTES + saltLength + 4);
    // Whole blocks of salt are hashed once for all output blocks; only the rest (the end of
    // the salt, the block index, the padding) differs between them.
    const shared = saltLength - (saltLength % BLOCK_BYTES);
    saltState.set(inner);
    for (let offset = 0; offset < shared; offset += BLOCK_BYTES) {
      loadBlock(w, bytes, offset);
      compress(saltState, w);
    }
    const out = new Uint8Array(length);
    for (let index = 1, written = 0; written < length; index++, written += DIGEST_BYTES) {
      bytes[saltLength] = index >>> 24;
      bytes[saltLength + 1] = (index >>> 16) & 0xff;
      bytes[saltLength + 2] = (index >>> 8) & 0xff;
      bytes[saltLength + 3] = index & 0xff;
      blockState.set(saltState);
      for (let offset = shared; offset < size; offset += BLOCK_BYTES) {
        loadBlock(w, bytes, offset);
        compress(blockState, w);
      }
      // Outer hash: the opad state, then the 20-byte inner digest and its padding in one block.
      w.set(blockState);
      w[5] = 0x80000000 | 0;
      w.fill(0, 6, 15);
      w[15] = (BLOCK_BYTES + DIGEST_BYTES) * 8;
      blockState.set(outer);
      compress(blockState, w);
      writeStateBytes(blockState, out, written, Math.min(DIGEST_BYTES, length - written));
    }
    return out;
  };
}
