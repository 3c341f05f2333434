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
 * A password: a bare secret, or an object with an explicit id (`^\w{1,64}$`) for rotation and
 * the format it is for. Iron writes the id into every seal, so the password that opens it is
 * found without trying each one; entries without an id are numbered from the oldest.
 *
 * A bare secret serves Iron, and Fernet too when it is a 32-byte key. In a list that mixes
 * Iron passwords and Fernet keys, declare the `format` of each key shared with another app:
 * a declared entry seals and opens that format only, and once one entry declares a format,
 * only declared entries seal it. Otherwise a 32-byte Iron password (what `sealed-session
 * keygen` prints) would also be taken for a Fernet key, and the other way round.
 *
 * @example
 * ```ts
 * const current: PasswordEntry = { id: '2025_06', secret: process.env.COOKIE_PASSWORD_2025_06! };
 * const legacy: PasswordEntry = process.env.COOKIE_PASSWORD!; // id '1' when it is the oldest
 * const python: PasswordEntry = { format: 'fernet', secret: process.env.PYTHON_FERNET_KEY! };
 * ```
 */
export type PasswordEntry =
  | string
  | {
      /**
       * Written into Iron seals; keep it stable for as long as cookies sealed with it may come
       * back. Default: the entry's number, from the oldest, among the entries that seal Iron
       * (`'1'` for the oldest); `'fernet_1'`, `'fernet_2'`… for Fernet keys that do not.
       */
      readonly id?: string;
      /** The password itself: 32+ characters, or a 32-byte key in base64(url) to also serve Fernet. */
      readonly secret: string;
      /** The only format this entry seals and opens. Default: Iron, and Fernet when the secret is a 32-byte key. */
      readonly format?: SealFormat;
    };

/**
 * One password, or several for rotation, newest first: for each format, the newest entry that
 * seals it seals; all of them open. Accepted by `createKeyring`, `sealData`, `unsealData` and
 * the `cookiePassword` option.
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
  /** The format the entry declares, if it declares one. */
  readonly format: SealFormat | undefined;
  /** UTF-8 bytes of the secret: Iron's PBKDF2 password. */
  readonly iron: Uint8Array;
  /** Present when the secret decodes to a 32-byte Fernet key. */
  readonly fernet: { readonly signing: Uint8Array; readonly encryption: Uint8Array } | undefined;
}

/** @internal What the codecs see of a keyring. Every list is newest first. */
export interface KeyringState {
  /** All entries. */
  readonly entries: readonly KeyEntry[];
  readonly byId: ReadonlyMap<string, KeyEntry>;
  /** Entries that open Iron seals: all but declared Fernet keys. */
  readonly iron: readonly KeyEntry[];
  /** Entries that open Fernet tokens: 32-byte keys not declared Iron. */
  readonly fernet: readonly KeyEntry[];
  /** Entries that seal each format; the first one is the default. */
  readonly sealing: { readonly [F in SealFormat]: readonly KeyEntry[] };
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
    return stateOf(this).sealing[format][0]?.id;
  }

  /**
   * Ids of the entries that seal `format`, newest first: the first is the default, any of them
   * may be chosen with `sealData`'s `passwordId`.
   */
  sealingIds(format: SealFormat): readonly string[] {
    return stateOf(this).sealing[format].map((entry) => entry.id);
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
 * Entries without an id are numbered from the oldest among the entries that seal Iron (`'1'`
 * for the oldest), so a single string seals with id `'1'`, as `@workos-inc/node` does, and so
 * does the Iron password of a list that adds a declared Fernet key; Fernet keys that do not
 * seal Iron are named `'fernet_1'`, `'fernet_2'`… See {@link PasswordEntry} for which entry
 * serves which format.
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
  const parsed = list.map((item, index) => parseEntry(item, list.length - index, list.length === 1));
  const declaresIron = parsed.some((entry) => entry.format === 'iron');
  const entries = nameEntries(parsed, declaresIron).map(toEntry);
  const byId = new Map<string, KeyEntry>();
  for (const entry of entries) {
    if (byId.has(entry.id)) {
      throw new SealPasswordError(
        'duplicate_id',
        `Password id '${entry.id}' is used twice. Give each password its own id (entries without one are numbered from the oldest, starting at '1').`,
      );
    }
    byId.set(entry.id, entry);
  }
  const iron = entries.filter((entry) => entry.format !== 'fernet');
  const fernet = entries.filter((entry) => entry.fernet !== undefined && entry.format !== 'iron');
  return new Keyring({ entries, byId, iron, fernet, sealing: { iron: sealers(iron, 'iron'), fernet: sealers(fernet, 'fernet') } });
}

/** Declared entries seal their format alone; with none declared, every entry that can does. */
function sealers(able: readonly KeyEntry[], format: SealFormat): readonly KeyEntry[] {
  const declared = able.filter((entry) => entry.format === format);
  return declared.length > 0 ? declared : able;
}

interface ParsedEntry {
  readonly id: string | undefined;
  readonly secret: string;
  readonly format: SealFormat | undefined;
  readonly fernet: KeyEntry['fernet'];
  readonly position: number;
  /** The keyring has this entry alone: messages say "the password", not its id. */
  readonly single: boolean;
}

function parseEntry(item: unknown, position: number, single: boolean): ParsedEntry {
  const where = single ? 'The password' : `Password #${position} (counted from the oldest)`;
  const candidate = (typeof item === 'object' && item !== null ? item : { secret: item }) as { id?: unknown; secret?: unknown; format?: unknown };
  const { id, secret, format } = candidate;
  if (format !== undefined && format !== 'iron' && format !== 'fernet') {
    throw new SealPasswordError('bad_format', `${where} has a \`format\` other than 'iron' or 'fernet'.`);
  }
  if (id !== undefined && (typeof id !== 'string' || !keyringDefaults.idPattern.test(id))) {
    throw new SealPasswordError('bad_id', `${where} needs an id of 1 to 64 letters, digits or underscores.`);
  }
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new SealPasswordError('missing', `${where} is empty or not a string. ${keyringDefaults.keygenHint}`);
  }
  return { id, secret, format, fernet: fernetKey(secret), position, single };
}

/**
 * Ids for the entries without one, counted from the oldest: `'1'`, `'2'`… for the entries that
 * seal Iron (or seal nothing), `'fernet_1'`… for the Fernet keys that do not seal Iron. So the
 * Iron password keeps id `'1'`, the one the WorkOS SDKs read, when Fernet keys join the list.
 */
function nameEntries(parsed: readonly ParsedEntry[], declaresIron: boolean): Array<ParsedEntry & { name: string }> {
  const counts = { iron: 0, fernet: 0 };
  const named: Array<ParsedEntry & { name: string }> = [];
  for (let index = parsed.length - 1; index >= 0; index--) {
    const entry = parsed[index] as ParsedEntry;
    const sealsIron = entry.format !== 'fernet' && (!declaresIron || entry.format === 'iron');
    const kind = !sealsIron && entry.fernet !== undefined ? 'fernet' : 'iron';
    counts[kind] += 1;
    const name = entry.id ?? (kind === 'fernet' ? `fernet_${counts.fernet}` : String(counts[kind]));
    named.unshift({ ...entry, name });
  }
  return named;
}

function toEntry(entry: ParsedEntry & { name: string }): KeyEntry {
  const where = entry.single ? 'The password' : `Password '${entry.name}'`;
  checkStrength(where, entry.secret);
  if (entry.format === 'fernet' && !entry.fernet) {
    throw new SealPasswordError(
      'bad_format',
      `${where} is declared a Fernet key but is not 32 bytes in base64url. Generate one with \`npx sealed-session keygen --format fernet\`.`,
    );
  }
  return { id: entry.name, format: entry.format, iron: utf8Encode(entry.secret), fernet: entry.fernet };
}

function checkStrength(where: string, secret: string): void {
  const weakness = passwordWeakness(secret);
  if (!weakness) return;
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
