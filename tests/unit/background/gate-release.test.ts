// The write gate as the workers take it (core/background/runner.ts): a task
// takes the gate when it says it is about to write (TaskEnv.beforeWriting), not
// before, and the gate is let go however the task ends: answered, cancelled
// while it writes, or its thread stopped before it answered. A gate left held
// would make every later write of the screens wait its longest (120 s).
import type * as WorkerThreads from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { tasksInWorkers, type BackgroundTasks } from '../../../src/main/core/background/runner'
import { chainKeyOf } from '../../../src/main/core/audit/chain'
import { WriteGate } from '../../../src/main/core/write-gate'
import { seededDatabase, TEST_DATA_KEY, type DemoDatabase } from '../helpers/demo-db'
import { BACKGROUND_WORKER, START } from '../helpers/harness'

// The worker threads the runner starts, so that a test can stop one as a crash would.
const workers = vi.hoisted(() => [] as { terminate(): Promise<number> }[])
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof WorkerThreads>()
  class TrackedWorker extends real.Worker {
    private given = false
    override postMessage(...args: Parameters<InstanceType<typeof real.Worker>['postMessage']>): void {
      if (!this.given) workers.push(this)
      this.given = true
      super.postMessage(...args)
    }
  }
  return { ...real, Worker: TrackedWorker }
})

const CHAIN_KEY = chainKeyOf(TEST_DATA_KEY).toString('base64')
const USERS = 12_000

let demo: DemoDatabase
let gate: WriteGate
let tasks: BackgroundTasks
beforeAll(() => {
  demo = seededDatabase(USERS, 3)
  gate = new WriteGate()
  tasks = tasksInWorkers(BACKGROUND_WORKER, { path: demo.path }, gate)
}, 120_000)
afterAll(() => {
  tasks?.close?.()
  demo?.dispose()
})

const enforcedCount = (): number => demo.db.prepare("SELECT count(*) FROM users WHERE enforcement = 'enforced'").pluck().get() as number

function enforceInactive(signal?: AbortSignal): Promise<unknown> {
  const input = { selection: { filter: { status: 'inactive' as const } }, action: 'enforce' as const, actor: { label: 'test', userId: null }, now: START, write: true, chainKey: CHAIN_KEY }
  return tasks.run('bulkChange', input, undefined, signal)
}

/** Waits (at most 10 s, turn by turn) until the gate is held. */
async function gateTaken(): Promise<void> {
  const until = Date.now() + 10_000
  while (!gate.held) {
    if (Date.now() > until) throw new Error('no task took the gate')
    await new Promise((next) => setImmediate(next))
  }
}

/** Waits (at most 10 s) until no task holds the gate. */
async function gateOpen(): Promise<void> {
  const until = Date.now() + 10_000
  while (gate.held) {
    if (Date.now() > until) throw new Error('the gate is still held')
    await new Promise((next) => setTimeout(next, 5))
  }
}

const outcomeOf = (promise: Promise<unknown>): Promise<{ ok: true } | { ok: false; error: unknown }> =>
  promise.then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error })
  )

describe('the write gate taken by a background task', () => {
  it('an import holds it only while it writes: not while it reads the file', async () => {
    const csv = ['email,name', ...Array.from({ length: 5_000 }, (_, i) => `gate${i}@release.example,Gate ${i}`)].join('\n')
    const seen: { phase: 'reading' | 'applying'; held: boolean }[] = []
    const options = { dryRun: true, ignoreUnknownColumns: false, actor: { label: 'test', userId: null, recentlyAuthenticated: true }, now: START, maxErrors: 10 }
    const outcome = await tasks.run('importUsers', { csv, chainKey: CHAIN_KEY, options }, ({ total }) =>
      seen.push({ phase: total === 0 ? 'reading' : 'applying', held: gate.held })
    )
    expect(outcome).toMatchObject({ errorsTotal: 0 })
    const reading = seen.filter((step) => step.phase === 'reading')
    const applying = seen.filter((step) => step.phase === 'applying')
    expect(reading.length, 'no progress while reading').toBeGreaterThan(1)
    expect(applying.length, 'no progress while applying').toBeGreaterThan(1)
    expect(reading.every((step) => !step.held), 'the gate was held while the file was read').toBe(true)
    expect(applying.every((step) => step.held), 'the gate was open while the rows were written').toBe(true)
    expect(gate.held).toBe(false)
  }, 60_000)

  it('a bulk change cancelled while it holds the gate answers at once, lets the gate go once its thread has stopped, and changes nothing', async () => {
    const before = enforcedCount()
    const abort = new AbortController()
    const change = outcomeOf(enforceInactive(abort.signal))
    await gateTaken()
    await new Promise((next) => setTimeout(next, 30))
    abort.abort()
    // Answered at once; the gate is let go once the thread has stopped, with its write lock.
    const outcome = await change
    expect(outcome.ok ? 'answered' : (outcome.error as { code?: string }).code).toBe('CANCELLED')
    expect(gate.held, 'the gate was let go before the thread stopped').toBe(true)
    await gateOpen()
    // The stopped worker's transaction is undone; the next write goes through once its lock is gone.
    demo.db.prepare("UPDATE users SET name = 'After the cancel' WHERE id = (SELECT min(id) FROM users)").run()
    expect(enforcedCount()).toBe(before)
  }, 60_000)

  it('a bulk change whose thread stops before it answers lets it go, and changes nothing', async () => {
    const before = enforcedCount()
    const change = outcomeOf(enforceInactive())
    await gateTaken()
    await new Promise((next) => setTimeout(next, 30))
    await workers.at(-1)!.terminate()
    const outcome = await change
    expect(outcome.ok).toBe(false)
    expect(String((outcome as { error: unknown }).error)).toMatch(/stopped with code 1 before answering/)
    expect(gate.held, 'the gate is still held after the crash').toBe(false)
    demo.db.prepare("UPDATE users SET name = 'After the crash' WHERE id = (SELECT min(id) FROM users)").run()
    expect(enforcedCount()).toBe(before)
  }, 60_000)

  it('a bulk change that answers lets it go, and the next one takes it again', async () => {
    const before = enforcedCount()
    const first = enforceInactive()
    await gateTaken()
    await first
    expect(gate.held).toBe(false)
    expect(enforcedCount()).toBeGreaterThan(before)
    const second = tasks.run('bulkChange', { selection: { filter: { status: 'pending' as const } }, action: 'inherit' as const, actor: { label: 'test', userId: null }, now: START, write: true, chainKey: CHAIN_KEY })
    await gateTaken()
    await second
    expect(gate.held).toBe(false)
  }, 60_000)

  it('two bulk changes at once take turns: the second writes only once the first has let go', async () => {
    const turns: { granted: number; released: number | null }[] = []
    const acquire = gate.acquire.bind(gate)
    gate.acquire = async () => {
      const release = await acquire()
      const turn = { granted: performance.now(), released: null as number | null }
      turns.push(turn)
      return () => {
        turn.released ??= performance.now()
        release()
      }
    }
    try {
      const both = await Promise.all([
        enforceInactive(),
        tasks.run('bulkChange', { selection: { filter: { status: 'active' as const } }, action: 'exempt' as const, actor: { label: 'test', userId: null }, now: START, write: true, chainKey: CHAIN_KEY })
      ])
      expect(both).toHaveLength(2)
    } finally {
      gate.acquire = acquire
    }
    expect(turns).toHaveLength(2)
    const [first, second] = [...turns].sort((a, b) => a.granted - b.granted) as [{ granted: number; released: number }, { granted: number; released: number }]
    expect(first.released, 'the second change began before the first let go').toBeLessThanOrEqual(second.granted)
    expect(gate.held).toBe(false)
  }, 60_000)
})
