/**
 * The fields of the small form or JSON body an auth route accepts, read with a hard cap: a
 * declared length over it is refused before any byte is read, and a stream that runs past it
 * is cancelled, not buffered. Client input, so it never throws: every failure is a 4xx result.
 *
 * @module
 */
import { readBytes } from '../net/body.js';

/** Largest body an auth route reads: a return path and an organization id fit many times over. */
export const MAX_FORM_BODY_BYTES = 8192;

/** The fields of a body, or the 4xx status that refuses it and why. */
export type FormBodyResult =
  | { ok: true; fields: ReadonlyMap<string, string> }
  | { ok: false; status: 400 | 413 | 415; message: string };

type BodyKind = 'json' | 'form' | 'multipart';

const KINDS: Readonly<Record<string, BodyKind>> = {
  'application/json': 'json',
  'application/x-www-form-urlencoded': 'form',
  'multipart/form-data': 'multipart',
};

const refuse = (status: 400 | 413 | 415, message: string): FormBodyResult => ({ ok: false, status, message });
const tooLarge = () => refuse(413, 'This request is too large.');

/**
 * Reads the fields of `request`'s body: a JSON object's string members, or a form's string
 * fields (the first of a repeated name). A request without a body gives the query string's.
 */
export async function readFormBody(request: Request, maxBytes = MAX_FORM_BODY_BYTES): Promise<FormBodyResult> {
  const length = declaredLength(request.headers.get('content-length'));
  if (length === 'invalid') return discard(request, refuse(400, 'The request has an invalid Content-Length.'));
  if (length !== undefined && length > maxBytes) return discard(request, tooLarge());
  if (request.body === null || length === 0) return discard(request, { ok: true, fields: firstValues(new URL(request.url).searchParams) });

  const type = request.headers.get('content-type') ?? '';
  const kind = KINDS[(type.split(';', 1)[0] ?? '').trim().toLowerCase()];
  if (kind === undefined) return discard(request, refuse(415, 'Send the form as application/x-www-form-urlencoded, multipart/form-data or application/json.'));

  const read = await readBytes(request.body, maxBytes);
  if (!read.ok) return read.failure === 'too_large' ? tooLarge() : refuse(400, 'The request body could not be read.');
  const fields = await parse(kind, type, read.bytes);
  return fields === undefined ? refuse(400, 'The request body is malformed.') : { ok: true, fields };
}

/**
 * Cancels the body `request` will not read, so the server stops receiving it, and passes
 * `result` through.
 */
export function discard<T>(request: Request, result: T): T {
  if (request.body !== null && !request.bodyUsed && !request.body.locked) request.body.cancel().catch(() => undefined);
  return result;
}

function declaredLength(header: string | null): number | 'invalid' | undefined {
  if (header === null) return undefined;
  // Digits only: no sign, no exponent, no list of values (a duplicated header joined with a comma).
  // A length too long for a number is Infinity, which is over any cap.
  const value = header.trim();
  return /^\d+$/.test(value) ? Number(value) : 'invalid';
}

async function parse(kind: BodyKind, type: string, bytes: Uint8Array<ArrayBuffer>): Promise<ReadonlyMap<string, string> | undefined> {
  try {
    if (kind === 'multipart') return firstValues(await new Response(bytes, { headers: { 'content-type': type } }).formData());
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (kind === 'form') return firstValues(new URLSearchParams(text));
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    return firstValues(Object.entries(body));
  } catch {
    return undefined;
  }
}

function firstValues(entries: Iterable<[string, unknown]>): ReadonlyMap<string, string> {
  const fields = new Map<string, string>();
  for (const [key, value] of entries) if (typeof value === 'string' && !fields.has(key)) fields.set(key, value);
  return fields;
}
