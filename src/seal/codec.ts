/** What a seal format provides; everything format-specific lives behind this interface. */

/** One keyring entry as a codec sees it: the id it is known by and the key made by `keyOf`. */
export interface CodecKey<K = unknown> {
  readonly id: string;
  readonly key: K;
}

/** Clock and lifetime policy for one call. */
export interface CodecTime {
  /** Current time, ms since the epoch. */
  readonly nowMs: number;
  /**
   * Seal: lifetime in seconds to write into the seal, for formats that write one (0 = none).
   * Unseal: longest accepted lifetime in seconds (0 = any).
   */
  readonly ttlSec: number;
}

/** An opened seal. */
export interface CodecOpened {
  readonly plaintext: Uint8Array;
  /** Id of the key that opened it. */
  readonly passwordId: string;
  /** When the seal was made, ms since the epoch, for formats that record it. */
  readonly sealedAtMs: number | undefined;
  /**
   * The expiry written into the seal, ms since the epoch. When `undefined`, a seal opened
   * without a `ttl` opens at every later time too (callers cache on that).
   */
  readonly expiresAtMs: number | undefined;
}

/** The key style of a session payload sealed in a format, as the SDK that reads it expects. */
export type PayloadKeyStyle = 'camelCase' | 'snake_case';

/**
 * One seal format. Methods are pure apart from randomness: keys come in, strings and bytes go
 * out. `seal` and `unseal` must not await when the crypto backend offers synchronous
 * primitives (node:crypto), and `unseal` throws nothing but `SealError`.
 */
export interface SealCodec<F extends string = string, K = unknown> {
  /** The `format` option value. */
  readonly format: F;
  /** Name in messages: `'Iron'`. */
  readonly name: string;
  /** A seal of this format in messages: `'an Iron seal (Fe26.2*…)'`. */
  readonly noun: string;
  /** Who writes this format, for people choosing one. */
  readonly writtenBy: string;
  /** Whether seals carry an expiry of their own (sealed with a `ttl`). */
  readonly writesExpiry: boolean;
  /**
   * Whether a seal names the key that made it. When it does not, the app that wrote it may hold
   * only that key, so a refresh re-seals with the key that opened it rather than the newest.
   */
  readonly namesKey: boolean;
  /** Key style of the session payloads it seals. */
  readonly payloadKeys: PayloadKeyStyle;
  /** What a key must be, in messages: `'a 32-byte key'`. */
  readonly keyShape: string;
  /** How to get a key, in messages. */
  readonly keyHelp: string;
  /** Random bytes a generated key is made of. */
  readonly keyBytes: number;

  /** Whether `sealed` is in this format, judged by its shape alone (no decoding, no crypto). */
  detect(sealed: string): boolean;
  /** The key `secret` provides for this format, or `undefined` when it cannot serve it. */
  keyOf(secret: string): K | undefined;
  /** The text of a generated key made of `keyBytes` random bytes. */
  encodeKey(random: Uint8Array): string;
  /** Seals `plaintext` under `key`. */
  seal(key: CodecKey<K>, plaintext: Uint8Array, time: CodecTime): Promise<string>;
  /** Checks and opens `sealed` with the first of `keys` that authenticates it. */
  unseal(keys: readonly CodecKey<K>[], sealed: string, time: CodecTime): Promise<CodecOpened>;
}
