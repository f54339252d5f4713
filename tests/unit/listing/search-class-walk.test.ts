// A common one-word term within a status, in name order, is read by walking
// each class's own name index with leaps to the next user of the term's words
// (core/listing/search-class-walk.ts). What must hold: every page by cursor is
// exactly the matches in the list's order, each once, in both directions and
// every status; the walk leaps over names that hold no match (however many);
// it gives up within its bound and the page is then read another way, with the
// same rows; and its total is exact only when it read every match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SortDirection, TwoFactorFilter } from '../../../src/shared/domain'
import { readEnforcementPolicy } from '../../../src/main/core/enforcement/policy'
import { classWalkPays, MAX_CLASS_WALK, MAX_STRETCH } from '../../../src/main/core/listing/search-class-walk'
import type { SearchPlan, SearchTuning } from '../../../src/main/core/listing/search-page'
import { listUserRecords, type ListResult } from '../../../src/main/core/listing/user-listing'
import type { UserRecord } from '../../../src/main/db/users-repo'
import * as usersRepo from '../../../src/main/db/users-repo'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'

let demo: DemoDatabase
/** Pending users (enforced individually) named before every other, none of whom holds the rare word below. */
const LEADING = 3 * MAX_STRETCH + 500
const RARE = 'quuxley'

beforeAll(() => {
  demo = seededDatabase(6_000, 7)
  const now = Date.now()
  demo.db.transaction(() => {
    for (let i = 0; i < LEADING; i++) {
      const id = usersRepo.insertUser(demo.db, { name: `Aab Leading ${i}`, email: `aab.leading${i}@example.org`, role: 'user', passwordHash: null, now })
      demo.db.prepare("UPDATE users SET enforcement = 'enforced', enforcement_deadline = 0 WHERE id = ?").run(id)
    }
    // The rare word's users: enough of everyone for the walk to pay, a few of them pending, all named after the leading ones.
    for (let i = 0; i < 120; i++) {
      const id = usersRepo.insertUser(demo.db, { name: `Zed ${RARE[0]!.toUpperCase()}${RARE.slice(1)} ${i}`, email: `zed.${RARE}${i}@example.org`, role: 'user', passwordHash: null, now })
      if (i % 10 === 0) demo.db.prepare("UPDATE users SET enforcement = 'enforced', enforcement_deadline = 0 WHERE id = ?").run(id)
    }
    // A group of every third user: each status then holds two classes (with and without the group), walked each and merged.
    const group = Number(demo.db.prepare("INSERT INTO groups (name, created_at) VALUES ('Wave', 0)").run().lastInsertRowid)
    demo.db.prepare('INSERT INTO group_members (group_id, user_id) SELECT ?, id FROM users WHERE id % 3 = 0').run(group)
  })()
  const classes = demo.db.prepare("SELECT count(*) FROM class_counts WHERE tfa_class LIKE 'always%' AND users > 0").pluck().get() as number
  if (classes < 2) throw new Error('the group must split the pending users into two classes')
})
afterAll(() => demo.dispose())

const lowerAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())
const means = (query: string, user: UserRecord) => lowerAscii(user.name).includes(lowerAscii(query)) || lowerAscii(user.email).includes(lowerAscii(query))

function page(status: TwoFactorFilter, direction: SortDirection, query: string, limit: number, cursor?: string, tuning?: Partial<SearchTuning>): ListResult {
  const searchTuning = tuning === undefined ? undefined : { fewMatches: 1_000, walkRows: 4_000, maxWalkRows: 64_000, ...tuning }
  return listUserRecords(demo.db, { sort: 'name', direction, status, query, cursor, limit, policy: readEnforcementPolicy(demo.db), now: Date.now(), ...(searchTuning === undefined ? {} : { searchTuning }) })
}

function everyPage(status: TwoFactorFilter, direction: SortDirection, query: string, limit: number, tuning?: Partial<SearchTuning>): { ids: number[]; plans: SearchPlan[] } {
  const ids: number[] = []
  const plans: SearchPlan[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < 5_000; pages++) {
    const got = page(status, direction, query, limit, cursor, tuning)
    ids.push(...got.records.map((user) => user.id))
    if (got.searchPlan !== undefined) plans.push(got.searchPlan)
    if (got.nextCursor === null) return { ids, plans }
    cursor = got.nextCursor
  }
  throw new Error('more pages than users')
}

function oracle(status: TwoFactorFilter, direction: SortDirection, query: string): number[] {
  const records: UserRecord[] = []
  let cursor: string | undefined
  do {
    const got = listUserRecords(demo.db, { sort: 'name', direction, status, cursor, limit: 1_000, policy: readEnforcementPolicy(demo.db), now: Date.now() })
    records.push(...got.records)
    cursor = got.nextCursor ?? undefined
  } while (cursor !== undefined)
  return records.filter((user) => means(query, user)).map((user) => user.id)
}

describe('a common word within a status, by walking the classes with leaps', () => {
  it('gives exactly the matches, each once, in order, on every page, in every status and both directions', () => {
    const plans = new Set<SearchPlan>()
    for (const status of ['pending', 'inactive', 'active'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const query of ['ana', 'MAR', 'sen', 'maria', 'petrov', 'ada', RARE]) {
          for (const limit of [7, 50]) {
            const got = everyPage(status, direction, query, limit)
            expect(got.ids, `${query} ${status} ${direction} ${limit}`).toEqual(oracle(status, direction, query))
            for (const plan of got.plans) plans.add(plan)
          }
        }
      }
    }
    expect(plans).toContain('class-walk')
  })

  it(`leaps over names that hold no match: ${LEADING.toLocaleString('en-US')} pending users before the first, more than its first stretches read`, () => {
    const want = oracle('pending', 'asc', RARE)
    expect(want.length).toBeGreaterThan(5)
    const first = page('pending', 'asc', RARE, 5)
    // The walk alone made the page: it did not hand over to the words page.
    expect(first.searchPlan).toBe('class-walk')
    expect(first.records.map((user) => user.id)).toEqual(want.slice(0, 5))
  })

  it('hands over to the words page where it stopped: every page the same, each match once, in every status and both directions', () => {
    // A walk bounded to a few entries stops after its first stretch, every time: the words page goes on from there.
    for (const status of ['pending', 'inactive', 'active'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const query of ['ana', 'MAR', 'maria', RARE]) {
          for (const classWalkRows of [0, 1, 3, 40]) {
            const got = everyPage(status, direction, query, 7, { classWalkRows })
            expect(got.ids, `${query} ${status} ${direction} ${classWalkRows}`).toEqual(oracle(status, direction, query))
            if (classWalkRows < 7 && classWalkRows > 0) expect(got.plans, `${query} ${status} ${direction} ${classWalkRows}`).toContain('class-walk-words')
          }
        }
      }
    }
  })

  it('says the total exactly only when it read every match, from the first', () => {
    const want = oracle('pending', 'asc', RARE)
    const whole = page('pending', 'asc', RARE, want.length + 10)
    expect(whole.searchPlan).toBe('class-walk')
    expect(whole.records.map((user) => user.id)).toEqual(want)
    expect([whole.countPending, whole.total]).toEqual([false, want.length])
    // Two classes (with and without the group), each with fewer than a page, together more: all of them counted.
    const perClass = demo.db
      .prepare("SELECT count(*) FROM users WHERE tfa_class LIKE 'always%' AND (lower(name) LIKE ? OR lower(email) LIKE ?) GROUP BY tfa_class")
      .pluck()
      .all(`%${RARE}%`, `%${RARE}%`) as number[]
    expect(perClass.length).toBe(2)
    const limit = Math.max(...perClass)
    expect(limit).toBeLessThan(want.length - 1)
    const split = page('pending', 'asc', RARE, limit)
    expect(split.searchPlan).toBe('class-walk')
    expect(split.records.map((user) => user.id)).toEqual(want.slice(0, limit))
    expect([split.countPending, split.total]).toEqual([false, want.length])
    const head = page('pending', 'asc', RARE, 3)
    expect(head.countPending).toBe(true)
    const tail = page('pending', 'asc', RARE, 20, head.nextCursor!)
    expect(tail.searchPlan).toBe('class-walk')
    expect(tail.records.map((user) => user.id)).toEqual(want.slice(3))
    // After a cursor it saw the end, not every match: its rows are not the total.
    expect(tail.countPending === false && tail.total === want.length - 3).toBe(false)
  })

  it('is taken when a page lies within its bound by the words\u2019 share of everyone, for each class walked', () => {
    expect(classWalkPays(0.2, 51, 1)).toBe(true)
    expect(classWalkPays(51 / MAX_CLASS_WALK, 51, 1)).toBe(true)
    expect(classWalkPays(50 / MAX_CLASS_WALK, 51, 1)).toBe(false)
    expect(classWalkPays(51 / MAX_CLASS_WALK, 51, 2)).toBe(false)
    expect(classWalkPays(0.001, 51, 1)).toBe(false)
    expect(classWalkPays(0, 51, 1)).toBe(false)
  })
})
