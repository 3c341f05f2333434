/**
 * Single flight over any interleaving: however callers arrive across coordinators sharing one
 * store, and however long the refresh takes, the grant is sent once and every caller gets it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RefreshCoordinator, type RefreshOutcome } from '../../../src/session/coordinator.js';
import { createMemoryRefreshStore } from '../../../src/session/stores/memory.js';

const ok: RefreshOutcome = { ok: true, sealedSession: 'sealed-new' };

describe('single flight, property', () => {
  it('refreshes exactly once for any interleaving of callers over coordinators sharing a store', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 0, max: 8 })), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 10 }),
        async (instances, calls, refreshMs) => {
          const store = createMemoryRefreshStore();
          const cs = Array.from({ length: instances }, () => new RefreshCoordinator({ store, pollIntervalMs: 2 }));
          let refreshes = 0;
          const refresh = async (): Promise<RefreshOutcome> => {
            refreshes++;
            await new Promise((r) => setTimeout(r, refreshMs));
            return ok;
          };
          const results = await Promise.all(
            calls.map(async ([which, delayMs]) => {
              await new Promise((r) => setTimeout(r, delayMs));
              return cs[which % instances]!.run('tok', refresh);
            }),
          );
          expect(refreshes).toBe(1);
          for (const r of results) expect(r).toMatchObject(ok);
        },
      ),
      { numRuns: 60 },
    );
  });
});
