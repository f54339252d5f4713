// Search as you type: the trigram index (three characters or more) and the
// prefix indexes (shorter terms) answer exactly what a LIKE scan would, sorted
// like the table, every match (no cap); past FEW_MATCHES the count comes from
// countUsers (the pages say countPending).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SortDirection, TwoFactorStatus, UserSortKey } from '../../../src/shared/domain'
import { TWO_FACTOR_STATUSES } from '../../../src/shared/domain'
import { plainPolicy, twoFactorStatus } from '../../../src/main/core/enforcement/rules'
import { FEW_MATCHES } from '../../../src/main/core/listing/search-page'
import { listUserRecords, searchTerm } from '../../../src/main/core/listing/user-listing'
import type { Database } from '../../../src/main/db/connection'
import { insertUser, updateProfile } from '../../../src/main/db/users-repo'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'

let demo: DemoDatabase
let db: Database

const SPECIAL: [string, string][] = [
  ['Percent 100% Sure', 'percent@example.com'],
  ['Under_Score', 'under_score@example.com'],
  ['Back\\slash', 'backslash@example.com'],
  ['Quote "Q" Person', 'quote@example.com'],
  ["Mary O'Brien", 'mary.obrien@example.com'],
  ['ÉMILE Zola', 'emile.zola@example.com'],
  ['émile zola', 'emile.zola2@example.com'],
  ['Ægir 😀 Smiles', 'aegir@example.com']
]

beforeAll(() => {
  demo = seededDatabase(10_000, 7)
  db = demo.db
  db.transaction(() => {
    for (const [name, email] of SPECIAL) insertUser(db, { name, email, role: 'user', passwordHash: null, now: 0 })
  })()
})
afterAll(() => demo.dispose())

interface Row {
  id: number
  name: string
  email: string
  role: 'admin' | 'user'
  enforcement: 'inherit' | 'enforced' | 'exempt'
  credential: number
}

const asciiFold = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** The definition: LIKE's case folding (ASCII only), substring from three characters, prefix below. */
function matches(row: Row, query: string): boolean {
  const q = asciiFold(query.trim())
  const fields = [asciiFold(row.name), asciiFold(row.email)]
  return [...query.trim()].length >= 3 ? fields.some((field) => field.includes(q)) : fields.some((field) => field.startsWith(q))
}

function allRows(): Row[] {
  return db
    .prepare('SELECT u.id, u.name, u.email, u.role, u.enforcement, c.user_id IS NOT NULL AS credential FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id')
    .all() as Row[]
}

/** Sorted by SQLite, from base facts, as the table sorts. */
function sortedIds(ids: number[], sort: UserSortKey, direction: SortDirection, enforcedForAll: boolean): number[] {
  const orderBy: Partial<Record<UserSortKey, string>> = {
    name: 'u.name_key, u.id',
    email: 'u.email, u.id',
    role: 'u.role, u.name_key, u.id',
    status: 'u.name_key, u.id'
  }
  let rows = db
    .prepare(
      `SELECT u.id, u.role, u.enforcement, c.user_id IS NOT NULL AS credential FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id
       WHERE u.id IN (SELECT value FROM json_each(?)) ORDER BY ${orderBy[sort]}`
    )
    .all(JSON.stringify(ids)) as Row[]
  if (sort === 'status') {
    const rank = (row: Row) => TWO_FACTOR_STATUSES.indexOf(twoFactorStatus(row, row.credential === 1, plainPolicy(enforcedForAll)))
    rows = [...rows].sort((a, b) => rank(a) - rank(b))
  }
  const sorted = rows.map((row) => row.id)
  return direction === 'asc' ? sorted : sorted.reverse()
}

function search(query: string, sort: UserSortKey, direction: SortDirection, status?: TwoFactorStatus, limit = 97) {
  const ids: number[] = []
  const totals = new Set<number>()
  let pending = false
  let cursor: string | undefined
  do {
    const page = listUserRecords(db, { query, sort, direction, limit, policy: plainPolicy(false), now: 0, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) })
    ids.push(...page.records.map((user) => user.id))
    totals.add(page.total)
    pending ||= page.countPending
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return { ids, totals: [...totals], pending }
}

const TERMS = [
  'maria garcía', // substring across a space, with an accent
  'MARIA GARC', // case folded
  'ia.ga', // inside an email
  '.garcia@', // punctuation
  'ÉMILE', // non-ASCII letters match their own case only, as LIKE does
  'émile',
  '100%', // LIKE wildcards are literal characters
  'r_s',
  '_',
  '\\',
  '"q"',
  "o'b",
  '😀 s',
  'zz',
  'ma', // prefixes
  'Æ',
  'e',
  'lab.example', // thousands of matches: every one listed, the count pending
  'no such user'
]

describe('search by name or email', () => {
  it('classifies terms: prefix below three characters, substring from three', () => {
    expect(searchTerm('  ')).toBeNull()
    expect(searchTerm('ab')).toEqual({ kind: 'prefix', text: 'ab' })
    expect(searchTerm(' abc ')).toEqual({ kind: 'substring', text: 'abc' })
    // Characters, not UTF-16 units: one emoji and a letter are two characters.
    expect(searchTerm('😀a')?.kind).toBe('prefix')
  })

  for (const term of TERMS) {
    it(`"${term}" finds exactly the users a LIKE scan finds, sorted, each once`, () => {
      const want = allRows().filter((row) => matches(row, term))
      for (const [sort, direction] of [
        ['name', 'asc'],
        ['email', 'desc'],
        ['role', 'asc'],
        ['status', 'desc']
      ] as [UserSortKey, SortDirection][]) {
        const got = search(term, sort, direction)
        expect(new Set(got.ids).size).toBe(got.ids.length)
        expect(got.ids).toEqual(sortedIds(want.map((row) => row.id), sort, direction, false))
        if (want.length <= FEW_MATCHES) {
          expect(got.pending).toBe(false)
          expect(got.totals).toEqual([want.length])
        } else {
          // Many matches: each page's total is a lower bound, never more than there are; countUsers says the number.
          expect(got.pending).toBe(true)
          for (const total of got.totals) expect(total).toBeGreaterThan(FEW_MATCHES)
          for (const total of got.totals) expect(total).toBeLessThanOrEqual(want.length)
        }
      }
    })
  }

  it('combines a search with a status filter', () => {
    const rows = allRows()
    for (const status of TWO_FACTOR_STATUSES) {
      for (const term of ['garc', 'ma', 'émile']) {
        const want = rows.filter((row) => matches(row, term) && twoFactorStatus(row, row.credential === 1, plainPolicy(false)) === status)
        expect(want.length).toBeLessThanOrEqual(FEW_MATCHES)
        const got = search(term, 'name', 'asc', status)
        expect(got.ids).toEqual(sortedIds(want.map((row) => row.id), 'name', 'asc', false))
        // Few within the filter but many in the whole directory: the pages may leave the count to countUsers
        // (counted off the screens' thread); their totals are then true lower bounds.
        if (got.pending) for (const total of got.totals) expect(total).toBeLessThanOrEqual(want.length)
        else expect(got.totals).toEqual([want.length])
      }
    }
  })

  it('keeps the index in step with renames', () => {
    const [row] = allRows().filter((candidate) => matches(candidate, 'smiles'))
    expect(row).toBeDefined()
    db.transaction(() => updateProfile(db, row!.id, { name: 'Renamed Person' }, 1))()
    expect(search('smiles', 'name', 'asc').ids).not.toContain(row!.id)
    expect(search('renamed pers', 'name', 'asc').ids).toEqual([row!.id])
  })

  it('counts every match up to FEW_MATCHES with the page, and lists every one past it with the count pending', () => {
    // A substring (trigram index) and a prefix (name and email indexes), alone and with a status filter.
    const terms = ['capcheck', 'qx']
    for (const term of terms) expect(search(term, 'name', 'asc').totals, term).toEqual([0])
    const added: number[] = []
    const add = (count: number) =>
      db.transaction(() => {
        for (let i = 0; i < count; i++) {
          const n = added.length
          // Half match the prefix by name, half by email.
          const user = n % 2 === 0 ? { name: `Qx Capcheck ${n}`, email: `capcheck.${n}@limit.test` } : { name: `Capcheck ${n}`, email: `qx.capcheck.${n}@limit.test` }
          added.push(insertUser(db, { ...user, role: 'user', passwordHash: null, now: 0 }))
        }
      })()
    const searches = (term: string) => [search(term, 'name', 'asc', undefined, 250), search(term, 'email', 'desc', 'inactive', 250)]

    add(FEW_MATCHES)
    for (const term of terms) {
      for (const got of searches(term)) {
        expect(got.pending, term).toBe(false)
        expect(got.totals, term).toEqual([FEW_MATCHES])
        expect([...got.ids].sort((a, b) => a - b), term).toEqual(added)
      }
    }

    add(1)
    for (const term of terms) {
      for (const [at, got] of searches(term).entries()) {
        // One word in name order without a filter: the word's own count of users is the exact total, with the page.
        const oneWord = term === 'capcheck' && at === 0
        expect(got.pending, term).toBe(!oneWord)
        if (oneWord) expect(got.totals, term).toEqual([FEW_MATCHES + 1])
        // All of them, each once: no cap.
        expect([...got.ids].sort((a, b) => a - b), term).toEqual(added)
      }
    }
  })
})
