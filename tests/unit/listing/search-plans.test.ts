// Every way search-page.ts reads a search's page (few matches sorted whole, a
// prefix's ordered ranges, a walk of the order's index, one walk per class, the
// split at names that start with the term, every match sorted) returns
// exactly the matches, each once, in the list's order. Small bounds
// (searchTuning) make each way happen on a small directory; the oracle is the
// same list without a search, filtered in JavaScript by what a term means.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SortDirection, TwoFactorFilter, UserSortKey } from '../../../src/shared/domain'
import { readEnforcementPolicy } from '../../../src/main/core/enforcement/policy'
import { matchesAreThin, WALK_CEILING, walkBound, type SearchPlan, type SearchTuning } from '../../../src/main/core/listing/search-page'
import { listUserRecords, type ListRequest } from '../../../src/main/core/listing/user-listing'
import type { UserRecord } from '../../../src/main/db/users-repo'
import * as usersRepo from '../../../src/main/db/users-repo'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'

const SMALL: SearchTuning = { fewMatches: 20, walkRows: 50, maxWalkRows: 400 }
/** The same, never a words page: the tests of the walks and the split read the same terms their way. */
const NO_WORDS: SearchTuning = { ...SMALL, words: false }
let demo: DemoDatabase

beforeAll(() => {
  demo = seededDatabase(6_000, 5)
  // Names the generator never makes: an @ in a name, accents, LIKE's wildcards, a name and email that start differently, two words with the term.
  const now = Date.now()
  for (const [name, email] of [
    ['Zed M@ria Quinn', 'zed.quinn@example.org'],
    ['Łukasz Maria Nowak', 'lukasz.nowak@example.org'],
    ['Bob Smith', 'MARIA.UP@Example.ORG'],
    ['Ana 100% Maria_x', 'ana.x@maria.example.net'],
    ['Yılmaz Young', 'y.young@eu.example.com'],
    // Two words that hold "maria" in one user (two ranges of the words index, the user once).
    ['Maria Mariani', 'mariani.maria@example.org']
  ]) {
    usersRepo.insertUser(demo.db, { name: name!, email: email!, role: 'user', passwordHash: null, now })
  }
  // Administrators enough that a search among them is more than a few: their pages walk the role's own index.
  demo.db.prepare("UPDATE users SET role = 'admin' WHERE id % 13 = 0").run()
})
afterAll(() => demo.dispose())

const lowerAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** What a term means, written independently of the engine. */
function means(query: string, user: UserRecord): boolean {
  const q = lowerAscii(query.trim())
  const name = lowerAscii(user.name)
  const email = lowerAscii(user.email)
  return [...q].length >= 3 ? name.includes(q) || email.includes(q) : name.startsWith(q) || email.startsWith(q)
}

/** Every page of a list by cursor: the records, and the ways the pages were read. */
function everyPage(request: Omit<ListRequest, 'limit' | 'policy' | 'now'>, limit: number, tuning: SearchTuning = SMALL): { ids: number[]; plans: Set<SearchPlan> } {
  const ids: number[] = []
  const plans = new Set<SearchPlan>()
  let cursor: string | undefined
  for (let pages = 0; pages < 10_000; pages++) {
    const page = listUserRecords(demo.db, { ...request, cursor, limit, policy: readEnforcementPolicy(demo.db), now: Date.now(), searchTuning: tuning })
    ids.push(...page.records.map((user) => user.id))
    if (page.searchPlan !== undefined) plans.add(page.searchPlan)
    if (page.nextCursor === null) return { ids, plans }
    cursor = page.nextCursor
  }
  throw new Error('more pages than users')
}

/** The list's users in name order, every page, without a search. */
function unsearchedIn(database: DemoDatabase, status: TwoFactorFilter): UserRecord[] {
  const records: UserRecord[] = []
  let cursor: string | undefined
  do {
    const page = listUserRecords(database.db, { sort: 'name', direction: 'asc', status, cursor, limit: 500, policy: readEnforcementPolicy(database.db), now: Date.now() })
    records.push(...page.records)
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return records
}

function unsearched(sort: UserSortKey, direction: SortDirection, status: TwoFactorFilter | undefined, role?: 'admin' | 'user'): UserRecord[] {
  const records: UserRecord[] = []
  let cursor: string | undefined
  do {
    const page = listUserRecords(demo.db, { sort, direction, status, role, cursor, limit: 500, policy: readEnforcementPolicy(demo.db), now: Date.now() })
    records.push(...page.records)
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return records
}

// With separators in name order (a page of the term's pieces): 'elena.p', 'a.m', 'ria s', 'petrov1', 'ria q'; with an @ (the
// ends of the local parts instead): '.young@'. One word that no domain holds, many matches (in status order too, a status's
// users from the words index): 'ana', 'SEN'.
const QUERIES = ['maria', 'MAR', 'm', 'Ma', 'example.org', '@example.org', 'EXAMPLE', 'm@ria', 'a@e', 'maria.up@example.org', 'zzq', 'Łu', 'lu', '100%', 'r_x', 'ez', '.org', 'young', 'yıl', 'Elena.P', 'a.m', 'ria s', 'petrov1', 'ria q', '.young@', 'ana', 'SEN']

describe('every way a search page is read gives exactly the matches, each once, in order', () => {
  const seen = new Set<SearchPlan>()
  for (const sort of ['name', 'email', 'status', 'role'] as const) {
    for (const direction of ['asc', 'desc'] as const) {
      for (const status of [undefined, 'pending', 'inactive'] as const) {
        it(`sorted by ${sort} ${direction}${status === undefined ? '' : `, status ${status}`}`, () => {
          const list = unsearched(sort, direction, status)
          for (const query of QUERIES) {
            const want = list.filter((user) => means(query, user)).map((user) => user.id)
            const got = everyPage({ sort, direction, status, query }, 17)
            expect(got.ids, query).toEqual(want)
            for (const plan of got.plans) seen.add(plan)
            // In name or email order, the walks and the split read the one-word terms too, without the words.
            if ((sort === 'name' || sort === 'email') && status === undefined) expect(everyPage({ sort, direction, status, query }, 17, NO_WORDS).ids, `${query} (no words)`).toEqual(want)
          }
        })
      }
    }
  }
  for (const sort of ['name', 'status'] as const) {
    it(`within a narrow filter (administrators), sorted by ${sort}: from that filter's own index`, () => {
      const list = unsearched(sort, 'asc', undefined, 'admin')
      for (const query of QUERIES) {
        const want = list.filter((user) => means(query, user)).map((user) => user.id)
        const got = everyPage({ sort, direction: 'asc', role: 'admin', query }, 7)
        expect(got.ids, query).toEqual(want)
        for (const plan of got.plans) seen.add(plan)
      }
    })
  }

  it("within the administrators by name, their own index's first rows before any probe: the same matches, and a total only when every match was seen", () => {
    // 40 of the 460 administrators: a spread term fills a page of 7 in them or in the rows after (walking on);
    // a rare one does not: then the administrators are tested for the term's words, leaping to their users (plan 'pieces').
    const tuning = { ...SMALL, adminRows: 40 }
    const ways = new Set<SearchPlan>()
    for (const direction of ['asc', 'desc'] as const) {
      const list = unsearched('name', direction, undefined, 'admin')
      for (const query of QUERIES) {
        const want = list.filter((user) => means(query, user)).map((user) => user.id)
        const got = everyPage({ sort: 'name', direction, role: 'admin', query }, 7, tuning)
        expect(got.ids, `${query} ${direction}`).toEqual(want)
        for (const plan of got.plans) ways.add(plan)
      }
    }
    expect([...ways]).toEqual(expect.arrayContaining(['walk', 'pieces', 'ordered-prefix']))
    const list = unsearched('name', 'asc', undefined, 'admin')
    const first = (query: string, limit: number) =>
      listUserRecords(demo.db, { sort: 'name', direction: 'asc', role: 'admin', query, limit, policy: readEnforcementPolicy(demo.db), now: Date.now(), searchTuning: { ...SMALL, fewMatches: 1, adminRows: 1000 } })
    // A page larger than the matches, and every administrator read (1,000 rows hold all 460): the total is exact without a probe.
    const all = list.filter((user) => means('mar', user)).length
    expect(all).toBeGreaterThan(7)
    const page = first('mar', 200)
    expect(page.records.map((user) => user.id)).toEqual(list.filter((user) => means('mar', user)).map((user) => user.id))
    expect([page.countPending, page.total]).toEqual([false, all])
    expect(first('mar', 7).countPending).toBe(true)
    // The last page after a cursor saw the end, not every match: its rows are not the total.
    const head = first('mar', 50)
    const tail = listUserRecords(demo.db, { sort: 'name', direction: 'asc', role: 'admin', query: 'mar', limit: 200, cursor: head.nextCursor!, policy: readEnforcementPolicy(demo.db), now: Date.now(), searchTuning: { ...SMALL, fewMatches: 1, adminRows: 1000 } })
    expect(tail.records).toHaveLength(all - 50)
    expect(tail.countPending === false && tail.total !== all).toBe(false)
    const spread = listUserRecords(demo.db, { sort: 'name', direction: 'asc', role: 'admin', query: 'mar', limit: 7, policy: readEnforcementPolicy(demo.db), now: Date.now(), searchTuning: { ...SMALL, fewMatches: 1, adminRows: 40 } })
    expect(spread.searchPlan).toBe('walk')
    expect(spread.countPending).toBe(true)
  })

  it('took every way at least once', () => {
    expect([...seen].sort()).toEqual(['class-walk', 'class-walk-words', 'few', 'ordered-prefix', 'pieces', 'sorted', 'starting', 'walk', 'words'])
  })
})

describe('positions in a search of many matches', () => {
  it('a one-word term in email order is a words page of user_words_by_email (within a status, the walks of its classes): every match in email order, each once', () => {
    for (const direction of ['asc', 'desc'] as const) {
      for (const status of [undefined, 'pending'] as const) {
        for (const query of ['ana', 'SEN', 'young']) {
          const want = unsearched('email', direction, status).filter((user) => means(query, user)).map((user) => user.id)
          const got = everyPage({ sort: 'email', direction, status, query }, 17)
          expect(got.ids, `${query} ${direction} ${status}`).toEqual(want)
          if (status === undefined) expect([...got.plans], `${query} ${direction}`).toEqual(['words'])
          else expect([...got.plans], `${query} ${direction} ${status}`).not.toContain('words')
        }
      }
    }
  })

  it('a jump to a row returns the rows from there, as paging does', () => {
    const want = unsearched('name', 'asc', undefined)
      .filter((user) => means('example', user))
      .map((user) => user.id)
    for (const position of [0, 1, 500, want.length - 3, want.length]) {
      const page = listUserRecords(demo.db, { sort: 'name', direction: 'asc', query: 'example', position, limit: 10, policy: readEnforcementPolicy(demo.db), now: Date.now(), searchTuning: SMALL })
      expect(page.records.map((user) => user.id)).toEqual(want.slice(position, position + 10))
      expect(page.start).toBe(position)
    }
  })

  it("position 0 (the Users screen's first block) is read as a first page is, not by sorting every match", () => {
    const request = { direction: 'asc' as const, limit: 10, searchTuning: SMALL }
    const ways = new Set<SearchPlan>()
    for (const [query, sort] of [['m', 'name'], ['m', 'email'], ['mar', 'name'], ['example', 'email'], ['mar', 'status']] as const) {
      const first = listUserRecords(demo.db, { ...request, sort, query, policy: readEnforcementPolicy(demo.db), now: Date.now() })
      const atZero = listUserRecords(demo.db, { ...request, sort, query, position: 0, policy: readEnforcementPolicy(demo.db), now: Date.now() })
      expect(first.searchPlan, `${query} by ${sort}`).not.toBe('sorted')
      expect(atZero.searchPlan, `${query} by ${sort}`).toBe(first.searchPlan)
      expect(atZero.records.map((user) => user.id)).toEqual(first.records.map((user) => user.id))
      expect(atZero.start).toBe(0)
      expect(atZero.countPending).toBe(first.countPending)
      ways.add(atZero.searchPlan!)
    }
    expect(ways.size).toBeGreaterThan(1)
  })
})

describe('every match sorted at once (the background task of a deferred page)', () => {
  const sortAll = (query: string, extra: Partial<ListRequest> = {}) =>
    listUserRecords(demo.db, { sort: 'name', direction: 'asc', query, limit: 10, policy: readEnforcementPolicy(demo.db), now: Date.now(), searchTuning: SMALL, sortAll: true, ...extra })

  it('counts the matches in the same read: the total is exact, first page and jumps alike, also past the end', () => {
    for (const [query, status] of [['example', undefined], ['maria', undefined], ['mar', 'pending'], ['zzq', undefined]] as const) {
      const want = unsearched('name', 'asc', status)
        .filter((user) => means(query, user))
        .map((user) => user.id)
      const first = sortAll(query, { status })
      expect(first.searchPlan, query).toBe('sorted')
      expect(first.countPending, query).toBe(false)
      expect(first.total, query).toBe(want.length)
      expect(first.records.map((user) => user.id)).toEqual(want.slice(0, 10))
      for (const position of [3, want.length - 1, want.length, want.length + 5]) {
        const jump = sortAll(query, { status, position })
        expect(jump.total, `${query} at ${position}`).toBe(want.length)
        expect(jump.countPending).toBe(false)
        expect(jump.start).toBe(Math.min(position, want.length))
        expect(jump.records.map((user) => user.id)).toEqual(want.slice(position, position + 10))
      }
    }
  })

  it('a page after a cursor is still every match in order, each once', () => {
    const want = unsearched('name', 'asc', undefined)
      .filter((user) => means('example', user))
      .map((user) => user.id)
    const ids: number[] = []
    let cursor: string | undefined
    do {
      const page = sortAll('example', { cursor, limit: 500 })
      ids.push(...page.records.map((user) => user.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined && ids.length <= want.length)
    expect(ids).toEqual(want)
  })
})

describe('matches too thin for a walk are sorted at once', () => {
  it('judges the number of matches from the probe, only when it read them in id order', () => {
    const spread = (n: number, step: number) => Array.from({ length: n }, (_, i) => (i + 1) * step)
    // 1,001 matches up to id 3.8M of 10M: about 2,600 in all, below sqrt(51 x 10M x 0.3) = 12,400.
    expect(matchesAreThin(spread(1001, 3800), 10_000_000, 10_000_000, 51)).toBe(true)
    // 1,001 up to id 50,000: about 200,000 in all: a walk pays.
    expect(matchesAreThin(spread(1001, 50), 10_000_000, 10_000_000, 51)).toBe(false)
    // Not in id order (a domain's users class by class): nothing can be judged.
    expect(matchesAreThin([...spread(500, 3800), ...spread(501, 3800)], 10_000_000, 10_000_000, 51)).toBe(false)
    expect(matchesAreThin(null, 10_000_000, 10_000_000, 51)).toBe(false)
    expect(matchesAreThin([], 10_000_000, 10_000_000, 51)).toBe(false)
  })

  it('a thin term is deferred to the background sort after a short look at the order; a dense one is walked', () => {
    const now = Date.now()
    // Thirty users of a name nobody else has, at the end of the ids: the probe of 21 reads them all but nine, up to near
    // the top id, so about 21 match in all. First in name order, the short look finds them at once (peekWalk); last in
    // name order, it finds none, and every match is sorted in the background.
    for (let i = 0; i < 30; i++) usersRepo.insertUser(demo.db, { name: `Aaaron Thinly ${i}`, email: `aaaron${i}@thin.example.net`, role: 'user', passwordHash: null, now })
    for (let i = 0; i < 30; i++) usersRepo.insertUser(demo.db, { name: `Zzzoe Sparsely ${i}`, email: `zzzoe${i}@sparse.example.net`, role: 'user', passwordHash: null, now })
    const page = (query: string) =>
      listUserRecords(demo.db, { sort: 'name', direction: 'asc', query, limit: 17, policy: readEnforcementPolicy(demo.db), now, searchTuning: NO_WORDS, deferSorted: true })
    expect(page('thinly').searchPlan).toBe('walk')
    expect(page('sparsely').searchPlan).toBe('deferred')
    expect(page('example').searchPlan).toBe('walk')
  })
})

describe('matches that gather after a long stretch of others are walked to, when sorting them all would cost more', () => {
  let late: DemoDatabase
  beforeAll(() => {
    late = seededDatabase(3_000, 9)
    const now = Date.now()
    // 600 others first in name order, then 240 matches (every 12th id, so the probe's id-ordered sample judges them):
    // the page's 17th match is about the 617th row of the name order, past a walk of 400 and within 240 / 0.3 = 800.
    for (let id = 1, others = 0, matches = 0; id <= 3_000 && (others < 600 || matches < 240); id++) {
      if (id % 12 === 0 && matches < 240) usersRepo.updateProfile(late.db, id, { name: `Aac Quuxley ${matches++}` }, now)
      else if (id % 12 !== 0 && others < 600) usersRepo.updateProfile(late.db, id, { name: `Aab Other ${others++}` }, now)
    }
  })
  afterAll(() => late.dispose())

  const first = (query: string) =>
    listUserRecords(late.db, { sort: 'name', direction: 'asc', query, limit: 17, policy: readEnforcementPolicy(late.db), now: Date.now(), searchTuning: NO_WORDS, deferSorted: true })

  it('the walk goes on past maxWalkRows to the page, and it is exactly the first matches in name order', () => {
    const page = first('quuxley')
    expect(page.searchPlan).toBe('walk')
    const want = listUserRecords(late.db, { sort: 'name', direction: 'asc', limit: 2_000, policy: readEnforcementPolicy(late.db), now: Date.now() })
      .records.filter((user) => user.name.includes('Quuxley'))
      .slice(0, 17)
    expect(page.records.map((user) => user.id)).toEqual(want.map((user) => user.id))
  })

  /** The first page of a search among the inactive users (as the Users screen asks it), and the ids it should hold. */
  const firstInactivePage = (query: string) => {
    const page = listUserRecords(late.db, {
      sort: 'name',
      direction: 'asc',
      query,
      status: 'inactive',
      limit: 17,
      policy: readEnforcementPolicy(late.db),
      now: Date.now(),
      searchTuning: NO_WORDS,
      deferSorted: true
    })
    const want = unsearchedIn(late, 'inactive')
      .filter((user) => means(query, user))
      .slice(0, 17)
      .map((user) => user.id)
    return { page, want }
  }

  it('within a status, the walk of each class goes on too, to the page, exactly the first matches of the list', () => {
    const now = Date.now()
    const inactive = late.db.prepare("SELECT id FROM users WHERE tfa_class IN ('inherit', 'exempt') ORDER BY id").pluck().all() as number[]
    // Among the inactive (red) users: 300 others first in name order, then 300 matches spread through the ids (so the
    // probe's sample judges them): the page's 17th is about the 317th of the list, past the two classes' walks of 50,
    // within 300 / 0.3 = 1,000 rows.
    const step = Math.floor(inactive.length / 600)
    const chosen = inactive.filter((_, i) => i % step === 0).slice(0, 600)
    expect(chosen).toHaveLength(600)
    chosen.forEach((id, i) => usersRepo.updateProfile(late.db, id, { name: i % 2 === 0 ? `Aaa Zorblat ${i}` : `Aaa Inactive ${i}` }, now))
    const { page, want } = firstInactivePage('zorblat')
    expect(page.searchPlan).toBe('walk')
    expect(want.length).toBe(17)
    expect(page.records.map((user) => user.id)).toEqual(want)
  })

  it('within a status, names that start with the term and few others in it: the split answers before any long walk', () => {
    const now = Date.now()
    const inactive = late.db.prepare("SELECT id FROM users WHERE tfa_class IN ('inherit', 'exempt') ORDER BY id").pluck().all() as number[]
    const rest = late.db.prepare("SELECT id FROM users WHERE tfa_class NOT IN ('inherit', 'exempt') ORDER BY id").pluck().all() as number[]
    // Within the inactive: 200 names that start with "quuxo" (after 400 others in name order) and 5 others; elsewhere
    // 100 more others, so the early look at the whole directory's others finds them many (a reviewer's case).
    inactive.slice(0, 600).forEach((id, i) => usersRepo.updateProfile(late.db, id, { name: i % 3 === 0 ? `Quuxo Inactive ${i}` : `Aaa Filler ${i}` }, now))
    inactive.slice(600, 605).forEach((id, i) => usersRepo.updateProfile(late.db, id, { name: `Zzz Xquuxo ${i}` }, now))
    rest.slice(0, 100).forEach((id, i) => usersRepo.updateProfile(late.db, id, { name: `Mmm Xquuxo ${i}` }, now))
    const { page, want } = firstInactivePage('quuxo')
    expect(page.searchPlan).toBe('starting')
    expect(page.records.map((user) => user.id)).toEqual(want)
  })

  it('the bound is what sorting the judged matches would cost, never below maxWalkRows', () => {
    const spread = (n: number, step: number) => Array.from({ length: n }, (_, i) => (i + 1) * step)
    // 1,001 matches up to id 200,200 of 10M: about 50,000 in all, so a walk may read about 166,666 rows.
    expect(walkBound(spread(1001, 200), 10_000_000, 64_000)).toBe(Math.floor((1001 * 10_000_000) / 200_200 / 0.3))
    expect(walkBound(spread(1001, 3800), 10_000_000, 64_000)).toBe(64_000)
    expect(walkBound(null, 10_000_000, 64_000)).toBe(64_000)
    expect(walkBound([5, 3], 10_000_000, 64_000)).toBe(64_000)
    // A walk runs on the thread that answers the screens: never past the ceiling, however many match.
    expect(walkBound(spread(1001, 2), 10_000_000, 64_000)).toBe(WALK_CEILING)
    expect(walkBound(spread(1001, 2), 10_000_000, 64_000, 100_000)).toBe(100_000)
  })
})
