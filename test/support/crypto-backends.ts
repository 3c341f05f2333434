/**
 * Switching between the two crypto backends, for tests that run every vector through both.
 */
import { expect } from 'vitest';
import { disableNodeCrypto } from '../../src/crypto/runtime.js';
import { loadPrimitives } from '../../src/crypto/primitives.js';

/** Both crypto backends; every vector runs through each. */
export const backends = ['node', 'webcrypto'] as const;
export type Backend = (typeof backends)[number];

/** Selects a backend and checks that it is really the one answering. */
export async function useBackend(backend: Backend): Promise<void> {
  disableNodeCrypto(backend === 'webcrypto');
  const primitives = await loadPrimitives();
  expect(primitives.backend).toBe(backend);
}
