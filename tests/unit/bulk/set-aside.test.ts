// A bulk change of most of the directory drops the indexes it would rewrite and
// builds them again after its UPDATE (core/bulk/run.ts, db/set-aside.ts). What
// must hold: afterwards the schema is exactly the migrations' and every index
// agrees with its table; the screens' lists and counts answer as before; a
// failure inside the change leaves the schema and the rows as they were; and
// the change's audit entries come in the order of their targets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Enforcement, UserRow } from '../../../src/shared/domain'
import * as bulkRepo from '../../../src/main/db/bulk-repo'
import { SET_ASIDE_MIN_USERS, setsIndexesAside } from '../../../src/main/core/bulk/run'
import { schemaVersion } from '../../../src/main/db/migrations'
import { schemaDifferences } from '../../../src/main/db/schema-check'
import { setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

const USERS = 12_000

let env: TestEnv
let admin: Screen
beforeAll(async () => {
  env = new TestEnv()
  ;({ screen: admin } = await setUpAdmin(env))
  env.core.local.seedDemo({ users: USERS, seed: 3, force: true })
}, 120_000)
afterAll(() => env?.dispose())

function schemaText(): string {
  return JSON.stringify(env.db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type <> 'table' ORDER BY type, name").all())
}

function expectSchemaAndIndexesExact(): void {
  expect(schemaDifferences(env.db, schemaVersion(env.db))).toEqual([])
  expect(env.db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }])
}

async function everyRow(status: 'pending' | 'inactive' | 'active'): Promise<UserRow[]> {
  const rows: UserRow[] = []
  let cursor: string | undefined
  for (let pages = 0; pages <= USERS; pages++) {
    const page = await admin.ok('listUsers', { status, sort: 'name', limit: 500, ...(cursor === undefined ? {} : { cursor }) })
    rows.push(...page.users)
    if (page.nextCursor === null) return rows
    cursor = page.nextCursor
  }
  throw new Error('more pages than users')
}

describe('when a bulk change sets the indexes aside', () => {
  it('from a third of the directory and at least the minimum, never for a few users', () => {
    expect(setsIndexesAside(SET_ASIDE_MIN_USERS, SET_ASIDE_MIN_USERS * 3)).toBe(true)
    expect(setsIndexesAside(SET_ASIDE_MIN_USERS, SET_ASIDE_MIN_USERS * 3 + 1)).toBe(false)
    expect(setsIndexesAside(SET_ASIDE_MIN_USERS - 1, SET_ASIDE_MIN_USERS - 1)).toBe(false)
    expect(setsIndexesAside(100_000, 100_001)).toBe(true)
    expect(setsIndexesAside(100_000, 1_000_000)).toBe(false)
  })
})

describe('which indexes an enforcement change sets aside', () => {
  it('every index on users that holds or tests the enforcement or the class, and no other', () => {
    const names = bulkRepo.indexesAnOverrideRewrites(env.db).map((index) => index.name).sort()
    for (const name of ['users_by_class_name', 'users_by_class_role', 'users_by_class_email', 'users_by_domain', 'users_special_by_name', 'users_by_enforced_since', 'users_individual_deadline', 'users_admins_by_name']) {
      expect(names).toContain(name)
    }
    for (const name of ['users_by_name_key', 'users_walk_by_email', 'users_by_role', 'users_by_local_end', 'users_by_last_2fa_login']) expect(names).not.toContain(name)
  })
})

describe('which of them a change of many users sets aside', () => {
  it('not a partial index of few members whose WHERE no override changes; every other one, and that one too once its members are many', () => {
    const changing = 6_000
    const names = bulkRepo.indexesToSetAside(env.db, changing).map((index) => index.name)
    const all = bulkRepo.indexesAnOverrideRewrites(env.db).map((index) => index.name)
    const members = (where: string) => env.db.prepare(`SELECT count(*) FROM users WHERE ${where}`).pluck().get() as number
    expect(members("role = 'admin'")).toBeLessThan(changing / 8)
    for (const name of ['users_admins_by_name', 'users_locked_by_name', 'users_not_local_by_name']) expect(names).not.toContain(name)
    // Their WHERE names an override column: always set aside, whatever their size.
    for (const name of ['users_by_class_name', 'users_by_class_email', 'users_by_class_role', 'users_special_by_name', 'users_individual_deadline', 'users_by_enforced_since']) {
      expect(names).toContain(name)
    }
    expect(names.every((name) => all.includes(name))).toBe(true)
    // With fewer changing, the same few members are many: the administrators' index goes aside too.
    expect(bulkRepo.indexesToSetAside(env.db, members("role = 'admin'") * 8).map((index) => index.name)).toContain('users_admins_by_name')
    expect(bulkRepo.indexesToSetAside(env.db, members("role = 'admin'") * 8 + 8).map((index) => index.name)).not.toContain('users_admins_by_name')
  })
})

describe('a change of most of the directory', () => {
  it('leaves the schema exactly the migrations\', every index agreeing with its rows, and the lists and counters exact', async () => {
    const schemaBefore = schemaText()
    const inactiveBefore = await everyRow('inactive')
    const pendingBefore = await everyRow('pending')
    expect(inactiveBefore.length, 'the demo seed must give enough inactive users for the change to set its indexes aside').toBeGreaterThanOrEqual(Math.max(SET_ASIDE_MIN_USERS, USERS / 3))
    // A jump before the change builds the signposts that the change must then set going again.
    expect((await admin.ok('listUsers', { status: 'pending', sort: 'name', position: 10, limit: 2 })).users).toHaveLength(2)
    const keyLogBefore = env.db.prepare('SELECT coalesce(max(id), 0) FROM user_key_changes').pluck().get() as number
    const done = await admin.ok('applyBulkChange', { selection: { filter: { status: 'inactive' } }, action: 'enforce' })
    expect(done.willChange).toBe(inactiveBefore.length)
    expect(setsIndexesAside(done.willChange, bulkRepo.countAllUsers(env.db))).toBe(true)
    expectSchemaAndIndexesExact()
    expect(schemaText()).toBe(schemaBefore)
    // The listing reads the rebuilt indexes: every user pending before or inactive before, once each, in name order.
    const pending = await everyRow('pending')
    const oracle = env.db
      .prepare('SELECT id FROM users WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name_key, id')
      .pluck()
      .all(JSON.stringify([...pendingBefore, ...inactiveBefore].map((row) => row.id))) as number[]
    expect(oracle).toHaveLength(pendingBefore.length + inactiveBefore.length)
    expect(pending.map((row) => row.id)).toEqual(oracle)
    expect((await admin.ok('listUsers', { status: 'pending' })).total).toBe(oracle.length)
    // The key log holds one 'reset' for the change, not an entry per user, and a jump lands where the rows are.
    expect(env.db.prepare('SELECT kind FROM user_key_changes WHERE id > ?').pluck().all(keyLogBefore)).toEqual(['reset'])
    const at = Math.floor(oracle.length / 2)
    const jumped = await admin.ok('listUsers', { status: 'pending', sort: 'name', position: at, limit: 3 })
    expect(jumped.users.map((row) => row.id)).toEqual(oracle.slice(at, at + 3))
    expect((await admin.ok('listUsers', { status: 'inactive' })).total).toBe(0)
    const counters = env.db.prepare('SELECT tfa_class, users FROM class_counts WHERE users > 0 ORDER BY tfa_class').all()
    expect(counters).toEqual(env.db.prepare('SELECT tfa_class, count(*) AS users FROM users GROUP BY tfa_class ORDER BY tfa_class').all())
    // One audit entry per changed user, in the order of their emails (NOCASE), and the chain holds.
    const targets = env.db
      .prepare("SELECT target FROM audit_log WHERE action = 'enforcement.user-changed' ORDER BY id DESC LIMIT ?")
      .pluck()
      .all(done.willChange) as string[]
    expect(targets).toHaveLength(done.willChange)
    const lowered = targets.map((target) => target.toLowerCase()).reverse()
    expect(lowered).toEqual([...lowered].sort())
    expect((await env.cli('verifyWholeAuditLog')).broken).toBeNull()
    // And back: follow the policy, again set aside, again exact.
    const back = await admin.ok('applyBulkChange', { selection: { userIds: inactiveBefore.map((row) => row.id) }, action: 'inherit' })
    expect(back.willChange).toBe(inactiveBefore.length)
    expectSchemaAndIndexesExact()
    expect((await everyRow('inactive')).map((row) => row.id)).toEqual(inactiveBefore.map((row) => row.id))
  }, 120_000)

  it('a failure inside the change (a value the table refuses) leaves the schema and every row as they were', () => {
    const schemaBefore = schemaText()
    const rowsBefore = JSON.stringify(env.db.prepare('SELECT * FROM users ORDER BY id').all())
    const ids = env.db.prepare('SELECT id FROM users ORDER BY id').pluck().all() as number[]
    const change = { enforcement: 'nonsense' as Enforcement, by: 'test', now: 1, deadline: null, setIndexesAside: true }
    expect(() => env.db.transaction(() => bulkRepo.setEnforcementOverrides(env.db, ids, change))()).toThrow(/CHECK constraint/)
    expect(schemaText()).toBe(schemaBefore)
    expect(JSON.stringify(env.db.prepare('SELECT * FROM users ORDER BY id').all())).toBe(rowsBefore)
    expectSchemaAndIndexesExact()
  })
})

describe('pages asked while a change that set the indexes aside runs in the background', () => {
  // The change runs in a worker, on its own connection, and drops the indexes
  // its UPDATE rewrites until it builds them again. A screen's page read on the
  // calling thread meanwhile must be exactly the page before the change or
  // exactly the page after it: never a mix, never missing rows, never an error.
  const queries = [
    { status: 'inactive', sort: 'name', limit: 200 },
    { status: 'pending', sort: 'name', limit: 200 },
    { sort: 'status', direction: 'desc', limit: 300 },
    { sort: 'enforcedSince', direction: 'desc', limit: 100 },
    { enforcementSource: 'individual', sort: 'email', limit: 100 },
    { query: 'ma', sort: 'name', limit: 100 }
  ] as const
  type Seen = { ids: number[]; states: string[]; total: number | null }
  async function pageOf(query: (typeof queries)[number]): Promise<Seen> {
    const page = await admin.ok('listUsers', { ...query })
    return { ids: page.users.map((row) => row.id), states: page.users.map((row) => `${row.status}/${row.enforcement}/${row.enforcementSource}/${row.deadline ?? ''}`), total: page.total }
  }

  it('are each exactly the page before or the page after', async () => {
    const before = await Promise.all(queries.map(pageOf))
    const willChange = (await admin.ok('listUsers', { status: 'inactive', limit: 1 })).total!
    expect(setsIndexesAside(willChange, bulkRepo.countAllUsers(env.db)), 'the change must set its indexes aside').toBe(true)
    let finished = false
    const change = admin.ok('applyBulkChange', { selection: { filter: { status: 'inactive' } }, action: 'enforce' }).finally(() => (finished = true))
    const during: Seen[][] = []
    const started = Date.now()
    while (!finished && Date.now() - started < 60_000 && during.length < 5_000) {
      during.push(await Promise.all(queries.map(pageOf)))
      // As requests from a screen arrive: between tasks, so the worker's answer is heard.
      await new Promise((next) => setImmediate(next))
    }
    const done = await change
    expect(done.willChange).toBe(willChange)
    const after = await Promise.all(queries.map(pageOf))
    expect(during.length, 'no page was asked while the change ran').toBeGreaterThanOrEqual(3)
    queries.forEach((query, q) => {
      expect(after[q], `the change did not change ${JSON.stringify(query)}`).not.toEqual(before[q])
      for (const seen of during) {
        const page = seen[q]!
        const same = (other: Seen): boolean => JSON.stringify(other) === JSON.stringify(page)
        expect(same(before[q]!) || same(after[q]!), `a page of ${JSON.stringify(query)} during the change was neither the page before nor the page after`).toBe(true)
      }
    })
    expectSchemaAndIndexesExact()
  }, 120_000)
})
