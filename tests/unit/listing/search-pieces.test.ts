// A search for a term with separators in name order ("elena.petrov"): what the
// term says of the words of a match (termPieces), the SQL of a batch's matches
// and of a leap (read by the keys of the indexes, merged without a sort), and the page:
// exactly the matches in order, a leap over the driving piece's users that
// cannot match, a bound on what it reads, and a total only when it is exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { termPieces, type TermPiece } from '../../../src/main/db/name-words'
import { ALL_CLASSES } from '../../../src/main/db/row-filter-repo'
import { piecesBatchEnd, piecesMatches, piecesMatchesStatement, wordsOfPiece } from '../../../src/main/db/search-pieces-repo'
import * as usersRepo from '../../../src/main/db/users-repo'
import { readEnforcementPolicy } from '../../../src/main/core/enforcement/policy'
import { listUserRecords } from '../../../src/main/core/listing/user-listing'
import { drivingPieces, leapToEvery } from '../../../src/main/core/listing/search-pieces'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'

let demo: DemoDatabase
beforeAll(() => {
  demo = seededDatabase(6_000, 7)
  const now = Date.now()
  const add = (name: string, email: string) => usersRepo.insertUser(demo.db, { name, email, role: 'user', passwordHash: null, now })
  // Twenty Zeynep Petrovs: the matches of "zeynep.petrov", one stretch near the end of the name order. Before
  // them 300 more Petrovs, and 400 more Zeyneps, so that "petrov" is the piece with fewer users (the one read).
  for (let i = 0; i < 20; i++) add('Zeynep Petrov', `zeynep.petrov.x${i}@example.org`)
  for (let i = 0; i < 300; i++) add('Ada Petrov', `ada.petrov.y${i}@example.org`)
  for (let i = 0; i < 400; i++) add(`Zeynep Aa${i}`, `zeynep.aa${i}@example.org`)
  // Users of "zqe" and of "qsx" alternating in name order (Leapq 000 Qsx, Leapq 000 Zqe, Leapq 001 Qsx...), then one with both.
  for (let i = 0; i < 200; i++) {
    const n = String(i).padStart(3, '0')
    add(`Leapq ${n} Qsx`, `leapq.qsx${n}@example.org`)
    add(`Leapq ${n} Zqe`, `leapq.zqe${n}@example.org`)
  }
  add('Leapq 999 Zqe', 'leapq.zqe.qsx@example.org')
})
afterAll(() => demo.dispose())

describe('what a term with separators says of the words it lies in', () => {
  it.each([
    ['elena.petrov', [['elena', 'end'], ['petrov', 'start']]],
    ['a.b.c', [['a', 'end'], ['b', 'word'], ['c', 'start']]],
    ['petrov14', [['petrov', 'end']]],
    ['14petrov', [['petrov', 'start']]],
    ['.maria', [['maria', 'start']]],
    ['maria.', [['maria', 'end']]],
    ['o..b  c', [['o', 'end'], ['b', 'word'], ['c', 'start']]],
    // After an @ the term may be in a domain, which has no words: only what comes before counts.
    ['ada.x@eu.example', [['ada', 'end'], ['x', 'word']]],
    ['x@y', [['x', 'end']]],
    ['@example', []],
    ['...', []],
    ['maria', []],
    ['', []],
    ['14', []],
    ['zoë.łu', [['zoë', 'end'], ['łu', 'start']]],
    ['a\u001fb', [['a', 'end'], ['b', 'start']]]
  ])('%j', (term, want) => {
    expect(termPieces(term).map((piece) => [piece.text, piece.kind])).toEqual(want)
  })
})

describe('the words a piece allows', () => {
  const texts = (piece: TermPiece) => wordsOfPiece(demo.db, piece, 1000).map((word) => word.word).sort()
  const every = () => demo.db.prepare('SELECT word FROM search_words ORDER BY word').pluck().all() as string[]

  it('a whole word, the words that start with a piece, the words that end with one', () => {
    expect(texts({ text: 'petrov', kind: 'word' })).toEqual(['petrov'])
    expect(texts({ text: 'mar', kind: 'start' })).toEqual(every().filter((word) => word.startsWith('mar')))
    expect(texts({ text: 'ria', kind: 'end' })).toEqual(every().filter((word) => word.endsWith('ria')))
    expect(texts({ text: 'ria', kind: 'end' })).toContain('maria')
    expect(texts({ text: 'zzqx', kind: 'word' })).toEqual([])
  })

  it('the words that end with one or two characters too, and only those', () => {
    for (const end of ['ia', 'a', 'ov', 'z', 'ë', 'qq']) {
      expect(texts({ text: end, kind: 'end' }), end).toEqual(every().filter((word) => word.endsWith(end)))
    }
    expect(texts({ text: 'ia', kind: 'end' })).toContain('maria')
    expect(texts({ text: 'ov', kind: 'end' })).toContain('petrov')
  })
})

describe('the SQL of a batch', () => {
  const plan = (sql: string, params: Record<string, unknown>) =>
    (demo.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail).join('\n')
  const term = { kind: 'substring' as const, text: 'elena.petrov' }

  for (const direction of ['asc', 'desc'] as const) {
    it(`merges the driver's ranges (${direction}) and tests the others by index seeks and the term on the user's row by its id, each stopping at the first row, with no sort`, () => {
      const { sql, params } = piecesMatchesStatement({ driver: ['petrov', 'petrova'], others: [['elena', 'helena']], term, filter: ALL_CLASSES, direction, from: { text: 'm', id: 5, inclusive: true }, limit: 64 })
      const detail = plan(sql, params)
      expect(detail).toContain('MERGE (UNION)')
      expect(detail).toMatch(/SEARCH w USING PRIMARY KEY \(word=\? AND name_key[<>]/)
      expect(detail).toContain('SEARCH x EXISTS USING PRIMARY KEY (word=? AND name_key=? AND id=?)')
      expect(detail).toContain('SEARCH u EXISTS USING INTEGER PRIMARY KEY (rowid=?)')
      expect(detail).not.toContain('TEMP B-TREE')
    })
  }

  it('tests a status filter in the class index, the administrators in theirs, and another filter on the user row', () => {
    const classes = piecesMatchesStatement({ driver: ['petrov'], others: [], term, filter: { ...ALL_CLASSES, classes: ['always'] }, direction: 'asc', limit: 64 })
    // (Not shown as COVERING: tfa_class is a generated column. The seek finds it in the index and reads no more.)
    expect(plan(classes.sql, classes.params)).toContain('SEARCH u EXISTS USING INDEX users_by_class_name (tfa_class=? AND name_key=? AND id=?)')
    // With other pieces, the class is sought first: it rules out most users before a seek per word of the others.
    const withOthers = piecesMatchesStatement({ driver: ['petrov'], others: [['elena', 'helena']], term, filter: { ...ALL_CLASSES, classes: ['always'] }, direction: 'asc', limit: 64 })
    const order = plan(withOthers.sql, withOthers.params)
    expect(order).toContain('SEARCH c EXISTS USING INDEX users_by_class_name (tfa_class=? AND name_key=? AND id=?)')
    expect(order.indexOf('SEARCH c EXISTS')).toBeLessThan(order.indexOf('SEARCH x EXISTS'))
    const admins = piecesMatchesStatement({ driver: ['petrov'], others: [], term, filter: { ...ALL_CLASSES, rows: { tests: ['admin'], now: 0 } }, direction: 'asc', limit: 64 })
    expect(plan(admins.sql, admins.params)).toContain('SEARCH u EXISTS USING COVERING INDEX users_admins_by_name (name_key=? AND id=?)')
    const locked = piecesMatchesStatement({ driver: ['petrov'], others: [], term, filter: { ...ALL_CLASSES, rows: { tests: ['locked'], now: 0 } }, direction: 'asc', limit: 64 })
    expect(plan(locked.sql, locked.params)).toContain('SEARCH u EXISTS USING INTEGER PRIMARY KEY (rowid=?)')
  })
})

describe('where a batch ends, and its matches', () => {
  const term = { kind: 'substring' as const, text: 'petrov1' }
  /** The Petrovs in name order from a place, written apart from the engine. */
  const petrovs = (direction: 'asc' | 'desc', from?: { text: string; id: number }): [string, number][] => {
    const rows = demo.db.prepare("SELECT name_key, id FROM user_words WHERE word = 'petrov' ORDER BY name_key, id").raw().all() as [string, number][]
    const ordered = direction === 'asc' ? rows : rows.reverse()
    if (from === undefined) return ordered
    const past = (row: [string, number]) => (row[0] === from.text ? (direction === 'asc' ? row[1] > from.id : row[1] < from.id) : direction === 'asc' ? row[0] > from.text : row[0] < from.text)
    return ordered.filter(past)
  }

  for (const direction of ['asc', 'desc'] as const) {
    it(`is the batch's last user when it holds \`limit\` of them, and null when the range ends within it (${direction})`, () => {
      const all = petrovs(direction)
      expect(all.length).toBeGreaterThan(300)
      const from = { text: all[40]![0], id: all[40]![1], inclusive: false }
      const after = petrovs(direction, from)
      for (const limit of [1, 2, 64, after.length]) {
        const end = piecesBatchEnd(demo.db, { driver: ['petrov'], others: [], term, filter: ALL_CLASSES, direction, from, limit })
        expect(end, `limit ${limit}`).toEqual({ text: after[limit - 1]![0], id: after[limit - 1]![1], inclusive: false })
      }
      expect(piecesBatchEnd(demo.db, { driver: ['petrov'], others: [], term, filter: ALL_CLASSES, direction, from, limit: after.length + 1 })).toBeNull()
      const first = piecesBatchEnd(demo.db, { driver: ['petrov'], others: [], term, filter: ALL_CLASSES, direction, limit: 3 })
      expect(first).toEqual({ text: all[2]![0], id: all[2]![1], inclusive: false })
    })
  }

  it("are the batch's users that match, in order; with a bound, the first of them", () => {
    const batch = { driver: ['petrov'], others: [], term: { kind: 'substring' as const, text: 'v.y1' }, filter: ALL_CLASSES, direction: 'asc' as const, limit: 200 }
    const matching = new Set(demo.db.prepare("SELECT id FROM users WHERE lower(name) LIKE '%v.y1%' OR lower(email) LIKE '%v.y1%'").pluck().all() as number[])
    const want = petrovs('asc').slice(0, 200).filter(([, id]) => matching.has(id))
    expect(want.length).toBeGreaterThan(5)
    expect(piecesMatches(demo.db, batch)).toEqual(want)
    expect(piecesMatches(demo.db, batch, 5)).toEqual(want.slice(0, 5))
  })
})

const lowerAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** Every match by name, ascending or descending, written apart from the engine. */
function matchesOf(query: string, direction: 'asc' | 'desc', status?: 'pending'): number[] {
  const ids: number[] = []
  let cursor: string | undefined
  do {
    const page = listUserRecords(demo.db, { sort: 'name', direction, status, cursor, limit: 1000, policy: readEnforcementPolicy(demo.db), now: Date.now() })
    const q = lowerAscii(query)
    ids.push(...page.records.filter((user) => lowerAscii(user.name).includes(q) || lowerAscii(user.email).includes(q)).map((user) => user.id))
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return ids
}

function firstPage(query: string, options: { direction?: 'asc' | 'desc'; pieceRows?: number; limit?: number; status?: 'pending'; cursor?: string } = {}) {
  return listUserRecords(demo.db, {
    sort: 'name',
    direction: options.direction ?? 'asc',
    query,
    status: options.status,
    cursor: options.cursor,
    limit: options.limit ?? 10,
    policy: readEnforcementPolicy(demo.db),
    now: Date.now(),
    searchTuning: { fewMatches: 5, walkRows: 50, maxWalkRows: 400, ...(options.pieceRows === undefined ? {} : { pieceRows: options.pieceRows }) }
  })
}

describe('which pieces a page reads and tests', () => {
  it("reads the rarest piece's users (or the administrators) and tests them for at most the next rarest two", () => {
    const pasted = Array.from({ length: 84 }, (_, i) => [`w${i}`])
    expect(drivingPieces(pasted, false)).toEqual({ driver: ['w0'], rest: [['w1'], ['w2']] })
    expect(drivingPieces(pasted, true)).toEqual({ driver: 'admins', rest: [['w0'], ['w1']] })
    expect(drivingPieces([['a']], false)).toEqual({ driver: ['a'], rest: [] })
  })

  it('a pasted term of 84 pieces gives exactly its matches', () => {
    const term = `${'zeynep.'.repeat(84)}petrov`.slice(0, 254)
    const page = firstPage(term)
    expect(page.records.map((user) => user.id)).toEqual(matchesOf(term, 'asc').slice(0, 10))
  })
})

describe('a leap to where every piece is', () => {
  const placeOf = (email: string) => {
    const row = demo.db.prepare('SELECT name_key, id FROM users WHERE email = ?').raw().get(email) as [string, number]
    return { text: row[0], id: row[1], inclusive: true }
  }
  const start = { text: 'leapq', id: 0, inclusive: false }

  it('alternates between the pieces until a user holds them all, and lands on that user', () => {
    // From the 191st pair on: 9 pairs lie before the one user with both.
    const from = { ...placeOf('leapq.zqe190@example.org'), inclusive: false }
    expect(leapToEvery(demo.db, [['zqe'], ['qsx']], 'asc', from)).toEqual(placeOf('leapq.zqe.qsx@example.org'))
    expect(leapToEvery(demo.db, [['qsx'], ['zqe']], 'asc', from)).toEqual(placeOf('leapq.zqe.qsx@example.org'))
    // Backwards from the sixth pair, nobody before holds both: past the first user of a piece, nothing.
    expect(leapToEvery(demo.db, [['zqe'], ['qsx']], 'desc', { ...placeOf('leapq.zqe005@example.org'), inclusive: false })).toBeNull()
  })

  it('stops after its rounds at a place no user before which holds every piece', () => {
    const landed = leapToEvery(demo.db, [['zqe'], ['qsx']], 'asc', start)!
    const both = placeOf('leapq.zqe.qsx@example.org')
    // Sixteen rounds from the first pair: past the first pairs, and not past the user with both.
    expect(landed.text > placeOf('leapq.zqe010@example.org').text).toBe(true)
    expect(landed.text < both.text).toBe(true)
    // Three batches of 64 of the 201 users of "zqe" and the leaps between them reach it; the batches alone would not.
    const page = firstPage('qe.qs', { pieceRows: 64 * 3 })
    expect(page.searchPlan).toBe('pieces')
    expect(page.records.map((user) => user.email)).toEqual(['leapq.zqe.qsx@example.org'])
  })
})

describe('a page of a term with separators', () => {
  it("leaps over the driving piece's users before the stretch where the matches are", () => {
    const want = matchesOf('zeynep.petrov', 'asc')
    expect(want.length).toBeGreaterThanOrEqual(20)
    // The Petrovs before the first Zeynep Petrov: more than the page may read, so only a leap reaches them.
    const before = demo.db.prepare("SELECT count(*) FROM user_words WHERE word = 'petrov' AND name_key < 'zeynep petrov'").pluck().get() as number
    expect(before).toBeGreaterThan(300)
    const page = firstPage('zeynep.petrov', { pieceRows: 200 })
    expect(page.searchPlan).toBe('pieces')
    expect(page.records.map((user) => user.id)).toEqual(want.slice(0, 10))
  })

  it('gives every match once in order through every page, both ways, within a status too', () => {
    for (const [query, status] of [['zeynep.petrov', undefined], ['a.m', undefined], ['ria s', undefined], ['.petrov', 'pending'], ['petrov1', undefined], ['n.ko', undefined]] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const want = matchesOf(query, direction, status)
        const ids: number[] = []
        let cursor: string | undefined
        let pieces = false
        for (let pages = 0; pages < 1000; pages++) {
          const page = firstPage(query, { direction, status, cursor, limit: 7 })
          pieces ||= page.searchPlan === 'pieces'
          ids.push(...page.records.map((user) => user.id))
          cursor = page.nextCursor ?? undefined
          if (cursor === undefined) break
        }
        expect(ids, `${query} ${direction}`).toEqual(want)
        expect(pieces, `${query} ${direction}`).toBe(true)
      }
    }
  })

  it('leaves a term with an @ to the ends of the local parts (an address is one seek there)', () => {
    for (const query of ['zeynep.petrov.x3@example.org', 'ZEYNEP.PETROV.X3@EXAMPLE.ORG', 'petrov.x1@']) {
      const page = firstPage(query)
      expect(page.searchPlan, query).not.toBe('pieces')
      expect(page.records.map((user) => user.id), query).toEqual(matchesOf(query, 'asc').slice(0, 10))
    }
  })

  it('hands a page it cannot fill within its bound to the other ways, which give the same matches', () => {
    const want = matchesOf('petrov1', 'asc')
    const bounded = firstPage('petrov1', { pieceRows: 16, limit: 10 })
    expect(bounded.searchPlan).not.toBe('pieces')
    expect(bounded.records.map((user) => user.id)).toEqual(want.slice(0, 10))
  })

  it('knows the total when it read every match, and says the count is coming when it did not', () => {
    const few = firstPage('zeynep.petrov', { limit: 100 })
    expect(few.searchPlan).toBe('pieces')
    expect(few.countPending).toBe(false)
    expect(few.total).toBe(matchesOf('zeynep.petrov', 'asc').length)
    // A page of 5 whose last batch reached the end of the Petrovs: every match was read, the total counts them all.
    const part = firstPage('zeynep.petrov', { limit: 5 })
    expect(part.records).toHaveLength(5)
    expect(part.countPending).toBe(false)
    expect(part.total).toBe(few.total)
    const many = firstPage('a.m', { limit: 5 })
    expect(many.searchPlan).toBe('pieces')
    expect(many.countPending).toBe(true)
    // A piece that no word allows: nothing matches, and that is exact.
    const none = firstPage('zzqx.petrov')
    expect(none.searchPlan).toBe('pieces')
    expect(none.records).toEqual([])
    expect(none.total).toBe(0)
    expect(none.countPending).toBe(false)
  })
})
