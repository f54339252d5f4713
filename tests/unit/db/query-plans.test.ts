// EXPLAIN QUERY PLAN for every hot query: each reads its index (a seek, or an
// ordered walk that stops at the LIMIT), never the whole users table, and only
// the bounded set of a search's matches is ever sorted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { ManualClock } from '../../../src/main/core/clock'
import { staticKeyProvider } from '../../../src/main/core/crypto/keys'
import { databaseOf, openCore } from '../../../src/main/core/open-core'
import type { Database } from '../../../src/main/db/connection'
import { openDatabase } from '../../../src/main/db/connection'
import {
  CLASS_COUNTS_SQL,
  keyAfterStatement,
  type KeyRange,
  matchPageStatement,
  seekUsersStatement,
  type BoundStatement,
  type SeekQuery
} from '../../../src/main/db/listing-repo'
import { seededDatabase, TEST_DATA_KEY, type DemoDatabase } from '../helpers/demo-db'
import { START } from '../helpers/harness'

let demo: DemoDatabase
let db: Database

beforeAll(() => {
  demo = seededDatabase(3000, 3)
  db = demo.db
})
afterAll(() => {
  if (db.open) db.close()
  demo.dispose()
})

function plan(statement: BoundStatement): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(statement.params) as { detail: string }[]).map((row) => row.detail)
}

/** A full scan of users is "SCAN u" or "SCAN users" without an index. */
function expectNoTableScan(details: string[]): void {
  for (const detail of details) expect(detail).not.toMatch(/^SCAN (u|users)$/)
}

const AFTER = { text: 'Maria', id: 1500 }

describe('query plans of the Users table', () => {
  const seeks: [string, Omit<SeekQuery, 'limit' | 'direction'>, string][] = [
    ['name order', { order: 'name' }, 'users_by_name_key'],
    ['email order', { order: 'email' }, 'sqlite_autoindex_users_1'],
    ['one role by name', { order: 'name', role: 'user' }, 'users_by_role'],
    ['one class by name', { order: 'name', twoFactorClass: 'inherit' }, 'users_by_class_name'],
    ['one class by email', { order: 'email', twoFactorClass: 'always' }, 'users_by_class_email'],
    ['one class and role by name', { order: 'name', twoFactorClass: 'active', role: 'admin' }, 'users_by_class_role']
  ]
  for (const [label, query, index] of seeks) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`${label} (${direction}): the first page walks ${index} in order, the next pages seek into it`, () => {
        const first = plan(seekUsersStatement({ ...query, direction, limit: 51 }))
        expect(first[0]).toMatch(new RegExp(`^(SCAN|SEARCH) u USING INDEX ${index}\\b`))
        const next = plan(seekUsersStatement({ ...query, direction, limit: 51, after: AFTER }))
        expect(next[0]).toMatch(new RegExp(`^SEARCH u USING INDEX ${index} \\(.*(name_key|email)[<>]\\?\\)`))
        for (const details of [first, next]) {
          expectNoTableScan(details)
          // The index gives the order: nothing is sorted.
          expect(details.join('\n')).not.toMatch(/TEMP B-TREE/)
          // The credential of each row on the page: one primary-key lookup.
          expect(details.join('\n')).toMatch(/SEARCH c USING INTEGER PRIMARY KEY/)
        }
      })
    }
  }

  // The search's statements, shape by shape: tests/unit/db/search-plans.test.ts.

  it("a search's page sorts only the matches it was given", () => {
    for (const order of ['name', 'email', 'role', 'status'] as const) {
      const details = plan(matchPageStatement({ ids: [1, 2, 3], order, direction: 'asc', limit: 51, after: { group: order === 'role' ? 'user' : 1, text: 'm', id: 2 } }))
      expect(details.join('\n')).toMatch(/SCAN j VIRTUAL TABLE INDEX/)
      expect(details.filter((detail) => detail.startsWith('SEARCH u')).every((detail) => detail.includes('INTEGER PRIMARY KEY'))).toBe(true)
      expectNoTableScan(details)
    }
  })

  const ranges: [string, KeyRange, string][] = [
    ['all users by name', { order: 'name' }, 'users_by_name_key'],
    ['all users by email', { order: 'email' }, 'sqlite_autoindex_users_1'],
    ['one role by name', { order: 'name', role: 'admin' }, 'users_by_role'],
    ['one class by name', { order: 'name', twoFactorClasses: ['active'] }, 'users_by_class_name'],
    ['one class by email', { order: 'email', twoFactorClasses: ['exempt'] }, 'users_by_class_email'],
    ['one class and role by name', { order: 'name', role: 'user', twoFactorClasses: ['inherit'] }, 'users_by_class_role'],
    ['two classes by name', { order: 'name', twoFactorClasses: ['inherit', 'exempt'] }, 'users_by_class_name'],
    ['two classes by email', { order: 'email', twoFactorClasses: ['always', 'inherit'] }, 'users_by_class_email'],
    ['two classes and a role by name', { order: 'name', role: 'user', twoFactorClasses: ['always', 'inherit'] }, 'users_by_class_role']
  ]
  for (const [label, range, index] of ranges) {
    it(`a jump into ${label} seeks ${index} from a signpost and steps through it in order`, () => {
      const details = plan(keyAfterStatement(range, { text: 'Maria', id: 1500 }, 1023))
      const seeks = details.filter((detail) => detail.startsWith('SEARCH u'))
      expect(seeks.length).toBe(range.twoFactorClasses?.length === 2 ? 2 : 1)
      for (const seek of seeks) expect(seek).toMatch(new RegExp(`^SEARCH u USING (COVERING )?INDEX ${index} \\(.*(name_key|email)>\\?\\)`))
      // Two classes are merged as they come out of their index ranges, never sorted.
      if (seeks.length === 2) expect(details).toContain('MERGE (UNION ALL)')
      expectNoTableScan(details)
      expect(details.join('\n')).not.toMatch(/TEMP B-TREE/)
    })
  }

  it('the counts read the rows of the classes in use, not the users', () => {
    expect(plan({ sql: CLASS_COUNTS_SQL, params: {} })).toEqual(['SCAN class_counts'])
  })
})

describe('what opening the directory and `twofa-admin status` cost', () => {
  it('runs no statement that scans users, whatever the size', async () => {
    const statements: string[] = []
    db.close()
    const core = openCore({
      dbPath: demo.path,
      keyProvider: staticKeyProvider(TEST_DATA_KEY),
      clock: new ManualClock(START),
      traceStatements: (sql) => statements.push(sql)
    })
    const traced = databaseOf(core)
    const ok = async (method: 'getSecurityOverview' | 'getAppState' | 'listUsers', input: Record<string, unknown> = {}) =>
      expect((await core.dispatch(method, CLI_CALLER, input)).ok).toBe(true)
    await ok('getSecurityOverview')
    await ok('getAppState')
    // And the hot paths of the Users table, as the screens call them.
    await ok('listUsers', { sort: 'name', direction: 'asc', limit: 50 })
    await ok('listUsers', { sort: 'status', direction: 'desc', limit: 50, status: 'pending' })
    await ok('listUsers', { sort: 'role', direction: 'asc', limit: 50, query: 'mar' })
    expect(() => core.local.findUserIdByEmail('nobody@example.com')).toThrow(/No user/)
    const queries = statements.filter((sql) => /^\s*(SELECT|WITH)/i.test(sql))
    expect(queries.length).toBeGreaterThan(5)
    for (const sql of queries) {
      const details = (traced.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail)
      expect(details, sql).not.toContainEqual(expect.stringMatching(/^SCAN (u|users)$/))
      // count(*) would read a whole table or index: opening never counts users.
      expect(sql, sql).not.toMatch(/count\(\*\)[^;]*FROM users\b/i)
    }
    core.close()
    db = openDatabase(demo.path)
  })
})
