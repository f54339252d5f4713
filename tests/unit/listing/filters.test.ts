// The Users filters beyond the 2FA status (issue 13: role, locked, disabled,
// why 2FA is enforced, source, few recovery codes left) against a plain full
// scan of a few thousand random users: every filter alone and with the status,
// a group and a search, in every sort order both ways, each row exactly once
// across keyset pages, the exact total, jumps to a position; and the plans:
// a narrow filter reads its partial index, never the whole users table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserListFilter } from '../../../src/shared/contract'
import type { SortDirection, TwoFactorFilter, UserSortKey } from '../../../src/shared/domain'
import { ENFORCEMENT_SOURCE_FILTERS, FEW_RECOVERY_CODES, TWO_FACTOR_STATUSES, USER_SOURCES } from '../../../src/shared/domain'
import { seededRandom } from '../../../src/main/core/demo/demo-directory'
import { readEnforcementPolicy } from '../../../src/main/core/enforcement/policy'
import { activationDemand, effectiveEnforcement, twoFactorStatus, type EnforcementPolicy } from '../../../src/main/core/enforcement/rules'
import { armSource } from '../../../src/main/core/listing/class-selection'
import { readArms } from '../../../src/main/core/listing/keyset'
import { listUserRecords, type ListRequest } from '../../../src/main/core/listing/user-listing'
import type { Database } from '../../../src/main/db/connection'
import { addMember, insertGroup, setGroupEnforcement } from '../../../src/main/db/groups-repo'
import { seekUsersStatement, type BoundStatement } from '../../../src/main/db/listing-repo'
import { writeExemptGroup, writePolicy } from '../../../src/main/db/policy-repo'
import { classFilterSql } from '../../../src/main/db/row-filter-repo'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'
import { START } from '../helpers/harness'

const USERS = 3000
const NOW = START + 86_400_000
const HOUR = 3_600_000

let demo: DemoDatabase
let db: Database
let salesGroup: number
let contractorsGroup: number

interface Fact {
  id: number
  name: string
  email: string
  role: 'admin' | 'user'
  enforcement: 'inherit' | 'enforced' | 'exempt'
  enforcement_deadline: number | null
  has_totp: number
  group_set: number
  locked_until: number | null
  disabled: number
  source: 'local' | 'csv' | 'ldap'
  codes_left: number
  groups: string
}

beforeAll(() => {
  demo = seededDatabase(USERS, 11)
  db = demo.db
  const random = seededRandom(5)
  const ids = db.prepare('SELECT id FROM users').pluck().all() as number[]
  const pick = (share: number) => ids.filter(() => random() < share)
  db.transaction(() => {
    const set = (sql: string, users: number[], ...values: unknown[]) => {
      const update = db.prepare(sql)
      for (const id of users) update.run(...values, id)
    }
    set('UPDATE users SET locked_until = ? WHERE id = ?', pick(0.06), NOW + HOUR)
    // Locks that ended: still written, no longer locked.
    set('UPDATE users SET locked_until = ? WHERE id = ?', pick(0.04), NOW - HOUR)
    set('UPDATE users SET disabled = 1 WHERE id = ?', pick(0.07))
    set("UPDATE users SET source = 'csv' WHERE id = ?", pick(0.05))
    set("UPDATE users SET source = 'ldap' WHERE id = ?", pick(0.05))
    set("UPDATE users SET enforcement = 'enforced', enforcement_deadline = ? WHERE id = ?", pick(0.05), NOW - HOUR)
    set("UPDATE users SET enforcement = 'enforced', enforcement_deadline = ? WHERE id = ?", pick(0.04), NOW + 10 * HOUR)
    set("UPDATE users SET enforcement = 'exempt', enforcement_deadline = NULL WHERE id = ?", pick(0.06))
    set("UPDATE users SET role = 'admin' WHERE id = ?", pick(0.03))
    // Recovery codes through the table, so the count kept by its triggers is what is tested.
    const insert = db.prepare('INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)')
    const withTotp = db.prepare('SELECT id FROM users WHERE has_totp = 1').pluck().all() as number[]
    for (const id of new Set([...withTotp, ...pick(0.05)])) {
      const codes = Math.floor(random() * 11)
      for (let i = 0; i < codes; i++) insert.run(id, `hash-${id}-${i}`)
    }
    db.prepare("UPDATE recovery_codes SET used_at = ? WHERE code_hash LIKE '%-1' OR code_hash LIKE '%-3' OR code_hash LIKE '%-5'").run(NOW)
    db.prepare("DELETE FROM recovery_codes WHERE code_hash LIKE '%-7'").run()
    db.prepare("UPDATE recovery_codes SET used_at = NULL WHERE code_hash LIKE '%-5'").run()
    salesGroup = insertGroup(db, { name: 'Sales', now: START })
    contractorsGroup = insertGroup(db, { name: 'Contractors', now: START })
    for (const id of pick(0.2)) addMember(db, salesGroup, id)
    for (const id of pick(0.1)) addMember(db, contractorsGroup, id)
    setGroupEnforcement(db, salesGroup, { deadline: NOW - HOUR, by: 'test', now: START })
  })()
}, 60_000)
afterAll(() => demo.dispose())

const ORDER_BY: Partial<Record<UserSortKey, string>> = {
  name: 'u.name_key, u.id',
  email: 'u.email, u.id',
  role: 'u.role, u.name_key, u.id',
  status: 'u.name_key, u.id'
}

function facts(sort: UserSortKey): Fact[] {
  return db
    .prepare(
      `SELECT u.id, u.name, u.email, u.role, u.enforcement, u.enforcement_deadline, u.has_totp, u.group_set, u.locked_until, u.disabled, u.source,
         (SELECT count(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) AS codes_left,
         (SELECT group_concat(m.group_id) FROM group_members m WHERE m.user_id = u.id) AS groups
       FROM users u ORDER BY ${ORDER_BY[sort]}`
    )
    .all() as Fact[]
}

type Question = UserListFilter & { status?: TwoFactorFilter }

function subject(fact: Fact) {
  return { role: fact.role, enforcement: fact.enforcement, enforcementDeadline: fact.enforcement_deadline, groupSet: fact.group_set }
}

/** The plain statement of each filter, from the rules and each user's own columns. */
function matches(fact: Fact, question: Question, policy: EnforcementPolicy): boolean {
  const active = fact.has_totp === 1
  const status = twoFactorStatus(subject(fact), active, policy)
  if (question.status === 'overdue') {
    if (active || activationDemand(subject(fact), false, policy, NOW).kind !== 'required') return false
  } else if (question.status !== undefined && status !== question.status) return false
  if (question.groupId !== undefined && !(fact.groups ?? '').split(',').includes(String(question.groupId))) return false
  if (question.query !== undefined) {
    const term = question.query.toLowerCase()
    const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())
    const hit = term.length >= 3 ? (text: string) => lower(text).includes(term) : (text: string) => lower(text).startsWith(term)
    if (!hit(fact.name) && !hit(fact.email)) return false
  }
  if (question.role !== undefined && fact.role !== question.role) return false
  if (question.locked !== undefined && (fact.locked_until !== null && fact.locked_until > NOW) !== question.locked) return false
  if (question.disabled !== undefined && (fact.disabled === 1) !== question.disabled) return false
  if (question.source !== undefined && fact.source !== question.source) return false
  if (question.fewRecoveryCodes === true && !(active && fact.codes_left <= FEW_RECOVERY_CODES)) return false
  if (question.enforcementSource !== undefined) {
    const source = effectiveEnforcement(subject(fact), policy).source
    const wanted = { admin: ['role'], individual: ['individual'], exempt: ['exempt'], policy: ['policy', 'group'] }[question.enforcementSource]
    if (!wanted.includes(source)) return false
  }
  return true
}

function expectedIds(question: Question, sort: UserSortKey, direction: SortDirection, policy: EnforcementPolicy): number[] {
  let rows = facts(sort).filter((fact) => matches(fact, question, policy))
  if (sort === 'status') {
    const rank = (fact: Fact) => TWO_FACTOR_STATUSES.indexOf(twoFactorStatus(subject(fact), fact.has_totp === 1, policy))
    rows = [...rows].sort((a, b) => rank(a) - rank(b))
  }
  const ids = rows.map((fact) => fact.id)
  return direction === 'asc' ? ids : ids.reverse()
}

function request(question: Question, sort: UserSortKey, direction: SortDirection, extra: Partial<ListRequest> = {}): ListRequest {
  return { ...question, sort, direction, limit: 97, policy: readEnforcementPolicy(db), now: NOW, ...extra }
}

function pageThrough(question: Question, sort: UserSortKey, direction: SortDirection): { ids: number[]; totals: Set<number> } {
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

const SINGLE: Question[] = [
  { role: 'admin' },
  { role: 'user' },
  { locked: true },
  { locked: false },
  { disabled: true },
  { disabled: false },
  ...ENFORCEMENT_SOURCE_FILTERS.map((enforcementSource) => ({ enforcementSource })),
  ...USER_SOURCES.map((source) => ({ source })),
  { fewRecoveryCodes: true }
]

const COMBINED: Question[] = [
  { status: 'pending', locked: true },
  { status: 'overdue', enforcementSource: 'individual' },
  { status: 'overdue', disabled: false, locked: false },
  { status: 'pending', enforcementSource: 'policy', source: 'local' },
  { status: 'active', fewRecoveryCodes: true, role: 'user' },
  { enforcementSource: 'policy', locked: false, disabled: false, role: 'user', source: 'local' },
  { role: 'user', enforcementSource: 'individual', locked: false },
  { source: 'ldap', disabled: true },
  { query: 'ma', locked: false },
  { query: 'ari', enforcementSource: 'exempt' },
  { query: 'son', disabled: false, status: 'pending' }
]

const SORTS: UserSortKey[] = ['name', 'email', 'role', 'status']

describe(`filters over ${USERS.toLocaleString('en')} random users, against a full scan`, () => {
  for (const enforcedForAll of [false, true]) {
    describe(`policy ${enforcedForAll ? 'on (Contractors exempt)' : 'off'}, Sales enforced`, () => {
      beforeAll(() => {
        db.transaction(() => {
          writePolicy(db, enforcedForAll, 'test', START, enforcedForAll ? NOW + HOUR : null)
          writeExemptGroup(db, enforcedForAll ? contractorsGroup : null)
        })()
      })
      const questions = [...SINGLE, ...COMBINED, { groupId: -1, locked: false } as Question, { groupId: -2, enforcementSource: 'policy' } as Question]
      for (const question of questions) {
        it(`${JSON.stringify(question)}: every matching user once, in order, the exact total, in every order`, () => {
          const asked = question.groupId === -1 ? { ...question, groupId: salesGroup } : question.groupId === -2 ? { ...question, groupId: contractorsGroup } : question
          const policy = readEnforcementPolicy(db)
          let nonEmpty = 0
          for (const sort of SORTS) {
            for (const direction of ['asc', 'desc'] as const) {
              const want = expectedIds(asked, sort, direction, policy)
              const { ids, totals } = pageThrough(asked, sort, direction)
              expect(ids, `${sort} ${direction}`).toEqual(want)
              expect([...totals], `${sort} ${direction}`).toEqual([want.length])
              if (want.length > 0) nonEmpty++
            }
          }
          // Every case selects someone (a filter that matched no one would prove little).
          expect(nonEmpty).toBeGreaterThan(0)
        })
      }
    })
  }

  it('filters that contradict each other hold no one, and say so exactly', () => {
    for (const question of [{ role: 'admin', enforcementSource: 'individual' }, { status: 'inactive', enforcementSource: 'policy' }, { source: 'csv', enforcementSource: 'admin', role: 'user' }] as Question[]) {
      for (const sort of SORTS) {
        const page = listUserRecords(db, request(question, sort, 'asc'))
        expect(page.records).toEqual([])
        expect(page.total).toBe(0)
      }
    }
  })

  it('jumps to a position of a filtered list start at that row', () => {
    const policy = readEnforcementPolicy(db)
    for (const question of [{ locked: false }, { enforcementSource: 'policy' }, { fewRecoveryCodes: true }, { status: 'pending', disabled: true }] as Question[]) {
      for (const direction of ['asc', 'desc'] as const) {
        const want = expectedIds(question, 'name', direction, policy)
        for (const position of [0, 1, Math.floor(want.length / 2), want.length - 1, want.length]) {
          const page = listUserRecords(db, request(question, 'name', direction, { position, limit: 20 }))
          expect(page.start).toBe(position)
          expect(page.total).toBe(want.length)
          expect(page.records.map((user) => user.id)).toEqual(want.slice(position, position + 20))
        }
      }
    }
  })

  it('the count of unused recovery codes follows every change of the codes (triggers of migration 12)', () => {
    const kept = db.prepare('SELECT count(*) FROM users u WHERE u.recovery_codes_left <> (SELECT count(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL)').pluck()
    expect(kept.get()).toBe(0)
    const someone = db.prepare('SELECT user_id FROM recovery_codes LIMIT 1').pluck().get() as number
    db.prepare('DELETE FROM users WHERE id = ?').run(someone)
    db.prepare('UPDATE recovery_codes SET used_at = ? WHERE rowid % 4 = 0').run(NOW)
    expect(kept.get()).toBe(0)
  })
})

describe('plans: a narrow filter reads its partial index, never the whole users table', () => {
  function plan(statement: BoundStatement): string {
    return (db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(statement.params) as { detail: string }[]).map((row) => row.detail).join('\n')
  }
  const NARROW: [Question, string][] = [
    [{ locked: true }, 'users_locked_by_name'],
    [{ disabled: true }, 'users_disabled_by_name'],
    [{ role: 'admin' }, 'users_admins_by_name'],
    [{ enforcementSource: 'individual' }, 'users_special_by_name'],
    [{ enforcementSource: 'exempt', status: 'inactive' }, 'users_special_by_name'],
    [{ source: 'csv' }, 'users_not_local_by_name'],
    [{ source: 'ldap', locked: false }, 'users_not_local_by_name'],
    [{ fewRecoveryCodes: true, disabled: false }, 'users_few_codes_by_name']
  ]
  for (const [question, index] of NARROW) {
    it(`${JSON.stringify(question)}: pages and the count read ${index}`, () => {
      for (const sort of SORTS) {
        const listRequest = request(question, sort, 'asc')
        const source = armSource(db, listRequest.policy, listRequest)
        for (const arm of readArms(sort, source)) {
          const seek = plan(seekUsersStatement({ ...arm.query, rows: source.filter.rows, direction: 'asc', limit: 51, after: { text: 'm', id: 5 } }))
          expect(seek, sort).toContain(`USING INDEX ${index}`)
          // A walk of the partial index (SCAN u USING INDEX ...) reads only its rows; never the table, never another index.
          expect(seek, sort).not.toMatch(/^SCAN u$/m)
          expect(seek, sort).not.toMatch(/USING (COVERING )?INDEX users_(by|from)_/)
        }
        const { sql, params } = classFilterSql(source.filter)
        const count = plan({ sql: `SELECT count(*) FROM users u INDEXED BY ${index} WHERE 1 ${sql}`, params })
        expect(count).toContain(index)
      }
    })
  }

  it('in name order, a narrow filter is a seek that stops at the page: no sort', () => {
    const listRequest = request({ locked: true }, 'name', 'asc')
    const source = armSource(db, listRequest.policy, listRequest)
    const [arm] = readArms('name', source)
    const seek = plan(seekUsersStatement({ ...arm!.query, rows: source.filter.rows, direction: 'asc', limit: 51 }))
    expect(seek).not.toContain('USE TEMP B-TREE')
  })

  it('a broad filter stays on the order index (filtered), never a partial index or a sort', () => {
    const listRequest = request({ locked: false, disabled: false, source: 'local' }, 'name', 'asc')
    const source = armSource(db, listRequest.policy, listRequest)
    const [arm] = readArms('name', source)
    const seek = plan(seekUsersStatement({ ...arm!.query, rows: source.filter.rows, direction: 'asc', limit: 51 }))
    expect(seek).toMatch(/users_by_name_key/)
    expect(seek).not.toContain('USE TEMP B-TREE')
  })
})
