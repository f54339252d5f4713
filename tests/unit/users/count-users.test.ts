// countUsers, as the screens call it: an administrator's exact count of a
// filter and search, counted in the background when the matches are many. A
// newer countUsers or listUsers of the same client (session holder) cancels
// the count still running (CANCELLED), never another client's; typing fast
// leaves at most one count under way.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ApiOutput } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/errors'
import { cancelledError, type BackgroundTasks } from '../../../src/main/core/background/runner'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { contextOf } from '../../../src/main/core/open-core'
import { insertUser } from '../../../src/main/db/users-repo'
import { addUser, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

/** Users whose name holds "maria": more than a probe of the indexes reads, so their count goes to the background. */
const MARIAS = 1_500

interface FakeRun {
  name: string
  input: unknown
  signal: AbortSignal | undefined
  settled: boolean
  /** Ends the run with this number, as the task would. */
  answer(total: number): void
}

/** The core's background tasks replaced: each run waits until the test answers it or its signal aborts. */
function fakeBackground(env: TestEnv) {
  const runs: FakeRun[] = []
  let mostActive = 0
  const active = () => runs.filter((run) => !run.settled)
  const run = (name: string, input: unknown, _progress: unknown, signal?: AbortSignal): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const entry: FakeRun = {
        name,
        input,
        signal,
        settled: false,
        answer: (total) => {
          entry.settled = true
          resolve({ total })
        }
      }
      runs.push(entry)
      mostActive = Math.max(mostActive, active().length)
      const cancel = () => {
        if (entry.settled) return
        entry.settled = true
        reject(cancelledError())
      }
      if (signal?.aborted === true) cancel()
      signal?.addEventListener('abort', cancel, { once: true })
    })
  const spy = vi.spyOn(contextOf(env.core).background, 'run').mockImplementation(run as unknown as BackgroundTasks['run'])
  return { runs, active, spy, mostActive: () => mostActive }
}

/** Waits until the background has been asked `count` runs in all (the dispatcher answers asynchronously). */
async function runsStarted(fake: ReturnType<typeof fakeBackground>, count: number): Promise<void> {
  await vi.waitFor(() => expect(fake.runs).toHaveLength(count))
}

function expectCancelled(result: Result<unknown>): void {
  expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } })
}

function expectTotal(result: Result<ApiOutput<'countUsers'>>, total: number): void {
  expect(result).toEqual({ ok: true, value: { total } })
}

let env: TestEnv
let admin: Screen
let secret: Buffer
let fake: ReturnType<typeof fakeBackground>

beforeEach(async () => {
  env = new TestEnv()
  ;({ screen: admin, secret } = await setUpAdmin(env))
  env.db.transaction(() => {
    for (let i = 0; i < MARIAS; i++) insertUser(env.db, { name: `Maria Number${i}`, email: `m${i}@corp.example.net`, role: 'user', passwordHash: null, now: env.clock.now() })
  })()
  fake = fakeBackground(env)
})
afterEach(() => {
  vi.restoreAllMocks()
  env.dispose()
})

/** The same administrator, signed in in another window: another client. */
async function secondWindow(): Promise<Screen> {
  env.clock.advance(30_000)
  const other = env.screen()
  expect((await other.ok('login', { email: 'admin@example.com', password: PASSWORD })).step).toBe('second-factor')
  expect((await other.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })).step).toBe('signed-in')
  return other
}

describe('countUsers cancels the same client’s count still running', () => {
  it('a count of another list of the same session cancels the first, and answers', async () => {
    const first = admin.call('countUsers', { query: 'maria' })
    await runsStarted(fake, 1)
    expect(fake.runs[0]).toMatchObject({ name: 'countUsers', input: { term: { kind: 'substring', text: 'maria' } } })
    const second = admin.call('countUsers', { query: 'maria n' })
    await runsStarted(fake, 2)
    expectCancelled(await first)
    expect(fake.runs[0]?.signal?.aborted).toBe(true)
    fake.runs[1]?.answer(MARIAS)
    expectTotal(await second, MARIAS)
    expect(fake.active()).toHaveLength(0)
  })

  it('counts of the same list (the table and "Select all N matching") share one run, and both answer', async () => {
    const table = admin.call('countUsers', { query: 'maria' })
    await runsStarted(fake, 1)
    const selectAll = admin.call('countUsers', { query: ' maria ' })
    // A page of the same list does not cancel it either.
    await admin.ok('listUsers', { query: 'maria', limit: 10 })
    fake.runs[0]?.answer(MARIAS)
    expectTotal(await table, MARIAS)
    expectTotal(await selectAll, MARIAS)
    expect(fake.runs).toHaveLength(1)
    expect(fake.runs[0]?.signal?.aborted).toBe(false)
  })

  it('a page of the same session (the next keystroke) cancels the count', async () => {
    const count = admin.call('countUsers', { query: 'maria' })
    await runsStarted(fake, 1)
    const page = await admin.ok('listUsers', { query: 'maria n', limit: 10 })
    expect(page.users).toHaveLength(10)
    expect(page.countPending).toBe(true)
    expectCancelled(await count)
    // The page itself never waits for a count.
    expect(fake.runs).toHaveLength(1)
  })

  it('a count or a page of another session leaves the count running, and it answers', async () => {
    const other = await secondWindow()
    const count = admin.call('countUsers', { query: 'maria' })
    await runsStarted(fake, 1)
    await other.ok('listUsers', { query: 'mar', limit: 10 })
    const othersCount = other.call('countUsers', { query: 'number' })
    await runsStarted(fake, 2)
    expect(fake.runs[0]?.signal?.aborted).toBe(false)
    fake.runs[0]?.answer(MARIAS)
    expectTotal(await count, MARIAS)
    fake.runs[1]?.answer(MARIAS)
    expectTotal(await othersCount, MARIAS)
  })

  it('fifty counts typed fast: only the last answers, the rest are CANCELLED, and one run at most is ever under way', async () => {
    // Typing "maria number" and over again: each query matches every Maria.
    // Each a different list from the one before (counts of the same list share one run), each matching every Maria.
    const typed = ['mar', 'mari', 'maria', 'aria', 'ria', 'maria n', 'maria nu', 'maria num', 'maria numb', 'maria numbe']
    const queries = Array.from({ length: 50 }, (_, i) => typed[i % typed.length] as string)
    const calls = queries.map((query) => admin.call('countUsers', { query }))
    await runsStarted(fake, 50)
    expect(fake.active()).toHaveLength(1)
    fake.active()[0]?.answer(MARIAS)
    const results = await Promise.all(calls)
    for (const result of results.slice(0, -1)) expectCancelled(result)
    expectTotal(results[49] as Result<ApiOutput<'countUsers'>>, MARIAS)
    expect(fake.mostActive()).toBe(1)
    expect(fake.active()).toHaveLength(0)
  })

  it('a count that answered is not cancelled by the next page', async () => {
    const count = admin.call('countUsers', { query: 'maria' })
    await runsStarted(fake, 1)
    fake.runs[0]?.answer(MARIAS)
    expectTotal(await count, MARIAS)
    await admin.ok('listUsers', { query: 'maria', limit: 10 })
    // A later count of the same client starts afresh.
    const again = admin.call('countUsers', { query: 'maria' })
    await runsStarted(fake, 2)
    expect(fake.runs[1]?.signal?.aborted).toBe(false)
    fake.runs[1]?.answer(MARIAS)
    expectTotal(await again, MARIAS)
  })
})

describe('countUsers is for administrators, and refuses bad input', () => {
  it('a plain user’s session gets FORBIDDEN, a signed-out one UNAUTHENTICATED, and nothing is counted', async () => {
    await addUser(env, 'tom@example.com')
    const tom = env.screen()
    expect((await tom.ok('login', { email: 'tom@example.com', password: PASSWORD })).step).toBe('signed-in')
    expect((await tom.fail('countUsers', { query: 'maria' })).code).toBe('FORBIDDEN')
    expect((await env.screen().fail('countUsers', { query: 'maria' })).code).toBe('UNAUTHENTICATED')
    expect(fake.spy).not.toHaveBeenCalled()
  })

  it('an unknown field, a bad status or an over-long query is VALIDATION, and nothing is counted', async () => {
    for (const input of [
      { query: 'maria', limit: 10 },
      { query: 'maria', sort: 'name' },
      { status: 'nope' },
      { status: 42 },
      { query: 7 },
      { query: 'm'.repeat(10_000) },
      { groupId: -1 },
      { role: 'root' },
      { locked: 'yes' },
      { fewRecoveryCodes: false }
    ]) {
      expect((await admin.fail('countUsers', input)).code, JSON.stringify(input).slice(0, 80)).toBe('VALIDATION')
    }
    expect(fake.spy).not.toHaveBeenCalled()
  })

  it('a refused count cancels nothing: the count under way still answers', async () => {
    const count = admin.call('countUsers', { query: 'maria' })
    await runsStarted(fake, 1)
    expect((await admin.fail('countUsers', { status: 'nope' })).code).toBe('VALIDATION')
    fake.runs[0]?.answer(MARIAS)
    expectTotal(await count, MARIAS)
  })
})
