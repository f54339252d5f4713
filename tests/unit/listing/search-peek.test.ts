// A term whose first matches in id order say it is rare, where it is common in
// the order of the list: numbered emails, added last, of people whose names
// sort first. The probe judges from those few matches that sorting every match
// reads less than walking; a short walk of the order is tried first, and gives
// the page (peekWalk in listing/search-walk.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readEnforcementPolicy } from '../../../src/main/core/enforcement/policy'
import { listUserRecords } from '../../../src/main/core/listing/user-listing'
import { insertUser } from '../../../src/main/db/users-repo'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'

let demo: DemoDatabase
beforeAll(() => {
  demo = seededDatabase(6_000, 11)
  demo.db.transaction(() => {
    for (let i = 0; i < 40; i++) insertUser(demo.db, { name: `Aaab Numbered ${i}`, email: `aaab.n${i}x9731@example.org`, role: 'user', passwordHash: null, now: 0 })
  })()
})
afterAll(() => demo.dispose())

const tuning = { fewMatches: 5, walkRows: 50, maxWalkRows: 400 }
const page = (query: string, direction: 'asc' | 'desc', cursor?: string) =>
  listUserRecords(demo.db, { sort: 'name', direction, query, cursor, limit: 10, policy: readEnforcementPolicy(demo.db), now: 0, searchTuning: tuning })

/** Every match in name order, written apart from the engine: a scan. */
function oracle(query: string, direction: 'asc' | 'desc'): number[] {
  const rows = demo.db.prepare('SELECT id, name_key FROM users WHERE instr(lower(name), ?) > 0 OR instr(lower(email), ?) > 0').raw().all(query, query) as [number, string][]
  rows.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] - b[0]))
  const ids = rows.map((row) => row[0])
  return direction === 'asc' ? ids : ids.reverse()
}

describe('a term judged rare by its first matches in id order', () => {
  it('is read by a short walk of the order when the matches gather there, every page in order', () => {
    const want = oracle('9731', 'asc')
    expect(want.length).toBeGreaterThanOrEqual(40)
    const first = page('9731', 'asc')
    expect(first.searchPlan).toBe('walk')
    const ids: number[] = []
    let cursor: string | undefined
    for (let pages = 0; pages < 50; pages++) {
      const next = page('9731', 'asc', cursor)
      ids.push(...next.records.map((user) => user.id))
      cursor = next.nextCursor ?? undefined
      if (cursor === undefined) break
    }
    expect(ids).toEqual(want)
  })

  it('gives up after its stretch when the order holds none there, and every match is sorted', () => {
    // Descending, the numbered people are at the far end: the walk from the start meets none of them.
    const desc = page('9731', 'desc')
    expect(desc.searchPlan).not.toBe('walk')
    expect(desc.records.map((user) => user.id)).toEqual(oracle('9731', 'desc').slice(0, 10))
  })
})
