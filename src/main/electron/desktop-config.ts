// Decisions the desktop bootstrap makes from its environment, kept free of
// Electron so they can be tested: where the database is, which better-sqlite3
// binding to load, and how the secrets key is protected.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DATABASE_FILE_NAME } from '../core/paths'
import { fileKeyProvider, wrappedKeyProvider, type KeyProvider } from '../core/crypto/keys'

export const APP_NAME = '2FA Admin'

/** TWOFA_ADMIN_DB wins (as for the CLI), else the file in Electron's userData folder. */
export function desktopDatabasePath(userDataDir: string, env: NodeJS.ProcessEnv): string {
  const fromEnv = env.TWOFA_ADMIN_DB
  return fromEnv !== undefined && fromEnv.length > 0 ? fromEnv : join(userDataDir, DATABASE_FILE_NAME)
}

/** Where `npm start` builds better-sqlite3 for Electron's ABI, beside (not inside) node_modules. */
export function electronBindingPath(appPath: string): string {
  return join(appPath, '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
}

/**
 * The better-sqlite3 binding to load under Electron: TWOFA_ADMIN_SQLITE_BINDING,
 * else the Electron build made by `npm start` if present, else better-sqlite3's
 * own (right for a packaged app whose dependencies were rebuilt for Electron).
 */
export function nativeBindingFor(appPath: string, env: NodeJS.ProcessEnv, fileExists: (path: string) => boolean = existsSync): string | undefined {
  const fromEnv = env.TWOFA_ADMIN_SQLITE_BINDING
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv
  const built = electronBindingPath(appPath)
  return fileExists(built) ? built : undefined
}

/** The parts of Electron's safeStorage the key choice needs. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  getSelectedStorageBackend?(): string
}

export const BASIC_TEXT_WARNING =
  'Warning: no OS keychain was found (Electron safeStorage uses "basic_text" on this Linux desktop), so the key that ' +
  'encrypts TOTP secrets is protected only by a fixed password. Install and unlock a keyring (GNOME Keyring or KWallet) to protect it.'

export const NO_KEYCHAIN_WARNING =
  'Warning: the OS keychain is not available, so the key that encrypts TOTP secrets is kept in a file beside the database (mode 0600).'

/**
 * The data key is wrapped by the OS keychain when Electron can use one;
 * otherwise it lives in the plain key file, as for the CLI.
 */
export function desktopKeyProvider(
  dbPath: string,
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
  warn: (message: string) => void
): KeyProvider {
  if (!safeStorage.isEncryptionAvailable()) {
    warn(NO_KEYCHAIN_WARNING)
    return fileKeyProvider(dbPath)
  }
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') warn(BASIC_TEXT_WARNING)
  return wrappedKeyProvider(dbPath, {
    // The wrapped key is the base64 text of the data key, so string APIs lose nothing.
    encrypt: (plain) => safeStorage.encryptString(plain.toString('utf8')),
    decrypt: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'utf8')
  })
}
