/**
 * Keyrings: the validated, pre-encoded form of the passwords used to seal and unseal.
 *
 * Build one at startup with {@link createKeyring} and pass it on every call: validation and
 * each format's key making (`SealCodec.keyOf`) then happen once instead of once per request.
 */
import type { CodecKey } from './codec.js';
import { codecFor, codecOf, codecs, defaultFormat, formatList, sealFormats, type SealFormat } from './codecs.js';
import { SealPasswordError } from './errors.js';
import { passwordShortfall, passwordWeakness, strengthDefaults, type PasswordWeakness } from './password-strength.js';

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
 * A password an app already has that is too predictable to seal with can still open the
 * cookies sealed with it, marked `openOnly`: then it never seals, and only the format's
 * minimum is checked (32 characters; a 32-byte key for Fernet). The keyring must also hold a
 * password that seals each format it opens, so that those cookies move to it when refreshed.
 *
 * @example
 * ```ts
 * const current: PasswordEntry = { id: '2025_06', secret: process.env.COOKIE_PASSWORD_2025_06! };
 * const previous: PasswordEntry = process.env.COOKIE_PASSWORD!; // id '1' when it is the oldest
 * const python: PasswordEntry = { format: 'fernet', secret: process.env.PYTHON_FERNET_KEY! };
 * const weak: PasswordEntry = { secret: process.env.OLD_WEAK_PASSWORD!, openOnly: true }; // opens, never seals
 * ```
 */
export type PasswordEntry =
  | string
  | {
      /**
       * Written into Iron seals; keep it stable for as long as cookies sealed with it may come
       * back. Default: the entry's number, from the oldest, among the entries that seal Iron
       * (`'1'` for the oldest); `'fernet_1'`, `'fernet_2'`… for Fernet keys that do not;
       * `'open_1'`, `'open_2'`… for the entries that only open.
       */
      readonly id?: string;
      /** The password itself: 32+ characters, or a 32-byte key in base64(url) to also serve Fernet. */
      readonly secret: string;
      /** The only format this entry seals and opens. Default: Iron, and Fernet when the secret is a 32-byte key. */
      readonly format?: SealFormat;
      /**
       * `true`: the entry only opens cookies sealed before, and is exempt from the strength
       * check (not from the 32-character minimum). Cookies it opens report
       * `sealedWithOldPassword`, so a refresh re-seals them with a password that seals.
       */
      readonly openOnly?: boolean;
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
  /** Plain-password inputs (not keyrings) are validated once and remembered, up to this many. */
  resolvedCacheSize: 32,
  keygenHint:
    'Generate a strong one with `npx sealed-session keygen` (or `openssl rand -base64 32`).',
} as const;

/** @internal The keys of one format, each list newest first. */
export interface FormatKeys {
  /** Every entry whose secret is a key of this format, unless it declares another format. */
  readonly opening: readonly CodecKey[];
  /** The entries that seal it: those declaring it, or else all that open it. The first is the default. */
  readonly sealing: readonly CodecKey[];
}

/** @internal What the codecs see of a keyring. */
export interface KeyringState {
  /** Every password id, newest first. */
  readonly ids: readonly string[];
  /** The ids of the entries that only open, newest first. */
  readonly openOnlyIds: readonly string[];
  readonly formats: { readonly [F in SealFormat]: FormatKeys };
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
    return [...stateOf(this).ids];
  }

  /** Ids of the passwords that only open (`openOnly`), newest first. */
  get openOnlyIds(): readonly string[] {
    return [...stateOf(this).openOnlyIds];
  }

  /** The id sealing would use now for `format`, or `undefined` if no entry serves it. */
  newestId(format: SealFormat): string | undefined {
    return keysOf(this, format)?.sealing[0]?.id;
  }

  /**
   * Ids of the entries that seal `format`, newest first: the first is the default, any of them
   * may be chosen with `sealData`'s `passwordId`.
   */
  sealingIds(format: SealFormat): readonly string[] {
    return (keysOf(this, format)?.sealing ?? []).map((entry) => entry.id);
  }

  /** A log-safe description: ids only. */
  toJSON(): {
    /** Password ids, newest first. */
    ids: readonly string[];
  } {
    return { ids: this.ids };
  }
}

function keysOf(keyring: Keyring, format: SealFormat): FormatKeys | undefined {
  const state = stateOf(keyring);
  return codecOf(format) ? state.formats[format] : undefined;
}

/** @internal The validated entries behind `keyring`. */
export function stateOf(keyring: Keyring): KeyringState {
  const state = states.get(keyring);
  if (!state) throw new SealPasswordError('Not a keyring built by createKeyring()', { problem: 'missing' });
  return state;
}

/**
 * Validates every password once and returns a {@link Keyring} for the hot path.
 *
 * Entries without an id are numbered from the oldest among the entries that seal Iron (`'1'`
 * for the oldest), so a single string seals with id `'1'`, as `@workos-inc/node` does, and so
 * does the Iron password of a list that adds a declared Fernet key; Fernet keys that do not
 * seal Iron are named `'fernet_1'`, `'fernet_2'`…, and the entries that only open `'open_1'`,
 * `'open_2'`…, so adding or removing one of those changes no id that a seal carries. See
 * {@link PasswordEntry} for which entry serves which format.
 *
 * @throws {@link errors!SealPasswordError} naming the first unusable entry and how to fix it.
 * @example
 * ```ts
 * const keyring = createKeyring([process.env.COOKIE_PASSWORD_NEW!, process.env.COOKIE_PASSWORD!]);
 * const cookie = await sealData({ userId: 'user_123' }, { password: keyring });
 * ```
 */
export function createKeyring(password: PasswordInput): Keyring {
  const list: readonly unknown[] = Array.isArray(password) ? password : [password];
  if (list.length === 0) {
    throw new SealPasswordError(`No password given. ${keyringDefaults.keygenHint}`, { problem: 'missing' });
  }
  const parsed = list.map((item, index) => parseEntry(item, list.length - index, list.length === 1));
  // Declarations decide which entries seal; an entry that never seals has no say.
  const declared = new Set(parsed.filter((entry) => !entry.openOnly).map((entry) => entry.format));
  const entries = nameEntries(parsed, declared).map(checkEntry);
  const ids = new Set<string>();
  for (const entry of entries) {
    if (ids.has(entry.id)) {
      throw new SealPasswordError(
        `Password id '${entry.id}' is used twice. Give each password its own id (entries without one are numbered from the oldest, starting at '1').`,
        { problem: 'duplicate_id' },
      );
    }
    ids.add(entry.id);
  }
  const formats = {} as Record<SealFormat, FormatKeys>;
  for (const format of sealFormats) {
    formats[format] = formatKeys(entries, format, declared.has(format));
    checkResealable(entries, format, formats[format]);
  }
  const openOnlyIds = entries.filter((entry) => entry.openOnly).map((entry) => entry.id);
  return new Keyring({ ids: [...ids], openOnlyIds, formats });
}

/**
 * Declared entries seal their format alone; with none declared, every entry that can does.
 * Open-only entries never do.
 */
function formatKeys(entries: readonly NamedEntry[], format: SealFormat, declared: boolean): FormatKeys {
  const able = entries.filter((entry) => entry.keys.has(format));
  const opening = able.map((entry) => ({ id: entry.id, key: entry.keys.get(format) }));
  const seals = (entry: NamedEntry) => !entry.openOnly && (!declared || entry.format === format);
  const sealing = opening.filter((_, index) => seals(able[index] as NamedEntry));
  return { opening, sealing };
}

/** A cookie opened by an open-only entry is refreshed onto a password that seals its format: there must be one. */
function checkResealable(entries: readonly NamedEntry[], format: SealFormat, keys: FormatKeys): void {
  if (keys.sealing.length > 0) return;
  const stranded = entries.find((entry) => entry.openOnly && entry.keys.has(format));
  if (!stranded) return;
  const codec = codecFor(format);
  const where = stranded.single ? 'The password' : `Password '${stranded.id}'`;
  // An undeclared secret may serve a format its app never used it for.
  const other = [...stranded.keys.keys()].find((served) => served !== format);
  const declare = stranded.format === undefined && other !== undefined
    ? ` If it is not for ${codec.name}, declare the format it is for: \`{ secret, format: '${other}', openOnly: true }\`.`
    : '';
  throw new SealPasswordError(
    `${where} only opens (\`openOnly\`) and no password seals ${codec.name}, so the cookies it opens could not be refreshed: list ${codec.keyShape} that seals before it, newest first.${declare} ${codec.keyHelp}`,
    { problem: 'no_key_for_format' },
  );
}

interface ParsedEntry {
  readonly id: string | undefined;
  readonly secret: string;
  readonly format: SealFormat | undefined;
  /** Opens, never seals. */
  readonly openOnly: boolean;
  /** The key the secret is for each format it may serve: its declared one, or any. */
  readonly keys: ReadonlyMap<SealFormat, unknown>;
  /** The keyring has this entry alone: messages say "the password", not its id. */
  readonly single: boolean;
}

type NamedEntry = ParsedEntry & { readonly id: string };

function parseEntry(item: unknown, position: number, single: boolean): ParsedEntry {
  const where = single ? 'The password' : `Password #${position} (counted from the oldest)`;
  const candidate = (typeof item === 'object' && item !== null ? item : { secret: item }) as {
    id?: unknown;
    secret?: unknown;
    format?: unknown;
    openOnly?: unknown;
  };
  const { id, secret, format, openOnly } = candidate;
  if (format !== undefined && !codecOf(format)) {
    throw new SealPasswordError(`${where} has a \`format\` other than ${formatList("'")}.`, { problem: 'bad_format' });
  }
  if (openOnly !== undefined && typeof openOnly !== 'boolean') {
    throw new SealPasswordError(`${where} has an \`openOnly\` other than true or false.`, { problem: 'bad_open_only' });
  }
  if (id !== undefined && (typeof id !== 'string' || !keyringDefaults.idPattern.test(id))) {
    throw new SealPasswordError(`${where} needs an id of 1 to 64 letters, digits or underscores.`, { problem: 'bad_id' });
  }
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new SealPasswordError(`${where} is empty or not a string. ${keyringDefaults.keygenHint}`, { problem: 'missing' });
  }
  const declared = format as SealFormat | undefined;
  const keys = new Map<SealFormat, unknown>();
  for (const [name, codec] of codecs) {
    if (declared !== undefined && declared !== name) continue;
    const key = codec.keyOf(secret);
    if (key !== undefined) keys.set(name, key);
  }
  return { id, secret, format: declared, openOnly: openOnly === true, keys, single };
}

/**
 * Ids for the entries without one, counted from the oldest: `'1'`, `'2'`… for the entries that
 * seal the default format (or seal nothing), `'fernet_1'`… for those that seal another format
 * only, `'open_1'`… for those that only open. So the Iron password keeps id `'1'`, the one the
 * WorkOS SDKs read, when Fernet keys or open-only passwords join the list.
 */
function nameEntries(parsed: readonly ParsedEntry[], declared: ReadonlySet<SealFormat | undefined>): NamedEntry[] {
  const counts = new Map<SealFormat | 'open', number>();
  const named: NamedEntry[] = [];
  for (let index = parsed.length - 1; index >= 0; index--) {
    const entry = parsed[index] as ParsedEntry;
    const sealsDefault = entry.keys.has(defaultFormat) && (!declared.has(defaultFormat) || entry.format === defaultFormat);
    const other = sealFormats.find((format) => format !== defaultFormat && entry.keys.has(format));
    const kind = entry.openOnly ? 'open' : sealsDefault || other === undefined ? defaultFormat : other;
    const count = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, count);
    const name = entry.id ?? (kind === defaultFormat ? String(count) : `${kind}_${count}`);
    named.unshift({ ...entry, id: name });
  }
  return named;
}

function checkEntry(entry: NamedEntry): NamedEntry {
  const where = entry.single ? 'The password' : `Password '${entry.id}'`;
  const weakness = entry.openOnly ? passwordShortfall(entry.secret) : passwordWeakness(entry.secret);
  if (weakness) refuseWeak(where, weakness);
  const codec = entry.format === undefined ? undefined : codecOf(entry.format);
  if (codec && !entry.keys.has(codec.format)) {
    throw new SealPasswordError(
      `${where} is declared for ${codec.name} but is not ${codec.keyShape}. ${codec.keyHelp}`,
      { problem: 'bad_format' },
    );
  }
  return entry;
}

// Said of a predictable password: how an app that has cookies sealed with it moves off it.
const OPEN_ONLY_HINT = 'To keep opening the cookies already sealed with it, list it after a new password as `{ secret, openOnly: true }`.';

function refuseWeak(where: string, weakness: PasswordWeakness): never {
  switch (weakness.kind) {
    case 'empty':
      throw new SealPasswordError(`${where} is empty. ${keyringDefaults.keygenHint}`, { problem: 'missing' });
    case 'too_short':
      throw new SealPasswordError(
        `${where} is too short: ${weakness.length} characters, at least ${strengthDefaults.minLength} required. ${keyringDefaults.keygenHint}`,
        { problem: 'too_short' },
      );
    case 'repetitive':
      throw new SealPasswordError(
        `${where} is too predictable: it repeats a block of ${weakness.period} character(s). ${keyringDefaults.keygenHint} ${OPEN_ONLY_HINT}`,
        { problem: 'weak' },
      );
    case 'low_entropy':
      throw new SealPasswordError(
        `${where} is too predictable: about ${weakness.bits} bits of estimated entropy, at least ${strengthDefaults.minEstimatedBits} required (too few distinct characters). ${keyringDefaults.keygenHint} ${OPEN_ONLY_HINT}`,
        { problem: 'weak' },
      );
  }
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
