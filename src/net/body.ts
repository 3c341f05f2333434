/**
 * Reading a response body from a provider that may be broken or hostile: never more than a
 * bound, never past the request's deadline, and never as anything but strict UTF-8. The same
 * capped reading serves the small bodies the auth routes accept from clients.
 */
import { concatBytes, utf8Decode as decodeUtf8 } from '../crypto/bytes.js';

/** A body read in full, or why it was not. */
export type BodyRead =
  | { ok: true; text: string }
  | {
      ok: false;
      /**
       * `too_large`: over the bound (declared or streamed); `not_utf8`: bytes that are not UTF-8;
       * `timeout`: the deadline passed first; `broken`: the stream failed (connection reset).
       */
      failure: 'too_large' | 'not_utf8' | 'timeout' | 'broken';
      cause?: unknown;
    };

/** `promise`, unless `signal` aborts first: then a rejection with the signal's reason. */
export async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Whether `response` declares a body longer than `limit` bytes. */
function declaresMoreThan(response: Response, limit: number): boolean {
  return Number(response.headers.get('content-length')) > limit;
}

/** A body's bytes read in full, or why they were not (the failures of {@link BodyRead} but `not_utf8`). */
export type BytesRead =
  | { ok: true; bytes: Uint8Array<ArrayBuffer> }
  | { ok: false; failure: 'too_large' | 'timeout' | 'broken'; cause?: unknown };

/**
 * The body of `response` as text, read with {@link readBytes} and decoded as strict UTF-8. A
 * declared length over `limit` is refused before anything is read.
 */
export async function readBody(response: Response, limit: number, signal: AbortSignal): Promise<BodyRead> {
  const body = response.body;
  if (body && typeof body.getReader === 'function' && declaresMoreThan(response, limit)) {
    await body.cancel().catch(() => undefined);
    return { ok: false, failure: 'too_large' };
  }
  const read = await readBytes(body, limit, signal);
  if (!read.ok) return read;
  const text = decodeUtf8(read.bytes);
  return text === undefined ? { ok: false, failure: 'not_utf8' } : { ok: true, text };
}

/**
 * A stream's bytes, read chunk by chunk. Past `limit` bytes, or once `signal` aborts, the
 * stream is cancelled: the rest is never buffered and the connection is let go. The signal is
 * watched here as well as by `fetch`, because a `fetch` passed in by the app may ignore it once
 * the headers are in.
 */
export async function readBytes(body: ReadableStream<Uint8Array> | null, limit: number, signal?: AbortSignal): Promise<BytesRead> {
  if (!body) return { ok: true, bytes: new Uint8Array(0) };
  if (typeof body.getReader !== 'function') return { ok: false, failure: 'broken', cause: new TypeError('body is not a ReadableStream') };
  const reader = body.getReader();
  if (!signal) return readChunks(reader, limit);
  // Cancelling settles a pending read as done, so a stalled body cannot outlive the deadline.
  const onAbort = () => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal.aborted) onAbort();
    return await readChunks(reader, limit, signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function readChunks(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number, signal?: AbortSignal): Promise<BytesRead> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const stop = async (read: BytesRead): Promise<BytesRead> => {
    await reader.cancel().catch(() => undefined);
    return read;
  };
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch (cause) {
      return signal?.aborted ? { ok: false, failure: 'timeout', cause: signal.reason } : stop({ ok: false, failure: 'broken', cause });
    }
    if (signal?.aborted) return { ok: false, failure: 'timeout', cause: signal.reason };
    if (read.done) return { ok: true, bytes: concatBytes(...chunks) };
    // A `fetch` passed in by the app may hand out chunks of any type.
    if (!(read.value instanceof Uint8Array)) return stop({ ok: false, failure: 'broken' });
    size += read.value.byteLength;
    if (size > limit) return stop({ ok: false, failure: 'too_large' });
    chunks.push(read.value);
  }
}
