// Keyset pages over 100,000 generated users: every user exactly once, in the
// order SQLite itself sorts them by (the name key, migration 12), for each sort order and each status filter.
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SortDirection, TwoFactorStatus, UserSortKey } from '../../../src/shared/domain'
import { TWO_FACTOR_STATUSES } from '../../../src/shared/domain'
import { plainPolicy, twoFactorStatus } from '../../../src/main/core/enforcement/rules'
import { seededRandom } from '../../../src/main/core/demo/demo-directory'
import { compareNoCase, listUserRecords } from '../../../src/main/core/listing/user-listing'
import { writePolicy } from '../../../src/main/db/policy-repo'
import { insertUser, type UserRecord } from '../../../src/main/db/users-repo'
import type { Database } from '../../../src/main/db/connection'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'

const USERS = 100_000
const PAGE = 500

let demo: DemoDatabase
let db: Database

// Names that make the collation work: case variants, accents, characters above U+FFFF.
const AWKWARD_NAMES = ['maria garcía', 'MARIA GARCIA', 'Maria Garcia', 'émile', 'Émile', '_under', '😀 Smile', '\uFFFD replacement', 'ﬀ ligature', 'Zz top', 'zZ bottom']

beforeAll(() => {
  demo = seededDatabase(USERS, 42)
  db = demo.db
  db.transaction(() => {
    AWKWARD_NAMES.forEach((name, i) => insertUser(db, { name, email: `awkward${i}@example.com`, role: i % 4 === 0 ? 'admin' : 'user', passwordHash: null, now: 0 }))
  })()
}, 60_000)
afterAll(() => demo.dispose())

interface Fact {
  id: number
  role: 'admin' | 'user'
  enforcement: 'inherit' | 'enforced' | 'exempt'
  credential: number
}

const factsByOrder = new Map<UserSortKey, Fact[]>()

/** The expected order, sorted by SQLite from the base facts (not from tfa_class or the listing code). */
function expected(sort: UserSortKey, direction: SortDirection, enforcedForAll: boolean, status?: TwoFactorStatus): number[] {
  const orderBy: Partial<Record<UserSortKey, string>> = {
    name: 'u.name_key, u.id',
    email: 'u.email, u.id',
    role: 'u.role, u.name_key, u.id',
    status: 'u.name_key, u.id'
  }
  // The facts do not change between cases (only the policy does): sorted once per order.
  let facts = factsByOrder.get(sort)
  if (!facts) {
    facts = db
      .prepare(
        `SELECT u.id, u.role, u.enforcement, c.user_id IS NOT NULL AS credential
         FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id ORDER BY ${orderBy[sort]}`
      )
      .all() as Fact[]
    factsByOrder.set(sort, facts)
  }
  let rows = facts.map((fact) => ({ id: fact.id, status: twoFactorStatus(fact, fact.credential === 1, plainPolicy(enforcedForAll)) }))
  // Stable: within a status the name order above stays.
  if (sort === 'status') rows = [...rows].sort((a, b) => TWO_FACTOR_STATUSES.indexOf(a.status) - TWO_FACTOR_STATUSES.indexOf(b.status))
  if (status !== undefined) rows = rows.filter((row) => row.status === status)
  const ids = rows.map((row) => row.id)
  return direction === 'asc' ? ids : ids.reverse()
}

function pageThrough(sort: UserSortKey, direction: SortDirection, enforcedForAll: boolean, status?: TwoFactorStatus): { ids: number[]; totals: Set<number> } {
  const ids: number[] = []
  const totals = new Set<number>()
  let cursor: string | undefined
  do {
    const page = listUserRecords(db, { sort, direction, limit: PAGE, policy: plainPolicy(enforcedForAll), now: 0, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) })
    expect(page.records.length).toBeLessThanOrEqual(PAGE)
    ids.push(...page.records.map((user) => user.id))
    totals.add(page.total)
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return { ids, totals }
}

/** Every record of the list, page after page. */
function recordsOf(sort: UserSortKey, direction: SortDirection, enforcedForAll: boolean, status?: TwoFactorStatus): UserRecord[] {
  const records: UserRecord[] = []
  let cursor: string | undefined
  do {
    const page = listUserRecords(db, { sort, direction, limit: 5000, policy: plainPolicy(enforcedForAll), now: 0, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) })
    records.push(...page.records)
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return records
}

const SORTS: UserSortKey[] = ['name', 'email', 'role', 'status']
type Case = [UserSortKey, SortDirection, boolean, TwoFactorStatus | undefined]
const CASES: Case[] = [
  ...SORTS.flatMap((sort): Case[] => [
    [sort, 'asc', false, undefined],
    [sort, 'desc', false, undefined],
    [sort, 'asc', false, 'active'],
    [sort, 'asc', false, 'pending'],
    [sort, 'asc', false, 'inactive'],
    // Under the global policy, inheriting users move from inactive to pending.
    [sort, 'asc', true, 'pending'],
    [sort, 'desc', true, 'inactive']
  ]),
  ['status', 'asc', true, undefined],
  ['role', 'desc', false, 'pending']
]

describe(`keyset pages over ${USERS.toLocaleString('en')} users`, () => {
  for (const [sort, direction, enforcedForAll, status] of CASES) {
    it(`sort ${sort} ${direction}, policy ${enforcedForAll ? 'on' : 'off'}, ${status ?? 'all statuses'}: every user exactly once, in order`, () => {
      writePolicy(db, enforcedForAll, 'test', 0)
      const want = expected(sort, direction, enforcedForAll, status)
      const { ids, totals } = pageThrough(sort, direction, enforcedForAll, status)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids.length).toBe(want.length)
      expect(ids).toEqual(want)
      // The total is exact, from the class counts, on every page.
      expect([...totals]).toEqual([want.length])
    })
  }

  it('the policy moves exactly the users who follow it without 2FA from inactive to pending, and nobody else', () => {
    // Stated from the records the engine returns, not from the rules module: a wrong rule the
    // expected() above shares with the engine is caught here.
    const pages = (enforcedForAll: boolean) =>
      Object.fromEntries(TWO_FACTOR_STATUSES.map((status) => [status, recordsOf('name', 'asc', enforcedForAll, status)])) as Record<TwoFactorStatus, UserRecord[]>
    const off = pages(false)
    const on = pages(true)
    const ids = (records: UserRecord[]) => records.map((user) => user.id)

    expect(ids(on.active)).toEqual(ids(off.active))
    expect(on.active.every((user) => user.activeSince !== null)).toBe(true)
    const stillInactive = new Set(ids(on.inactive))
    const moved = off.inactive.filter((user) => !stillInactive.has(user.id))
    expect(moved.length).toBeGreaterThan(0)
    expect(moved.every((user) => user.role === 'user' && user.enforcement === 'inherit' && user.activeSince === null)).toBe(true)
    // Who stays inactive under the policy has opted out; nobody comes back from pending.
    expect(on.inactive.every((user) => user.role === 'user' && user.enforcement === 'exempt')).toBe(true)
    const inactiveWithoutPolicy = new Set(ids(off.inactive))
    expect(ids(on.inactive).every((id) => inactiveWithoutPolicy.has(id))).toBe(true)
    expect(new Set(ids(on.pending))).toEqual(new Set([...ids(off.pending), ...ids(moved)]))
    expect(on.pending).toHaveLength(off.pending.length + moved.length)
  })
})

describe('merging index ranges in TypeScript', () => {
  it('orders exactly as SQLite orders COLLATE NOCASE', () => {
    const random = seededRandom(11)
    // ASCII around the letters, Latin accents, U+E000..U+FFFF (which UTF-16 puts after surrogates) and astral characters.
    const pool = ['a', 'A', 'z', 'Z', '_', '[', '`', '{', ' ', '0', 'é', 'É', 'ß', 'ﬀ', '\uE000', '\uFFFD', '😀', '𝔸', 'ŀ']
    const strings = Array.from({ length: 3000 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 4) }, () => pool[Math.floor(random() * pool.length)]).join('')
    )
    const memory = new BetterSqlite3(':memory:')
    memory.exec('CREATE TABLE t (s TEXT)')
    const insert = memory.prepare('INSERT INTO t (s) VALUES (?)')
    memory.transaction(() => strings.forEach((text) => insert.run(text)))()
    const bySqlite = memory.prepare('SELECT s FROM t ORDER BY s COLLATE NOCASE, rowid').pluck().all() as string[]
    memory.close()
    const byUs = strings.map((text, index) => ({ text, index })).sort((a, b) => compareNoCase(a.text, b.text) || a.index - b.index)
    expect(byUs.map((entry) => entry.text)).toEqual(bySqlite)
  })
})
