// Issue 14's proof at scale: on a directory of 100,000 users, every shape of
// search (a full email in any case, a local part, @domain, a domain without @,
// prefixes of one and two characters, substrings rare and common, terms with
// an @ or LIKE's wildcards, accents, no match) returns exactly its matches,
// each once, in every sort order and both directions, with and without a
// status, role or group filter, through the dispatcher with the engine's own
// bounds (no tuning). The oracle is the same list without a search (its keyset
// paging is proved in keyset-pages.test.ts), filtered in JavaScript by what a
// term means. The page's total, when it says it is exact, and countUsers agree
// with the oracle's length; position jumps land on the oracle's rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListUsersInput, UserListFilter } from '../../../src/shared/contract'
import type { SortDirection, UserRow, UserSortKey } from '../../../src/shared/domain'
import { MAX_PAGE_SIZE } from '../../../src/shared/limits'
import * as usersRepo from '../../../src/main/db/users-repo'
import { setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

const USERS = 100_000

let env: TestEnv
let admin: Screen
let groupId: number

// Names and emails the generator never makes.
const TRICKY: [string, string][] = [
  ['Zed M@ria Quinn', 'zed.quinn.x1@example.org'],
  ['Łukasz Maria Nowak', 'lukasz.nowak.x2@example.org'],
  ['Bob Smith', 'MARIA.UP.X3@Example.ORG'],
  ['Ana 100% Maria_x', 'ana.x@maria.example.net'],
  ['Yılmaz Young', 'y.young.x4@eu.example.com'],
  ['Back\\Slash Maria', 'back.slash.x5@example.com'],
  ['Quentin Ab', 'ab@example.com']
]

async function everyRow(input: ListUsersInput, limit = MAX_PAGE_SIZE): Promise<UserRow[]> {
  const rows: UserRow[] = []
  let cursor: string | undefined
  for (let pages = 0; pages <= USERS; pages++) {
    const page = await admin.ok('listUsers', { ...input, limit, ...(cursor === undefined ? {} : { cursor }) })
    rows.push(...page.users)
    if (page.nextCursor === null) return rows
    cursor = page.nextCursor
  }
  throw new Error('more pages than users')
}

beforeAll(async () => {
  env = new TestEnv()
  ;({ screen: admin } = await setUpAdmin(env))
  env.core.local.seedDemo({ users: USERS, seed: 1, force: true })
  const now = env.clock.now()
  env.db.transaction(() => {
    for (const [name, email] of TRICKY) usersRepo.insertUser(env.db, { name, email, role: 'user', passwordHash: null, now })
  })()
  // A group of every seventh user (and the tricky ones), added by email as an admin would.
  const all = await everyRow({ sort: 'email' })
  // The shapes below find something here (not empty by accident): one exact email, thousands for a domain or a prefix.
  const found = (query: string) => all.filter((row) => means(query, row)).length
  if (found('elena.petrov@eu.example.com') !== 1 || found('@example.com') < 10_000 || found('m') < 1_000 || found('maria') < 1_000 || found('petrov2') === 0) {
    throw new Error(`the seeded directory no longer has the matches these cases were written for: pick other terms (${all.length} ${['elena.petrov@eu.example.com', '@example.com', 'm', 'maria', 'petrov2'].map(found).join(' ')})`)
  }
  const members = all.filter((row, i) => i % 7 === 0 || TRICKY.some(([, email]) => email.toLowerCase() === row.email.toLowerCase())).map((row) => row.email)
  groupId = (await admin.ok('createGroup', { name: 'Sevenths' })).id
  for (let i = 0; i < members.length; i += 10_000) await admin.ok('addGroupMembers', { groupId, emails: members.slice(i, i + 10_000) })
}, 240_000)
afterAll(() => env?.dispose())

const lowerAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** What a term means, written independently of the engine: ASCII case folded; three code points or more anywhere, fewer at the start of the name or the email. */
function means(query: string, row: UserRow): boolean {
  const q = lowerAscii(query.trim())
  const fields = [lowerAscii(row.name), lowerAscii(row.email)]
  return [...q].length >= 3 ? fields.some((field) => field.includes(q)) : fields.some((field) => field.startsWith(q))
}

const QUERIES = [
  // A full email, as typed from a helpdesk call, in another case; and one of the generator's.
  'Elena.Petrov@EU.example.com',
  'Maria.Up.X3@example.org',
  // A local part, a domain with and without @, a domain that is inside another.
  'elena.petrov',
  '@eu.example.com',
  '@example.com',
  'example.org',
  'corp.example',
  // Prefixes of one and two characters, any case; a non-ASCII prefix.
  'm',
  'Ma',
  'ZZ',
  'Łu',
  // Substrings: common, rarer, spread over the order, clustered, with digits.
  'mar',
  'maria',
  'sanchez',
  'petrov2',
  'ez',
  // An @ in the middle or at the end, two @, LIKE's wildcards and escape, no match.
  'a@e',
  'ab@',
  'm@ria',
  'x@@y',
  '100%',
  'r_x',
  'k\\s',
  'qqqzzz'
]

const SORTS: UserSortKey[] = ['name', 'email', 'role', 'status', 'lastTwoFactorLogin']
const FILTERS: [string, () => UserListFilter][] = [
  ['no filter', () => ({})],
  ['status pending', () => ({ status: 'pending' })],
  ['role admin', () => ({ role: 'admin' })],
  ['one group', () => ({ groupId })]
]

describe('every shape of search at 100,000 users: exactly its matches, each once, in the list order', () => {
  for (const sort of SORTS) {
    for (const direction of ['asc', 'desc'] as SortDirection[]) {
      for (const [name, filterOf] of FILTERS) {
        it(`sorted by ${sort} ${direction}, ${name}`, async () => {
          const filter = filterOf()
          const list = await everyRow({ ...filter, sort, direction })
          for (const query of QUERIES) {
            const want = list.filter((row) => means(query, row)).map((row) => row.id)
            // An odd page size puts the page ends anywhere in the order's ties.
            const limit = want.length > 5_000 ? MAX_PAGE_SIZE : 137
            const first = await admin.ok('listUsers', { ...filter, query, sort, direction, limit })
            const got = (await everyRow({ ...filter, query, sort, direction }, limit)).map((row) => row.id)
            expect(got, `"${query}"`).toEqual(want)
            if (!first.countPending) expect(first.total, `"${query}" total`).toBe(want.length)
            else expect(first.total, `"${query}" lower bound`).toBeLessThanOrEqual(want.length)
            expect((await admin.ok('countUsers', { ...filter, query })).total, `"${query}" count`).toBe(want.length)
          }
        }, 120_000)
      }
    }
  }
})

describe('positions inside a search at 100,000 users', () => {
  for (const [query, sort, direction] of [
    ['example.com', 'name', 'asc'],
    ['maria', 'email', 'desc'],
    ['m', 'status', 'asc'],
    ['@eu.example.com', 'role', 'desc']
  ] as [string, UserSortKey, SortDirection][]) {
    it(`"${query}" sorted by ${sort} ${direction}: a jump to a row returns the rows from there`, async () => {
      const want = (await everyRow({ sort, direction })).filter((row) => means(query, row)).map((row) => row.id)
      for (const position of [0, 1, Math.floor(want.length / 2), want.length - 3, want.length]) {
        const page = await admin.ok('listUsers', { query, sort, direction, position, limit: 20 })
        expect(page.start, `${position}`).toBe(position)
        expect(
          page.users.map((row) => row.id),
          `${position}`
        ).toEqual(want.slice(position, position + 20))
      }
    }, 120_000)
  }
})
