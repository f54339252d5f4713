// countUsers is exact (listing/search-count.ts): without a search it is the
// class counters' number, a search of few matches is counted from the probe of
// the indexes at once, and only a search of many matches is given to the
// background task countUsers, whose answer it returns. The real task, run in
// this thread, agrees with a count in plain JavaScript for every shape of term
// and filter.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { UserListFilter } from '../../../src/shared/contract'
import type { UserRow } from '../../../src/shared/domain'
import { TWO_FACTOR_FILTERS, USER_SOURCES } from '../../../src/shared/domain'
import { tasksInThisThread, type BackgroundTasks } from '../../../src/main/core/background/runner'
import { FEW_MATCHES } from '../../../src/main/core/listing/search-page'
import { contextOf } from '../../../src/main/core/open-core'
import { setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

const USERS = 4_000

let env: TestEnv
let admin: Screen
/** Every user as the Users table shows them (no filter, no search): the facts the JavaScript counts read. */
let everyone: UserRow[]

beforeAll(async () => {
  env = new TestEnv()
  ;({ screen: admin } = await setUpAdmin(env))
  env.core.local.seedDemo({ users: USERS, seed: 11, force: true })
  everyone = []
  let cursor: string | undefined
  do {
    const page = await admin.ok('listUsers', { limit: 500, ...(cursor === undefined ? {} : { cursor }) })
    everyone.push(...page.users)
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  expect(everyone).toHaveLength(USERS + 1)
})
afterAll(() => env.dispose())

const asciiFold = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** What a search means: the trimmed term, ASCII case folded; from three code points anywhere in the name or email, below that at the start. */
function matchesQuery(row: UserRow, query: string | undefined): boolean {
  if (query === undefined || query.trim() === '') return true
  const q = asciiFold(query.trim())
  const fields = [asciiFold(row.name), asciiFold(row.email)]
  return [...query.trim()].length >= 3 ? fields.some((field) => field.includes(q)) : fields.some((field) => field.startsWith(q))
}

function matchesFilter(row: UserRow, filter: UserListFilter): boolean {
  if (filter.status === 'overdue' ? !(row.status === 'pending' && row.overdue) : filter.status !== undefined && row.status !== filter.status) return false
  if (filter.role !== undefined && row.role !== filter.role) return false
  if (filter.disabled !== undefined && row.disabled !== filter.disabled) return false
  if (filter.locked !== undefined && row.locked !== filter.locked) return false
  if (filter.source !== undefined && row.source !== filter.source) return false
  return matchesQuery(row, filter.query)
}

function counted(filter: UserListFilter): number {
  return everyone.filter((row) => matchesFilter(row, filter)).length
}

/** The core's background tasks, replaced for one test. */
function replaceBackground(run: BackgroundTasks['run']) {
  return vi.spyOn(contextOf(env.core).background, 'run').mockImplementation(run)
}

const refuse = (() => Promise.reject(new Error('no background task was expected'))) as BackgroundTasks['run']

const FILTERS: UserListFilter[] = [
  {},
  ...TWO_FACTOR_FILTERS.map((status) => ({ status })),
  { role: 'admin' },
  { role: 'user' },
  { disabled: true },
  { disabled: false },
  { locked: true },
  { locked: false },
  ...USER_SOURCES.map((source) => ({ source })),
  { status: 'pending', role: 'user' },
  { status: 'active', disabled: false }
]

describe('countUsers without a search', () => {
  it('is the class counters’ number of each filter (the page’s exact total), counted in JavaScript too, with no background task', async () => {
    const run = replaceBackground(refuse)
    try {
      for (const filter of FILTERS) {
        const page = await admin.ok('listUsers', { ...filter, limit: 1 })
        expect(page.countPending, JSON.stringify(filter)).toBe(false)
        const { total } = await admin.ok('countUsers', filter)
        expect(total, JSON.stringify(filter)).toBe(page.total)
        expect(total, JSON.stringify(filter)).toBe(counted(filter))
      }
      expect(counted({})).toBe(USERS + 1)
      expect(run).not.toHaveBeenCalled()
    } finally {
      run.mockRestore()
    }
  })
})

describe('countUsers with a search', () => {
  it('of few matches answers from the probe, exactly, without a background task', async () => {
    const someone = everyone[1234] as UserRow
    const few: UserListFilter[] = [
      { query: someone.email },
      { query: someone.email.toUpperCase() },
      { query: someone.name },
      { query: 'zzzz' },
      { query: 'ad' },
      { query: 'Q' },
      { query: someone.email.split('@')[0] },
      { query: `@${someone.email.split('@')[1] ?? ''}`, status: 'overdue', role: 'user' }
    ]
    const run = replaceBackground(refuse)
    try {
      for (const filter of few) {
        const expected = counted(filter)
        // Few, or the case would not test the probe.
        expect(expected, JSON.stringify(filter)).toBeLessThanOrEqual(FEW_MATCHES)
        expect((await admin.ok('countUsers', filter)).total, JSON.stringify(filter)).toBe(expected)
      }
      expect(counted({ query: someone.email })).toBe(1)
      expect(run).not.toHaveBeenCalled()
    } finally {
      run.mockRestore()
    }
  })

  it('of many matches asks the background task countUsers once, and returns its number', async () => {
    const run = replaceBackground((() => Promise.resolve({ total: 424_242 })) as BackgroundTasks['run'])
    try {
      expect(counted({ query: 'example' })).toBeGreaterThan(FEW_MATCHES)
      expect(await admin.ok('countUsers', { query: '  Example ' })).toEqual({ total: 424_242 })
      expect(run).toHaveBeenCalledTimes(1)
      const [name, input, , signal] = run.mock.calls[0] ?? []
      expect(name).toBe('countUsers')
      expect(input).toMatchObject({ term: { kind: 'substring', text: 'Example' } })
      expect(signal).toBeInstanceOf(AbortSignal)
    } finally {
      run.mockRestore()
    }
  })

  it('run for real in this thread, agrees with the JavaScript count for every shape of term and filter', async () => {
    const here = tasksInThisThread({ path: env.dbPath })
    const run = replaceBackground(here.run)
    const queries = ['example', 'EXAMPLE.COM', '.com', 'example.org', '@example.com', '@eu.example', 'e@', 'corp', 'a', 'M', 'ma', 'mar', 'an', 'son', 'er']
    const filters: UserListFilter[] = [{}, { status: 'pending' }, { status: 'inactive' }, { status: 'active' }, { role: 'user' }, { disabled: false }, { source: 'local' }]
    try {
      let many = 0
      for (const query of queries) {
        for (const filter of filters) {
          const question = { ...filter, query }
          const expected = counted(question)
          if (expected > FEW_MATCHES) many++
          const before = run.mock.calls.length
          expect((await admin.ok('countUsers', question)).total, JSON.stringify(question)).toBe(expected)
          // The task counts the cases of many matches in the whole directory (within a filter, the probe of the
          // whole directory comes first: a filter's own probe could read many times its bound on this thread).
          expect(run.mock.calls.length - before, JSON.stringify(question)).toBe(counted({ query }) > FEW_MATCHES ? 1 : 0)
        }
      }
      expect(many).toBeGreaterThanOrEqual(15)
      // Few within a filter, many in the whole directory: counted by the task, exactly.
      for (const question of [{ query: 'example', role: 'admin' as const }, { query: 'example.org', status: 'pending' as const }]) {
        expect(counted(question), JSON.stringify(question)).toBeLessThanOrEqual(FEW_MATCHES)
        expect(counted({ query: question.query })).toBeGreaterThan(FEW_MATCHES)
        expect((await admin.ok('countUsers', question)).total, JSON.stringify(question)).toBe(counted(question))
      }
    } finally {
      run.mockRestore()
    }
  })
})
