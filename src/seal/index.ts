/**
 * Sealing: encrypt-and-authenticate JSON into a string, in the Iron format of the WorkOS Node
 * SDKs or the Fernet format of workos-python, with password rotation.
 *
 * @packageDocumentation
 */
export { sealData, unsealData, unsealWithDetails, sealDefaults } from './seal.js';
export type { SealOptions, UnsealOptions, UnsealDetails } from './seal.js';
export { createKeyring, Keyring } from './keyring.js';
export type { PasswordEntry, PasswordInput } from './keyring.js';
export { detectFormat } from './codecs.js';
export type { SealFormat } from './codecs.js';
export {
  SealError,
  SealMalformedError,
  SealBadMacError,
  SealExpiredError,
  SealTimestampError,
  SealUnknownPasswordError,
  SealPayloadError,
  SealPasswordError,
  SealOptionsError,
} from './errors.js';
export type { SealErrorCode, SealPasswordProblem } from './errors.js';
