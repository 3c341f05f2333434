/**
 * Shared helpers for the sealing tests: fixture loading, backend switching and error checks.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SealError, type SealErrorCode } from '../../../src/errors/index.js';
import { rejectionOf, thrownBy } from '../../support/errors.js';

export { backends, useBackend } from '../../support/crypto-backends.js';

/** Parsed JSON of a file under `test/fixtures/vectors/`. */
export function readVectors<T>(relative: string): T {
  const url = new URL(`../../fixtures/vectors/${relative}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

/** Every code unsealing may fail with. */
export const UNSEAL_CODES: readonly SealErrorCode[] = [
  'seal_malformed',
  'seal_bad_mac',
  'seal_expired',
  'seal_bad_timestamp',
  'seal_unknown_password',
  'seal_bad_payload',
];

/** Awaits `promise` and returns the SealError it rejected with (fails if it resolved or threw something else). */
export const sealErrorOf = (promise: Promise<unknown>): Promise<SealError> => rejectionOf(SealError, promise);

/** The SealError `fn` throws (fails if it returned or threw something else). */
export const syncSealErrorOf = (fn: () => unknown): SealError => thrownBy(SealError, fn);

/** Strong fixed passwords for tests (random, 32+ characters). */
export const PASSWORDS = {
  ironA: 'k3P9vQx7LmZ2rT8wYb4NcF6hJd1SgA5e',
  ironB: 'Qw8ZrT2nVb5Lx9KcP3mHf7Yd1SjG4aEu',
  ironC: 'T7hYw2Kq9XbN4vLc8ZrP1mFd6SgJ3aEx',
  fernetA: 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=',
  fernetB: 'pfSqwTFXUTGEBBD1RQh2kt/oNJYxBgaoZan4Z8sMrKU=',
} as const;
