// Jumping to any row of the Users table, as a virtualized table's scrollbar
// does: over 50,000 generated users, for every sort order and direction, with
// and without each status filter and for a search, the page at a position holds
// exactly the rows a naive ORDER BY ... LIMIT/OFFSET (here, in the test only)
// puts there; and after writes, on this connection or another process's, the
// jumps stay exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SortDirection, TwoFactorStatus, UserSortKey } from '../../../src/shared/domain'
import { parseInput } from '../../../src/shared/schemas'
import { seededRandom } from '../../../src/main/core/demo/demo-directory'
import { plainPolicy } from '../../../src/main/core/enforcement/rules'
import { armSource } from '../../../src/main/core/listing/class-selection'
import { JumpSignposts, SIGNPOST_EVERY } from '../../../src/main/core/listing/jump-signposts'
import { jumpRanges, listUserRecords, type ListRequest, type ListResult } from '../../../src/main/core/listing/user-listing'
import type { Database } from '../../../src/main/db/connection'
import { writePolicy } from '../../../src/main/db/policy-repo'
import { insertUser, setEnforcementOverride, updateProfile } from '../../../src/main/db/users-repo'
import { ALL_CLASSES, countMatches } from '../../../src/main/db/listing-repo'
import { searchTerm } from '../../../src/main/core/listing/search-term'
import { keyChangeWindow, recordKeyReset } from '../../../src/main/db/key-changes-repo'
import { KEY_CHANGES_KEPT } from '../../../src/main/db/migrations/004-user-key-changes'
import BetterSqlite3 from 'better-sqlite3'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'

const USERS = 50_000
const PAGE = 20
// Closer signposts than the app's, so that the rarest status still spans several of them.
const N = 256

let demo: DemoDatabase
let db: Database

beforeAll(() => {
  demo = seededDatabase(USERS, 5)
  db = demo.db
}, 60_000)
afterAll(() => demo.dispose())

// The rules of the 2FA status written again as SQL, from the base facts: 0 active, 1 pending, 2 not active.
const STATUS_RANK = `CASE WHEN c.user_id IS NOT NULL THEN 0
  WHEN u.role = 'admin' OR u.enforcement = 'enforced' OR (u.enforcement = 'inherit' AND @policy = 1) THEN 1 ELSE 2 END`
const RANKS: Record<TwoFactorStatus, number> = { active: 0, pending: 1, inactive: 2 }

interface Want {
  sort: UserSortKey
  direction: SortDirection
  enforcedForAll: boolean
  status?: TwoFactorStatus
  query?: string
}

function naiveWhere(want: Want): string {
  const where: string[] = []
  if (want.status !== undefined) where.push(`${STATUS_RANK} = @rank`)
  if (want.query !== undefined) where.push('(u.name LIKE @like OR u.email LIKE @like)')
  return where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
}

function naiveParams(want: Want): Record<string, unknown> {
  return { policy: want.enforcedForAll ? 1 : 0, rank: want.status === undefined ? null : RANKS[want.status], like: (want.query ?? '').length >= 3 ? `%${want.query}%` : `${want.query}%` }
}

/** The ids at rows offset .. offset + limit - 1 of the list, the naive way. */
function naivePage(want: Want, offset: number, limit = PAGE): number[] {
  const dir = want.direction === 'asc' ? 'ASC' : 'DESC'
  const orderBy: Partial<Record<UserSortKey, string>> = {
    name: `u.name_key ${dir}, u.id ${dir}`,
    email: `u.email ${dir}, u.id ${dir}`,
    role: `u.role ${dir}, u.name_key ${dir}, u.id ${dir}`,
    status: `${STATUS_RANK} ${dir}, u.name_key ${dir}, u.id ${dir}`
  }
  return db
    .prepare(
      `SELECT u.id FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id ${naiveWhere(want)}
       ORDER BY ${orderBy[want.sort]} LIMIT @limit OFFSET @offset`
    )
    .pluck()
    .all({ ...naiveParams(want), limit, offset }) as number[]
}

function naiveTotal(want: Want): number {
  return db
    .prepare(`SELECT count(*) FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id ${naiveWhere(want)}`)
    .pluck()
    .get(naiveParams(want)) as number
}

function request(want: Want, position: number): ListRequest {
  return {
    sort: want.sort,
    direction: want.direction,
    policy: plainPolicy(want.enforcedForAll),
    now: 0,
    limit: PAGE,
    position,
    ...(want.status !== undefined ? { status: want.status } : {}),
    ...(want.query !== undefined ? { query: want.query } : {})
  }
}

/** As the service does it: wait for the signposts (built in slices), then list. */
async function jump(signposts: JumpSignposts, want: Want, position: number): Promise<ListResult> {
  const first = request(want, position)
  await signposts.ready(db, jumpRanges(first, armSource(db, first.policy, first)))
  return listUserRecords(db, request(want, position), signposts)
}

const ids = (result: ListResult) => result.records.map((user) => user.id)

function positionsFor(total: number, random: () => number): number[] {
  const some = () => Math.floor(random() * total)
  return [...new Set([0, 1, N - 1, N, N + 1, 2 * N - 1, some(), some(), some(), total - 1, total, total + 7].filter((position) => position >= 0))]
}

const SORTS: UserSortKey[] = ['name', 'email', 'role', 'status']
const CASES: Want[] = [
  ...SORTS.flatMap((sort) =>
    (['asc', 'desc'] as const).flatMap((direction) =>
      [undefined, 'active', 'pending', 'inactive'].map((status) => ({ sort, direction, enforcedForAll: false, ...(status ? { status: status as TwoFactorStatus } : {}) }))
    )
  ),
  // Under the global policy the pending users are two classes merged, and the status order regroups them.
  { sort: 'status', direction: 'asc', enforcedForAll: true },
  { sort: 'status', direction: 'desc', enforcedForAll: true },
  { sort: 'name', direction: 'asc', enforcedForAll: true, status: 'pending' },
  { sort: 'role', direction: 'desc', enforcedForAll: true, status: 'pending' },
  { sort: 'email', direction: 'desc', enforcedForAll: true, status: 'inactive' }
]

const label = (want: Want) => `sort ${want.sort} ${want.direction}, policy ${want.enforcedForAll ? 'on' : 'off'}, ${want.status ?? 'all statuses'}${want.query ? `, search "${want.query}"` : ''}`

describe(`jumping to a position over ${USERS.toLocaleString('en')} users`, () => {
  const signposts = new JumpSignposts(N)

  for (const want of CASES) {
    it(`${label(want)}: each page holds the rows the full ordered list has there`, async () => {
      writePolicy(db, want.enforcedForAll, 'test', 0)
      const total = naiveTotal(want)
      expect(total).toBeGreaterThan(2 * N)
      for (const position of positionsFor(total, seededRandom(total))) {
        const result = await jump(signposts, want, position)
        expect(result.total).toBe(total)
        expect(result.start).toBe(Math.min(position, total))
        expect(ids(result), `position ${position}`).toEqual(naivePage(want, position))
        expect(result.nextCursor === null).toBe(position + PAGE >= total)
      }
    })
  }

  it(`with the app's spacing of ${SIGNPOST_EVERY} rows too`, async () => {
    const appSpacing = new JumpSignposts()
    for (const want of [CASES[0]!, CASES[9]!, CASES[31]!]) {
      writePolicy(db, want.enforcedForAll, 'test', 0)
      const total = naiveTotal(want)
      for (const position of [SIGNPOST_EVERY - 1, SIGNPOST_EVERY, 7 * SIGNPOST_EVERY + 5, total - 1]) {
        expect(ids(await jump(appSpacing, want, position)), `${label(want)} at ${position}`).toEqual(naivePage(want, position))
      }
    }
  })

  it('the next page continues from a jump by cursor', async () => {
    const want: Want = { sort: 'role', direction: 'desc', enforcedForAll: false, status: 'inactive' }
    writePolicy(db, false, 'test', 0)
    const position = 3 * N + 17
    const first = await jump(signposts, want, position)
    const next = listUserRecords(db, { ...request(want, 0), position: undefined, cursor: first.nextCursor! }, signposts)
    expect(next.start).toBeUndefined()
    expect(ids(next)).toEqual(naivePage(want, position + PAGE))
  })

  it('a search pages from that index of its sorted matches', async () => {
    writePolicy(db, false, 'test', 0)
    // A substring (trigram index) and a prefix (name and email indexes).
    for (const query of ['garcia', 'bj']) {
      for (const sort of SORTS) {
        for (const direction of ['asc', 'desc'] as const) {
          const want: Want = { sort, direction, enforcedForAll: false, query }
          const total = naiveTotal(want)
          expect(total).toBeGreaterThan(PAGE)
          expect(total).toBeLessThan(1000)
          for (const position of [0, 1, Math.floor(total / 2), total - 1, total, total + 3]) {
            const result = await jump(signposts, want, position)
            expect(result.countPending).toBe(false)
            expect(result.start).toBe(Math.min(position, total))
            expect(ids(result), `${label(want)} at ${position}`).toEqual(naivePage(want, position))
          }
        }
      }
    }
  })

  it('a search of more than 1,000 matches lists them all, and jumps anywhere among them as paging reads them', async () => {
    for (const want of [
      { sort: 'email', direction: 'asc', enforcedForAll: false, query: 'ma' },
      { sort: 'name', direction: 'desc', enforcedForAll: false, query: 'example' }
    ] satisfies Want[]) {
      const listed: number[] = []
      let cursor: string | undefined
      do {
        const page = listUserRecords(db, { ...request(want, 0), position: undefined, limit: 100, ...(cursor ? { cursor } : {}) })
        listed.push(...ids(page))
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined)
      // Every match, each once, in order: what a LIKE scan finds.
      expect(listed, label(want)).toEqual(naivePage(want, 0, 1_000_000))
      expect(listed.length).toBeGreaterThan(1000)
      for (const position of [0, 500, 999, 1000, listed.length - 1, listed.length]) {
        const result = await jump(signposts, want, position)
        if (position === 0) {
          // Position 0 is the first page, read as one (search-page.ts): its count follows from countUsers.
          expect(result.countPending).toBe(true)
          expect(result.total).toBeLessThanOrEqual(listed.length)
          // What countUsers counts off the screens' thread for it: every match.
          expect(countMatches(db, searchTerm(want.query)!, ALL_CLASSES)).toBe(listed.length)
        } else {
          // Every match is sorted for a jump: the same read counts them, so the total is exact.
          expect(result.countPending).toBe(false)
          expect(result.total).toBe(listed.length)
        }
        expect(result.start).toBe(position)
        expect(ids(result), `${label(want)} at ${position}`).toEqual(listed.slice(position, position + PAGE))
      }
    }
  })

  it('refuses a position with a cursor, a negative or a huge position', () => {
    expect(parseInput('listUsers', { position: 10, cursor: 'abc' })).toMatchObject({ ok: false, field: 'position' })
    expect(parseInput('listUsers', { position: -1 }).ok).toBe(false)
    expect(parseInput('listUsers', { position: 1.5 }).ok).toBe(false)
    expect(parseInput('listUsers', { position: 1_000_000_001 }).ok).toBe(false)
    expect(parseInput('listUsers', { position: 1_000_000_000 }).ok).toBe(true)
    expect(() => listUserRecords(db, { ...request(CASES[0]!, 5), cursor: 'x' })).toThrow(/position or by cursor/)
  })
})

describe('jumping after the directory changed', () => {
  const wants: Want[] = [
    { sort: 'name', direction: 'asc', enforcedForAll: false },
    { sort: 'email', direction: 'desc', enforcedForAll: false },
    { sort: 'status', direction: 'asc', enforcedForAll: false },
    { sort: 'role', direction: 'desc', enforcedForAll: false, status: 'inactive' },
    { sort: 'name', direction: 'desc', enforcedForAll: false, status: 'pending' }
  ]
  let round = 0

  /** Changes of every kind through `target` (this connection or another process's): inserts spread over the alphabet, deletions, moves between classes and roles. */
  function changeDirectory(target: Database, count: number): void {
    const random = seededRandom(1000 + round)
    const tag = round++
    target.transaction(() => {
      for (let i = 0; i < count; i++) {
        const name = `${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(97 + Math.floor(random() * 26))} Newcomer ${tag}-${i}`
        insertUser(target, { name, email: `newcomer${tag}-${i}@example.com`, role: i % 10 === 0 ? 'admin' : 'user', passwordHash: null, now: 0 })
      }
      const victims = target.prepare('SELECT id FROM users WHERE demo = 1 ORDER BY id LIMIT ? OFFSET ?').pluck().all(count, 1000 + tag * count) as number[]
      for (const id of victims) target.prepare('DELETE FROM users WHERE id = ?').run(id)
      const movers = target.prepare('SELECT id FROM users WHERE demo = 1 ORDER BY id LIMIT ? OFFSET ?').pluck().all(count, 20_000 + tag * count) as number[]
      movers.forEach((id, i) => {
        if (i % 3 === 0) updateProfile(target, id, { role: 'admin', name: `Moved ${tag}-${i}` }, 0)
        else setEnforcementOverride(target, id, i % 3 === 1 ? 'enforced' : 'exempt', 'test', 0)
      })
    })()
  }

  async function expectExact(signposts: JumpSignposts, seed: number): Promise<void> {
    const random = seededRandom(seed)
    for (const want of wants) {
      const total = naiveTotal(want)
      for (const position of positionsFor(total, random)) {
        const result = await jump(signposts, want, position)
        expect(result.total, `${label(want)}`).toBe(total)
        expect(ids(result), `${label(want)} at ${position}`).toEqual(naivePage(want, position))
      }
    }
  }

  it('answers exactly at once after writes on this connection, without walking the index again', async () => {
    writePolicy(db, false, 'test', 0)
    const signposts = new JumpSignposts(N)
    for (const want of wants) await jump(signposts, want, 1)
    const byName = signposts.current(db, { order: 'name' })
    changeDirectory(db, 100)
    await expectExact(signposts, 1)
    // The same signposts, moved by the changes from the key change log: not walked again.
    expect(signposts.current(db, { order: 'name' })).toBe(byName)
    expect(byName.applied).toBeGreaterThan(100)
  })

  it('follows writes another process commits, also between the slices of a build', async () => {
    writePolicy(db, false, 'test', 0)
    const other = new BetterSqlite3(demo.path)
    other.pragma('busy_timeout = 5000')
    try {
      // Tiny slices, so that the build yields often; the other connection writes at every turn of the event loop.
      const signposts = new JumpSignposts(N, 0.2)
      let writing = true
      let batches = 0
      const writer = (async () => {
        while (writing && batches < 200) {
          changeDirectory(other, 3)
          batches++
          await new Promise((turn) => setImmediate(turn))
        }
      })()
      await jump(signposts, wants[0]!, 1)
      writing = false
      await writer
      expect(batches).toBeGreaterThan(1)
      changeDirectory(other, 50)
      await expectExact(signposts, 2)
    } finally {
      other.close()
    }
  })

  it('builds again after a bulk load, and after falling further behind than the log keeps', async () => {
    writePolicy(db, false, 'test', 0)
    const signposts = new JumpSignposts(N)
    for (const want of wants) await jump(signposts, want, 1)
    // A bulk load writes one 'reset' instead of a change per user.
    db.transaction(() => recordKeyReset(db))()
    changeDirectory(db, 20)
    await expectExact(signposts, 3)
    // More changes than the log keeps: the oldest this process needs are gone. Changes of role, each a key change
    // (renames write the search indexes too, 50,000 of them took most of the test's 30 s on a loaded machine).
    db.transaction(() => {
      const flip = db.prepare("UPDATE users SET role = CASE role WHEN 'admin' THEN 'user' ELSE 'admin' END WHERE id = ?")
      for (let i = 0; i < KEY_CHANGES_KEPT + 10; i++) flip.run(1 + (i % 501))
    })()
    expect(keyChangeWindow(db).first).toBeGreaterThan(1)
    await expectExact(signposts, 4)
  })

  it('after many changes builds anew in the background while answering exactly', async () => {
    writePolicy(db, false, 'test', 0)
    const signposts = new JumpSignposts(N)
    for (const want of wants) await jump(signposts, want, 1)
    changeDirectory(db, 2 * N)
    await expectExact(signposts, 5)
    await signposts.settled()
    await expectExact(signposts, 6)
  })

  it('builds in slices: the event loop keeps turning while the first jump waits', async () => {
    const signposts = new JumpSignposts(64, 1)
    let turns = 0
    const ticker = setInterval(() => turns++, 0)
    try {
      await jump(signposts, { sort: 'name', direction: 'asc', enforcedForAll: false }, 25_000)
    } finally {
      clearInterval(ticker)
    }
    expect(turns).toBeGreaterThan(0)
  })
})
