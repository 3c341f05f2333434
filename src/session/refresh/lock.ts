import { RefreshLockLostError } from '../stores/errors.js';
import { unrefTimer } from './timers.js';

/**
 * Renews a lock every third of its lifetime until stopped. A lock that expired under a live
 * refresh would let another instance spend the same token; a dead holder stops renewing, so its
 * lock still expires after `lockTtlMs`. Returns the function that stops renewing.
 *
 * @param renew Renews the lock; resolves to whether it was still held.
 * @param report Hears of each failed renewal, and of the lock's loss.
 */
export function keepLock(renew: () => Promise<boolean>, lockTtlMs: number, report: (error: unknown) => void): () => void {
  let active = true;
  const stop = (): void => {
    active = false;
    clearInterval(timer);
  };
  const timer = setInterval(() => {
    renew().then(
      (held) => {
        if (held || !active) return;
        stop();
        report(new RefreshLockLostError('the refresh lock expired or was taken while its refresh was running'));
      },
      (error: unknown) => report(error),
    );
  }, lockTtlMs / 3);
  unrefTimer(timer);
  return stop;
}
