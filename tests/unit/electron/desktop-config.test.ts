// Where the desktop app keeps its data, which SQLite binding it loads, how the key is protected.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({}))

import {
  BASIC_TEXT_WARNING,
  desktopDatabasePath,
  desktopKeyProvider,
  electronBindingPath,
  nativeBindingFor,
  NO_KEYCHAIN_WARNING,
  type SafeStorageLike
} from '../../../src/main/electron/desktop-config'
import { keyFilePath, wrappedKeyFilePath } from '../../../src/main/core/crypto/keys'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'twofa-desktop-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function fakeSafeStorage(available: boolean, backend = 'gnome_libsecret'): SafeStorageLike {
  // A reversible stand-in for the OS keychain.
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from(plain, 'utf8').reverse(),
    decryptString: (wrapped) => Buffer.from(wrapped).reverse().toString('utf8'),
    getSelectedStorageBackend: () => backend
  }
}

describe('desktop database path', () => {
  it('is twofa-admin.db in userData unless TWOFA_ADMIN_DB says otherwise', () => {
    expect(desktopDatabasePath('/home/ada/.config/2FA Admin', {})).toBe('/home/ada/.config/2FA Admin/twofa-admin.db')
    expect(desktopDatabasePath('/ignored', { TWOFA_ADMIN_DB: '/srv/dir.db' })).toBe('/srv/dir.db')
    expect(desktopDatabasePath('/u', { TWOFA_ADMIN_DB: '' })).toBe('/u/twofa-admin.db')
  })
})

describe('better-sqlite3 binding under Electron', () => {
  it('prefers TWOFA_ADMIN_SQLITE_BINDING, then the Electron build of npm start, then the default', () => {
    const built = electronBindingPath('/app')
    expect(built).toBe('/app/.electron-native/better-sqlite3/build/Release/better_sqlite3.node')
    expect(nativeBindingFor('/app', { TWOFA_ADMIN_SQLITE_BINDING: '/x.node' }, () => true)).toBe('/x.node')
    expect(nativeBindingFor('/app', {}, (path) => path === built)).toBe(built)
    expect(nativeBindingFor('/app', {}, () => false)).toBeUndefined()
  })
})

describe('desktop key provider', () => {
  it('wraps the data key with the OS keychain when it is available', () => {
    const dbPath = join(dir, 'd.db')
    const warn = vi.fn()
    const key = desktopKeyProvider(dbPath, fakeSafeStorage(true), 'linux', warn).getDataKey()
    expect(key).toHaveLength(32)
    expect(existsSync(wrappedKeyFilePath(dbPath))).toBe(true)
    expect(existsSync(keyFilePath(dbPath))).toBe(false)
    expect(readFileSync(wrappedKeyFilePath(dbPath)).toString('utf8')).not.toContain(key.toString('base64'))
    // Reopening unwraps the same key.
    expect(desktopKeyProvider(dbPath, fakeSafeStorage(true), 'linux', warn).getDataKey().equals(key)).toBe(true)
    expect(warn).not.toHaveBeenCalled()
  })

  it('falls back to the key file, with a warning, when no keychain is available', () => {
    const dbPath = join(dir, 'd.db')
    const warn = vi.fn()
    desktopKeyProvider(dbPath, fakeSafeStorage(false), 'linux', warn).getDataKey()
    expect(existsSync(keyFilePath(dbPath))).toBe(true)
    expect(warn).toHaveBeenCalledWith(NO_KEYCHAIN_WARNING)
  })

  it('warns clearly on Linux when safeStorage only has the basic_text backend', () => {
    const warn = vi.fn()
    desktopKeyProvider(join(dir, 'd.db'), fakeSafeStorage(true, 'basic_text'), 'linux', warn)
    expect(warn).toHaveBeenCalledWith(BASIC_TEXT_WARNING)
    expect(BASIC_TEXT_WARNING).toMatch(/basic_text/)
  })
})
