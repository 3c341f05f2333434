/**
 * Which sealing format a string is in, decided by its prefix alone (no decoding, no crypto).
 */

/**
 * `'iron'`: Fe26.2 seals (@workos-inc/node, authkit-*, iron-session). `'fernet'`: workos-python.
 * Pick the format of the other apps that share the cookie; reading accepts both either way.
 *
 * @example
 * ```ts
 * const format: SealFormat = detectFormat(cookie) ?? 'iron';
 * const resealed = await sealData(data, { password: keyring, format });
 * ```
 */
export type SealFormat = 'iron' | 'fernet';

/** Prefixes that identify each format. */
export const formatPrefixes = {
  iron: 'Fe26.2*',
  // Version byte 0x80 followed by the high bytes of a 64-bit timestamp, which stay zero until
  // the year 4147, encode to these six characters.
  fernet: 'gAAAAA',
} as const;

/**
 * The format of `sealed` judged by its prefix, or `undefined` when it is neither.
 *
 * @example
 * ```ts
 * detectFormat('Fe26.2*1*…~2'); // 'iron'
 * detectFormat('gAAAAABl…==');  // 'fernet'
 * ```
 */
export function detectFormat(sealed: string): SealFormat | undefined {
  if (typeof sealed !== 'string') return undefined;
  if (sealed.startsWith(formatPrefixes.iron)) return 'iron';
  if (sealed.startsWith(formatPrefixes.fernet)) return 'fernet';
  return undefined;
}
