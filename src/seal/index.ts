/**
 * `sealed-session/seal`: encrypt-and-authenticate JSON into a string, in the Iron format of the
 * WorkOS Node SDKs or the Fernet format of workos-python, with password rotation. `sealData` and
 * `unsealData` are also at the package root; the keyring, format detection and the unseal that
 * reports which password opened a seal are here. Web standards only.
 *
 * @example
 * ```ts
 * import { createKeyring, sealData, unsealWithDetails } from 'sealed-session/seal';
 *
 * const keyring = createKeyring([process.env.NEW_PASSWORD!, process.env.OLD_PASSWORD!]); // newest first
 * const sealed = await sealData({ cart: [42] }, { password: keyring, ttl: 3600 });
 * const { data, passwordId, format } = await unsealWithDetails(sealed, { password: keyring });
 * ```
 * @packageDocumentation
 */
export { sealData, unsealData, unsealWithDetails, sealDefaults } from './seal.js';
export type { SealOptions, UnsealOptions, UnsealDetails } from './seal.js';
export { createKeyring, Keyring } from './keyring.js';
export type { PasswordEntry, PasswordInput } from './keyring.js';
export { detectFormat } from './codecs.js';
export type { SealFormat } from './codecs.js';
