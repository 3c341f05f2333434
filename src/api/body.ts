/**
 * Reading a response body from a provider that may be broken or hostile: never more than a
 * bound, never past the request's deadline, and never as anything but strict UTF-8.
 */

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

/**
 * The body of `response` as text, read chunk by chunk. Past `limit` bytes, or once `signal`
 * aborts, the stream is cancelled: the rest is never buffered and the connection is let go.
 * The signal is watched here as well as by `fetch`, because a `fetch` passed in by the app may
 * ignore it once the headers are in.
 */
export async function readBody(response: Response, limit: number, signal: AbortSignal): Promise<BodyRead> {
  const body = response.body;
  if (!body) return { ok: true, text: '' };
  if (typeof body.getReader !== 'function') return { ok: false, failure: 'broken', cause: new TypeError('body is not a ReadableStream') };
  if (declaresMoreThan(response, limit)) {
    await body.cancel().catch(() => undefined);
    return { ok: false, failure: 'too_large' };
  }
  const reader = body.getReader();
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

async function readChunks(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number, signal: AbortSignal): Promise<BodyRead> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const parts: string[] = [];
  let size = 0;
  const stop = async (read: BodyRead): Promise<BodyRead> => {
    await reader.cancel().catch(() => undefined);
    return read;
  };
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch (cause) {
      return signal.aborted ? { ok: false, failure: 'timeout', cause: signal.reason } : stop({ ok: false, failure: 'broken', cause });
    }
    if (signal.aborted) return { ok: false, failure: 'timeout', cause: signal.reason };
    if (read.done) break;
    // A `fetch` passed in by the app may hand out chunks of any type.
    if (!(read.value instanceof Uint8Array)) return stop({ ok: false, failure: 'broken' });
    size += read.value.byteLength;
    if (size > limit) return stop({ ok: false, failure: 'too_large' });
    const text = decode(decoder, read.value);
    if (text === undefined) return stop({ ok: false, failure: 'not_utf8' });
    parts.push(text);
  }
  const tail = decode(decoder);
  if (tail === undefined) return { ok: false, failure: 'not_utf8' };
  parts.push(tail);
  return { ok: true, text: parts.join('') };
}

/** The next piece of strict UTF-8 text (the end of it without `chunk`); `undefined` on bad bytes. */
function decode(decoder: TextDecoder, chunk?: Uint8Array): string | undefined {
  try {
    return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
  } catch {
    return undefined;
  }
}
