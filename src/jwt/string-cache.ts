/**
 * Characters of the key that index the map. Keys arrive as new strings of 1–4 KB, which a Map
 * would hash whole on every lookup; their last characters are a MAC or a signature, so they tell
 * entries apart, and the whole key is still compared before a hit is returned.
 */
const INDEX_CHARS = 64;

interface Entry<V> {
  readonly key: string;
  readonly value: V;
}

/**
 * A bounded cache keyed by exact long strings (sealed cookies, access tokens). Two generations:
 * a full young map becomes the old one, dropping the previous old one, and a hit in the old map
 * moves to the young one, so entries in use outlive idle ones at O(1) per operation.
 */
export class LongStringCache<V> {
  readonly #generation: number;
  #young = new Map<string, Entry<V>>();
  #old = new Map<string, Entry<V>>();

  /** @param size Most entries held (rounded up to an even number); 0 disables the cache. */
  constructor(size: number) {
    this.#generation = Math.max(0, Math.ceil(size / 2));
  }

  /** Entries held, counting an entry that moved generations twice. */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  /** The value stored under exactly `key`. */
  get(key: string): V | undefined {
    const index = key.slice(-INDEX_CHARS);
    let entry = this.#young.get(index);
    if (entry === undefined) {
      entry = this.#old.get(index);
      if (entry === undefined || entry.key !== key) return undefined;
      this.#insert(index, entry);
    }
    return entry.key === key ? entry.value : undefined;
  }

  /** Stores `value` under `key` (replacing any entry whose key ends alike). */
  set(key: string, value: V): void {
    if (this.#generation > 0) this.#insert(key.slice(-INDEX_CHARS), { key, value });
  }

  clear(): void {
    this.#young = new Map();
    this.#old = new Map();
  }

  #insert(index: string, entry: Entry<V>): void {
    if (this.#young.size >= this.#generation && !this.#young.has(index)) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(index, entry);
  }
}
