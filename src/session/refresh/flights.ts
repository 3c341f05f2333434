/**
 * Promises in progress by key: a caller that comes while one runs shares it instead of starting
 * another, and the entry goes when it settles.
 */
export class Flights<T> {
  readonly #pending = new Map<string, Promise<T>>();

  get(key: string): Promise<T> | undefined {
    return this.#pending.get(key);
  }

  /** The promise in progress for `key`, or the one `start` returns, kept until it settles. */
  share(key: string, start: () => Promise<T>): Promise<T> {
    const existing = this.#pending.get(key);
    if (existing !== undefined) return existing;
    const promise = start();
    this.#pending.set(key, promise);
    const forget = (): void => {
      if (this.#pending.get(key) === promise) this.#pending.delete(key);
    };
    void promise.then(forget, forget);
    return promise;
  }
}
