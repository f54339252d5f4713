// The secrets key export: sealed under a passphrase, opened only with it, and
// imported only beside the database whose secrets it encrypts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../../src/cli/index'
import { exportKeyFile, importKeyFile, KEY_EXPORT_FORMAT, openDataKey, sealDataKey } from '../../../src/main/core/maintenance/key-export'
import { keyFilePath } from '../../../src/main/core/crypto/keys'
import { TestEnv } from '../helpers/harness'

/** Cheap scrypt for the tests that do not go through the CLI (which always uses the OWASP cost). */
const FAST = { N: 2 ** 10, r: 8, p: 1 }
const PASSPHRASE = 'correct horse battery staple'

let scratch: string
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'twofa-key-'))
})
afterEach(() => rmSync(scratch, { recursive: true, force: true }))

describe('sealDataKey / openDataKey', () => {
  const key = Buffer.alloc(32, 7)

  it('round-trips with the passphrase and reveals nothing without it', () => {
    const sealed = sealDataKey(key, PASSPHRASE, FAST)
    expect(JSON.parse(sealed)).toMatchObject({ format: KEY_EXPORT_FORMAT, version: 1, kdf: 'scrypt', N: 1024, r: 8, p: 1 })
    expect(sealed).not.toContain(key.toString('base64'))
    expect(openDataKey(sealed, PASSPHRASE).equals(key)).toBe(true)
    expect(() => openDataKey(sealed, 'correct horse battery stapler')).toThrow(expect.objectContaining({ code: 'INVALID_CREDENTIALS' }))
  })

  it('fails like a wrong passphrase when any field was changed', () => {
    const sealed = JSON.parse(sealDataKey(key, PASSPHRASE, FAST)) as Record<string, unknown>
    for (const [field, value] of Object.entries({ N: 2048, r: 4, p: 2, salt: Buffer.alloc(16).toString('base64'), tag: Buffer.alloc(16).toString('base64') })) {
      expect(() => openDataKey(JSON.stringify({ ...sealed, [field]: value }), PASSPHRASE), field).toThrow(expect.objectContaining({ code: 'INVALID_CREDENTIALS' }))
    }
  })

  it('refuses short passphrases, other files, and parameters that would cost gigabytes', () => {
    expect(() => sealDataKey(key, 'short', FAST)).toThrow(expect.objectContaining({ code: 'WEAK_PASSWORD' }))
    const sealed = JSON.parse(sealDataKey(key, PASSPHRASE, FAST)) as Record<string, unknown>
    for (const text of ['not json', '{}', '[]', 'null', JSON.stringify({ ...sealed, N: 2 ** 30 }), JSON.stringify({ ...sealed, N: 1000 }), JSON.stringify({ ...sealed, iv: 5 })]) {
      expect(() => openDataKey(text, PASSPHRASE), text.slice(0, 40)).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    }
  })
})

describe('exportKeyFile / importKeyFile', () => {
  let source: TestEnv
  beforeEach(() => {
    source = new TestEnv()
    source.core.local.ensureDataKey()
  })
  afterEach(() => source.dispose())

  it('refuses to import a key into a database whose secrets use another key, writing nothing', () => {
    const exported = join(scratch, 'key.json')
    exportKeyFile(source.dbPath, exported, PASSPHRASE, FAST)
    const other = new TestEnv()
    try {
      other.core.local.ensureDataKey()
      const otherKey = readFileSync(keyFilePath(other.dbPath), 'utf8')
      rmSync(keyFilePath(other.dbPath))
      expect(() => importKeyFile(other.dbPath, exported, PASSPHRASE)).toThrow(/does not belong to/)
      expect(() => readFileSync(keyFilePath(other.dbPath))).toThrow()
      // An existing key file is never replaced by a different key.
      writeFileSync(keyFilePath(other.dbPath), otherKey)
      expect(() => importKeyFile(other.dbPath, exported, PASSPHRASE)).toThrow(/does not belong to/)
      expect(readFileSync(keyFilePath(other.dbPath), 'utf8')).toBe(otherKey)
    } finally {
      other.dispose()
    }
  })

  it('is a no-op when the same key is already in place, and refuses a different key file even for a database without secrets', () => {
    const exported = join(scratch, 'key.json')
    exportKeyFile(source.dbPath, exported, PASSPHRASE, FAST)
    expect(importKeyFile(source.dbPath, exported, PASSPHRASE)).toMatchObject({ written: false, verified: true })
    const empty = new TestEnv()
    try {
      // No secret yet, but a key file of its own: still not replaced.
      writeFileSync(keyFilePath(empty.dbPath), `${Buffer.alloc(32, 1).toString('base64')}\n`)
      expect(() => importKeyFile(empty.dbPath, exported, PASSPHRASE)).toThrow(/A different key file already exists/)
    } finally {
      empty.dispose()
    }
  })

  it('does not export to an existing file, nor a key that does not belong to the database', () => {
    const taken = join(scratch, 'taken.json')
    writeFileSync(taken, 'keep me')
    expect(() => exportKeyFile(source.dbPath, taken, PASSPHRASE, FAST)).toThrow(/already exists/)
    expect(readFileSync(taken, 'utf8')).toBe('keep me')
    writeFileSync(keyFilePath(source.dbPath), `${Buffer.alloc(32, 9).toString('base64')}\n`)
    expect(() => exportKeyFile(source.dbPath, join(scratch, 'wrong.json'), PASSPHRASE, FAST)).toThrow(/does not belong to that database/)
  })
})

describe('twofa-admin key', () => {
  async function cli(db: string, args: string[], stdin: string | null): Promise<{ code: number; out: string; err: string }> {
    let out = ''
    let err = ''
    const io: CliIo = { stdout: (t) => {
      out += t
    }, stderr: (t) => (err += t), readStdin: async () => stdin, env: { TWOFA_ADMIN_DB: db } }
    return { code: await main(args, io), out, err }
  }

  it('wants the passphrase on standard input and says so in one line', async () => {
    const db = join(scratch, 'directory.db')
    await cli(db, ['init'], null)
    const file = join(scratch, 'key.json')
    const cases: [string[], string | null, RegExp][] = [
      [['key', 'export', file], null, /needs --passphrase-stdin/],
      [['key', 'export', file, '--passphrase-stdin'], null, /Missing passphrase/],
      [['key', 'export', file, '--passphrase-stdin'], '\n', /Missing passphrase/],
      [['key', 'export', '--passphrase-stdin'], 'x', /Expected one file/],
      [['key', 'rotate'], null, /Unknown command "key rotate"/],
      [['key', 'export', file, '--passphrase-stdin', '--json'], PASSPHRASE, /does not take --json/],
      [['key', 'export', file, '--passphrase-stdin'], 'too short', /at least 12 characters/],
      [['key', 'import', join(scratch, 'missing.json'), '--passphrase-stdin'], PASSPHRASE, /There is no key export/]
    ]
    for (const [args, stdin, message] of cases) {
      const result = await cli(db, args, stdin)
      expect(result.code, args.join(' ')).not.toBe(0)
      expect(result.err, args.join(' ')).toMatch(message)
      expect(result.err.trim().split('\n'), args.join(' ')).toHaveLength(1)
    }
    expect(() => readFileSync(file)).toThrow()
  })
})
