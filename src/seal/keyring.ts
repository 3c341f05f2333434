/**
 * Keyrings: the validated, pre-encoded form of the passwords used to seal and unseal.
 *
 * Build one at startup with {@link createKeyring} and pass it on every call: validation, UTF-8
 * encoding and Fernet key decoding then happen once instead of once per request.
 */
import { utf8Encode } from '../crypto/bytes.js';
import { decodeBase64Lenient } from '../crypto/base64url.js';
import { SealPasswordError } from './errors.js';
import { passwordWeakness, strengthDefaults } from './password-strength.js';
import type { SealFormat } from './format.js';

/**
 * A password: a bare secret, or a secret with an explicit id (`^\w{1,64}$`) for rotation.
 * Iron writes the id into every seal, so the password that opens it is found without trying
 * each one; bare secrets are numbered from the oldest.
 *
 * @example
 * ```ts
 * const current: PasswordEntry = { id: '2025_06', secret: process.env.COOKIE_PASSWORD_2025_06! };
 * const legacy: PasswordEntry = process.env.COOKIE_PASSWORD!; // id '1' when it is the oldest
 * ```
 */
export type PasswordEntry =
  | string
  | {
      /** Written into Iron seals; keep it stable for as long as cookies sealed with it may come back. */
      readonly id: string;
      /** The password itself: 32+ characters, or a 32-byte key in base64(url) to also serve Fernet. */
      readonly secret: string;
    };

/**
 * One password, or several for rotation, newest first: the first seals, all of them open.
 * Accepted by `createKeyring`, `sealData`, `unsealData` and the `cookiePassword` option.
 *
 * @example
 * ```ts
 * const passwords: PasswordInput = [process.env.COOKIE_PASSWORD_NEW!, process.env.COOKIE_PASSWORD_OLD!];
 * const keyring = createKeyring(passwords);
 * ```
 */
export type PasswordInput = PasswordEntry | readonly PasswordEntry[];

/** Keyring limits and messages. */
export const keyringDefaults = {
  /** Iron writes the id into the seal; @hapi/iron only accepts word characters there. */
  idPattern: /^\w{1,64}$/,
  /** Fernet keys are 32 bytes: 16 for signing, 16 for encryption. */
  fernetKeyBytes: 32,
  /** Plain-password inputs (not keyrings) are validated once and remembered, up to this many. */
  resolvedCacheSize: 32,
  keygenHint:
    'Generate a strong one with `npx sealed-session keygen` (or `openssl rand -base64 32`).',
} as const;

/** @internal One validated password and the keys it provides. */
export interface KeyEntry {
  readonly id: string;
  /** UTF-8 bytes of the secret: Iron's PBKDF2 password. */
  readonly iron: Uint8Array;
  /** Present when the secret decodes to a 32-byte Fernet key. */
  readonly fernet: { readonly signing: Uint8Array; readonly encryption: Uint8Array } | undefined;
}

/** @internal What the codecs see of a keyring. */
export interface KeyringState {
  /** All entries, newest first. */
  readonly entries: readonly KeyEntry[];
  readonly byId: ReadonlyMap<string, KeyEntry>;
  /** Entries usable as a Fernet key, newest first. */
  readonly fernet: readonly KeyEntry[];
}

const states = new WeakMap<Keyring, KeyringState>();

/**
 * A validated set of passwords, newest first. Secrets are held outside the object's own
 * properties so that logging a keyring never prints them.
 *
 * @example
 * ```ts
 * const keyring = createKeyring([{ id: '2025', secret: newSecret }, { id: '2024', secret: oldSecret }]);
 * keyring.ids;               // ['2025', '2024']
 * keyring.newestId('iron');  // '2025'
 * ```
 */
export class Keyring {
  /** @internal Use {@link createKeyring}. */
  constructor(state: KeyringState) {
    states.set(this, state);
  }

  /** Password ids, newest first. */
  get ids(): readonly string[] {
    return stateOf(this).entries.map((entry) => entry.id);
  }

  /** The id sealing would use now for `format`, or `undefined` if no entry serves it. */
  newestId(format: SealFormat): string | undefined {
    const state = stateOf(this);
    return (format === 'iron' ? state.entries[0] : state.fernet[0])?.id;
  }

  /** A log-safe description: ids only. */
  toJSON(): {
    /** Password ids, newest first. */
    ids: readonly string[];
  } {
    return { ids: this.ids };
  }
}

/** @internal The validated entries behind `keyring`. */
export function stateOf(keyring: Keyring): KeyringState {
  const state = states.get(keyring);
  if (!state) throw new SealPasswordError('missing', 'Not a keyring built by createKeyring()');
  return state;
}

/**
 * Validates every password once and returns a {@link Keyring} for the hot path.
 *
 * In a list, plain strings get ids from their position counted from the oldest (`'1'` for the
 * oldest), so a single string seals with id `'1'`, as `@workos-inc/node` does. Any entry can
 * serve as an Iron password; one that decodes to exactly 32 bytes of base64 or base64url also
 * serves as a Fernet key.
 *
 * @throws {@link SealPasswordError} naming the first unusable entry and how to fix it.
 * @example
 * ```ts
 * const keyring = createKeyring([process.env.COOKIE_PASSWORD_NEW!, process.env.COOKIE_PASSWORD!]);
 * const cookie = await sealData({ userId: 'user_123' }, { password: keyring });
 * ```
 */
export function createKeyring(password: PasswordInput): Keyring {
  const list: readonly unknown[] = Array.isArray(password) ? password : [password];
  if (list.length === 0) {
    throw new SealPasswordError('missing', `No password given. ${keyringDefaults.keygenHint}`);
  }
  const entries = list.map((item, index) => toEntry(item, list.length - index));
  const byId = new Map<string, KeyEntry>();
  for (const entry of entries) {
    if (byId.has(entry.id)) {
      throw new SealPasswordError(
        'duplicate_id',
        `Password id '${entry.id}' is used twice. Give each password its own id (plain strings are numbered from the oldest, starting at '1').`,
      );
    }
    byId.set(entry.id, entry);
  }
  return new Keyring({ entries, byId, fernet: entries.filter((entry) => entry.fernet !== undefined) });
}

function toEntry(item: unknown, position: number): KeyEntry {
  let id = String(position);
  let secret: unknown = item;
  if (typeof item === 'object' && item !== null) {
    const candidate = item as { id?: unknown; secret?: unknown };
    if (typeof candidate.id !== 'string' || !keyringDefaults.idPattern.test(candidate.id)) {
      throw new SealPasswordError(
        'bad_id',
        `Password #${position} (counted from the oldest) needs an id of 1 to 64 letters, digits or underscores.`,
      );
    }
    id = candidate.id;
    secret = candidate.secret;
  }
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new SealPasswordError('missing', `Password '${id}' is empty or not a string. ${keyringDefaults.keygenHint}`);
  }
  checkStrength(id, secret);
  return { id, iron: utf8Encode(secret), fernet: fernetKey(secret) };
}

function checkStrength(id: string, secret: string): void {
  const weakness = passwordWeakness(secret);
  if (!weakness) return;
  const where = `Password '${id}'`;
  switch (weakness.kind) {
    case 'empty':
      throw new SealPasswordError('missing', `${where} is empty. ${keyringDefaults.keygenHint}`);
    case 'too_short':
      throw new SealPasswordError(
        'too_short',
        `${where} is too short: ${weakness.length} characters, at least ${strengthDefaults.minLength} required. ${keyringDefaults.keygenHint}`,
      );
    case 'repetitive':
      throw new SealPasswordError(
        'weak',
        `${where} is too predictable: it repeats a block of ${weakness.period} character(s). ${keyringDefaults.keygenHint}`,
      );
    case 'low_entropy':
      throw new SealPasswordError(
        'weak',
        `${where} is too predictable: about ${weakness.bits} bits of estimated entropy, at least ${strengthDefaults.minEstimatedBits} required (too few distinct characters). ${keyringDefaults.keygenHint}`,
      );
  }
}

function fernetKey(secret: string): KeyEntry['fernet'] {
  const bytes = decodeBase64Lenient(secret);
  if (bytes?.length !== keyringDefaults.fernetKeyBytes) return undefined;
  return { signing: bytes.slice(0, 16), encryption: bytes.slice(16, 32) };
}

const resolved = new Map<string, Keyring>();

/**
 * @internal The keyring for a call's `password` option. Plain inputs are validated on first use
 * and remembered (bounded), so passing a string on every call stays cheap.
 */
export function resolveKeyring(password: PasswordInput | Keyring): Keyring {
  if (password instanceof Keyring) return password;
  let cacheKey: string;
  try {
    // Prefixed so that a string password can never collide with the JSON of a list.
    cacheKey = typeof password === 'string' ? `s:${password}` : `j:${JSON.stringify(password)}`;
  } catch {
    return createKeyring(password);
  }
  const hit = resolved.get(cacheKey);
  if (hit) return hit;
  const keyring = createKeyring(password);
  if (resolved.size >= keyringDefaults.resolvedCacheSize) {
    const oldest = resolved.keys().next();
    if (!oldest.done) resolved.delete(oldest.value);
  }
  resolved.set(cacheKey, keyring);
  return keyring;
}
