/**
 * Byte helpers shared by both crypto backends: UTF-8, hex, concatenation and a constant-time
 * comparison. Kept free of `Buffer` so they run on every runtime.
 */

const encoder = new TextEncoder();
// `fatal` turns invalid UTF-8 into an exception instead of silently inserting U+FFFD, so a
// corrupted plaintext can never decode into a different but valid JSON document.
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** UTF-8 encoding of `text`. */
export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** Strict UTF-8 decoding; `undefined` when `bytes` is not valid UTF-8. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Lowercase hex encoding of `bytes`. */
export function hexEncode(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX[byte];
  return out;
}

/** Concatenation of `parts` into a new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Compares two byte arrays in time that depends only on their lengths, so that a MAC check
 * leaks nothing about how many leading bytes of a forgery were right.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
