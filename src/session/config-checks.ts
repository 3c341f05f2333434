/**
 * Checks of single configuration options. Each returns one problem line that names the option,
 * what was given and how to fix it, or `undefined` when the value is usable. Shared by
 * `SessionManager` and the request handlers, so every option is judged and worded one way.
 */

const MAX_SHOWN = 80;
/** `setTimeout` fires at once past this many milliseconds. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * What was given, for a problem line: short strings quoted, numbers as written, anything else
 * by its kind. Secret options pass `secret` and only their kind is shown.
 */
export function shown(value: unknown, secret = false): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    if (secret) return value === '' ? 'an empty string' : 'a string';
    return value.length > MAX_SHOWN ? `${JSON.stringify(value.slice(0, MAX_SHOWN))}…` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return secret ? `a ${typeof value}` : String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The options object itself: `undefined` stands for `{}`, anything else must be a plain object. */
export function optionsProblem(what: string, value: unknown, example: string): string | undefined {
  if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))) return undefined;
  return `${what} takes an options object such as ${example}; got ${shown(value)}`;
}

/** A non-empty string, when given. */
export function stringProblem(option: string, value: unknown, fix: string, secret = false): string | undefined {
  if (value === undefined || (typeof value === 'string' && value !== '')) return undefined;
  return `${option} must be a non-empty string: ${fix}; got ${shown(value, secret)}`;
}

/** A finite number in `[min, max]`, when given. */
export function numberProblem(option: string, value: unknown, range: { min: number; max: number; unit: string; fallback: number }): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= range.min && value <= range.max) return undefined;
  return `${option} must be a number of ${range.unit} from ${range.min} to ${range.max} (default ${range.fallback}); got ${shown(value)}`;
}

/** A function, when given. */
export function functionProblem(option: string, value: unknown, fix: string): string | undefined {
  if (value === undefined || typeof value === 'function') return undefined;
  return `${option} must be a function: ${fix}; got ${shown(value)}`;
}

/** A boolean, when given. */
export function booleanProblem(option: string, value: unknown, fallback: string): string | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  return `${option} must be true or false (default ${fallback}); got ${shown(value)}`;
}

/** A plain object, when given. */
export function objectProblem(option: string, value: unknown, example: string): string | undefined {
  if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))) return undefined;
  return `${option} must be an object such as ${example}; got ${shown(value)}`;
}

/** One of `choices`, when given. */
export function choiceProblem(option: string, value: unknown, choices: readonly string[], fallback: string): string | undefined {
  if (value === undefined || (typeof value === 'string' && choices.includes(value))) return undefined;
  return `${option} must be ${choices.map((choice) => `"${choice}"`).join(' or ')} (default "${fallback}"); got ${shown(value)}`;
}

/**
 * The URL of an absolute `http:` or `https:` address without credentials or fragment (and
 * without query, unless `query` allows one), or the problem with `value`.
 */
export function absoluteUrl(option: string, value: unknown, example: string, query = false): URL | string {
  const fix = `an absolute http(s) URL such as ${example}`;
  if (value === undefined || value === '') return `${option} is required: ${fix}`;
  if (typeof value !== 'string' && !(value instanceof URL)) return `${option} must be ${fix}; got ${shown(value)}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${option} must be ${fix}, not a relative or malformed one; got ${shown(String(value))}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `${option} must be ${fix}; got a URL with the scheme ${url.protocol}`;
  if (url.username || url.password) return `${option} must be ${fix}, without user name or password`;
  if (url.hash || (!query && url.search)) return `${option} must be ${fix}, without ${url.hash ? 'fragment (#…)' : 'query (?…)'}`;
  return url;
}
