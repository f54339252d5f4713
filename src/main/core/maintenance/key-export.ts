// Carrying the secrets key to another machine: `twofa-admin key export FILE`
// writes the data key sealed under a passphrase (scrypt + AES-256-GCM), and
// `key import FILE` unseals it beside a restored database, after checking that
// it is the key that database's secrets were encrypted with.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { AppError } from '../../../shared/errors'
import { isOurs, openExisting, readIdentity, readKeyCheck } from '../../db/maintenance-repo'
import { DATA_KEY_BYTES, fileKeyProvider, keyFilePath, wrappedKeyFilePath, writeNewPrivateFile } from '../crypto/keys'
import { keyCheckValue } from '../crypto/secrets'

export const KEY_EXPORT_FORMAT = 'twofa-admin-key-export'
const KEY_EXPORT_VERSION = 1
/** An export can be attacked offline, so the passphrase must be long. */
export const MIN_PASSPHRASE_LENGTH = 12

export interface ExportKdf {
  N: number
  r: number
  p: number
}

/** scrypt at OWASP's password-storage parameters (N=2^17, r=8, p=1). */
export const EXPORT_KDF: ExportKdf = { N: 2 ** 17, r: 8, p: 1 }

interface SealedKeyFile {
  format: typeof KEY_EXPORT_FORMAT
  version: number
  kdf: 'scrypt'
  N: number
  r: number
  p: number
  salt: string
  iv: string
  tag: string
  ciphertext: string
}

function deriveKey(passphrase: string, salt: Buffer, kdf: ExportKdf): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 128 * kdf.N * kdf.r * kdf.p + 32 * 1024 * 1024 })
}

/** The header is authenticated too: a changed parameter fails like a wrong passphrase. */
function associatedData(kdf: ExportKdf): Buffer {
  return Buffer.from(`${KEY_EXPORT_FORMAT}:${KEY_EXPORT_VERSION}:scrypt:${kdf.N}:${kdf.r}:${kdf.p}`)
}

export function sealDataKey(dataKey: Buffer, passphrase: string, kdf: ExportKdf = EXPORT_KDF): string {
  if (dataKey.length !== DATA_KEY_BYTES) throw new AppError('KEY_UNAVAILABLE', 'A secrets key has 32 bytes.')
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new AppError('WEAK_PASSWORD', `Use a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters: the export can be attacked offline.`)
  }
  const salt = randomBytes(16)
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', deriveKey(passphrase, salt, kdf), iv)
  cipher.setAAD(associatedData(kdf))
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()])
  const sealed: SealedKeyFile = {
    format: KEY_EXPORT_FORMAT,
    version: KEY_EXPORT_VERSION,
    kdf: 'scrypt',
    ...kdf,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64')
  }
  return `${JSON.stringify(sealed, null, 2)}\n`
}

const notAnExport = (): AppError => new AppError('VALIDATION', 'That file is not a 2FA Admin key export.')

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0
}

function parseSealed(text: string): SealedKeyFile {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw notAnExport()
  }
  const file = parsed as Partial<SealedKeyFile> | null
  if (typeof file !== 'object' || file === null || file.format !== KEY_EXPORT_FORMAT || file.kdf !== 'scrypt') throw notAnExport()
  if (file.version !== KEY_EXPORT_VERSION) throw new AppError('VALIDATION', 'That key export was written by another version of 2FA Admin.')
  // Bounds keep a hostile file from asking for gigabytes of memory or hours of work.
  const { N, r, p } = file
  if (!isPowerOfTwo(N ?? 0) || (N ?? 0) > 2 ** 20 || !Number.isInteger(r) || r! < 1 || r! > 32 || !Number.isInteger(p) || p! < 1 || p! > 16) {
    throw notAnExport()
  }
  for (const field of ['salt', 'iv', 'tag', 'ciphertext'] as const) if (typeof file[field] !== 'string') throw notAnExport()
  return file as SealedKeyFile
}

export function openDataKey(text: string, passphrase: string): Buffer {
  const sealed = parseSealed(text)
  const kdf = { N: sealed.N, r: sealed.r, p: sealed.p }
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(passphrase, Buffer.from(sealed.salt, 'base64'), kdf), Buffer.from(sealed.iv, 'base64'))
    decipher.setAAD(associatedData(kdf))
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'))
    const key = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()])
    if (key.length !== DATA_KEY_BYTES) throw new Error('wrong length')
    return key
  } catch {
    throw new AppError('INVALID_CREDENTIALS', 'The passphrase does not open this key export (or the file was changed).')
  }
}

/** The key check value stored in the database, or null when it holds no secret yet. */
function storedKeyCheck(dbPath: string): string | null {
  if (!existsSync(dbPath)) {
    throw new AppError('NOT_FOUND', `No database at ${dbPath}. Restore the backup there first (twofa-admin restore FILE), then import its key.`)
  }
  // Read-write but only read: a read-only connection would leave -wal and -shm files behind.
  const db = openExisting(dbPath)
  try {
    if (!isOurs(readIdentity(db))) throw new AppError('DATABASE_NOT_OURS', `${dbPath} is not a 2FA Admin database. Check --db.`)
    return readKeyCheck(db)
  } finally {
    db.close()
  }
}


/** The plain key file of a database, without ever creating one. */
export function readExistingKeyFile(dbPath: string): Buffer {
  if (!existsSync(keyFilePath(dbPath))) {
    if (existsSync(wrappedKeyFilePath(dbPath))) {
      throw new AppError(
        'KEY_UNAVAILABLE',
        'The secrets key of this database is protected by the desktop app (OS keychain), which the command line cannot unlock.'
      )
    }
    throw new AppError('NOT_FOUND', `There is no secrets key beside ${dbPath} (${keyFilePath(dbPath)}).`)
  }
  return fileKeyProvider(dbPath).getDataKey()
}

/** Writes the database's key, sealed under the passphrase, to a new file. */
export function exportKeyFile(dbPath: string, file: string, passphrase: string, kdf: ExportKdf = EXPORT_KDF): void {
  if (existsSync(file)) throw new AppError('VALIDATION', `${file} already exists. Choose a new file name.`)
  const key = readExistingKeyFile(dbPath)
  const stored = existsSync(dbPath) ? storedKeyCheck(dbPath) : null
  if (stored !== null && stored !== keyCheckValue(key)) {
    throw new AppError('KEY_UNAVAILABLE', `The key file beside ${dbPath} does not belong to that database, so it was not exported.`)
  }
  writeNewPrivateFile(file, sealDataKey(key, passphrase, kdf))
}

export interface ImportResult {
  keyFile: string
  /** False when the same key was already in place. */
  written: boolean
  /** False when the database holds no secret yet, so there was nothing to check the key against. */
  verified: boolean
}

/**
 * Unseals an exported key and writes it beside the database, after checking it
 * against the database's key check value. An existing, different key file is
 * never replaced.
 */
export function importKeyFile(dbPath: string, file: string, passphrase: string): ImportResult {
  if (!existsSync(file)) throw new AppError('NOT_FOUND', `There is no key export ${file}.`)
  const key = openDataKey(readFileSync(file, 'utf8'), passphrase)
  const stored = storedKeyCheck(dbPath)
  if (stored !== null && stored !== keyCheckValue(key)) {
    throw new AppError(
      'KEY_UNAVAILABLE',
      `This key does not belong to ${dbPath}: its secrets were encrypted with another key. Import the key exported from the installation the backup came from; nothing was written.`
    )
  }
  const keyFile = keyFilePath(dbPath)
  if (existsSync(keyFile)) {
    let existing: Buffer | null
    try {
      existing = readExistingKeyFile(dbPath)
    } catch {
      existing = null
    }
    if (existing !== null && existing.equals(key)) return { keyFile, written: false, verified: stored !== null }
    throw new AppError('VALIDATION', `A different key file already exists at ${keyFile}. Move it aside first (it may belong to another database); nothing was written.`)
  }
  writeNewPrivateFile(keyFile, `${key.toString('base64')}\n`)
  return { keyFile, written: true, verified: stored !== null }
}
