/**
 * Base64url (RFC 4648 §5) with a strict decoder. Seals are compared and cached as strings, so
 * each byte string has one accepted spelling: no stray padding, whitespace or non-zero unused
 * bits. Tokens signed by others may carry such bits; {@link Base64urlReading} allows those alone.
 */
import { nodeCryptoIfLoaded } from './runtime.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const URL_CHARS = /^[A-Za-z0-9_-]*$/;
const ANY_CHARS = /^[A-Za-z0-9_+/-]*$/;

const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;
// Standard-alphabet characters are only accepted by the lenient key decoder.
const STD_VALUES = Int8Array.from(VALUES);
STD_VALUES[0x2b] = 62;
STD_VALUES[0x2f] = 63;

interface BufferLike extends Uint8Array {
  toString(encoding?: string): string;
}
interface BufferStatic {
  from(data: ArrayBufferLike, offset: number, length: number): BufferLike;
  from(data: string, encoding: 'base64url'): BufferLike;
}

function nativeBuffer(): BufferStatic | undefined {
  if (!nodeCryptoIfLoaded()) return undefined;
  return (globalThis as { Buffer?: BufferStatic }).Buffer;
}

/** Encodes `bytes` as unpadded base64url. */
export function encodeBase64url(bytes: Uint8Array): string {
  const native = nativeBuffer();
  if (native) return native.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/** Encodes `bytes` as base64url padded with `=` to a multiple of 4 characters (Fernet tokens). */
export function encodeBase64urlPadded(bytes: Uint8Array): string {
  const text = encodeBase64url(bytes);
  return text + '='.repeat((4 - (text.length % 4)) % 4);
}

/** How {@link decodeBase64url} reads the unused low bits of the last character. */
export interface Base64urlReading {
  /**
   * `true` (the default): they must be zero, so each byte string has one spelling. `false`:
   * they are ignored, as RFC 7515 readers of a JWS do; everything else stays strict.
   */
  readonly canonical: boolean;
}

const CANONICAL: Base64urlReading = { canonical: true };

/**
 * Decodes unpadded base64url; `undefined` for anything else (padding, whitespace, foreign
 * characters, an impossible length, or non-zero trailing bits unless `reading` allows them).
 */
export function decodeBase64url(text: string, reading: Base64urlReading = CANONICAL): Uint8Array | undefined {
  const native = nativeBuffer();
  if (native) {
    // Node's decoder skips what it does not understand; only the canonical spelling survives
    // re-encoding unchanged.
    const buf = native.from(text, 'base64url');
    const again = buf.toString('base64url');
    if (again !== text && (reading.canonical || !differsInTrailingBitsOnly(again, text))) return undefined;
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  if (!URL_CHARS.test(text) || text.length % 4 === 1) return undefined;
  if (reading.canonical && !hasZeroTail(text, VALUES)) return undefined;
  return decodeChecked(text, VALUES);
}

/** Decodes canonical base64url that is padded to a multiple of 4 characters; `undefined` otherwise. */
export function decodeBase64urlPadded(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  let end = text.length;
  if (text.endsWith('==')) end -= 2;
  else if (text.endsWith('=')) end -= 1;
  const body = text.slice(0, end);
  // A full block of padding (`====`) or padding where none is due is not canonical.
  if (body.length % 4 === 0 && end !== text.length) return undefined;
  return decodeBase64url(body);
}

/**
 * Decodes base64 or base64url the way Python's `urlsafe_b64decode` does for keys: either
 * alphabet, optional padding, trailing bits ignored. Only for secrets typed by people.
 */
export function decodeBase64Lenient(text: string): Uint8Array | undefined {
  const body = text.replace(/={1,2}$/, '');
  if (!ANY_CHARS.test(body) || body.length % 4 === 1) return undefined;
  if (body.length !== text.length && (text.length % 4 !== 0)) return undefined;
  return decodeChecked(body, STD_VALUES);
}

/** The low bits of the last character that carry no data, for a text of `length` characters. */
function unusedBits(length: number): number {
  const rest = length % 4;
  return rest === 2 ? 0x0f : rest === 3 ? 0x03 : 0;
}

function hasZeroTail(text: string, values: Int8Array): boolean {
  return ((values[text.charCodeAt(text.length - 1)] ?? 0) & unusedBits(text.length)) === 0;
}

/** Whether `text` is `canonical` but for unused bits of its last character. */
function differsInTrailingBitsOnly(canonical: string, text: string): boolean {
  const end = text.length - 1;
  if (canonical.length !== text.length || !canonical.startsWith(text.slice(0, end))) return false;
  const given = VALUES[text.charCodeAt(end)] ?? -1;
  return given >= 0 && (given | unusedBits(text.length)) === ((VALUES[canonical.charCodeAt(end)] as number) | unusedBits(text.length));
}

function decodeChecked(text: string, values: Int8Array): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let i = 0;
  const v = (k: number): number => values[text.charCodeAt(k)] as number;
  for (; i + 3 < text.length; i += 4) {
    const n = (v(i) << 18) | (v(i + 1) << 12) | (v(i + 2) << 6) | v(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rest = text.length - i;
  if (rest >= 2) {
    const n = (v(i) << 18) | (v(i + 1) << 12) | (rest === 3 ? v(i + 2) << 6 : 0);
    out[o++] = n >> 16;
    if (rest === 3) out[o++] = (n >> 8) & 0xff;
  }
  return out;
}
