/**
 * Password strength rules, applied once when a keyring is built. Iron derives its keys with one
 * PBKDF2 iteration, so a guessable password can be brute-forced offline from any captured
 * cookie; length alone is not enough (`'a'.repeat(40)` is long), so entropy is estimated too.
 */

/** Thresholds for {@link passwordWeakness}. */
export const strengthDefaults = {
  /** Minimum length in UTF-16 code units, as @hapi/iron and iron-webcrypto count it. */
  minLength: 32,
  /**
   * Minimum of `length × Shannon entropy per character`: a crude upper bound that flags repeated
   * characters and small alphabets, set below what random secrets score (the lowest seen over
   * 300 000 draws was 91 bits, for 32 hex digits).
   */
  minEstimatedBits: 80,
} as const;

/** What is wrong with a password, if anything. */
export type PasswordWeakness =
  | { readonly kind: 'empty' }
  | { readonly kind: 'too_short'; readonly length: number }
  | { readonly kind: 'repetitive'; readonly period: number }
  | { readonly kind: 'low_entropy'; readonly bits: number };

/**
 * Estimated entropy of `secret` in bits: its length in code points times the Shannon entropy of
 * its character frequencies.
 */
export function estimateEntropyBits(secret: string): number {
  const chars = Array.from(secret);
  const counts = new Map<string, number>();
  for (const ch of chars) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / chars.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * chars.length;
}

/**
 * The shortest period `p <= length / 2` such that `secret` is a prefix of its first `p`
 * characters repeated (`'abcabcab'` has period 3), or `undefined` if there is none.
 */
export function repetitionPeriod(secret: string): number | undefined {
  const n = secret.length;
  for (let p = 1; p <= n / 2; p++) {
    let i = p;
    while (i < n && secret.charCodeAt(i) === secret.charCodeAt(i - p)) i++;
    if (i === n) return p;
  }
  return undefined;
}

/**
 * The length every password must have, even one kept only to open old cookies: Iron
 * implementations refuse shorter ones, so no cookie was ever sealed with one.
 */
export function passwordShortfall(secret: string): PasswordWeakness | undefined {
  if (secret.length === 0) return { kind: 'empty' };
  if (secret.length < strengthDefaults.minLength) return { kind: 'too_short', length: secret.length };
  return undefined;
}

/** The first rule `secret` breaks as an Iron password, or `undefined` when it is acceptable. */
export function passwordWeakness(secret: string): PasswordWeakness | undefined {
  const shortfall = passwordShortfall(secret);
  if (shortfall) return shortfall;
  const period = repetitionPeriod(secret);
  if (period !== undefined) return { kind: 'repetitive', period };
  const bits = estimateEntropyBits(secret);
  if (bits < strengthDefaults.minEstimatedBits) return { kind: 'low_entropy', bits: Math.floor(bits) };
  return undefined;
}
