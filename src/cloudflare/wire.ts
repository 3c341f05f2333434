/**
 * What the store sends its Durable Object and what comes back: one JSON body per operation,
 * `POST`ed to a path naming it. Both ends check what they read.
 */
import { isRefreshOutcome, type RefreshClaim, type RefreshOutcome } from '../session/stores/types.js';

/** The operations, by path. */
export type Operation = 'claim' | 'settle' | 'renew' | 'end-session' | 'session-ended';

/** The body of each operation. */
export interface Bodies {
  claim: { owner: string; lockTtlMs: number; acceptRetryable: boolean };
  settle: { owner: string; outcome: RefreshOutcome; ttlMs: number };
  renew: { owner: string; lockTtlMs: number };
  'end-session': { ttlMs: number };
  'session-ended': Record<string, never>;
}

/** The reply of each operation. */
export interface Replies {
  claim: RefreshClaim;
  settle: { ok: true };
  renew: { renewed: boolean };
  'end-session': { ok: true };
  'session-ended': { ended: boolean };
}

/** The URL the store calls on a stub; only its path matters to the object. */
export function operationUrl(operation: Operation): string {
  return `https://refresh-store/${operation}`;
}

const OPERATIONS: ReadonlySet<string> = new Set<Operation>(['claim', 'settle', 'renew', 'end-session', 'session-ended']);

/** The operation a request path names, or `undefined`. */
export function operationOf(pathname: string): Operation | undefined {
  const name = pathname.slice(1);
  return OPERATIONS.has(name) ? (name as Operation) : undefined;
}

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isDuration = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isOwner = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Checks the body of `operation`; `undefined` when it is malformed. */
export function parseBody<O extends Operation>(operation: O, value: unknown): Bodies[O] | undefined {
  if (!isFields(value)) return undefined;
  const ok = ((): boolean => {
    switch (operation) {
      case 'claim':
        return isOwner(value.owner) && isDuration(value.lockTtlMs) && typeof value.acceptRetryable === 'boolean';
      case 'settle':
        return isOwner(value.owner) && isRefreshOutcome(value.outcome) && isDuration(value.ttlMs);
      case 'renew':
        return isOwner(value.owner) && isDuration(value.lockTtlMs);
      case 'end-session':
        return isDuration(value.ttlMs);
      default:
        return true;
    }
  })();
  return ok ? (value as unknown as Bodies[O]) : undefined;
}

/** Checks the reply to `operation`; `undefined` when it is malformed. */
export function parseReply<O extends Operation>(operation: O, value: unknown): Replies[O] | undefined {
  if (!isFields(value)) return undefined;
  const ok = ((): boolean => {
    switch (operation) {
      case 'claim':
        return value.status === 'acquired' || value.status === 'locked' || (value.status === 'outcome' && isRefreshOutcome(value.outcome));
      case 'renew':
        return typeof value.renewed === 'boolean';
      case 'session-ended':
        return typeof value.ended === 'boolean';
      default:
        return value.ok === true;
    }
  })();
  return ok ? (value as unknown as Replies[O]) : undefined;
}
