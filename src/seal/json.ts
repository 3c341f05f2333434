/**
 * JSON for sealed payloads: compact on write, prototype-poisoning safe on read (the same rule
 * as @hapi/bourne's `protoAction: 'error'`).
 */
import { SealPayloadError } from './errors.js';

// A forbidden key can only appear if the text spells it, directly or through \u escapes, so the
// full walk runs only then.
function isSuspicious(text: string): boolean {
  return text.indexOf('__proto__') !== -1 || text.indexOf('constructor') !== -1 || text.indexOf('\\u') !== -1;
}

/** Compact JSON of `data`. @throws {@link SealPayloadError} when `data` has no JSON form. */
export function stringifyPayload(data: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (cause) {
    throw new SealPayloadError('Data cannot be serialized to JSON', { cause });
  }
  if (typeof text !== 'string') throw new SealPayloadError('Data has no JSON representation');
  return text;
}

/**
 * Parses `text`, refusing documents with a `__proto__` key or a `constructor` key holding a
 * `prototype`: harmless to `JSON.parse` itself, but dangerous once merged into other objects.
 *
 * @throws {@link SealPayloadError} for invalid JSON or a poisoned document.
 */
export function parsePayload(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new SealPayloadError('Payload is not valid JSON', { cause });
  }
  if (isSuspicious(text) && isPoisoned(value)) {
    throw new SealPayloadError('Payload contains a forbidden prototype key');
  }
  return value;
}

function isPoisoned(root: unknown): boolean {
  // Iterative so a deeply nested document cannot overflow the stack.
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Object.prototype.hasOwnProperty.call(node, '__proto__')) return true;
    const record = node as Record<string, unknown>;
    const ctor = Object.prototype.hasOwnProperty.call(node, 'constructor') ? record.constructor : undefined;
    if (typeof ctor === 'object' && ctor !== null && Object.prototype.hasOwnProperty.call(ctor, 'prototype')) {
      return true;
    }
    for (const key of Object.keys(record)) stack.push(record[key]);
  }
  return false;
}
