// A background task that writes (a bulk change, an import) moves the audit
// anchor on to its own entries. Before, only the host moved it after the task's
// commit, and a host that had closed meanwhile (quit during a long change)
// left it behind: whoever then deleted exactly those entries left nothing for
// the next look to find.
import Database from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { anchorPath, readAnchor } from '../../../src/main/core/audit/anchor'
import { chainKeyOf } from '../../../src/main/core/audit/chain'
import { runTaskHere } from '../../../src/main/core/background/runner'
import { contextOf } from '../../../src/main/core/open-core'
import { addUser, setUpAdmin, TestEnv } from '../helpers/harness'
import { connectionTo, startSlapd, stopAllSlapd } from '../helpers/slapd'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())
afterAll(() => stopAllSlapd())

const newestEntry = (): number => {
  const db = new Database(env.dbPath, { readonly: true })
  try {
    return db.prepare('SELECT max(id) FROM audit_log').pluck().get() as number
  } finally {
    db.close()
  }
}

describe('a task that commits while its host is closed', () => {
  it('a bulk change moves the anchor on to its entries itself; deleting them is then found at the next open', async () => {
    await setUpAdmin(env)
    for (let i = 0; i < 5; i++) await addUser(env, `late${i}@anchor.example`)
    const ctx = contextOf(env.core)
    const key = chainKeyOf(ctx.dataKey.get())
    const adminId = env.db.prepare("SELECT id FROM users WHERE email = 'admin@example.com'").pluck().get() as number
    const before = newestEntry()
    const anchored = readAnchor(anchorPath(env.dbPath), key)
    expect(anchored).toMatchObject({ kind: 'ok', anchor: { id: before } })
    // The host is gone (quit) while the task, already writing, commits.
    env.core.close()
    const input = {
      selection: { filter: { status: 'inactive' as const } },
      action: 'enforce' as const,
      actor: { label: 'admin@example.com', userId: adminId },
      now: env.clock.now(),
      write: true,
      chainKey: key.toString('base64')
    }
    const outcome = await runTaskHere('bulkChange', input, { path: env.dbPath })
    expect(outcome.changedIds).toHaveLength(5)
    const after = newestEntry()
    expect(after).toBe(before + 5)
    expect(readAnchor(anchorPath(env.dbPath), key)).toMatchObject({ kind: 'ok', anchor: { id: after } })

    // Someone cuts exactly the change's entries before the app opens again.
    const file = new Database(env.dbPath)
    file.prepare('DELETE FROM audit_log WHERE id > ?').run(before)
    file.close()
    env.reopen()
    expect((await env.cli('getAuditChainStatus')).broken?.reason).toBe(`Entries ${before + 1} to ${after}, the newest, were deleted.`)
  })

  it('a CSV import moves it on too', async () => {
    await setUpAdmin(env)
    const ctx = contextOf(env.core)
    const key = chainKeyOf(ctx.dataKey.get())
    const adminId = env.db.prepare("SELECT id FROM users WHERE email = 'admin@example.com'").pluck().get() as number
    env.core.close()
    const csv = 'name,email\nIvy Late,ivy.late@anchor.example\nJon Late,jon.late@anchor.example\n'
    const options = { dryRun: false, ignoreUnknownColumns: false, actor: { label: 'admin@example.com', userId: adminId, recentlyAuthenticated: true }, now: env.clock.now() }
    const outcome = await runTaskHere('importUsers', { csv, options, chainKey: key.toString('base64') }, { path: env.dbPath })
    expect(outcome.applied).toBe(true)
    expect(readAnchor(anchorPath(env.dbPath), key)).toMatchObject({ kind: 'ok', anchor: { id: newestEntry() } })
  })

  it('an anchor that was forged is left for the next look to report, not sealed over', async () => {
    await setUpAdmin(env)
    await addUser(env, 'forged@anchor.example')
    const ctx = contextOf(env.core)
    const key = chainKeyOf(ctx.dataKey.get())
    const adminId = env.db.prepare("SELECT id FROM users WHERE email = 'admin@example.com'").pluck().get() as number
    env.core.close()
    const path = anchorPath(env.dbPath)
    const forged = readFileSync(path, 'utf8').replace(/"mac":"[0-9a-f]/, '"mac":"g')
    writeFileSync(path, forged)
    const input = { selection: { filter: { status: 'inactive' as const } }, action: 'enforce' as const, actor: { label: 'admin@example.com', userId: adminId }, now: env.clock.now(), write: true, chainKey: key.toString('base64') }
    await runTaskHere('bulkChange', input, { path: env.dbPath })
    expect(readFileSync(path, 'utf8')).toBe(forged)
    env.reopen()
    expect((await env.cli('getAuditChainStatus')).broken?.reason).toMatch(/^The audit anchor .* was changed/)
  })
})

describe('a directory sync in its worker', () => {
  it('moves the anchor on to its entries itself, without the host following', async () => {
    const server = await startSlapd({ users: 12 })
    await setUpAdmin(env)
    await env.cli('setDirectoryConnection', connectionTo(server))
    const ctx = contextOf(env.core)
    // As when the host has closed: its own follow-up never runs.
    ctx.afterBackgroundWrite = () => {}
    const before = newestEntry()
    expect(await env.cli('syncDirectory', { dryRun: false })).toMatchObject({ applied: true, created: 12 })
    expect(newestEntry()).toBeGreaterThan(before)
    expect(readAnchor(anchorPath(env.dbPath), chainKeyOf(ctx.dataKey.get()))).toMatchObject({ kind: 'ok', anchor: { id: newestEntry() } })
  }, 60_000)
})
