// A read does not wait for the write gate (core/write-gate.ts) unless mayWrite
// foresees that its caller's session has timed out, and that look reads the
// clock before the handler does: a session that times out between the two is
// found expired by a read that holds no turn. Found by a review of the gate:
// the read then wrote `session.expired` at once, inside a background task's
// write lock, and waited out the busy timeout on the thread that answers the
// screens before failing with the record lost. The record now waits for the
// task; the read answers at once. A sign-out, likewise, never waits for a task
// (it waited up to two minutes, and was then refused with the session left
// signed in): the session ends at once, the record follows the task.
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { contextOf } from '../../../src/main/core/open-core'
import { GATE_WAIT_MS, WriteGate } from '../../../src/main/core/write-gate'
import { addUser, PASSWORD, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
beforeEach(() => void (env = new TestEnv()))
afterEach(() => env?.dispose())

const entries = (action: string): number =>
  env.db.prepare("SELECT count(*) FROM audit_log WHERE action = ? AND target = 'late@gate.example'").pluck().get(action) as number
const expiries = (): number => entries('session.expired')

/** Runs `during` while a background task holds the write gate and, on a connection of its own, the write lock. */
async function whileATaskWrites(during: () => Promise<void>): Promise<void> {
  const release = await contextOf(env.core).writeGate.acquire()
  const task = new Database(env.dbPath)
  task.prepare('BEGIN IMMEDIATE').run()
  // Short, so a write that met the lock fails at once instead of after 5 s.
  env.db.pragma('busy_timeout = 1')
  try {
    await during()
  } finally {
    task.prepare('COMMIT').run()
    task.close()
    env.db.pragma('busy_timeout = 5000')
    release()
  }
}

/** `answer`, or 'still waiting' when it took 2 s. */
function soon<T>(answer: Promise<T>): Promise<T | 'still waiting'> {
  return Promise.race([answer, new Promise<'still waiting'>((done) => setTimeout(() => done('still waiting'), 2_000))])
}

async function eventually(count: () => number): Promise<number> {
  for (let i = 0; i < 20 && count() === 0; i++) await new Promise((next) => setTimeout(next, 10))
  return count()
}

async function signedInUser(): Promise<Screen> {
  await addUser(env, 'late@gate.example')
  const screen = env.screen()
  await screen.ok('login', { email: 'late@gate.example', password: PASSWORD })
  return screen
}

describe('a session that ends while a background task writes', () => {
  it('a read that finds it expired after mayWrite looked answers at once, and the expiry is recorded once the task is done', async () => {
    const screen = await signedInUser()
    const ctx = contextOf(env.core)
    await whileATaskWrites(async () => {
      // The session times out right after the first look at the clock (mayWrite's).
      const now = env.clock.now.bind(env.clock)
      let looks = 0
      env.clock.now = () => {
        const at = now()
        if (++looks === 1) env.clock.advance(ctx.sessions.idleTimeout() + 1)
        return at
      }
      try {
        const answered = screen.call('getMyAccount').then((result) => (result.ok ? 'OK' : result.error.code))
        // Waiting here would mean mayWrite saw the expiry: the race this test is about was not run.
        expect(await soon(answered)).toBe('SESSION_EXPIRED')
        expect(expiries(), 'recorded inside the task’s write lock').toBe(0)
      } finally {
        env.clock.now = now
      }
    })
    expect(await eventually(expiries)).toBe(1)
    // Written after the task: it says when the expiry was found, beside why.
    const details = env.db.prepare("SELECT details FROM audit_log WHERE action = 'session.expired' AND target = 'late@gate.example'").pluck().get() as string
    expect(JSON.parse(details)).toEqual({ reason: 'timeout', happenedAt: expect.any(Number) })
    // The session is gone for good: the next call is signed out, and records nothing more.
    expect((await screen.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect(expiries()).toBe(1)
  })

  it('with no task at the gate, the expiry a read finds is recorded before it answers', async () => {
    const screen = await signedInUser()
    env.clock.advance(contextOf(env.core).sessions.idleTimeout() + 1)
    expect((await screen.fail('getMyAccount')).code).toBe('SESSION_EXPIRED')
    expect(expiries()).toBe(1)
  })

  it('a sign-out answers at once and ends the session at once; its record follows the task', async () => {
    const screen = await signedInUser()
    await whileATaskWrites(async () => {
      const answered = screen.call('logout', {}).then((result) => (result.ok ? 'OK' : result.error.code))
      expect(await soon(answered)).toBe('OK')
      expect((await screen.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
      expect(entries('logout'), 'recorded inside the task’s write lock').toBe(0)
    })
    expect(await eventually(() => entries('logout'))).toBe(1)
  })

  it('with no task at the gate, a sign-out is recorded before it answers', async () => {
    const screen = await signedInUser()
    await screen.ok('logout', {})
    expect(entries('logout')).toBe(1)
  })
})

describe('WriteGate.writeSoon, the way those records are written', () => {
  afterEach(() => void vi.useRealTimers())

  it('waits for a task however long it holds the gate: a record is never dropped as busy', async () => {
    vi.useFakeTimers()
    const gate = new WriteGate()
    const release = await gate.acquire()
    const written: string[] = []
    const errors: unknown[] = []
    gate.writeSoon(() => void written.push('logout'), (error) => void errors.push(error))
    await vi.advanceTimersByTimeAsync(GATE_WAIT_MS * 3)
    expect(written).toEqual([])
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(errors).toEqual([])
    expect(written).toEqual(['logout'])
  })

  it('within a call counted again while a task still holds the gate (a cancel), waits for the task', async () => {
    const gate = new WriteGate()
    let release: (() => void) | null = null
    const written: string[] = []
    await gate.duringCall(async () => {
      const back = gate.stepOut()!
      release = await gate.acquire()
      // The task was cancelled: the call counts again at once, while the task's thread may still hold the write lock.
      await back(true)
      gate.writeSoon(() => void written.push('record'), () => undefined)
      expect(written, 'written while the task held the gate').toEqual([])
    })
    release!()
    for (let i = 0; i < 5 && written.length === 0; i++) await new Promise((next) => setImmediate(next))
    expect(written).toEqual(['record'])
  })

  it('a record that fails at once goes to onError: the sign-out it records is not turned into an error', () => {
    const gate = new WriteGate()
    const errors: unknown[] = []
    expect(() =>
      gate.writeSoon(
        () => {
          throw new Error('the database refuses writes')
        },
        (error) => void errors.push(error)
      )
    ).not.toThrow()
    expect(errors).toHaveLength(1)
  })
})

