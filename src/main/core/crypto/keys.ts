// The data key that encrypts TOTP secrets at rest (AES-256-GCM) and peppers
// recovery-code hashes. It never lives in the database: a copy of the .db file
// alone reveals no secret.
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, lstatSync, openSync, readFileSync, writeSync } from 'node:fs'
import { AppError } from '../../../shared/errors'
import { assertPrivateFile } from '../../db/file-safety'

export const DATA_KEY_BYTES = 32

export interface KeyProvider {
  /**
   * Returns the 32-byte data key. Creates one when there is none and `create` is not false
   * (DataKey passes false for a database that already records a key: a new one would be
   * the wrong one, and would stand in the way of importing the right one). Throws
   * KEY_UNAVAILABLE when it cannot.
   */
  getDataKey(options?: { create?: boolean }): Buffer
  /** Where the key lives, for messages and docs. */
  readonly description: string
}

/** The plain key file beside the database (CLI, browser preview, tests). */
export function keyFilePath(dbPath: string): string {
  return `${dbPath}.key`
}

/** The key wrapped by the desktop app with the OS keychain (Electron safeStorage). */
export function wrappedKeyFilePath(dbPath: string): string {
  return `${dbPath}.key.safestorage`
}

/** Writes a file that must not exist yet, readable by its owner only: 'wx' never replaces a key that appeared meanwhile. */
export function writeNewPrivateFile(path: string, content: Buffer | string): void {
  const fd = openSync(path, 'wx', 0o600)
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content)
  } finally {
    closeSync(fd)
  }
}

function decodeKey(text: string, path: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64')
  if (key.length !== DATA_KEY_BYTES) {
    throw new AppError('KEY_UNAVAILABLE', `The secrets key file ${path} is damaged. Restore it from your key export (twofa-admin key import).`)
  }
  return key
}

/** A dangling link still names a file: it must be refused, not replaced by a new key. */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch {
    return false
  }
}

export function fileKeyProvider(dbPath: string): KeyProvider {
  const path = keyFilePath(dbPath)
  let cached: Buffer | null = null
  return {
    description: `key file ${path}`,
    getDataKey(options): Buffer {
      if (cached) return cached
      if (existsSync(path) || isLink(path)) {
        assertPrivateFile(path, 'The secrets key file')
        cached = decodeKey(readFileSync(path, 'utf8'), path)
        return cached
      }
      if (existsSync(wrappedKeyFilePath(dbPath))) {
        // Creating a second key here would make every existing secret unreadable.
        throw new AppError(
          'KEY_UNAVAILABLE',
          'The secrets key of this database is protected by the desktop app (OS keychain). Do this in the desktop app, or export the key there first.'
        )
      }
      if (options?.create === false) throw missingKey(path)
      const key = randomBytes(DATA_KEY_BYTES)
      writeNewPrivateFile(path, Buffer.from(key.toString('base64') + '\n'))
      cached = key
      return key
    }
  }
}

export interface KeyWrapper {
  encrypt(plain: Buffer): Buffer
  decrypt(wrapped: Buffer): Buffer
}

/** A key wrapped by an OS facility (Electron's safeStorage); used by the desktop bootstrap. */
export function wrappedKeyProvider(dbPath: string, wrapper: KeyWrapper): KeyProvider {
  const path = wrappedKeyFilePath(dbPath)
  const plainPath = keyFilePath(dbPath)
  const plainFallback = fileKeyProvider(dbPath)
  let cached: Buffer | null = null
  return {
    description: `OS keychain-wrapped key ${path}`,
    getDataKey(options): Buffer {
      if (cached) return cached
      // A database first used by the CLI keeps its plain key file: one key per database.
      if (existsSync(plainPath)) {
        cached = plainFallback.getDataKey(options)
        return cached
      }
      if (existsSync(path)) {
        let plain: Buffer
        try {
          plain = wrapper.decrypt(readFileSync(path))
        } catch {
          throw new AppError('KEY_UNAVAILABLE', 'The OS keychain could not unlock the secrets key of this database. Sign in to your desktop session and try again.')
        }
        cached = decodeKey(plain.toString('utf8'), path)
        return cached
      }
      if (options?.create === false) throw missingKey(path)
      const key = randomBytes(DATA_KEY_BYTES)
      writeNewPrivateFile(path, wrapper.encrypt(Buffer.from(key.toString('base64'))))
      cached = key
      return key
    }
  }
}

function missingKey(path: string): AppError {
  return new AppError(
    'KEY_UNAVAILABLE',
    `This database's secrets key is missing (${path}). After a restore on a new machine, import it: twofa-admin key import KEY-EXPORT-FILE --passphrase-stdin.`
  )
}

/** A fixed key for tests. */
export function staticKeyProvider(key: Buffer): KeyProvider {
  if (key.length !== DATA_KEY_BYTES) throw new Error('A data key has 32 bytes.')
  return { description: 'static test key', getDataKey: () => key }
}
