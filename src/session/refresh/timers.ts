/** Timers that work the same on Node and on workers. */

/** A timer that never keeps a Node process alive (no-op elsewhere). */
export function unrefTimer(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => unrefTimer(setTimeout(resolve, ms)));
}

/** Settles with `promise`, or with `onTimeout()` after `ms`, whichever comes first. */
export function within<T>(promise: Promise<T>, ms: number, onTimeout: () => T | Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => Promise.resolve().then(onTimeout).then(resolve, reject), ms);
    unrefTimer(timer);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
