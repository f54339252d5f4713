// Review of issue 12: every list the Users screen can ask for (status incl.
// overdue x group x sort x direction, by cursor, by position and by search)
// against a full scan of the rows mapped by the per-row rule (toUserRow /
// effectiveEnforcement). Many group sets, so that both the per-class merge and
// the filtered range (readArms) are used; individual deadlines before and after now.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TwoFactorFilter, UserRow, UserSortKey } from '../../../src/shared/domain'
import { TWO_FACTOR_STATUSES } from '../../../src/shared/domain'
import { seededRandom } from '../../../src/main/core/demo/demo-directory'
import { compareNoCase, ROLE_ORDER } from '../../../src/main/core/listing/keyset'
import { nameSortKey } from '../../../src/shared/name-key'
import { addMember, insertGroup } from '../../../src/main/db/groups-repo'
import { insertCredential } from '../../../src/main/db/totp-repo'
import { DAY_MS } from '../../../src/shared/domain'
import { TestEnv } from '../helpers/harness'

let env: TestEnv
let all: UserRow[] = []
let groupIds: number[] = []

const NAMES = ['alice', 'Alice', 'ALICE', 'bob', 'Bob', 'carol', 'dave', 'Émile', 'zoë', 'Zed', 'mallory', 'trent']

beforeAll(async () => {
  env = new TestEnv()
  const db = env.db
  const random = seededRandom(12)
  const now = env.clock.now()
  db.transaction(() => {
    const insert = db.prepare(
      // With the name's sort key, as the repositories write it (migration 12).
      'INSERT INTO users (name, name_key, email, role, enforcement, enforcement_deadline, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, 0, 0)'
    )
    for (let i = 0; i < 140; i++) {
      const role = random() < 0.15 ? 'admin' : 'user'
      const r = random()
      const enforcement = r < 0.25 ? 'enforced' : r < 0.35 ? 'exempt' : 'inherit'
      const d = random()
      const deadline = enforcement !== 'enforced' ? null : d < 0.3 ? now - DAY_MS : d < 0.6 ? now + 3 * DAY_MS : d < 0.8 ? null : now
      const name = NAMES[Math.floor(random() * NAMES.length)]!
      const id = Number(insert.run(name, nameSortKey(name), `${name.toLowerCase()}.${i}@example.com`, role, enforcement, deadline).lastInsertRowid)
      if (random() < 0.25) insertCredential(db, { userId: id, secretEnc: Buffer.alloc(40), algorithm: 'SHA1', digits: 6, period: 30, confirmedAt: 1, lastUsedStep: null })
    }
  })()
  db.transaction(() => {
    groupIds = ['A', 'B', 'C', 'D', 'E', 'F'].map((name) => insertGroup(db, { name, now: 0 }))
    const ids = db.prepare('SELECT id FROM users').pluck().all() as number[]
    for (const id of ids) for (const g of groupIds) if (random() < 0.3) addMember(db, g, id)
  })()
  // Enforcement: A at once (overdue), B in 10 days, policy for all in 5 days, C exempt from the policy, D enforced with a past deadline.
  await env.cli('enforceGroup', { groupId: groupIds[0]! })
  await env.cli('enforceGroup', { groupId: groupIds[1]!, graceDays: 10 })
  await env.cli('enforceForAllUsers', { graceDays: 5 })
  await env.cli('setPolicyExemptionGroup', { groupId: groupIds[2]! })
  await env.cli('enforceGroup', { groupId: groupIds[3]!, graceDays: 1 })
  // Time passes: D's deadline passes, the policy's and B's do not.
  env.clock.advance(2 * DAY_MS)
  // The full scan, row by row (every user read by id, mapped by the per-row rule).
  const ids = env.db.prepare('SELECT id FROM users ORDER BY id').pluck().all() as number[]
  all = []
  for (const userId of ids) all.push(await env.cli('getUser', { userId }))
})
afterAll(() => env.dispose())

function inFilter(user: UserRow, status: TwoFactorFilter | undefined, groupId: number | undefined, groupName: string | undefined): boolean {
  if (groupId !== undefined && (groupName === undefined || !user.groups.includes(groupName))) return false
  if (status === undefined) return true
  if (status === 'overdue') return user.status === 'pending' && user.overdue
  return user.status === status
}

function expectedOrder(users: UserRow[], sort: UserSortKey, direction: 'asc' | 'desc'): number[] {
  const rank = (u: UserRow) => (sort === 'role' ? ROLE_ORDER.indexOf(u.role) : sort === 'status' ? TWO_FACTOR_STATUSES.indexOf(u.status) : 0)
  // Names sort by their reading key (accents with their base letter, issue 13).
  const text = (u: UserRow) => (sort === 'email' ? u.email : nameSortKey(u.name))
  const sorted = [...users].sort((a, b) => rank(a) - rank(b) || compareNoCase(text(a), text(b)) || a.id - b.id)
  if (direction === 'desc') sorted.reverse()
  return sorted.map((u) => u.id)
}

const GROUP_NAMES = ['A', 'B', 'C', 'D', 'E', 'F']

describe('every list against a full scan', () => {
  it('the directory exercises many classes, the filtered range and every status', async () => {
    const { readArms } = await import('../../../src/main/core/listing/keyset')
    const { armSource } = await import('../../../src/main/core/listing/class-selection')
    const { readEnforcementPolicy } = await import('../../../src/main/core/enforcement/policy')
    const policy = readEnforcementPolicy(env.db)
    const classes = env.db.prepare('SELECT count(*) FROM class_counts WHERE users > 0').pluck().get() as number
    expect(classes).toBeGreaterThan(40)
    const source = armSource(env.db, policy, { status: 'pending', now: env.clock.now() })
    const arms = readArms('name', source, 8)
    expect(arms.some((arm) => arm.query.twoFactorClasses !== undefined)).toBe(true)
    expect(arms.some((arm) => arm.query.dueBy !== undefined)).toBe(false)
    const overdue = readArms('role', armSource(env.db, policy, { status: 'overdue', now: env.clock.now() }), 5)
    expect(overdue.some((arm) => arm.query.dueBy !== undefined)).toBe(true)
    for (const s of ['active', 'pending', 'inactive'] as const) expect(all.filter((u) => u.status === s).length).toBeGreaterThan(5)
    expect(all.filter((u) => u.status === 'pending' && u.overdue).length).toBeGreaterThan(5)
    expect(all.filter((u) => u.status === 'pending' && !u.overdue).length).toBeGreaterThan(5)
  })

  it('the scan itself is self-consistent with the distribution', async () => {
    const overview = await env.cli('getSecurityOverview')
    const count = (f: (u: UserRow) => boolean) => all.filter(f).length
    expect(overview.distribution).toEqual({
      total: all.length,
      active: count((u) => u.status === 'active'),
      pending: count((u) => u.status === 'pending'),
      inactive: count((u) => u.status === 'inactive'),
      overdue: count((u) => u.status === 'pending' && u.overdue)
    })
    for (const [index, id] of groupIds.entries()) {
      const summary = await env.cli('getGroup', { groupId: id })
      const members = all.filter((u) => u.groups.includes(GROUP_NAMES[index]!))
      expect(summary.distribution, GROUP_NAMES[index]).toEqual({
        total: members.length,
        active: members.filter((u) => u.status === 'active').length,
        pending: members.filter((u) => u.status === 'pending').length,
        inactive: members.filter((u) => u.status === 'inactive').length,
        overdue: members.filter((u) => u.status === 'pending' && u.overdue).length
      })
    }
  })

  const statuses: (TwoFactorFilter | undefined)[] = [undefined, 'active', 'pending', 'overdue', 'inactive']
  const sorts: UserSortKey[] = ['name', 'email', 'role', 'status']
  it.each(statuses.flatMap((status) => [undefined, 0, 1, 2, 3, 4, 5, 99].map((g) => [status ?? 'any', g ?? 'none'] as const)))(
    'status %s, group %s: cursor pages, positions and a search in every sort and direction',
    async (statusName, g) => {
      const status = statusName === 'any' ? undefined : (statusName as TwoFactorFilter)
      const groupId = g === 'none' ? undefined : g === 99 ? 9999 : groupIds[g]!
      const groupName = g === 'none' || g === 99 ? undefined : GROUP_NAMES[g]
      const wanted = all.filter((u) => inFilter(u, status, groupId, groupName))
      const byId = new Map(all.map((u) => [u.id, u]))
      for (const sort of sorts) {
        for (const direction of ['asc', 'desc'] as const) {
          const label = `${statusName} group ${g} by ${sort} ${direction}`
          const expected = expectedOrder(wanted, sort, direction)
          // Cursor pages.
          const got: number[] = []
          let cursor: string | undefined
          let total = -1
          do {
            const page = await env.cli('listUsers', { status, groupId, sort, direction, limit: 7, ...(cursor ? { cursor } : {}) })
            total = page.total
            for (const user of page.users) {
              got.push(user.id)
              // The row a list shows says what the scan says.
              expect(user, label).toEqual(expect.objectContaining({ status: byId.get(user.id)!.status, overdue: byId.get(user.id)!.overdue }))
            }
            cursor = page.nextCursor ?? undefined
          } while (cursor !== undefined)
          expect(got, `${label}: cursor pages`).toEqual(expected)
          expect(total, `${label}: total`).toBe(expected.length)
          // Positions.
          for (const position of [1, 4, 13, 29, expected.length - 2, expected.length - 1, expected.length]) {
            if (position < 0) continue
            const page = await env.cli('listUsers', { status, groupId, sort, direction, limit: 4, position })
            expect(
              page.users.map((u) => u.id),
              `${label}: position ${position}`
            ).toEqual(expected.slice(position, position + 4))
          }
          // A search (prefix and substring) in the same filter.
          for (const query of ['al', 'ali', 'bo', 'example']) {
            const matches = wanted.filter((u) => (query.length < 3 ? u.name.toLowerCase().startsWith(query) || u.email.toLowerCase().startsWith(query) : u.name.toLowerCase().includes(query) || u.email.toLowerCase().includes(query)))
            const searched: number[] = []
            let next: string | undefined
            do {
              const page = await env.cli('listUsers', { status, groupId, sort, direction, query, limit: 9, ...(next ? { cursor: next } : {}) })
              searched.push(...page.users.map((u) => u.id))
              next = page.nextCursor ?? undefined
            } while (next !== undefined)
            expect(searched, `${label}: search ${query}`).toEqual(expectedOrder(matches, sort, direction))
          }
        }
      }
    }
  )
})
