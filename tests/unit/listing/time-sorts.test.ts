// The sorts by the optional columns' times (last 2FA login, 2FA active since,
// enforced individually since, locked until) over a few thousand random users
// with many equal times: keyset pages in both directions give every user once,
// those with the time first by (time, id), those without last by id, with the
// status filter, a row filter and a search too; jumps to a position; cursors
// of another order are refused; and the plans read the time's partial index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserListFilter } from '../../../src/shared/contract'
import type { SortDirection, TimeSortKey, TwoFactorFilter } from '../../../src/shared/domain'
import { TIME_SORT_KEYS } from '../../../src/shared/domain'
import { seededRandom } from '../../../src/main/core/demo/demo-directory'
import { readEnforcementPolicy } from '../../../src/main/core/enforcement/policy'
import { armSource } from '../../../src/main/core/listing/class-selection'
import { listUserRecords, type ListRequest } from '../../../src/main/core/listing/user-listing'
import type { Database } from '../../../src/main/db/connection'
import { seekUsersByTimeStatement } from '../../../src/main/db/time-order-repo'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'
import { START } from '../helpers/harness'

const USERS = 3000
const NOW = START + 86_400_000
const HOUR = 3_600_000

let demo: DemoDatabase
let db: Database

beforeAll(() => {
  demo = seededDatabase(USERS, 13)
  db = demo.db
  const random = seededRandom(9)
  const ids = db.prepare('SELECT id FROM users').pluck().all() as number[]
  // Few distinct times, so that many users share one and the id breaks the ties.
  const time = () => START - Math.floor(random() * 40) * HOUR
  db.transaction(() => {
    const update = (sql: string, share: number, value: () => unknown) => {
      const statement = db.prepare(sql)
      for (const id of ids) if (random() < share) statement.run(value(), id)
    }
    update('UPDATE users SET last_2fa_login_at = ? WHERE id = ?', 0.5, time)
    update("UPDATE users SET enforcement = 'enforced', enforcement_at = ? WHERE id = ?", 0.1, time)
    update("UPDATE users SET enforcement = 'exempt', enforcement_at = ? WHERE id = ?", 0.05, time)
    update('UPDATE users SET locked_until = ? WHERE id = ?', 0.08, () => NOW + Math.floor(random() * 5) * HOUR)
    update('UPDATE users SET locked_until = ? WHERE id = ?', 0.04, () => NOW - HOUR)
    update('UPDATE users SET disabled = ? WHERE id = ?', 0.1, () => 1)
    update('UPDATE totp_credentials SET confirmed_at = ? WHERE user_id = ?', 0.5, time)
  })()
}, 60_000)
afterAll(() => demo.dispose())

interface Fact {
  id: number
  name: string
  email: string
  last_2fa_login_at: number | null
  confirmed_at: number | null
  enforcement: string
  enforcement_at: number | null
  locked_until: number | null
  disabled: number
  has_totp: number
  role: string
}

function timeOf(sort: TimeSortKey, fact: Fact): number | null {
  if (sort === 'lastTwoFactorLogin') return fact.last_2fa_login_at
  if (sort === 'activeSince') return fact.confirmed_at
  if (sort === 'enforcedSince') return fact.enforcement === 'enforced' ? fact.enforcement_at : null
  return fact.locked_until !== null && fact.locked_until > NOW ? fact.locked_until : null
}

type Question = UserListFilter & { status?: TwoFactorFilter }

/** The plain statement of the order: with the time first, by (time, id) in the direction; without it last, by id in the direction. */
function expectedIds(sort: TimeSortKey, direction: SortDirection, keep: (fact: Fact) => boolean): number[] {
  const facts = (
    db
      .prepare('SELECT u.*, c.confirmed_at FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id')
      .all() as Fact[]
  ).filter(keep)
  const sign = direction === 'asc' ? 1 : -1
  return facts
    .sort((a, b) => {
      const x = timeOf(sort, a)
      const y = timeOf(sort, b)
      if ((x === null) !== (y === null)) return x === null ? 1 : -1
      return sign * ((x ?? 0) - (y ?? 0) || a.id - b.id)
    })
    .map((fact) => fact.id)
}

function request(question: Question, sort: TimeSortKey, direction: SortDirection, extra: Partial<ListRequest> = {}): ListRequest {
  return { ...question, sort, direction, limit: 89, policy: readEnforcementPolicy(db), now: NOW, ...extra }
}

function pageThrough(question: Question, sort: TimeSortKey, direction: SortDirection): { ids: number[]; totals: Set<number> } {
  const ids: number[] = []
  const totals = new Set<number>()
  let cursor: string | undefined
  do {
    const page = listUserRecords(db, request(question, sort, direction, cursor === undefined ? {} : { cursor }))
    ids.push(...page.records.map((user) => user.id))
    totals.add(page.total)
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return { ids, totals }
}

const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())
const CASES: [string, Question, (fact: Fact) => boolean][] = [
  ['every user', {}, () => true],
  ['2FA active', { status: 'active' }, (fact) => fact.has_totp === 1],
  // Few users: their rows are gathered from the class index and sorted (not the time's index walked).
  ['pending (few)', { status: 'pending' }, (fact) => fact.has_totp === 0 && (fact.role === 'admin' || fact.enforcement === 'enforced')],
  ['disabled (a narrow filter)', { disabled: true }, (fact) => fact.disabled === 1],
  ['not locked (a broad filter)', { locked: false }, (fact) => !(fact.locked_until !== null && fact.locked_until > NOW)],
  ['search "ma"', { query: 'ma' }, (fact) => lower(fact.name).startsWith('ma') || lower(fact.email).startsWith('ma')],
  ['search "son"', { query: 'son' }, (fact) => lower(fact.name).includes('son') || lower(fact.email).includes('son')]
]

describe(`sorts by a time over ${USERS.toLocaleString('en')} users with many equal times`, () => {
  for (const sort of TIME_SORT_KEYS) {
    for (const [label, question, keep] of CASES) {
      it(`${sort}, ${label}: both directions, every user once, with the time first by (time, id), then the rest by id`, () => {
        for (const direction of ['asc', 'desc'] as const) {
          const want = expectedIds(sort, direction, keep)
          expect(want.length).toBeGreaterThan(0)
          const { ids, totals } = pageThrough(question, sort, direction)
          expect(ids, direction).toEqual(want)
          expect([...totals]).toEqual([want.length])
        }
      })
    }

    it(`${sort}: a jump to a position starts at that row, both directions`, () => {
      for (const direction of ['asc', 'desc'] as const) {
        const want = expectedIds(sort, direction, () => true)
        for (const position of [0, 1, 1234, want.length - 3, want.length]) {
          const page = listUserRecords(db, request({}, sort, direction, { position, limit: 25 }))
          expect(page.start).toBe(position)
          expect(page.records.map((user) => user.id)).toEqual(want.slice(position, position + 25))
        }
      }
    })

    it(`${sort}: the part with the time reads its partial index; the rest reads the table by id, never sorted`, () => {
      const listRequest = request({}, sort, 'asc')
      const source = armSource(db, listRequest.policy, listRequest)
      const plan = (present: boolean) => {
        const { sql, params } = seekUsersByTimeStatement({ order: sort, direction: 'asc', present, filter: source.filter, limit: 51, now: NOW, after: { value: START, id: 10 } })
        return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail).join('\n')
      }
      expect(plan(true)).toMatch(/SEARCH u USING INDEX users_by_\w+ \(/)
      expect(plan(true)).not.toContain('TEMP B-TREE')
      expect(plan(false)).toMatch(/SEARCH u USING INTEGER PRIMARY KEY \(rowid>\?\)/)
      expect(plan(false)).not.toContain('TEMP B-TREE')
    })
  }

  it('a status that holds few users gathers its rows from the class index, and sorts only those', () => {
    const listRequest = request({ status: 'pending' }, 'lastTwoFactorLogin', 'asc')
    const source = armSource(db, listRequest.policy, listRequest)
    const { sql, params } = seekUsersByTimeStatement({ order: 'lastTwoFactorLogin', direction: 'asc', present: true, filter: source.filter, limit: 51, now: NOW, gather: true })
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail).join('\n')
    expect(plan).toMatch(/SEARCH u USING INDEX users_by_class_name \(tfa_class=\?\)/)
  })

  it('refuses a cursor of another order, and a time cursor whose time is not a number', () => {
    const byName = listUserRecords(db, { sort: 'name', direction: 'asc', limit: 10, policy: readEnforcementPolicy(db), now: NOW })
    expect(() => listUserRecords(db, request({}, 'lastTwoFactorLogin', 'asc', { cursor: byName.nextCursor! }))).toThrow(/not valid for this list/)
    const forged = Buffer.from(JSON.stringify([2, 'lockedUntil', 'asc', 'set', 'soon', 5])).toString('base64url')
    expect(() => listUserRecords(db, request({}, 'lockedUntil', 'asc', { cursor: forged }))).toThrow(/not valid for this list/)
  })
})
