// While a background bulk change holds the directory's write lock, a write
// asked by a screen waits for it without blocking the thread (the write gate,
// core/write-gate.ts), instead of waiting on SQLite's busy timeout: with the
// calling connection's busy timeout cut to 1 ms, every such write would fail
// with DATABASE_BUSY if it reached SQLite while the change runs. Reads go on.
// A CSV import takes the gate the same way (when and how a task takes it and
// lets it go: gate-release.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GUESSES_PER_LOCK } from '../../../src/main/core/lockout-rule'
import { contextOf } from '../../../src/main/core/open-core'
import { WriteGate } from '../../../src/main/core/write-gate'
import { AppError } from '../../../src/shared/errors'
import { addUser, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

const turn = (): Promise<void> => new Promise((next) => setImmediate(next))

describe('the write gate', () => {
  it('a task waits for the calls under way; calls asked meanwhile wait behind it; a release given twice lets go once', async () => {
    const gate = new WriteGate()
    const order: string[] = []
    let endCall!: () => void
    const call = gate.duringCall(() => new Promise<void>((done) => (endCall = done)).then(() => void order.push('call 1 ended')))
    await turn()
    const task = gate.acquire().then((release) => {
      order.push('task began')
      return release
    })
    await turn()
    const later = gate.duringCall(async () => void order.push('call 2 began'))
    await turn()
    expect(order, 'a task began while a call was under way').toEqual([])
    expect(gate.held).toBe(false)
    endCall()
    await call
    const release = await task
    expect(gate.held).toBe(true)
    await turn()
    expect(order, 'a call began while the task held the gate').toEqual(['call 1 ended', 'task began'])
    release()
    release()
    await later
    expect(order).toEqual(['call 1 ended', 'task began', 'call 2 began'])
    expect(gate.held).toBe(false)
    // Nothing is left counted: a task begins at once.
    const next = await gate.acquire()
    next()
  })

  it('tasks take turns', async () => {
    const gate = new WriteGate()
    const first = await gate.acquire()
    let secondBegan = false
    const second = gate.acquire().then((release) => {
      secondBegan = true
      return release
    })
    await turn()
    expect(secondBegan).toBe(false)
    first()
    ;(await second)()
    expect(secondBegan).toBe(true)
    expect(gate.held).toBe(false)
  })

  it('a call that waited its longest is refused as busy without running, and leaves nothing behind', async () => {
    const gate = new WriteGate()
    const release = await gate.acquire()
    let ran = false
    const refused = await gate.duringCall(async () => void (ran = true), 20).then(
      () => null,
      (error: unknown) => error
    )
    expect(refused).toBeInstanceOf(AppError)
    expect((refused as AppError).code).toBe('DATABASE_BUSY')
    expect(ran).toBe(false)
    release()
    let began = false
    await gate.duringCall(async () => void (began = true))
    expect(began).toBe(true)
    ;(await gate.acquire())()
  })

  it('a call waiting aside (a dialog) lets a task begin meanwhile, and counts again after', async () => {
    const gate = new WriteGate()
    const order: string[] = []
    let later: Promise<void> | null = null
    await gate.duringCall(async () => {
      await gate.aside(async () => {
        const release = await gate.acquire()
        order.push('task during the dialog')
        release()
      })
      later = gate.acquire().then((release) => {
        order.push('task after the call')
        release()
      })
      await turn()
      order.push('call after the dialog')
    })
    await later
    expect(order).toEqual(['task during the dialog', 'call after the dialog', 'task after the call'])
  })

  it('a call that awaits a task of its own steps out meanwhile, and counts again before its task lets go', async () => {
    const gate = new WriteGate()
    const order: string[] = []
    let other: Promise<void> | null = null
    await gate.duringCall(async () => {
      const back = gate.stepOut()!
      const release = await gate.acquire()
      other = gate.acquire().then((next) => {
        order.push('another task')
        next()
      })
      await turn()
      order.push('own task')
      back(true)
      release()
      await turn()
      order.push('own call after its task')
    })
    await other
    expect(order).toEqual(['own task', 'own call after its task', 'another task'])
  })
})

describe('a screen that writes while a background bulk change runs', () => {
  let env: TestEnv
  let admin: Screen
  beforeAll(async () => {
    env = new TestEnv()
    ;({ screen: admin } = await setUpAdmin(env))
    env.core.local.seedDemo({ users: 12_000, seed: 5, force: true })
  }, 120_000)
  afterAll(() => env?.dispose())

  /** Renames one user while `work` runs, the calling connection's busy timeout cut to 1 ms, and reads a page between. */
  async function writesDuring<T>(work: () => Promise<T>): Promise<{ outcome: T; renames: number; reads: number }> {
    const someone = (await admin.ok('listUsers', { status: 'active', limit: 1 })).users[0]!
    const gate = contextOf(env.core).writeGate
    env.db.pragma('busy_timeout = 1')
    try {
      let finished = false
      const running = work().finally(() => (finished = true))
      const renames: Promise<unknown>[] = []
      // Renames asked while the task held the gate (and so the write lock): the ones this is about.
      let askedWhileHeld = 0
      let reads = 0
      const started = Date.now()
      while (!finished && Date.now() - started < 60_000 && renames.length < 2_000) {
        if (gate.held) askedWhileHeld++
        renames.push(admin.ok('updateUser', { userId: someone.id, name: `Renamed ${renames.length}` }))
        await admin.ok('listUsers', { status: 'pending', limit: 50 })
        reads++
        await new Promise((next) => setTimeout(next, 2))
      }
      const outcome = await running
      await Promise.all(renames)
      expect(renames.length, 'no write was asked while the work ran').toBeGreaterThanOrEqual(3)
      expect(askedWhileHeld, 'no write was asked while the task held the gate').toBeGreaterThanOrEqual(1)
      expect((await admin.ok('getUser', { userId: someone.id })).name).toBe(`Renamed ${renames.length - 1}`)
      return { outcome, renames: renames.length, reads }
    } finally {
      env.db.pragma('busy_timeout = 5000')
    }
  }

  it('a bulk change: the writes wait for it instead of failing on the busy lock, and reads go on meanwhile', async () => {
    const { outcome, renames, reads } = await writesDuring(() => admin.ok('applyBulkChange', { selection: { filter: { status: 'inactive' } }, action: 'enforce' }))
    expect(outcome.willChange).toBeGreaterThan(1_000)
    expect(reads).toBe(renames)
  }, 120_000)

  it('an import: the same', async () => {
    const csv = ['email,name', ...Array.from({ length: 20_000 }, (_, i) => `imported${i}@gate.example,Imported ${i}`)].join('\n')
    const { outcome } = await writesDuring(() => admin.ok('importUsers', { csv, dryRun: false }))
    expect(outcome).toMatchObject({ applied: true, created: 20_000, errorsTotal: 0 })
  }, 120_000)

  it('sixty logins held by the gate and let go at once still meet the lockout: ten guesses checked, then locked, the right password too', async () => {
    await addUser(env, 'held@gate.example')
    const gate = contextOf(env.core).writeGate
    const change = admin.ok('applyBulkChange', { selection: { filter: { status: 'pending' } }, action: 'exempt' })
    // The worker takes the gate once it has started the change: wait for it, turn by turn, at most 10 s.
    for (const until = Date.now() + 10_000; !gate.held && Date.now() < until; ) await new Promise((next) => setImmediate(next))
    expect(gate.held, 'the change never took the gate').toBe(true)
    const screens = Array.from({ length: 60 }, () => env.screen())
    let changed = false
    const logins = screens.map((screen, i) =>
      screen.call('login', { email: 'held@gate.example', password: i === 59 ? PASSWORD : `wrong guess ${i}` }).then((result) => ({ result, afterChange: changed }))
    )
    await change.then(() => (changed = true))
    const results = await Promise.all(logins)
    expect(results.every((login) => login.afterChange), 'a login ran while the change held the gate').toBe(true)
    const codes = results.map(({ result }) => (result.ok ? 'OK' : result.error.code))
    // Exactly ten guesses were checked and counted; every answer, the right password's too, is the lock.
    const audit = env.db.prepare("SELECT action, count(*) AS n FROM audit_log WHERE target = 'held@gate.example' AND action LIKE 'login.%' GROUP BY action ORDER BY action").all()
    expect(audit).toEqual([
      { action: 'login.failure', n: GUESSES_PER_LOCK },
      { action: 'login.locked', n: 60 - GUESSES_PER_LOCK }
    ])
    expect(codes.filter((code) => code === 'OK')).toEqual([])
    expect(env.db.prepare("SELECT failed_attempts FROM users WHERE email = 'held@gate.example'").pluck().get()).toBe(GUESSES_PER_LOCK)
    expect(codes[59]).toBe('ACCOUNT_LOCKED')
  }, 120_000)
})
