/** The registry of seal formats: a new format is one codec and one line in `registered`. */
import type { SealCodec } from './codec.js';
import { fernetCodec } from './fernet.js';
import { ironCodec } from './iron.js';

// Detection tries them in this order; their prefixes must not overlap.
const registered = [ironCodec, fernetCodec] as const;

/**
 * `'iron'`: Fe26.2 seals (@workos-inc/node, authkit-*, iron-session). `'fernet'`: workos-python.
 * Pick the format of the other apps that share the cookie; reading accepts both either way.
 */
export type SealFormat = (typeof registered)[number]['format'];

/** Every codec, by format. */
export const codecs: ReadonlyMap<SealFormat, SealCodec<SealFormat>> = new Map(registered.map((codec) => [codec.format, codec]));

/** Every format, in registry order. */
export const sealFormats: readonly SealFormat[] = registered.map((codec) => codec.format);

/** What sealing writes when no format is asked for: what the WorkOS Node SDKs read and write. */
export const defaultFormat: SealFormat = ironCodec.format;

/** The codec of `format`, or `undefined` when `format` (a caller's value) names none. */
export function codecOf(format: unknown): SealCodec<SealFormat> | undefined {
  return codecs.get(format as SealFormat);
}

/** The codec of `format`, a value already known to be a {@link SealFormat}. */
export function codecFor(format: SealFormat): SealCodec<SealFormat> {
  return codecs.get(format) as SealCodec<SealFormat>;
}

/** The formats, then `extra`, for messages: `'iron' or 'fernet'`, each quoted with `quote`. */
export function formatList(quote: string, extra: readonly string[] = []): string {
  const quoted = [...sealFormats, ...extra].map((name) => `${quote}${name}${quote}`);
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** The codec whose seals look like `sealed`, judged by shape alone (no decoding, no crypto). */
export function detectCodec(sealed: string): SealCodec<SealFormat> | undefined {
  for (const codec of registered) if (codec.detect(sealed)) return codec;
  return undefined;
}

/**
 * The format of `sealed` judged by its prefix, or `undefined` when it is in none.
 *
 * @example
 * ```ts
 * detectFormat('Fe26.2*1*…~2'); // 'iron'
 * detectFormat('gAAAAABl…==');  // 'fernet'
 * ```
 */
export function detectFormat(sealed: string): SealFormat | undefined {
  if (typeof sealed !== 'string') return undefined;
  return detectCodec(sealed)?.format;
}
