/**
 * Human-readable times: ISO instants and short relative durations ("in 3m12s", "2h ago").
 */

const UNITS = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
] as const;

/** `3m12s`, `2h`, `4d3h`: the two largest non-zero units of `seconds` (absolute value). */
export function shortDuration(seconds: number): string {
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) {
      break;
    }
    if (parts.length === 2) break;
  }
  return parts.join('');
}

/** `expires in 3m12s` or `expired 2h ago`, from an expiry and the current time in seconds. */
export function describeExpiry(expSec: number, nowSec: number): string {
  const delta = expSec - nowSec;
  return delta > 0 ? `expires in ${shortDuration(delta)}` : `expired ${shortDuration(delta)} ago`;
}

/** ISO 8601 of a time in seconds since the epoch, or `undefined` when it is not a usable number. */
export function isoFromSeconds(seconds: unknown): string | undefined {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return undefined;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
