// A damaged database file: `twofa-admin check` finds it, any command that
// reads a damaged page says so in one line with the way to restore, and a core
// whose check failed refuses every write.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CliSandbox } from '../helpers/cli'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { checkDatabaseFile, checkIntegrity, RESTORE_HINT } from '../../../src/main/core/maintenance/integrity'
import { damageTable } from '../helpers/damage'
import { addUser, TestEnv } from '../helpers/harness'

let sandbox: CliSandbox
let dir: string
let db: string

beforeEach(() => {
  sandbox = new CliSandbox('twofa-integrity-')
  dir = sandbox.dir
  db = sandbox.db
})
afterEach(() => sandbox.dispose())

const cli = (args: string[], stdin: string | null = null) => sandbox.run(args, stdin)

function expectOneCleanLine(text: string): void {
  const lines = text.trim().split('\n')
  expect(lines).toHaveLength(1)
  // No stack trace, no internal error.
  expect(text).not.toMatch(/\n\s+at |unexpected error|SqliteError/)
}

describe('twofa-admin check', () => {
  beforeEach(async () => {
    await cli(['init'])
    await cli(['user', 'add', '--name', 'Maria', '--email', 'maria@example.com', '--password-stdin'], 'maria password 2026')
  })

  it('prints "ok" for a sound database, quick or full', async () => {
    expect(await cli(['check'])).toEqual({ code: 0, out: 'ok\n', err: '' })
    expect(await cli(['check', '--full'])).toEqual({ code: 0, out: 'ok\n', err: '' })
  })

  it('finds overwritten pages, and every command that reads them says so in one line with the way to restore', async () => {
    damageTable(db, 'users')
    for (const args of [['check'], ['check', '--full']]) {
      const result = await cli(args)
      expect(result.code, args.join(' ')).toBe(1)
      expect(result.out).toBe('')
      expect(result.err).toMatch(/^twofa-admin: The user directory database is damaged \(.+\)\. .*twofa-admin restore BACKUP-FILE/)
      expectOneCleanLine(result.err)
    }
    for (const args of [['user', 'list'], ['user', 'show', 'maria@example.com'], ['user', 'enforce', 'maria@example.com']]) {
      const result = await cli(args)
      expect(result.code, args.join(' ')).toBe(1)
      expect(result.err, args.join(' ')).toMatch(/damaged.*restore/)
      expectOneCleanLine(result.err)
    }
  })

  it('reports a file whose first page is gone without a stack trace', async () => {
    const fd = openSync(db, 'r+')
    writeSync(fd, Buffer.alloc(100, 0x00), 0, 100, 0)
    closeSync(fd)
    const result = await cli(['check'])
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/not an SQLite database, or its first page is damaged/)
    expectOneCleanLine(result.err)
  })

  it('refuses a file that is not ours, and a missing one', async () => {
    const foreign = join(dir, 'foreign.db')
    const raw = new BetterSqlite3(foreign)
    raw.exec('CREATE TABLE notes (body TEXT)')
    raw.close()
    const result = await cli(['check', '--db', foreign])
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/is not a 2FA Admin database/)
    expect((await cli(['check', '--db', join(dir, 'missing.db')])).err).toMatch(/No database at/)
    expect((await cli(['check', 'extra'])).code).toBe(2)
  })
})

describe('a core whose integrity check failed', () => {
  let env: TestEnv
  beforeEach(() => {
    env = new TestEnv()
  })
  afterEach(() => env.dispose())

  it('checkIntegrity answers ok for a sound file and keeps writes working', async () => {
    expect(checkIntegrity(env.db)).toEqual({ ok: true, full: false })
    expect(checkIntegrity(env.db, { full: true })).toEqual({ ok: true, full: true })
    expect(env.core.checkIntegrity()).toEqual({ ok: true, full: false })
    await addUser(env, 'maria@example.com')
  })

  it('refuses every write with DATABASE_CORRUPT and the restore hint, changing nothing; reads still answer', async () => {
    const mariaId = await addUser(env, 'maria@example.com')
    env.core.close()
    // A table no write below touches: reads of users keep working, the check still fails.
    damageTable(env.dbPath, 'totp_enrollments')
    env.reopen()
    const before = readFileSync(env.dbPath)

    const report = env.core.checkIntegrity()
    expect(report.ok).toBe(false)
    if (report.ok) return
    expect(report.message).toContain(RESTORE_HINT)
    expect(checkDatabaseFile(env.dbPath).ok).toBe(false)

    const writes = [
      () => env.core.dispatch('createUser', CLI_CALLER, { name: 'Tom', email: 'tom@example.com', role: 'user', password: 'tom password 2026' }),
      () => env.core.dispatch('setEnforcement', CLI_CALLER, { userId: mariaId, enforcement: 'enforced' }),
      () => env.core.dispatch('enforceForAllUsers', CLI_CALLER, {}),
      () => env.core.dispatch('unlockUser', CLI_CALLER, { userId: mariaId }),
      () => env.screen().call('login', { email: 'maria@example.com', password: 'a wrong password' })
    ]
    for (const write of writes) {
      const result = await write()
      expect(result).toMatchObject({ ok: false, error: { code: 'DATABASE_CORRUPT' } })
      if (!result.ok) expect(result.error.message).toContain('twofa-admin restore')
    }
    // SQLite itself refuses too, should a write ever bypass the core's transactions.
    expect(() => env.db.prepare("UPDATE users SET name = 'x'").run()).toThrow(/readonly|read-only|query_only/i)

    const overview = await env.core.dispatch('getSecurityOverview', CLI_CALLER, {})
    expect(overview).toMatchObject({ ok: true, value: { distribution: { total: 1 } } })
    expect((await env.screen().call('getAppState')).ok).toBe(true)
    env.core.close()
    expect(readFileSync(env.dbPath).equals(before)).toBe(true)
  })
})

describe('the background check the desktop app runs', () => {
  let env: TestEnv
  beforeEach(() => {
    env = new TestEnv()
  })
  afterEach(() => env.dispose())

  it('runs quick_check on its own connection in a worker thread and finds the same as the direct check', async () => {
    const mariaId = await addUser(env, 'maria@example.com')
    expect(await env.core.checkIntegrityInBackground()).toEqual({ ok: true, full: false })
    expect(await env.core.checkIntegrityInBackground({ full: true })).toEqual({ ok: true, full: true })

    env.core.close()
    damageTable(env.dbPath, 'totp_enrollments')
    env.reopen()
    // The event loop keeps turning while the worker checks.
    let turns = 0
    const ticker = setInterval(() => turns++, 0)
    const report = await env.core.checkIntegrityInBackground()
    clearInterval(ticker)
    expect(turns).toBeGreaterThan(0)
    expect(report).toMatchObject({ ok: false })
    if (!report.ok) expect(report.message).toContain(RESTORE_HINT)
    // As with the direct check, the core now refuses writes.
    const write = await env.core.dispatch('setEnforcement', CLI_CALLER, { userId: mariaId, enforcement: 'enforced' })
    expect(write).toMatchObject({ ok: false, error: { code: 'DATABASE_CORRUPT' } })
  })
})
