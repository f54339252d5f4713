// Closing the core (quit, a restore) while calls wait at the write gate
// (core/write-gate.ts) for a background task. Found by a review of the gate:
// the waiting calls ran after the connection had closed and failed as INTERNAL
// ("something went wrong"), and a sign-out's record waiting for the task was
// lost with the queue. Now a waiting call or task is refused with CLOSED, and
// the waiting records are written before the connection closes, in one
// transaction that waits for a task's write lock a moment, not the busy timeout
// each (a second review: two sign-outs stalled a close for 10 s). An error that
// is not the closed connection stays itself, and work the close ended is not
// reported as unexpected. Also here: a record
// written after a task is dated when it is written (the log's times follow its
// order) and says when its event happened; and a busy refusal tells a sign-in
// page only that the directory is busy, not what runs.
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { contextOf } from '../../../src/main/core/open-core'
import { CLOSED_DURING_MESSAGE, GATE_BUSY_MESSAGE, GATE_BUSY_MESSAGE_SIGNED_OUT, GATE_WAIT_MS, WriteGate } from '../../../src/main/core/write-gate'
import type { AppError } from '../../../src/shared/errors'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
let unexpected: unknown[]
beforeEach(() => {
  unexpected = []
  env = new TestEnv({ onUnexpectedError: (_method, error) => void unexpected.push(error) })
})
afterEach(() => {
  vi.useRealTimers()
  env?.dispose()
})

const entries = (action: string, target: string): { at: number; details: string | null }[] =>
  env.db.prepare('SELECT at, details FROM audit_log WHERE action = ? AND target = ? ORDER BY id').all(action, target) as { at: number; details: string | null }[]

async function signedIn(email: string): Promise<Screen> {
  await addUser(env, email)
  const screen = env.screen()
  await screen.ok('login', { email, password: PASSWORD })
  return screen
}

/** Takes the write lock, says so, holds it 500 ms, and lets go. */
const OTHER_PROGRAM = `
const db = new (require('better-sqlite3'))(process.argv[1])
db.prepare('BEGIN IMMEDIATE').run()
process.stdout.write('locked\\n')
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500)
db.prepare('COMMIT').run()
db.close()
`

const codeOf = (result: { ok: boolean; error?: { code: string } }): string => (result.ok ? 'OK' : result.error!.code)

describe('closing the core while calls wait for a background task', () => {
  it('a call waiting for its turn is refused as CLOSED, not as an internal error, and changes nothing; so is a call after', async () => {
    const { screen: admin } = await setUpAdmin(env)
    const someone = { id: await addUser(env, 'waiting@close.example') }
    // A task holds the gate: the rename waits for it.
    await contextOf(env.core).writeGate.acquire()
    const rename = admin.call('updateUser', { userId: someone.id, name: 'Never renamed' })
    await new Promise((next) => setTimeout(next, 50))
    const core = env.core
    env.reopen()
    expect(codeOf(await rename)).toBe('CLOSED')
    expect(codeOf(await core.dispatch('getSecurityOverview', CLI_CALLER, {}))).toBe('CLOSED')
    expect(unexpected, 'reported as an unexpected failure').toEqual([])
    expect((await env.cli('getUser', { userId: someone.id })).name).not.toBe('Never renamed')
  })

  it('a background change waiting for its turn to write is stopped, writes nothing, and answers CLOSED', async () => {
    const { screen: admin } = await setUpAdmin(env)
    for (let i = 0; i < 3; i++) await addUser(env, `bulk${i}@close.example`)
    const gate = contextOf(env.core).writeGate
    const change = admin.call('applyBulkChange', { selection: { filter: { status: 'inactive' } }, action: 'enforce' })
    // Asked for while the call is under way: granted once the call steps out for its task, so ahead of the task's own turn.
    const release = await gate.acquire()
    // The worker reads the selection, then asks for its turn: wait (at most 10 s) until it waits behind the holder.
    const queue = (gate as unknown as { queue: { kind: string }[] }).queue
    for (const until = Date.now() + 10_000; !queue.some((waiter) => waiter.kind === 'task') && Date.now() < until; ) await new Promise((next) => setTimeout(next, 5))
    expect(queue.some((waiter) => waiter.kind === 'task'), 'the change never asked for its turn').toBe(true)
    env.reopen()
    release()
    expect(codeOf(await change)).toBe('CLOSED')
    expect(env.db.prepare("SELECT count(*) FROM users WHERE enforcement = 'enforced' AND email LIKE '%@close.example'").pluck().get()).toBe(0)
    expect(env.db.prepare("SELECT count(*) FROM audit_log WHERE action LIKE 'user.%' AND target LIKE '%@close.example' AND action <> 'user.created'").pluck().get()).toBe(0)
  }, 30_000)

  it('a sign-out whose record waits for a task is recorded before the connection closes', async () => {
    const screen = await signedIn('leaving@close.example')
    await contextOf(env.core).writeGate.acquire()
    expect(codeOf(await screen.call('logout', {}))).toBe('OK')
    expect(entries('logout', 'leaving@close.example'), 'recorded while the task held the gate').toEqual([])
    env.reopen()
    const records = entries('logout', 'leaving@close.example')
    expect(records).toHaveLength(1)
    expect(JSON.parse(records[0]!.details ?? '{}')).toEqual({ happenedAt: expect.any(Number) })
    expect(unexpected).toEqual([])
  })

  it('while the task still holds the write lock: close waits a moment, not the busy timeout a record, and reports the records lost once', async () => {
    const first = await signedIn('first@close.example')
    const second = await signedIn('second@close.example')
    await contextOf(env.core).writeGate.acquire()
    const task = new Database(env.dbPath)
    task.prepare('BEGIN IMMEDIATE').run()
    try {
      for (const screen of [first, second]) expect(codeOf(await screen.call('logout', {}))).toBe('OK')
      const began = Date.now()
      expect(() => env.reopen()).not.toThrow()
      // Two records at the busy timeout each were 10 s; one wait of 250 ms now (bounded, not a speed measure).
      expect(Date.now() - began).toBeLessThan(3_000)
    } finally {
      task.prepare('ROLLBACK').run()
      task.close()
    }
    expect(unexpected).toHaveLength(1)
    expect(String(unexpected[0])).toMatch(/locked|busy/i)
    expect(entries('logout', 'first@close.example')).toEqual([])
  })

  it('a call under way at close whose own failure is not the closed connection keeps its error', async () => {
    const { screen: admin } = await setUpAdmin(env)
    await addUser(env, 'full@close.example')
    const ctx = contextOf(env.core)
    // The change's task fails as a full disk would, after the core has closed.
    ctx.background.run = () => new Promise((_resolve, reject) => setTimeout(() => reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })), 100))
    const change = admin.call('applyBulkChange', { selection: { filter: { status: 'inactive' } }, action: 'enforce' })
    await new Promise((next) => setTimeout(next, 20))
    env.reopen()
    expect(codeOf(await change)).toBe('DISK_FULL')
  })
})

describe('work that ends after the close', () => {
  it('a change whose task commits after the close answers CLOSED, saying to check whether it took effect, and nothing is reported', async () => {
    const { screen: admin } = await setUpAdmin(env)
    const someone = await addUser(env, 'committed@close.example')
    const ctx = contextOf(env.core)
    // The task commits 100 ms on, after the core has closed: what follows in the call meets the closed connection.
    ctx.background.run = (() => new Promise<unknown>((resolve) => setTimeout(() => resolve({ counts: {}, changedIds: [someone] }), 100))) as typeof ctx.background.run
    const change = admin.call('applyBulkChange', { selection: { filter: { status: 'inactive' } }, action: 'enforce' })
    await new Promise((next) => setTimeout(next, 20))
    env.reopen()
    expect(await change).toEqual({ ok: false, error: { code: 'CLOSED', message: CLOSED_DURING_MESSAGE } })
    expect(unexpected).toEqual([])
  })

  it('records waiting behind a task that never took the gate wait for another program’s lock as long as the connection says', async () => {
    const screen = await signedIn('patient@close.example')
    const gate = contextOf(env.core).writeGate
    // A call under way and a task waiting for it: the sign-out's record waits its turn too, and no task holds the gate.
    void gate.duringCall(() => new Promise(() => undefined))
    void gate.acquire().catch(() => undefined)
    expect(codeOf(await screen.call('logout', {}))).toBe('OK')
    expect(gate.held).toBe(false)
    // Another program holds the write lock for 500 ms (a process of its own: this thread blocks in close meanwhile).
    const other = spawn(process.execPath, ['-e', OTHER_PROGRAM, env.dbPath], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((locked) => other.stdout.once('data', () => locked()))
    env.reopen()
    await new Promise((exited) => other.once('exit', exited))
    expect(entries('logout', 'patient@close.example')).toHaveLength(1)
    expect(unexpected).toEqual([])
  })

  it('a walk of the audit chain whose record waited at the gate is ended by the close, not reported as unexpected', async () => {
    await setUpAdmin(env)
    const ctx = contextOf(env.core)
    const run = ctx.background.run.bind(ctx.background)
    let walked: Promise<unknown> | null = null
    let held: Promise<unknown> | null = null
    ctx.background.run = ((name: Parameters<typeof run>[0], ...rest: unknown[]) => {
      const running = (run as (...args: unknown[]) => Promise<unknown>)(name, ...rest)
      // A task asks for the gate as the walk starts, so ahead of the walk's record: the record waits, and then the core closes.
      if (name === 'verifyAuditChain') [walked, held] = [running, ctx.writeGate.acquire()]
      return running
    }) as typeof run
    await env.cli('verifyWholeAuditLog')
    expect(walked, 'no walk started').not.toBeNull()
    await held
    await walked
    env.reopen()
    await new Promise((next) => setTimeout(next, 50))
    expect(unexpected).toEqual([])
    expect((await env.cli('getAuditChainStatus')).lastFullVerification).toBeNull()
  })
})

describe('WriteGate.close', () => {
  it('hands back the records waiting, refuses the rest, and a record whose report throws stops nothing', async () => {
    const gate = new WriteGate()
    await gate.acquire()
    const written: string[] = []
    gate.writeSoon(
      () => {
        throw new Error('the record failed')
      },
      () => {
        throw new Error('and so did its report')
      }
    )
    gate.writeSoon(() => void written.push('second'), () => undefined)
    const call = gate.duringCall(async () => 'ran').catch((error: unknown) => (error as AppError).code)
    const task = gate.acquire().then(
      () => 'granted',
      (error: unknown) => (error as AppError).code
    )
    const records = gate.close()
    expect(records).toHaveLength(2)
    expect(() => records.forEach((write) => write())).not.toThrow()
    expect(written).toEqual(['second'])
    expect(await call).toBe('CLOSED')
    expect(await task).toBe('CLOSED')
    const late: unknown[] = []
    gate.writeSoon(() => void written.push('after close'), (error) => void late.push(error))
    expect(written).toEqual(['second'])
    expect(late).toHaveLength(1)
  })
})

describe('a record written after a task', () => {
  it('is dated when it is written, after the entries before it, and says when the sign-out happened', async () => {
    const screen = await signedIn('later@close.example')
    const release = await contextOf(env.core).writeGate.acquire()
    const signedOutAt = env.clock.now()
    expect(codeOf(await screen.call('logout', {}))).toBe('OK')
    env.clock.advance(60_000)
    release()
    for (let i = 0; i < 20 && entries('logout', 'later@close.example').length === 0; i++) await new Promise((next) => setTimeout(next, 10))
    const [record] = entries('logout', 'later@close.example')
    expect(record?.at).toBe(signedOutAt + 60_000)
    expect(JSON.parse(record?.details ?? '{}')).toEqual({ happenedAt: signedOutAt })
    const times = env.db.prepare('SELECT at FROM audit_log ORDER BY id').pluck().all() as number[]
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })

  it('written at once, it has no such detail', async () => {
    const screen = await signedIn('now@close.example')
    await screen.ok('logout', {})
    expect(entries('logout', 'now@close.example').map((entry) => JSON.parse(entry.details ?? '{}'))).toEqual([{}])
  })
})

describe('a call refused as busy', () => {
  it('tells a sign-in page only that the directory is busy, and a signed-in administrator what runs', async () => {
    const { screen: admin } = await setUpAdmin(env)
    const someone = { id: await addUser(env, 'busy@close.example') }
    const release = await contextOf(env.core).writeGate.acquire()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const login = env.screen().call('login', { email: 'busy@close.example', password: PASSWORD })
    const rename = admin.call('updateUser', { userId: someone.id, name: 'Busy' })
    await vi.advanceTimersByTimeAsync(GATE_WAIT_MS + 1)
    const [signedOut, signedInAdmin] = await Promise.all([login, rename])
    vi.useRealTimers()
    release()
    expect(signedOut).toEqual({ ok: false, error: { code: 'DATABASE_BUSY', message: GATE_BUSY_MESSAGE_SIGNED_OUT } })
    expect(signedInAdmin).toEqual({ ok: false, error: { code: 'DATABASE_BUSY', message: GATE_BUSY_MESSAGE } })
  })

  it('tells a user signed in with 2FA at My account only that it is busy: what runs is the administrators’ business', async () => {
    await setUpAdmin(env)
    await addUser(env, 'mine@close.example')
    const user = env.screen()
    await user.ok('login', { email: 'mine@close.example', password: PASSWORD })
    await enroll(env, user)
    expect((await user.ok('getMyAccount')).status).toBe('active')
    const release = await contextOf(env.core).writeGate.acquire()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const change = user.call('changePassword', { currentPassword: PASSWORD, newPassword: 'another horse battery staple' })
    await vi.advanceTimersByTimeAsync(GATE_WAIT_MS + 1)
    const refused = await change
    vi.useRealTimers()
    release()
    expect(refused).toEqual({ ok: false, error: { code: 'DATABASE_BUSY', message: GATE_BUSY_MESSAGE_SIGNED_OUT } })
  })

  it('tells an administrator disabled meanwhile (by another program) only that it is busy', async () => {
    const { screen: admin } = await setUpAdmin(env)
    const someone = { id: await addUser(env, 'later@close.example') }
    const release = await contextOf(env.core).writeGate.acquire()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const rename = admin.call('updateUser', { userId: someone.id, name: 'Later' })
    // As the command line of another process would: the session lives on in this one until its next check.
    const other = new Database(env.dbPath)
    other.prepare("UPDATE users SET disabled = 1 WHERE email = 'admin@example.com'").run()
    other.close()
    await vi.advanceTimersByTimeAsync(GATE_WAIT_MS + 1)
    const refused = await rename
    vi.useRealTimers()
    release()
    expect(refused).toEqual({ ok: false, error: { code: 'DATABASE_BUSY', message: GATE_BUSY_MESSAGE_SIGNED_OUT } })
  })
})
