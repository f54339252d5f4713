// What a search within the administrators reads (at 10M the demo has 20,000
// of them: PERFORMANCE.md). An address reads its few candidates, not every
// administrator (108 ms for one full email); a prefix in name order reads the
// prefix's range of the administrators' role index, not of everyone's names
// (122 ms for "m"). The matches are the same either way; what changes is which
// index is read, so the repository's readers are spied on.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { readEnforcementPolicy } from '../../../src/main/core/enforcement/policy'
import { armSource } from '../../../src/main/core/listing/class-selection'
import { fewMatches, type SearchTuning } from '../../../src/main/core/listing/search-page'
import { listUserRecords } from '../../../src/main/core/listing/user-listing'
import { searchTerm } from '../../../src/main/core/listing/search-term'
import * as searchPageRepo from '../../../src/main/db/search-page-repo'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'

vi.mock('../../../src/main/db/search-page-repo', async (original) => {
  const actual = await original<typeof searchPageRepo>()
  return { ...actual, narrowMatches: vi.fn(actual.narrowMatches), orderedPrefixPage: vi.fn(actual.orderedPrefixPage) }
})

let demo: DemoDatabase
beforeAll(() => {
  demo = seededDatabase(3_000, 3)
  demo.db.prepare("UPDATE users SET role = 'admin' WHERE id % 5 = 0").run()
})
afterAll(() => demo.dispose())

const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())

function adminsMatching(query: string): number[] {
  const rows = demo.db.prepare("SELECT id, name, email FROM users WHERE role = 'admin'").all() as { id: number; name: string; email: string }[]
  const q = lower(query)
  return rows.filter((row) => lower(row.name).includes(q) || lower(row.email).includes(q)).map((row) => row.id)
}

function inAdmins(query: string): number[] | null {
  const source = armSource(demo.db, readEnforcementPolicy(demo.db), { role: 'admin', now: Date.now() })
  return fewMatches(demo.db, searchTerm(query)!, source.filter)
}

describe('an address within the administrators', () => {
  it('is read from the address, not from every administrator, and gives exactly the administrators it matches', () => {
    const admin = demo.db.prepare("SELECT email FROM users WHERE role = 'admin' ORDER BY id LIMIT 1 OFFSET 7").pluck().get() as string
    const user = demo.db.prepare("SELECT email FROM users WHERE role = 'user' ORDER BY id LIMIT 1 OFFSET 7").pluck().get() as string
    for (const query of [admin, admin.toUpperCase(), user, admin.slice(0, admin.indexOf('@') + 3)]) {
      vi.mocked(searchPageRepo.narrowMatches).mockClear()
      const found = inAdmins(query)
      expect(found?.sort((a, b) => a - b), query).toEqual(adminsMatching(query).sort((a, b) => a - b))
      expect(searchPageRepo.narrowMatches, query).not.toHaveBeenCalled()
    }
    expect(adminsMatching(admin).length).toBeGreaterThan(0)
    expect(adminsMatching(user)).toEqual([])
  })

  it('a term that is not an address still reads the administrators’ own index', () => {
    vi.mocked(searchPageRepo.narrowMatches).mockClear()
    expect(inAdmins('mar')?.sort((a, b) => a - b)).toEqual(adminsMatching('mar').sort((a, b) => a - b))
    expect(searchPageRepo.narrowMatches).toHaveBeenCalled()
  })
})

describe('an address within a status, or a status and the administrators', () => {
  it('is exactly the users of the filter that it matches', () => {
    const policy = readEnforcementPolicy(demo.db)
    const listed = (question: { status: 'pending' | 'inactive' | 'active'; role?: 'admin' }): { id: number; email: string; name: string }[] => {
      const records: { id: number; email: string; name: string }[] = []
      let cursor: string | undefined
      do {
        const page = listUserRecords(demo.db, { sort: 'name', direction: 'asc', ...question, cursor, limit: 500, policy, now: Date.now() })
        records.push(...page.records)
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined)
      return records
    }
    const emails = demo.db.prepare('SELECT email FROM users ORDER BY id LIMIT 40').pluck().all() as string[]
    let found = 0
    for (const status of ['pending', 'inactive', 'active'] as const) {
      for (const role of [undefined, 'admin' as const]) {
        const question = role === undefined ? { status } : { status, role }
        const inFilter = listed(question)
        const source = armSource(demo.db, policy, { ...question, now: Date.now() })
        for (const email of emails) {
          const query = email.slice(0, email.indexOf('@') + 4).toUpperCase()
          const q = lower(query)
          const expected = inFilter.filter((user) => lower(user.name).includes(q) || lower(user.email).includes(q)).map((user) => user.id)
          found += expected.length
          expect(fewMatches(demo.db, searchTerm(query)!, source.filter)?.sort((a, b) => a - b), `${status} ${role} ${query}`).toEqual(expected.sort((a, b) => a - b))
        }
      }
    }
    expect(found).toBeGreaterThan(40)
  })
})

describe('a prefix within the administrators, in name order', () => {
  it('reads the range of their role index, page after page, and gives exactly the administrators whose name or email starts with it', () => {
    const tuning: SearchTuning = { fewMatches: 5, walkRows: 50, maxWalkRows: 400 }
    for (const direction of ['asc', 'desc'] as const) {
      vi.mocked(searchPageRepo.orderedPrefixPage).mockClear()
      const ids: number[] = []
      let cursor: string | undefined
      for (let pages = 0; pages < 200; pages++) {
        const page = listUserRecords(demo.db, { sort: 'name', direction, role: 'admin', query: 'm', cursor, limit: 7, policy: readEnforcementPolicy(demo.db), now: Date.now(), searchTuning: tuning })
        ids.push(...page.records.map((user) => user.id))
        if (page.nextCursor === null) break
        cursor = page.nextCursor
      }
      const expected = (demo.db.prepare("SELECT id, name, email FROM users WHERE role = 'admin'").all() as { id: number; name: string; email: string }[])
        .filter((row) => lower(row.name).startsWith('m') || lower(row.email).startsWith('m'))
        .map((row) => row.id)
      expect(expected.length).toBeGreaterThan(tuning.fewMatches)
      expect([...ids].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b))
      const calls = vi.mocked(searchPageRepo.orderedPrefixPage).mock.calls
      expect(calls.length).toBeGreaterThan(1)
      for (const [, query] of calls) expect(query.group).toEqual({ role: 'admin' })
    }
  })
})

describe('a prefix within a status, in name or email order', () => {
  const tuning: SearchTuning = { fewMatches: 5, walkRows: 50, maxWalkRows: 400 }
  const pages = (request: { sort: 'name' | 'email'; direction: 'asc' | 'desc'; status: 'pending' | 'inactive' | 'active'; query?: string }): number[] => {
    const ids: number[] = []
    let cursor: string | undefined
    for (let page = 0; page < 2_000; page++) {
      const found = listUserRecords(demo.db, { ...request, cursor, limit: 7, policy: readEnforcementPolicy(demo.db), now: Date.now(), searchTuning: tuning })
      ids.push(...found.records.map((user) => user.id))
      if (found.nextCursor === null) return ids
      cursor = found.nextCursor
    }
    throw new Error('more pages than users')
  }

  it("reads the prefix's range in each class's own index and merges them: exactly the list's users that start with it, in the list's order", () => {
    const byId = new Map((demo.db.prepare('SELECT id, name, email FROM users').all() as { id: number; name: string; email: string }[]).map((row) => [row.id, row]))
    let classesSeen = 0
    for (const status of ['pending', 'inactive', 'active'] as const) {
      const classes = armSource(demo.db, readEnforcementPolicy(demo.db), { status, now: Date.now() }).filter.classes
      for (const sort of ['name', 'email'] as const) {
        for (const direction of ['asc', 'desc'] as const) {
          vi.mocked(searchPageRepo.orderedPrefixPage).mockClear()
          const got = pages({ sort, direction, status, query: 'm' })
          const want = pages({ sort, direction, status }).filter((id) => lower(byId.get(id)!.name).startsWith('m') || lower(byId.get(id)!.email).startsWith('m'))
          expect(want.length, `${status} ${sort}`).toBeGreaterThan(tuning.fewMatches)
          expect(got, `${status} ${sort} ${direction}`).toEqual(want)
          const calls = vi.mocked(searchPageRepo.orderedPrefixPage).mock.calls
          expect(calls.length).toBeGreaterThan(1)
          const asked = new Set(calls.map(([, query]) => (query.group !== undefined && 'twoFactorClass' in query.group ? query.group.twoFactorClass : 'none')))
          expect([...asked].sort(), `${status} ${sort}`).toEqual([...(classes ?? [])].sort())
          classesSeen = Math.max(classesSeen, asked.size)
        }
      }
    }
    // The demo's groups make some status more than one class: the merge of several is tested too.
    expect(classesSeen).toBeGreaterThan(1)
  })
})
