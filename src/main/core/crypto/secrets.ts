// Encryption of TOTP secrets at rest (AES-256-GCM) and keyed hashing of
// recovery codes, both under the data key that lives outside the database.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt } from 'node:crypto'
import { AppError } from '../../../shared/errors'

const IV_BYTES = 12
const TAG_BYTES = 16
const FORMAT_VERSION = 1

function subKey(dataKey: Buffer, purpose: string): Buffer {
  return createHmac('sha256', dataKey).update(`twofa-admin:${purpose}`).digest()
}

/**
 * Layout: version(1) | iv(12) | tag(16) | ciphertext. The user id is bound as
 * associated data so a ciphertext copied onto another user's row fails to open.
 */
export function encryptSecret(dataKey: Buffer, userId: number, secret: Buffer): Buffer {
  return seal(subKey(dataKey, 'totp-secret'), userId, secret)
}

/** encryptSecret for many secrets under one data key: the sub-key is derived once (bulk demo seeding). */
export function secretSealer(dataKey: Buffer): (userId: number, secret: Buffer) => Buffer {
  const key = subKey(dataKey, 'totp-secret')
  return (userId, secret) => seal(key, userId, secret)
}

function seal(key: Buffer, userId: number, secret: Buffer, aad = `user:${userId}`): Buffer {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(aad))
  const body = Buffer.concat([cipher.update(secret), cipher.final()])
  return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body])
}

/** Opens what `seal` sealed under `key` with `aad`; throws (any error) when it does not authenticate. */
function open(key: Buffer, aad: string, sealed: Buffer): Buffer {
  if (sealed[0] !== FORMAT_VERSION) throw new Error('unknown format')
  const iv = sealed.subarray(1, 1 + IV_BYTES)
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', key, iv)
  decipher.setAAD(Buffer.from(aad))
  decipher.setAuthTag(tag)
  return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()])
}

/** `open`, with a KEY_UNAVAILABLE error that says what could not be opened and what to do. */
function openOrExplain(key: Buffer, aad: string, sealed: Buffer, explain: string): Buffer {
  try {
    return open(key, aad, sealed)
  } catch {
    throw new AppError('KEY_UNAVAILABLE', explain)
  }
}

export function decryptSecret(dataKey: Buffer, userId: number, sealed: Buffer): Buffer {
  return openOrExplain(
    subKey(dataKey, 'totp-secret'),
    `user:${userId}`,
    sealed,
    "A 2FA secret could not be decrypted: the secrets key does not match this database. Use the key file that belongs to it, or reset this user's 2FA."
  )
}

const DIRECTORY_AAD = 'directory-connection:1'

/** The directory connection's bind password, sealed like the TOTP secrets under a key of its own purpose. */
export function encryptDirectoryPassword(dataKey: Buffer, password: string): Buffer {
  return seal(subKey(dataKey, 'directory-bind'), 0, Buffer.from(password, 'utf8'), DIRECTORY_AAD)
}

export function decryptDirectoryPassword(dataKey: Buffer, sealed: Buffer): string {
  return openOrExplain(
    subKey(dataKey, 'directory-bind'),
    DIRECTORY_AAD,
    sealed,
    "The directory's bind password could not be decrypted: the secrets key does not match this database. Use the key file that belongs to it, or enter the bind password again."
  ).toString('utf8')
}

const radiusAad = (clientName: string): string => `radius-client:${clientName.toLowerCase()}`

/** A RADIUS client's shared secret, sealed under its own sub-key and bound to the client's name. */
export function encryptRadiusSecret(dataKey: Buffer, clientName: string, secret: string): Buffer {
  return seal(subKey(dataKey, 'radius-client'), 0, Buffer.from(secret, 'utf8'), radiusAad(clientName))
}

export function decryptRadiusSecret(dataKey: Buffer, clientName: string, sealed: Buffer): Buffer {
  return openOrExplain(
    subKey(dataKey, 'radius-client'),
    radiusAad(clientName),
    sealed,
    `The shared secret of the RADIUS client ${clientName} could not be decrypted: the secrets key does not match this database. Use its key file, or add the client again.`
  )
}

/** A value stored in the database to recognise the right key before anything is decrypted. */
export function keyCheckValue(dataKey: Buffer): string {
  return subKey(dataKey, 'key-check').toString('hex').slice(0, 32)
}

// Recovery codes: 10 characters from an alphabet without look-alikes (no 0/o, 1/l/i): about 50 bits each.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
export const RECOVERY_CODE_COUNT = 10

export function newRecoveryCode(): string {
  let code = ''
  for (let i = 0; i < 10; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

/** Normalised (no dash, lower case) before hashing, matching the input schema. */
export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase()
}

/** Keyed hash: a copy of the database alone is not enough to brute-force the codes offline. */
export function hashRecoveryCode(dataKey: Buffer, userId: number, code: string): string {
  return createHmac('sha256', subKey(dataKey, 'recovery-code')).update(`${userId}:${normalizeRecoveryCode(code)}`).digest('hex')
}
