/**
 * The Durable Object holding one key's refresh state: the memory store's slot rules, kept in the
 * object's storage so that an evicted or restarted object still has its lock and outcome.
 *
 * A Durable Object runs one event at a time, and its input gate holds new events while a storage
 * call is in flight: each read-modify-write below is atomic for the key without a lock of its own.
 */
import { claimed, isEmpty, lapsesAt, prune, renewed, type Slot, settled } from '../session/stores/slot.js';
import { isRefreshOutcome } from '../session/stores/types.js';
import { type Bodies, type Operation, operationOf, parseBody, type Replies } from './wire.js';

/** The part of a Durable Object's `ctx.storage` the object uses. */
export interface RefreshStoreObjectStorage {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
  setAlarm(scheduledTime: number): Promise<void>;
}

/** The part of a Durable Object's `ctx` (its `DurableObjectState`) the object uses. */
export interface RefreshStoreObjectState {
  readonly storage: RefreshStoreObjectStorage;
}

/** Storage keys: an object serves either one refresh-token key or one session key. */
const SLOT = 'slot';
const ENDED = 'ended';

/** Bound on a request body: an outcome holds one sealed cookie, a few kB. */
const MAX_BODY_BYTES = 64 * 1024;

function isTimed(value: unknown, check: (inner: unknown) => boolean): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null) return false;
  const timed = value as Record<string, unknown>;
  return typeof timed.expiresAt === 'number' && check(timed.value);
}

function isSlot(value: unknown): value is Slot {
  if (typeof value !== 'object' || value === null) return false;
  const slot = value as Record<string, unknown>;
  return isTimed(slot.lock, (owner) => typeof owner === 'string') && isTimed(slot.result, isRefreshOutcome) && isTimed(slot.retry, isRefreshOutcome);
}

function failure(status: number, code: string): Response {
  return Response.json({ error: code }, { status });
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The Durable Object class of the refresh store. Export it from the Worker's entry module and
 * bind it in `wrangler` config; {@link createDurableObjectRefreshStore} reaches it through that
 * binding. It answers only the store's own requests, and nothing routes the internet to it.
 *
 * @example wrangler.toml
 * ```text
 * [[durable_objects.bindings]]
 * name = "REFRESH_STORE"
 * class_name = "RefreshStoreObject"
 *
 * [[migrations]]
 * tag = "v1"
 * new_sqlite_classes = ["RefreshStoreObject"]
 * ```
 */
export class RefreshStoreObject {
  readonly #storage: RefreshStoreObjectStorage;

  constructor(ctx: RefreshStoreObjectState, _env?: unknown) {
    this.#storage = ctx.storage;
  }

  /** Runs one store operation (`POST /<operation>` with a JSON body); a malformed request gets a 4xx. */
  async fetch(request: Request): Promise<Response> {
    const operation = operationOf(new URL(request.url).pathname);
    if (operation === undefined) return failure(404, 'unknown_operation');
    if (request.method !== 'POST') return failure(405, 'method_not_allowed');
    const body = parseBody(operation, await readJson(request));
    if (body === undefined) return failure(400, 'malformed_body');
    return Response.json(await this.#run(operation, body));
  }

  /** Drops what has lapsed; the object's storage is empty once everything has. */
  async alarm(): Promise<void> {
    await this.#writeSlot(await this.#readSlot());
    const ended = await this.#storage.get(ENDED);
    if (typeof ended !== 'number') return;
    if (ended <= Date.now()) await this.#storage.delete(ENDED);
    else await this.#storage.setAlarm(ended);
  }

  async #run(operation: Operation, body: Bodies[Operation]): Promise<Replies[Operation]> {
    const now = Date.now();
    switch (operation) {
      case 'claim': {
        const { owner, lockTtlMs, acceptRetryable } = body as Bodies['claim'];
        const { claim, next } = claimed(await this.#readSlot(), owner, { lockTtlMs, acceptRetryable }, now);
        if (next !== undefined) await this.#writeSlot(next);
        return claim;
      }
      case 'settle': {
        const { owner, outcome, ttlMs } = body as Bodies['settle'];
        await this.#writeSlot(settled(await this.#readSlot(), owner, outcome, now + ttlMs));
        return { ok: true };
      }
      case 'renew': {
        const { owner, lockTtlMs } = body as Bodies['renew'];
        const next = renewed(await this.#readSlot(), owner, now + lockTtlMs);
        if (next !== undefined) await this.#writeSlot(next);
        return { renewed: next !== undefined };
      }
      case 'end-session': {
        const expiresAt = now + (body as Bodies['end-session']).ttlMs;
        await this.#storage.put(ENDED, expiresAt);
        await this.#storage.setAlarm(expiresAt);
        return { ok: true };
      }
      case 'session-ended': {
        const ended = await this.#storage.get(ENDED);
        return { ended: typeof ended === 'number' && ended > now };
      }
    }
  }

  async #readSlot(): Promise<Slot> {
    const stored = await this.#storage.get(SLOT);
    // Anything else (written by another version, say) is treated as nothing stored.
    return isSlot(stored) ? prune(stored, Date.now()) : {};
  }

  async #writeSlot(slot: Slot): Promise<void> {
    if (isEmpty(slot)) {
      await this.#storage.delete(SLOT);
      return;
    }
    await this.#storage.put(SLOT, slot);
    await this.#storage.setAlarm(lapsesAt(slot));
  }
}
