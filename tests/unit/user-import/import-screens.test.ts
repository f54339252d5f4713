// The import as the screens use it: through the dispatcher, in the background
// worker, admins only, one at a time, with progress; and the password an
// administrator sets for someone who has none yet.
import { rmSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { anchorPath, readAnchor } from '../../../src/main/core/audit/anchor'
import { chainKeyOf } from '../../../src/main/core/audit/chain'
import { contextOf } from '../../../src/main/core/open-core'
import { addUser, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
let admin: Screen
beforeEach(async () => {
  env = new TestEnv()
  admin = (await setUpAdmin(env)).screen
})
afterEach(() => env.dispose())

const rows = (count: number, from = 0): string =>
  ['email,name', ...Array.from({ length: count }, (_, i) => `person${from + i}@example.com,Person ${from + i}`)].join('\n')
const countUsers = (): number => (env.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n

describe('importUsers', () => {
  it('imports in the background worker and moves the audit anchor to the import\'s last entry', async () => {
    const result = await admin.ok('importUsers', { csv: rows(300), dryRun: false })
    expect(result).toMatchObject({ applied: true, created: 300, errors: [], errorsTotal: 0 })
    expect(result.changes).toHaveLength(300)
    expect(countUsers()).toBe(301)
    const last = env.db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string }
    const anchor = readAnchor(anchorPath(env.dbPath), chainKeyOf(contextOf(env.core).dataKey.get()))
    expect(anchor).toMatchObject({ kind: 'ok', anchor: { id: last.id, hash: last.hash } })
    expect((await admin.ok('getAuditChainStatus')).broken).toBeNull()
  })

  it('is for administrators only, and for nobody signed out', async () => {
    await addUser(env, 'maria@example.com')
    const maria = env.screen()
    await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect((await maria.fail('importUsers', { csv: rows(1), dryRun: false })).code).toBe('FORBIDDEN')
    expect((await env.screen().fail('importUsers', { csv: rows(1), dryRun: true })).code).toBe('UNAUTHENTICATED')
    expect((await maria.fail('getImportProgress')).code).toBe('FORBIDDEN')
    expect(countUsers()).toBe(2)
  })

  it('runs one import at a time: twenty at once give one import and nineteen clear refusals, and no user twice', async () => {
    const attempts = await Promise.all(Array.from({ length: 20 }, (_, i) => admin.call('importUsers', { csv: rows(200, i % 2 === 0 ? 0 : 100), dryRun: false })))
    const done = attempts.filter((attempt) => attempt.ok)
    const refused = attempts.filter((attempt) => !attempt.ok)
    expect(done).toHaveLength(1)
    expect(refused.map((attempt) => (attempt.ok ? '' : attempt.error.message))).toEqual(Array(19).fill(expect.stringMatching(/already running/)))
    expect(countUsers()).toBe(201)
    // And afterwards the next one runs.
    expect((await admin.ok('importUsers', { csv: rows(300), dryRun: false })).created).toBe(100)
  })

  it('reports its progress while it runs, and nothing once it is done', async () => {
    const seen: { phase: string | null; done: number; total: number }[] = []
    const running = admin.ok('importUsers', { csv: rows(20_000), dryRun: true })
    for (let i = 0; i < 400 && seen.every((progress) => progress.phase !== 'applying'); i++) {
      const progress = await admin.ok('getImportProgress')
      if (progress.running) seen.push(progress)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const result = await running
    expect(result).toMatchObject({ dryRun: true, applied: false, created: 20_000 })
    expect(seen.some((progress) => progress.phase === 'reading' || progress.phase === 'applying')).toBe(true)
    expect(await admin.ok('getImportProgress')).toEqual({ running: false, phase: null, done: 0, total: 0 })
    expect(countUsers()).toBe(1)
  })

  it('gives the screens the first thousand problems and counts them all', async () => {
    const bad = ['email', ...Array.from({ length: 1500 }, (_, i) => `broken-${i}`)].join('\n')
    const result = await admin.ok('importUsers', { csv: bad, dryRun: false })
    expect(result.errors).toHaveLength(1000)
    expect(result.errorsTotal).toBe(1500)
    expect(result.errors[0]).toMatchObject({ line: 2, email: 'broken-0' })
  })
})

describe('setUserPassword', () => {
  it('ends the sessions of the user whose password the administrator set', async () => {
    const mariaId = await addUser(env, 'maria@example.com')
    const maria = env.screen()
    await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
    await admin.ok('setUserPassword', { userId: mariaId, password: 'a different passphrase 99' })
    expect((await maria.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect((await env.screen().fail('login', { email: 'maria@example.com', password: PASSWORD })).code).toBe('INVALID_CREDENTIALS')
    const entry = env.db.prepare("SELECT actor, target, details FROM audit_log WHERE action = 'user.password-changed'").get()
    expect(entry).toEqual({ actor: 'admin@example.com', target: 'maria@example.com', details: JSON.stringify({ by: 'administrator', first: false }) })
  })

  it('refuses directory users (their password is the directory\'s) and weak passwords, changing nothing', async () => {
    const mariaId = await addUser(env, 'maria@example.com')
    env.db.prepare("UPDATE users SET source = 'ldap' WHERE id = ?").run(mariaId)
    expect(await admin.fail('setUserPassword', { userId: mariaId, password: 'a different passphrase 99' })).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/directory password/) })
    const liId = await addUser(env, 'li@example.com')
    expect((await admin.fail('setUserPassword', { userId: liId, password: 'password1234' })).code).toBe('WEAK_PASSWORD')
    expect((await env.screen().call('login', { email: 'li@example.com', password: PASSWORD })).ok).toBe(true)
  })
})

describe('the anchor after a background write', () => {
  it('is written for a log the import began, without an alarm; a deleted one is still reported', async () => {
    const fresh = new TestEnv()
    try {
      // No entry yet: the worker's import writes the log's first entries.
      const result = await fresh.core.dispatch('importUsers', { kind: 'cli' }, { csv: rows(3), dryRun: false })
      expect(result.ok).toBe(true)
      expect(fresh.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'audit.anchor-created'").pluck().get()).toBe(0)
      const last = fresh.db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string }
      expect(readAnchor(anchorPath(fresh.dbPath), chainKeyOf(contextOf(fresh.core).dataKey.get()))).toMatchObject({ kind: 'ok', anchor: { id: last.id } })
      // Deleted since: the next background import says so in the log.
      rmSync(anchorPath(fresh.dbPath))
      await fresh.core.dispatch('importUsers', { kind: 'cli' }, { csv: rows(3, 10), dryRun: false })
      expect(fresh.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'audit.anchor-created'").pluck().get()).toBe(1)
    } finally {
      fresh.dispose()
    }
  })
})
