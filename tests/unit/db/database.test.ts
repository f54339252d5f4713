import { readFileSync, writeFileSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { APPLICATION_ID, openDatabase } from '../../../src/main/db/connection'
import { LATEST_VERSION, migrate, MIGRATIONS, schemaVersion } from '../../../src/main/db/migrations'
import { chainKeying, walkWholeChain } from '../../../src/main/core/audit/verification'
import { contextOf } from '../../../src/main/core/open-core'
import { base32Encode } from '../../../src/main/core/crypto/totp'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

function expectAppError(fn: () => unknown, code: string): AppError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe(code)
    return error as AppError
  }
  throw new Error(`expected ${code}`)
}

describe('opening the directory', () => {
  it('creates a fresh database at the latest schema with WAL, synchronous=FULL and foreign keys', () => {
    const db = env.db
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('applies every migration step in order on a fresh database', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db)
    expect(schemaVersion(db)).toBe(MIGRATIONS.length)
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all().map((row) => (row as { name: string }).name)
    expect(tables).toEqual([
      'audit_log',
      // How far the audit chain is verified (migration 3).
      'audit_verification',
      'class_counts',
      // The one LDAP / Active Directory connection (migration 6).
      'directory_connection',
      // The 2FA distribution of each day, for the trend on Account > Security (migration 10).
      'distribution_history',
      // How many users each email domain holds (migration 19).
      'domain_counts',
      'enforcement_policy',
      // Groups, their members, and the group sets (combinations of groups users have) of migration 8.
      'group_members',
      'group_set_groups',
      'group_sets',
      'groups',
      'individual_deadline_counts',
      'meta',
      // The RADIUS clients (migration 7).
      'radius_clients',
      'recovery_codes',
      // The distinct words of names and local parts, with their users (migration 20).
      'search_words',
      // SQLite's own record behind AUTOINCREMENT (group ids are never given again, migration 8).
      'sqlite_sequence',
      // Temporary access passes, hashed, one per user (migration 9).
      'temporary_passes',
      'totp_credentials',
      'totp_enrollments',
      // The key change log that keeps the jump signposts exact (migration 4).
      'user_key_changes',
      // Every user's words in name order (migration 20).
      'user_words',
      // And in email order (migration 22).
      'user_words_by_email',
      'users',
      // The trigram search index of migration 2 and its FTS5 shadow tables.
      'users_search',
      'users_search_config',
      'users_search_data',
      'users_search_docsize',
      'users_search_idx',
      // The trigram index of the distinct words (migration 20) and its shadow tables.
      'words_search',
      'words_search_config',
      'words_search_data',
      'words_search_docsize',
      'words_search_idx'
    ])
    db.close()
  })

  it('refuses migrations whose versions do not increase', () => {
    const db = new BetterSqlite3(':memory:')
    const step = { version: 1, description: 'x', up: () => undefined }
    expect(() => migrate(db, [step, { ...step }])).toThrow(/must increase/)
    db.close()
  })

  it('refuses a database written by a newer app, with a clear error, and changes nothing', () => {
    env.core.close()
    const raw = new BetterSqlite3(env.dbPath)
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`)
    raw.close()
    const before = readFileSync(env.dbPath)
    const error = expectAppError(() => openDatabase(env.dbPath), 'DATABASE_TOO_NEW')
    expect(error.message).toMatch(/newer version of 2FA Admin/)
    expect(readFileSync(env.dbPath).equals(before)).toBe(true)
    env.core = { close: () => undefined } as never
  })

  it('refuses an SQLite file of another application and a file that is not SQLite at all', () => {
    const other = `${env.dir}/other.db`
    const raw = new BetterSqlite3(other)
    raw.exec('CREATE TABLE notes (body TEXT)')
    raw.close()
    expect(expectAppError(() => openDatabase(other), 'DATABASE_NOT_OURS').message).toMatch(/not a 2FA Admin database/)

    const text = `${env.dir}/text.db`
    writeFileSync(text, 'hello, this is not a database at all '.repeat(200))
    expectAppError(() => openDatabase(text), 'DATABASE_NOT_OURS')
    expect(readFileSync(text, 'utf8')).toMatch(/^hello/)
  })
})

describe('secrets at rest', () => {
  it('no TOTP secret can be found in the database file, in base32 or raw', async () => {
    await setUpAdmin(env)
    const secrets: Buffer[] = []
    for (const email of ['maria@example.com', 'tom@example.com']) {
      await addUser(env, email)
      const screen = env.screen()
      await screen.ok('login', { email, password: PASSWORD })
      secrets.push((await enroll(env, screen)).secret)
    }
    // Pending enrollments hold secrets too.
    await addUser(env, 'sam@example.com')
    const sam = env.screen()
    await sam.ok('login', { email: 'sam@example.com', password: PASSWORD })
    const pending = await sam.ok('startEnrollment')
    const pendingSecret = Buffer.from(pending.secretGroups.join(''))

    env.db.pragma('wal_checkpoint(TRUNCATE)')
    const file = Buffer.concat([readFileSync(env.dbPath)])
    for (const secret of secrets) {
      expect(file.includes(secret)).toBe(false)
      expect(file.includes(Buffer.from(base32Encode(secret)))).toBe(false)
      expect(file.includes(Buffer.from(secret.toString('hex')))).toBe(false)
      expect(file.includes(Buffer.from(secret.toString('base64')))).toBe(false)
    }
    expect(file.includes(pendingSecret)).toBe(false)
  })

  it('refuses to use a key that does not belong to the database', async () => {
    await setUpAdmin(env)
    env.core.close()
    writeFileSync(`${env.dbPath}.key`, Buffer.alloc(32, 7).toString('base64'))
    env.reopen()
    const screen = env.screen()
    await screen.ok('login', { email: 'admin@example.com', password: PASSWORD })
    expect((await screen.fail('verifyCode', { code: '123456' })).code).toBe('KEY_UNAVAILABLE')
  })
})

describe('audit log', () => {
  it('verifies, and detects an edited row and a deleted row', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    await env.cli('enforceForAllUsers')
    const db = env.db
    expect(walkWholeChain(db, chainKeying(contextOf(env.core)))).toMatchObject({ valid: true })
    const count = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
    expect(count).toBeGreaterThanOrEqual(4)

    db.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2").run()
    expect(walkWholeChain(db, chainKeying(contextOf(env.core)))).toMatchObject({ valid: false, brokenAt: 2 })
    const page = await env.cli('listAudit', {})
    expect(page.chain.broken).toMatchObject({ at: 2 })
    expect(page.chain.verifiedThrough).toBe(1)
  })

  it('detects a deleted entry in the middle of the chain', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const db = env.db
    db.prepare('DELETE FROM audit_log WHERE id = 2').run()
    expect(walkWholeChain(db, chainKeying(contextOf(env.core)))).toMatchObject({ valid: false, brokenAt: 2 })
  })

  it('records actor, target, time and details of admin actions', async () => {
    const { screen } = await setUpAdmin(env)
    const maria = await addUser(env, 'maria@example.com')
    await screen.ok('setEnforceTwoFactorActivation', { userId: maria, enforce: true })
    const [entry] = (await screen.ok('listAudit', { action: 'enforcement.user-changed' })).entries
    expect(entry).toMatchObject({
      actor: 'admin@example.com',
      target: 'maria@example.com',
      at: env.clock.now(),
      details: { from: 'inherit', to: 'enforced', enforced: true }
    })
    const cliEntry = (await screen.ok('listAudit', { action: 'user.created' })).entries[0]
    expect(cliEntry?.actor).toBe('cli')
  })
})
