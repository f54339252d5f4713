// Backup while another process writes, restore on a "new machine" with the
// exported key, and a sign-in with a TOTP code on the restored directory; then
// every reason a restore is refused, each leaving the live database as it was.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../../src/cli/index'
import { backupDatabase } from '../../../src/main/core/maintenance/backup'
import { asidePathFor, prepareRestore } from '../../../src/main/core/maintenance/restore'
import { restoreDatabase as restoreWith } from '../../../src/main/core/maintenance/in-background'
import { tasksInThisThread } from '../../../src/main/core/background/runner'
import { chainKeyOf } from '../../../src/main/core/audit/chain'
import { keyCheckValue } from '../../../src/main/core/crypto/secrets'
import { readExistingKeyFile } from '../../../src/main/core/maintenance/key-export'
import { ManualClock } from '../../../src/main/core/clock'
import { fileKeyProvider, keyFilePath } from '../../../src/main/core/crypto/keys'
import { openCore } from '../../../src/main/core/open-core'
import { sessionCaller } from '../../../src/main/core/caller'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { LATEST_VERSION } from '../../../src/main/db/migrations'
import { addUser, FAST_KDF, PASSWORD, setUpAdmin, START, TestEnv } from '../helpers/harness'
import { damageTable } from '../helpers/damage'

/** A restore as the command line runs it: the backup checked in this thread, then swapped in. */
const restoreDatabase = (backup: string, live: string, options: { now: number }) => {
  // As the command line does: the key beside the live database checks the backup's keyed audit entries.
  const key = existsSync(keyFilePath(live)) ? readExistingKeyFile(live) : null
  return restoreWith(tasksInThisThread({ path: live }), backup, live, { ...options, keyCheck: key === null ? undefined : keyCheckValue(key), chainKey: key === null ? null : chainKeyOf(key) })
}

const ROOT = resolve(__dirname, '..', '..', '..')
const PASSPHRASE = 'a long passphrase for the key'

let scratch: string
let env: TestEnv
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'twofa-backup-'))
  env = new TestEnv()
})
afterEach(() => {
  env.dispose()
  rmSync(scratch, { recursive: true, force: true })
})

async function cli(db: string, args: string[], stdin: string | null = null): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => {
      out += t
    }, stderr: (t) => (err += t), readStdin: async () => stdin, env: { TWOFA_ADMIN_DB: db } }
  const code = await main(args, io)
  return { code, out, err }
}

/** Another process changing one user's enforcement `rounds` times through the real CLI, each change audited. */
function startWriter(dbPath: string, rounds: number): { child: ChildProcess; done: Promise<number | null> } {
  const script = `
    const { main } = require(${JSON.stringify(join(ROOT, 'out', 'cli', 'index.js'))})
    const io = { stdout() {}, stderr(t) { process.stderr.write(t) }, readStdin: async () => null, env: {} }
    ;(async () => {
      for (let i = 0; i < ${rounds}; i++) {
        const code = await main(['--db', ${JSON.stringify(dbPath)}, 'user', ['enforce', 'exempt', 'inherit'][i % 3], 'maria@example.com'], io)
        if (code !== 0) process.exit(code)
      }
    })()`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'] })
  const done = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)))
  return { child, done }
}

function filesIn(dir: string): string[] {
  return readdirSync(dir).sort()
}

describe('backup and restore', () => {
  it('backs up a live directory while another process writes; the backup restores on a new path with the exported key, and the admin signs in with a TOTP code', async () => {
    const { secret } = await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const startEntries = (await env.cli('listAudit', { limit: 1 })).entries[0]?.id ?? 0

    // The "app" (env.core) stays open while the writer runs and the backups are taken.
    const writer = startWriter(env.dbPath, 150)
    const backups: string[] = []
    let exited = false
    void writer.done.then(() => (exited = true))
    while (!exited) {
      const file = join(scratch, `backup-${backups.length}.db`)
      await backupDatabase(env.db, file)
      backups.push(file)
      await new Promise((tick) => setTimeout(tick, 5))
    }
    expect(await writer.done).toBe(0)
    const finalEntries = (await env.cli('listAudit', { limit: 1 })).entries[0]?.id ?? 0
    expect(finalEntries).toBeGreaterThanOrEqual(startEntries + 150)

    // Every copy is consistent: integrity ok and an unbroken audit chain, at whatever moment it was taken.
    const seen = new Set<number>()
    for (const file of backups) {
      const prepared = prepareRestore(file, join(scratch, 'check', 'x.db'))
      seen.add(prepared.info.auditEntries)
      prepared.discard()
      expect(statSync(file).mode & 0o777).toBe(0o600)
    }
    // Some were taken in the middle of the writes.
    expect([...seen].some((entries) => entries > startEntries && entries < finalEntries)).toBe(true)
    // Backups are plain files: checking them left no -wal or -shm beside them.
    expect(filesIn(scratch).filter((name) => /-(wal|shm)$/.test(name))).toEqual([])

    const keyExport = join(scratch, 'key-export.json')
    expect(await cli(env.dbPath, ['key', 'export', keyExport, '--passphrase-stdin'], `${PASSPHRASE}\n`)).toMatchObject({ code: 0, err: '' })
    expect(readFileSync(keyExport, 'utf8')).not.toContain(readFileSync(keyFilePath(env.dbPath), 'utf8').trim())

    // The new machine: another folder, another file name, no key yet.
    const newMachine = mkdtempSync(join(tmpdir(), 'twofa-new-machine-'))
    try {
      const restoredDb = join(newMachine, '2FA Admin', 'restored.db')
      const lastBackup = backups[backups.length - 1] as string
      const restored = await cli(restoredDb, ['restore', lastBackup])
      expect(restored.err).toBe('')
      expect(restored.code).toBe(0)
      // Without the key, the keyed entries cannot have been checked, and it says so rather than "verified".
      expect(restored.out).toMatch(/audit chain verified as far as it can be without the backup's secrets key .*checked once that key is imported/)
      expect(restored.out).not.toMatch(/audit chain verified \(/)
      expect(restored.out).toMatch(/key import/)
      expect(statSync(restoredDb).mode & 0o777).toBe(0o600)

      // Commands run before the import (a look at the log needs the key) create no key of their own.
      expect((await cli(restoredDb, ['audit', '--limit', '1'])).code).toBe(0)
      expect(existsSync(keyFilePath(restoredDb))).toBe(false)
      const noKey = await cli(restoredDb, ['user', 'reset-2fa', 'admin@example.com'])
      expect(noKey.code).toBe(1)
      expect(noKey.err).toMatch(/secrets key is missing .*key import/)
      expect(existsSync(keyFilePath(restoredDb))).toBe(false)
      expect(await cli(restoredDb, ['key', 'import', keyExport, '--passphrase-stdin'], 'not the passphrase')).toMatchObject({ code: 1 })
      expect(existsSync(keyFilePath(restoredDb))).toBe(false)
      const imported = await cli(restoredDb, ['key', 'import', keyExport, '--passphrase-stdin'], PASSPHRASE)
      expect(imported).toMatchObject({ code: 0, err: '' })
      expect(imported.out).toMatch(/it matches the database/)
      expect(statSync(keyFilePath(restoredDb)).mode & 0o777).toBe(0o600)

      const clock = new ManualClock(START + 60 * 60_000)
      const core = openCore({ dbPath: restoredDb, keyProvider: fileKeyProvider(restoredDb), clock, passwordKdf: FAST_KDF })
      try {
        const holder = { sessionId: null }
        const login = await core.dispatch('login', sessionCaller(holder), { email: 'admin@example.com', password: PASSWORD })
        expect(login).toEqual({ ok: true, value: { step: 'second-factor', email: 'admin@example.com' } })
        const verified = await core.dispatch('verifyCode', sessionCaller(holder), { code: codeAt(secret, clock.now()) })
        expect(verified).toMatchObject({ ok: true, value: { step: 'signed-in', me: { email: 'admin@example.com' } } })
        expect(core.checkIntegrity({ full: true }).ok).toBe(true)
      } finally {
        core.close()
      }
    } finally {
      rmSync(newMachine, { recursive: true, force: true })
    }
  }, 60_000)

  it('keeps the replaced database aside, complete with what was only in its WAL', async () => {
    await addUser(env, 'maria@example.com')
    const backup = join(scratch, 'before-tom.db')
    await backupDatabase(env.db, backup)
    await addUser(env, 'tom@example.com')
    env.core.close()
    // A process that committed a change and was killed before any checkpoint: the change is only in the -wal file.
    const crashScript = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))})
      const db = new Database(${JSON.stringify(env.dbPath)})
      db.pragma('wal_autocheckpoint = 0')
      db.prepare("UPDATE users SET name = 'Tom, only in the WAL' WHERE email = 'tom@example.com'").run()
      process.kill(process.pid, 'SIGKILL')`
    await new Promise((done) => spawn(process.execPath, ['-e', crashScript], { stdio: 'inherit' }).once('exit', done))
    expect(statSync(`${env.dbPath}-wal`).size).toBeGreaterThan(0)

    const result = await restoreDatabase(backup, env.dbPath, { now: START })
    expect(result.asidePath).toBe(`${env.dbPath}.before-restore-2026-11-27T09-00-00Z`)
    const aside = new BetterSqlite3(result.asidePath as string, { readonly: true })
    expect(aside.prepare('SELECT name FROM users ORDER BY email').pluck().all()).toEqual(['maria', 'Tom, only in the WAL'])
    aside.close()

    env.reopen()
    const users = await env.cli('listUsers', {})
    expect(users.users.map((user) => user.email)).toEqual(['maria@example.com'])
    // A second restore in the same second keeps the first file aside and gets a name of its own.
    expect(asidePathFor(env.dbPath, START)).toBe(`${env.dbPath}.before-restore-2026-11-27T09-00-00Z-2`)
  })

  it('refuses to overwrite a file when backing up', async () => {
    const file = join(scratch, 'taken.db')
    writeFileSync(file, 'something precious')
    await expect(backupDatabase(env.db, file)).rejects.toMatchObject({ code: 'VALIDATION' })
    expect(readFileSync(file, 'utf8')).toBe('something precious')
    const viaCli = await cli(env.dbPath, ['backup', file])
    expect(viaCli.code).toBe(1)
    expect(viaCli.err).toMatch(/already exists/)
    expect(filesIn(scratch)).toEqual(['taken.db'])
  })
})

describe('a restore is refused, and nothing changes, when', () => {
  let backup: string
  let liveBytes: Buffer

  beforeEach(async () => {
    await setUpAdmin(env)
    backup = join(scratch, 'good.db')
    await backupDatabase(env.db, backup)
    await addUser(env, 'after-the-backup@example.com')
    env.core.close()
    liveBytes = readFileSync(env.dbPath)
  })

  function expectUnchanged(): void {
    expect(readFileSync(env.dbPath).equals(liveBytes)).toBe(true)
    const leftovers = filesIn(env.dir).filter((name) => name.includes('.restore-') || name.includes('.before-restore-'))
    expect(leftovers).toEqual([])
  }

  function derived(name: string, change: (db: BetterSqlite3.Database) => void): string {
    const file = join(scratch, name)
    writeFileSync(file, readFileSync(backup))
    const raw = new BetterSqlite3(file)
    change(raw)
    raw.close()
    return file
  }

  it('the file is not a 2FA Admin database, or not SQLite at all', async () => {
    const foreign = join(scratch, 'foreign.db')
    const raw = new BetterSqlite3(foreign)
    raw.exec('CREATE TABLE notes (body TEXT)')
    raw.close()
    await expect(restoreDatabase(foreign, env.dbPath, { now: START })).rejects.toThrow(expect.objectContaining({ code: 'DATABASE_NOT_OURS' }))
    const text = join(scratch, 'notes.txt')
    writeFileSync(text, 'hello '.repeat(1000))
    await expect(restoreDatabase(text, env.dbPath, { now: START })).rejects.toThrow(expect.objectContaining({ code: 'DATABASE_NOT_OURS' }))
    expectUnchanged()
  })

  it('it comes from a newer version of the app', async () => {
    const newer = derived('newer.db', (raw) => raw.pragma(`user_version = ${LATEST_VERSION + 1}`))
    const result = await cli(env.dbPath, ['restore', newer])
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/newer version of 2FA Admin/)
    expect(result.err.trim().split('\n')).toHaveLength(1)
    expectUnchanged()
  })

  it('its audit log was edited', async () => {
    const edited = derived('edited.db', (raw) => raw.prepare("UPDATE audit_log SET actor = 'someone else' WHERE id = 1").run())
    await expect(restoreDatabase(edited, env.dbPath, { now: START })).rejects.toThrow(/audit log in the backup .* does not verify/)
    expectUnchanged()
  })

  it('it is damaged', async () => {
    const damaged = join(scratch, 'damaged.db')
    writeFileSync(damaged, readFileSync(backup))
    damageTable(damaged, 'users')
    await expect(restoreDatabase(damaged, env.dbPath, { now: START })).rejects.toThrow(expect.objectContaining({ code: 'DATABASE_CORRUPT' }))
    expectUnchanged()
  })

  it('it was made with another secrets key than the one beside the database', async () => {
    const otherKey = derived('other-key.db', (raw) => raw.prepare("UPDATE meta SET value = '00000000000000000000000000000000' WHERE key = 'key_check'").run())
    const result = await cli(env.dbPath, ['restore', otherKey])
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/another secrets key/)
    expectUnchanged()
  })

  it('another process has the database open (the app, the preview, another command)', async () => {
    const holderScript = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))})
      const db = new Database(${JSON.stringify(env.dbPath)})
      db.prepare('SELECT count(*) FROM users').get()
      process.stdout.write('ready\\n')
      setInterval(() => {}, 1000)`
    const holder = spawn(process.execPath, ['-e', holderScript], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      await new Promise<void>((ready) => holder.stdout?.once('data', () => ready()))
      const result = await cli(env.dbPath, ['restore', backup])
      expect(result.code).toBe(1)
      expect(result.err).toMatch(/is open in another program .* Close it, then restore again; nothing was changed/)
      expectUnchanged()
    } finally {
      holder.kill()
      await new Promise((gone) => holder.once('exit', gone))
    }
    // Once it is closed, the same restore goes through.
    expect((await cli(env.dbPath, ['restore', backup])).code).toBe(0)
  })

  it('the file is the live database itself, or missing', async () => {
    await expect(restoreDatabase(env.dbPath, env.dbPath, { now: START })).rejects.toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    await expect(restoreDatabase(join(scratch, 'missing.db'), env.dbPath, { now: START })).rejects.toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    expectUnchanged()
  })
})
