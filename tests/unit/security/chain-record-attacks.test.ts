// Attacks on what vouches for the keyed audit chain, found while writing
// docs/SECURITY.md: the record of where the keyed links begin deleted or moved
// (so that a log rewritten with plain SHA-256 links passes), the anchor deleted
// and silently written anew at the next write, and an old database with a
// backdoor migrated before its schema was checked.
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { entryHash, GENESIS_HASH } from '../../../src/main/core/audit/chain'
import { anchorPath } from '../../../src/main/core/audit/anchor'
import { migrate, MIGRATIONS } from '../../../src/main/db/migrations'
import type { AuditRecord } from '../../../src/main/db/audit-repo'
import { openDatabase } from '../../../src/main/db/connection'
import { AppError } from '../../../src/shared/errors'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { databaseOf, openCore } from '../../../src/main/core/open-core'
import { CliSandbox } from '../helpers/cli'
import { addUser, FAST_KDF, PASSWORD, setUpAdmin, TestEnv } from '../helpers/harness'

let env: TestEnv
let sandbox: CliSandbox
beforeEach(() => {
  env = new TestEnv()
  sandbox = new CliSandbox('twofa-chain-record-')
})
afterEach(() => {
  sandbox.dispose()
  env.dispose()
})

type Row = Omit<AuditRecord, 'prevHash' | 'hash'>

/** Chains every entry again with plain SHA-256 links, as one can without the key. */
function rechainPlain(raw: BetterSqlite3.Database): void {
  const rows = raw.prepare('SELECT id, at, actor, action, target, details FROM audit_log ORDER BY id').all() as Row[]
  const update = raw.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?')
  let prev = GENESIS_HASH
  for (const row of rows) {
    const hash = entryHash(prev, row)
    update.run(prev, hash, row.id)
    prev = hash
  }
}

/** The attacker's edit, made with the file closed: eve promoted, the log rechained plain, `record` done to the keyed-start record. */
function hidePromotion(path: string, record: (raw: BetterSqlite3.Database) => void): void {
  const raw = new BetterSqlite3(path)
  try {
    raw.prepare("UPDATE users SET role = 'admin' WHERE email = 'eve@example.com'").run()
    record(raw)
    rechainPlain(raw)
    const last = raw.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string }
    raw.prepare('UPDATE audit_verification SET verified_through = ?, verified_hash = ?').run(last.id, last.hash)
  } finally {
    raw.close()
  }
}

const deleteRecord = (raw: BetterSqlite3.Database) => raw.prepare("DELETE FROM meta WHERE key = 'audit_keyed_from'").run()
/** Past the newest entry: every entry would pass as an old plain one. The seal stays the old one: a new one needs the key. */
const moveRecord = (raw: BetterSqlite3.Database) =>
  raw.prepare("UPDATE meta SET value = (SELECT max(id) + 1 FROM audit_log) || substr(value, instr(value, ':')) WHERE key = 'audit_keyed_from'").run()

describe('the record of where the keyed audit links begin', () => {
  for (const [how, edit, reason] of [
    ['deleted', deleteRecord, /record of where the keyed audit entries begin was deleted/],
    ['moved', moveRecord, /record of where the keyed audit entries begin was moved/]
  ] as const) {
    it(`${how}, with the log rechained plain to hide a promotion, is found out by a look, by audit --verify and by a restore`, async () => {
      await setUpAdmin(env)
      await addUser(env, 'eve@example.com')
      // Without the anchor too, which would otherwise give it away.
      env.core.close()
      rmSync(anchorPath(env.dbPath))
      hidePromotion(env.dbPath, edit)
      env.reopen()
      expect((await env.cli('getAuditChainStatus')).broken?.reason).toMatch(reason)
      const verify = await sandbox.run(['--db', env.dbPath, 'audit', '--verify'])
      expect(verify.code).toBe(1)
      expect(verify.out).toMatch(reason)

      // The same file as a backup of a healthy directory is refused.
      const other = new TestEnv()
      try {
        await setUpAdmin(other)
        const backup = join(other.dir, 'forged.db')
        env.core.close()
        const raw = new BetterSqlite3(env.dbPath)
        raw.prepare('VACUUM INTO ?').run(backup)
        raw.close()
        env.reopen()
        other.core.close()
        const restore = await sandbox.run(['--db', other.dbPath, 'restore', backup])
        other.reopen()
        expect(restore.code).toBe(1)
        expect(restore.err).toMatch(/does not verify/)
        expect((await other.cli('listUsers', {})).users.map((user) => user.email)).not.toContain('eve@example.com')
      } finally {
        other.dispose()
      }
    })
  }

  it('is written, sealed, when a log of plain links from schema 4 is upgraded, and the upgraded log verifies', async () => {
    env.core.close()
    const legacy = join(env.dir, 'legacy.db')
    const raw = new BetterSqlite3(legacy)
    migrate(raw, MIGRATIONS.filter((step) => step.version <= 4))
    const insert = raw.prepare('INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    let prev = GENESIS_HASH
    for (let id = 1; id <= 3; id++) {
      const entry = { id, at: 1_700_000_000_000 + id, actor: 'cli', action: 'user.created', target: `old${id}@example.com`, details: '{}' }
      const hash = entryHash(prev, entry as never)
      insert.run(id, entry.at, entry.actor, entry.action, entry.target, entry.details, prev, hash)
      prev = hash
    }
    raw.close()
    // The first open with the key records the upgrade: entry 4 says the links are keyed from it on.
    const upgraded = await sandbox.run(['--db', legacy, 'audit', '--verify'])
    expect(upgraded.err).toBe('')
    expect(upgraded.out).toMatch(/Audit chain verified: 4 entries/)
    const added = await sandbox.run(['--db', legacy, 'user', 'add', '--name', 'New One', '--email', 'new@example.com', '--password-stdin'], 'a long enough new password 2026')
    expect(added.err).toBe('')
    const check = new BetterSqlite3(legacy, { readonly: true })
    expect(check.prepare("SELECT value FROM meta WHERE key = 'audit_keyed_from'").pluck().get()).toMatch(/^4:[0-9a-f]{64}$/)
    expect(check.prepare('SELECT action FROM audit_log WHERE id >= 4 ORDER BY id').pluck().all()).toEqual(['audit.chain-keyed', 'user.created'])
    expect(check.prepare("SELECT count(*) FROM meta WHERE key = 'audit_upgrade_pending'").pluck().get()).toBe(0)
    check.close()
    // The three old links stay plain and still verify; the new ones are keyed.
    const again = await sandbox.run(['--db', legacy, 'audit', '--verify'])
    expect(again.out).toMatch(/Audit chain verified: 5 entries/)
  })

  it('disguised as an upgrade from schema 4 (plain links, marked pending, no anchor) passes only with a trace at the end of the log', async () => {
    await setUpAdmin(env)
    await addUser(env, 'eve@example.com')
    env.core.close()
    rmSync(anchorPath(env.dbPath))
    hidePromotion(env.dbPath, (raw) => {
      deleteRecord(raw)
      raw.prepare("INSERT INTO meta (key, value) VALUES ('audit_upgrade_pending', '1')").run()
    })
    env.reopen()
    const status = await env.cli('getAuditChainStatus')
    expect(status.broken).toBeNull()
    // What an administrator sees on top of the Audit log: the directory says it was just upgraded.
    expect((await env.cli('listAudit', { limit: 1 })).entries[0]?.action).toBe('audit.chain-keyed')
  })
})

describe('the anchor outside the database', () => {
  it('deleted is written anew at the next write only with an entry that says so, without anyone looking', async () => {
    await setUpAdmin(env)
    const path = anchorPath(env.dbPath)
    rmSync(path)
    // One failed sign-in is a write.
    await env.screen().call('login', { email: 'admin@example.com', password: 'not the password' })
    expect(existsSync(path)).toBe(true)
    const raw = new BetterSqlite3(env.dbPath, { readonly: true })
    const actions = raw.prepare('SELECT action FROM audit_log ORDER BY id DESC LIMIT 2').pluck().all()
    raw.close()
    expect(actions).toEqual(['audit.anchor-created', 'login.failure'])
  })

  it('is not overwritten by a write when it vouches for another start of the keyed links', async () => {
    await setUpAdmin(env)
    const before = (await env.cli('getAuditChainStatus')).entries
    env.db.prepare("UPDATE meta SET value = '2' || substr(value, instr(value, ':')) WHERE key = 'audit_keyed_from'").run()
    await env.screen().call('login', { email: 'admin@example.com', password: 'not the password' })
    const status = await env.cli('getAuditChainStatus')
    expect(status.entries).toBeGreaterThan(before)
    expect(status.broken?.reason).toMatch(/moved/)
  })
})

describe('the anchor after entries were cut and written anew behind it', () => {
  it('is not moved over the cut by the writes that follow: the look names the changed entry', async () => {
    await setUpAdmin(env)
    const eveId = await addUser(env, 'eve@example.com')
    await env.cli('updateUser', { userId: eveId, role: 'admin' })
    const promotion = (await env.cli('getAuditChainStatus')).entries
    env.core.close()
    const raw = new BetterSqlite3(env.dbPath)
    raw.prepare('DELETE FROM audit_log WHERE id >= ?').run(promotion)
    raw.prepare('UPDATE audit_verification SET verified_through = ?, verified_hash = (SELECT hash FROM audit_log WHERE id = ?)').run(promotion - 1, promotion - 1)
    raw.close()
    env.reopen()
    // Two failed sign-ins for emails without an account: anyone can make them.
    for (const email of ['nobody1@example.com', 'nobody2@example.com']) await env.screen().call('login', { email, password: 'not a password' })
    expect((await env.cli('getAuditChainStatus')).broken).toEqual({ at: promotion, reason: `Entry ${promotion} was changed after it was written.` })
    const verify = await sandbox.run(['--db', env.dbPath, 'audit', '--verify'])
    expect(verify.code).toBe(1)
  })
})

describe('entries the app never writes', () => {
  it('below id 1 are found by a look, by audit --verify and by the background walk', async () => {
    await setUpAdmin(env)
    await addUser(env, 'eve@example.com')
    env.db
      .prepare("INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES (0, 0, 'admin@example.com', 'user.updated', 'eve@example.com', '{\"role\":\"admin\"}', '', '')")
      .run()
    const reason = 'An entry with id 0, which the app never writes, was put into the log.'
    expect((await env.cli('getAuditChainStatus')).broken).toEqual({ at: 0, reason })
    const verify = await sandbox.run(['--db', env.dbPath, 'audit', '--verify'])
    expect(verify.out).toContain(reason)
    // The background walk of every entry (the Audit screen's Verify the whole log) on a fresh copy.
    const other = new TestEnv()
    try {
      await setUpAdmin(other)
      other.db.prepare("INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES (-1, 0, 'x', 'logout', NULL, '{}', '', '')").run()
      other.db.prepare("UPDATE audit_verification SET broken_at = NULL, broken_reason = NULL").run()
      const walked = await other.core.dispatch('verifyWholeAuditLog', CLI_CALLER, {})
      expect(walked.ok).toBe(true)
      for (let i = 0; i < 200 && (await other.cli('getAuditChainStatus')).lastFullVerification === null; i++) await new Promise((resolve) => setTimeout(resolve, 25))
      expect((await other.cli('getAuditChainStatus')).lastFullVerification?.valid).toBe(false)
    } finally {
      other.dispose()
    }
  })

  it('a trigger named like SQLite\'s statistics tables is refused at open like any other', () => {
    env.core.close()
    const raw = new BetterSqlite3(env.dbPath)
    raw.unsafeMode(true)
    raw.pragma('writable_schema = ON')
    raw
      .prepare("INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES ('trigger', 'sqlite_stat1_promote', 'audit_log', 0, ?)")
      .run("CREATE TRIGGER sqlite_stat1_promote AFTER INSERT ON audit_log BEGIN UPDATE users SET role = 'admin' WHERE email = 'eve@example.com'; END")
    raw.pragma('writable_schema = OFF')
    raw.close()
    expect(() => env.reopen()).toThrow(expect.objectContaining({ code: 'DATABASE_TAMPERED', message: expect.stringMatching(/an extra trigger "sqlite_stat1_promote"/) }))
    const fix = new BetterSqlite3(env.dbPath)
    fix.unsafeMode(true)
    fix.pragma('writable_schema = ON')
    fix.prepare("DELETE FROM sqlite_schema WHERE name = 'sqlite_stat1_promote'").run()
    fix.pragma('writable_schema = OFF')
    fix.close()
    env.reopen()
  })
})

describe('an index of the audit log rebuilt to leave a user out', () => {
  it('is found by audit --verify and the background walk of every entry, though pages by that user show nothing', async () => {
    await setUpAdmin(env)
    await addUser(env, 'eve@example.com')
    env.core.close()
    const raw = new BetterSqlite3(env.dbPath)
    raw.unsafeMode(true)
    const original = raw.prepare("SELECT sql FROM sqlite_schema WHERE name = 'audit_by_target'").pluck().get() as string
    const setSql = (sql: string) => {
      raw.pragma('writable_schema = ON')
      raw.prepare("UPDATE sqlite_schema SET sql = ? WHERE name = 'audit_by_target'").run(sql)
      raw.pragma('writable_schema = OFF')
    }
    // A partial index without eve, built as such, then given its real definition back.
    setSql(`${original} WHERE target IS NOT 'eve@example.com'`)
    raw.close()
    const rebuild = new BetterSqlite3(env.dbPath)
    rebuild.unsafeMode(true)
    rebuild.exec('REINDEX audit_by_target')
    rebuild.pragma('writable_schema = ON')
    rebuild.prepare("UPDATE sqlite_schema SET sql = ? WHERE name = 'audit_by_target'").run(original)
    rebuild.pragma('writable_schema = OFF')
    rebuild.close()
    env.reopen()
    expect((await env.cli('listAudit', { user: 'eve@example.com' })).entries.filter((entry) => entry.target === 'eve@example.com')).toEqual([])
    const verify = await sandbox.run(['--db', env.dbPath, 'audit', '--verify'])
    expect(verify.code).toBe(1)
    expect(verify.out).toMatch(/indexes disagree with its entries .*audit_by_target/)
    await env.cli('verifyWholeAuditLog')
    for (let i = 0; i < 200 && (await env.cli('getAuditChainStatus')).verifying !== null; i++) await new Promise((resolve) => setTimeout(resolve, 25))
    expect((await env.cli('getAuditChainStatus')).broken?.reason).toMatch(/indexes disagree/)
  })
})

describe('the record of how far the log was verified', () => {
  it('with a finding erased is not believed: the next look walks the log again and finds it again', async () => {
    await setUpAdmin(env)
    await addUser(env, 'eve@example.com')
    await env.cli('getAuditChainStatus')
    // Below the mark, where looks do not walk again: only a full verification finds it ...
    env.db.prepare("UPDATE audit_log SET target = 'mallory@example.com' WHERE target = 'eve@example.com'").run()
    expect((await sandbox.run(['--db', env.dbPath, 'audit', '--verify'])).code).toBe(1)
    const found = (await env.cli('getAuditChainStatus')).broken
    expect(found?.reason).toMatch(/was changed after it was written/)
    // ... and the finding, erased, with the last full verification made to look clean.
    env.db.prepare('UPDATE audit_verification SET broken_at = NULL, broken_reason = NULL, full_valid = 1').run()
    const status = await env.cli('getAuditChainStatus')
    expect(status.broken).toEqual(found)
    expect(status.lastFullVerification).toBeNull()
  })

  it('with its mark moved past entries never checked is not believed either', async () => {
    await setUpAdmin(env)
    const before = (await env.cli('getAuditChainStatus')).entries
    await addUser(env, 'eve@example.com')
    // A new entry, edited before any look checked it, and the mark moved over it.
    env.db.prepare("UPDATE audit_log SET details = '{\"role\":\"admin\"}' WHERE target = 'eve@example.com'").run()
    const last = env.db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string }
    expect(last.id).toBeGreaterThan(before)
    env.db.prepare('UPDATE audit_verification SET verified_through = ?, verified_hash = ?').run(last.id, last.hash)
    expect((await env.cli('getAuditChainStatus')).broken?.reason).toMatch(/was changed after it was written/)
  })
})

describe('an upgraded log whose key comes after the open', () => {
  it('records its keyed start before the first keyed entry, so that entry verifies', async () => {
    env.core.close()
    const legacy = join(env.dir, 'legacy.db')
    const raw = new BetterSqlite3(legacy)
    migrate(raw, MIGRATIONS.filter((step) => step.version <= 4))
    const entry = { id: 1, at: 1_700_000_000_000, actor: 'cli', action: 'user.created', target: 'old@example.com', details: '{}' }
    raw.prepare('INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(1, entry.at, entry.actor, entry.action, entry.target, entry.details, GENESIS_HASH, entryHash(GENESIS_HASH, entry as never))
    raw.close()
    // A keychain unlocked only after the app started.
    let unlocked = false
    const files = fileKeyProvider(legacy)
    const keyProvider = {
      description: 'a keychain locked at start',
      getDataKey: (options?: { create?: boolean }) => {
        if (!unlocked) throw new AppError('KEY_UNAVAILABLE', 'The keychain is locked.')
        return files.getDataKey(options)
      }
    }
    const core = openCore({ dbPath: legacy, keyProvider, passwordKdf: FAST_KDF })
    try {
      unlocked = true
      const created = await core.dispatch('createUser', CLI_CALLER, { name: 'New One', email: 'new@example.com', role: 'user', password: PASSWORD })
      expect(created.ok).toBe(true)
      const status = await core.dispatch('getAuditChainStatus', CLI_CALLER, {})
      expect(status.ok && status.value.broken).toBeNull()
      const actions = databaseOf(core).prepare('SELECT action FROM audit_log ORDER BY id').pluck().all()
      expect(actions).toEqual(['user.created', 'audit.chain-keyed', 'user.created'])
    } finally {
      core.close()
    }
    expect((await sandbox.run(['--db', legacy, 'audit', '--verify'])).out).toMatch(/Audit chain verified: 3 entries/)
  })
})

describe('a restore without the key', () => {
  it('of a backup whose keyed start was moved past its end says the keyed entries are unchecked, not "verified"', async () => {
    await setUpAdmin(env)
    await addUser(env, 'eve@example.com')
    const backup = join(env.dir, 'moved.db')
    await env.core.local.backup(backup)
    hidePromotion(backup, moveRecord)
    const newMachine = join(env.dir, 'new-machine')
    mkdirSync(newMachine)
    const restored = await sandbox.run(['--db', join(newMachine, 'restored.db'), 'restore', backup])
    expect(restored.code).toBe(0)
    expect(restored.out).toMatch(/as far as it can be without the backup's secrets key/)
    expect(restored.out).not.toMatch(/audit chain verified \(/)
  })
})

describe('a backup restored before its key is imported', () => {
  it('with a keyed entry changed is found out by the first look after the import, whatever mark it carried', async () => {
    await setUpAdmin(env)
    await addUser(env, 'eve@example.com')
    // The source had checked every entry: its mark is at the end.
    const entries = (await env.cli('getAuditChainStatus')).entries
    const backup = join(env.dir, 'edited.db')
    await env.core.local.backup(backup)
    const keyExport = join(env.dir, 'key-export.json')
    expect((await sandbox.run(['--db', env.dbPath, 'key', 'export', keyExport, '--passphrase-stdin'], 'a long passphrase for the key')).code).toBe(0)
    const raw = new BetterSqlite3(backup)
    raw.prepare("UPDATE audit_log SET target = 'mallory@example.com' WHERE target = 'eve@example.com'").run()
    expect(raw.prepare('SELECT verified_through FROM audit_verification').pluck().get()).toBe(entries)
    raw.close()
    const restoredDb = join(env.dir, 'new-machine', 'restored.db')
    mkdirSync(join(env.dir, 'new-machine'))
    expect((await sandbox.run(['--db', restoredDb, 'restore', backup])).code).toBe(0)
    expect((await sandbox.run(['--db', restoredDb, 'key', 'import', keyExport, '--passphrase-stdin'], 'a long passphrase for the key')).code).toBe(0)
    const core = openCore({ dbPath: restoredDb, keyProvider: fileKeyProvider(restoredDb), passwordKdf: FAST_KDF })
    try {
      const status = await core.dispatch('getAuditChainStatus', CLI_CALLER, {})
      expect(status.ok && status.value.broken?.reason).toMatch(/was changed after it was written/)
    } finally {
      core.close()
    }
  })
})

describe('an older database', () => {
  it('with a backdoor trigger is refused before it is migrated: it stays at its version, unchanged', () => {
    env.core.close()
    const old = join(env.dir, 'old.db')
    const raw = new BetterSqlite3(old)
    migrate(raw, MIGRATIONS.filter((step) => step.version <= 4))
    raw.exec("CREATE TRIGGER promote AFTER INSERT ON audit_log BEGIN UPDATE users SET role = 'admin'; END")
    raw.close()
    expect(() => openDatabase(old)).toThrow(expect.objectContaining({ code: 'DATABASE_TAMPERED', message: expect.stringMatching(/an extra trigger "promote"/) }))
    const after = new BetterSqlite3(old, { readonly: true })
    expect(after.pragma('user_version', { simple: true })).toBe(4)
    after.close()
    env.reopen()
  })
})
