// Background tasks given up: BackgroundTasks.run with an AbortSignal. An abort
// while the task runs fails the run with CANCELLED at once and ends its worker
// thread; a signal aborted before the run starts no worker at all; an abort
// after the answer changes nothing. And the workers kept: one that answered (or
// whose task threw) runs the next task, one whose task was cancelled never
// does, at most MAX_IDLE_WORKERS wait, and close() ends them.
import { once } from 'node:events'
import { createServer, type Server, type Socket } from 'node:net'
import type * as WorkerThreads from 'node:worker_threads'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { MAX_IDLE_WORKERS, tasksInThisThread, tasksInWorkers } from '../../../src/main/core/background/runner'
import type { DirectorySettings } from '../../../src/main/core/directory-sync/ldap-directory'
import { ALL_CLASSES } from '../../../src/main/db/listing-repo'
import { AppError } from '../../../src/shared/errors'
import { insertUser } from '../../../src/main/db/users-repo'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'
import { BACKGROUND_WORKER, setUpAdmin, TestEnv } from '../helpers/harness'

// Every worker the runner starts, how many tasks it was given, and the moment its thread has stopped.
interface Started {
  given: boolean
  tasks: number
  stopped: boolean
  exited: Promise<number>
}
const started = vi.hoisted(() => [] as Started[])
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof WorkerThreads>()
  class TrackedWorker extends real.Worker {
    private readonly record: Started
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args)
      const record: Started = { given: false, tasks: 0, stopped: false, exited: new Promise((resolve) => this.once('exit', resolve)) }
      void record.exited.then(() => (record.stopped = true))
      this.record = record
      started.push(this.record)
    }
    override postMessage(...args: Parameters<InstanceType<typeof real.Worker>['postMessage']>): void {
      this.record.given = true
      this.record.tasks++
      super.postMessage(...args)
    }
  }
  return { ...real, Worker: TrackedWorker }
})

const given = (): Started[] => started.filter((worker) => worker.given)

/** Every worker started has stopped: none is left behind. */
async function allExited(): Promise<void> {
  await Promise.all(started.map((worker) => worker.exited))
}

/** Waits (at most 10 s) until at least `count` of the workers started have stopped. */
async function stoppedAtLeast(count: number): Promise<void> {
  const until = Date.now() + 10_000
  while (started.filter((worker) => worker.stopped).length < count) {
    if (Date.now() > until) throw new Error(`only ${started.filter((worker) => worker.stopped).length} of ${started.length} workers stopped, not ${count}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** An LDAP server that accepts connections and never answers: a task reading it runs until it is stopped. */
let silent: Server
const connections: Socket[] = []
let connected: Promise<void>
let onConnection: () => void = () => {}

let demo: DemoDatabase
beforeAll(async () => {
  demo = seededDatabase(3_000, 5)
  silent = createServer((socket) => {
    connections.push(socket)
    onConnection()
  })
  silent.listen(0, '127.0.0.1')
  await once(silent, 'listening')
})
afterAll(async () => {
  for (const socket of connections) socket.destroy()
  silent.close()
  demo.dispose()
})
// The demo seeding may start threads of its own: only the runner's count.
beforeEach(() => {
  started.length = 0
})

function nextConnection(): Promise<void> {
  return new Promise((resolve) => {
    onConnection = resolve
  })
}

function silentDirectory(): DirectorySettings {
  const address = silent.address()
  if (address === null || typeof address === 'string') throw new Error('the silent server has no port')
  return {
    preset: 'openldap',
    url: `ldap://127.0.0.1:${address.port}`,
    baseDn: 'dc=example,dc=com',
    bindDn: 'cn=reader,dc=example,dc=com',
    bindPassword: 'secret',
    userFilter: null,
    groupDn: null,
    syncGroupDns: [],
    emailAttribute: 'mail',
    nameAttribute: 'cn',
    loginAttribute: 'uid',
    startTls: false,
    caFile: null,
    // Far past the test: only the abort ends the read.
    timeoutMs: 600_000
  }
}

async function cancelled(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason
  )
  expect(error).toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe('CANCELLED')
  return error as AppError
}

/** Starts a task that reads the silent directory (it never ends by itself), and gives it up once it has connected. */
async function cancelAReadUnderWay(tasks: ReturnType<typeof tasksInWorkers>): Promise<void> {
  const controller = new AbortController()
  connected = nextConnection()
  const doomed = tasks.run('testDirectory', { settings: silentDirectory() }, undefined, controller.signal)
  await connected
  controller.abort()
  await cancelled(doomed)
}

const COUNT_INPUT = { term: { kind: 'substring' as const, text: 'example' }, filter: ALL_CLASSES }

describe('tasks in worker threads, with an AbortSignal', () => {
  it('a signal aborted before the run fails it at once, without starting a worker', async () => {
    const tasks = tasksInWorkers(BACKGROUND_WORKER, { path: demo.path })
    await cancelled(tasks.run('countUsers', COUNT_INPUT, undefined, AbortSignal.abort()))
    expect(started).toHaveLength(0)
  })

  it('a run that has answered keeps its answer when the signal aborts later; its worker runs the next task, and close() ends every worker', async () => {
    const tasks = tasksInWorkers(BACKGROUND_WORKER, { path: demo.path })
    const controller = new AbortController()
    const answer = await tasks.run('countUsers', COUNT_INPUT, undefined, controller.signal)
    controller.abort()
    // Every demo user's email is at an example domain: the whole directory, counted from base facts.
    expect(answer).toEqual({ total: demo.db.prepare("SELECT count(*) FROM users WHERE instr(lower(email), 'example') > 0").pluck().get() })
    expect(answer.total).toBe(3_000)
    const again = await tasks.run('countUsers', { ...COUNT_INPUT, term: { kind: 'substring' as const, text: 'maria' } })
    expect(again.total).toBe(demo.db.prepare("SELECT count(*) FROM users WHERE instr(lower(name), 'maria') > 0 OR instr(lower(substr(email, 1, instr(email, '@') - 1)), 'maria') > 0").pluck().get())
    // One worker ran both (the one started ahead still waits); none has stopped.
    expect(given().map((worker) => worker.tasks)).toEqual([2])
    expect(started.filter((worker) => worker.stopped)).toHaveLength(0)
    tasks.close?.()
    await allExited()
  })

  it('a worker whose task threw runs the next; one whose task was cancelled never does', async () => {
    const tasks = tasksInWorkers(BACKGROUND_WORKER, { path: demo.path })
    const failed = await tasks.run('checkBackup', { backupFile: `${demo.path}.no-such-backup`, livePath: demo.path, keyCheck: null, chainKey: null }).then(
      () => null,
      (error: unknown) => error
    )
    expect(failed).toBeInstanceOf(Error)
    expect((await tasks.run('countUsers', COUNT_INPUT)).total).toBe(3_000)
    expect(given().map((worker) => worker.tasks)).toEqual([2])
    await cancelAReadUnderWay(tasks)
    // The warm worker took the doomed task too, and was ended with it.
    const warm = given()[0]!
    expect(warm.tasks).toBe(3)
    await warm.exited
    expect((await tasks.run('countUsers', COUNT_INPUT)).total).toBe(3_000)
    // The cancelled worker was given nothing more: the last count went to the one started ahead.
    expect(warm.tasks).toBe(3)
    expect(given().map((worker) => worker.tasks)).toEqual([3, 1])
    tasks.close?.()
    await allExited()
  })

  it('counts a task as under way from its run until it answers, and a cancelled one until its thread has stopped (a restore waits for none)', async () => {
    const tasks = tasksInWorkers(BACKGROUND_WORKER, { path: demo.path })
    expect(tasks.running()).toBe(0)
    const counting = tasks.run('countUsers', COUNT_INPUT)
    expect(tasks.running()).toBe(1)
    await counting
    expect(tasks.running()).toBe(0)
    await cancelAReadUnderWay(tasks)
    const worker = given().at(-1)!
    // Given up at once, but its thread (and its connection) may still be there.
    if (!worker.stopped) expect(tasks.running()).toBe(1)
    await worker.exited
    for (let i = 0; i < 50 && tasks.running() > 0; i++) await new Promise((next) => setTimeout(next, 10))
    expect(tasks.running()).toBe(0)
    tasks.close?.()
    await allExited()
  })

  it(`at most ${MAX_IDLE_WORKERS} workers wait after many tasks at once; the others end`, async () => {
    const tasks = tasksInWorkers(BACKGROUND_WORKER, { path: demo.path })
    const answers = await Promise.all(Array.from({ length: 6 }, () => tasks.run('countUsers', COUNT_INPUT)))
    expect(answers.map((answer) => answer.total)).toEqual(Array(6).fill(3_000))
    expect(given()).toHaveLength(6)
    await stoppedAtLeast(started.length - MAX_IDLE_WORKERS)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(started.filter((worker) => !worker.stopped).length).toBeLessThanOrEqual(MAX_IDLE_WORKERS)
    tasks.close?.()
    await allExited()
  })

  it('a run without a signal is not affected by another run being cancelled', async () => {
    const tasks = tasksInWorkers(BACKGROUND_WORKER, { path: demo.path })
    const controller = new AbortController()
    connected = nextConnection()
    const doomed = tasks.run('testDirectory', { settings: silentDirectory() }, undefined, controller.signal)
    await connected
    const kept = tasks.run('countUsers', COUNT_INPUT)
    controller.abort()
    await cancelled(doomed)
    expect((await kept).total).toBe(3_000)
    tasks.close?.()
    await allExited()
  })
})

describe('tasks in this thread (the command line), with an AbortSignal', () => {
  it('a signal aborted before the run fails it with CANCELLED and the task never runs', async () => {
    // A file that does not exist: a task that ran would fail to open it, with another error.
    const tasks = tasksInThisThread({ path: `${demo.path}.missing` })
    await cancelled(tasks.run('countUsers', COUNT_INPUT, undefined, AbortSignal.abort()))
  })

  it('a run that has answered keeps its answer when the signal aborts later', async () => {
    const tasks = tasksInThisThread({ path: demo.path })
    const controller = new AbortController()
    const answer = await tasks.run('countUsers', COUNT_INPUT, undefined, controller.signal)
    controller.abort()
    expect(answer.total).toBeGreaterThan(0)
    expect(started).toHaveLength(0)
  })

  it('counts a task as under way while it runs, also one that failed', async () => {
    const tasks = tasksInThisThread({ path: demo.path })
    const counting = tasks.run('countUsers', COUNT_INPUT)
    expect(tasks.running()).toBe(1)
    await counting
    expect(tasks.running()).toBe(0)
    const failing = tasksInThisThread({ path: `${demo.path}.missing` })
    const failed = failing.run('countUsers', COUNT_INPUT).catch((error: unknown) => error)
    expect(failing.running()).toBe(1)
    expect(await failed).toBeInstanceOf(Error)
    expect(failing.running()).toBe(0)
  })
})

describe('countUsers typed fast, through the dispatcher, in real workers', () => {
  it('fifty counts of one session: the last answers, the rest are CANCELLED, and every worker they started ends', async () => {
    const env = new TestEnv()
    try {
      const { screen } = await setUpAdmin(env)
      env.db.transaction(() => {
        for (let i = 0; i < 1_500; i++) insertUser(env.db, { name: `Maria Number${i}`, email: `m${i}@corp.example.net`, role: 'user', passwordHash: null, now: 0 })
      })()
      started.length = 0
      // Each a different list (counts of the same list share one run), each matching every Maria.
      const typed = ['mar', 'mari', 'maria', 'aria', 'ria', 'maria n', 'maria nu', 'maria num', 'maria numb', 'maria numbe']
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => screen.call('countUsers', { query: typed[i % typed.length] })))
      for (const result of results.slice(0, -1)) expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } })
      expect(results[49]).toEqual({ ok: true, value: { total: 1_500 } })
      // Each run had a worker of its own (a cancelled one is never given another task), and the
      // cancelled ones have stopped: at most the last one's and one started ahead still wait.
      expect(given()).toHaveLength(50)
      expect(given().every((worker) => worker.tasks === 1)).toBe(true)
      await stoppedAtLeast(started.length - MAX_IDLE_WORKERS)
    } finally {
      env.dispose()
    }
    // Closing the core stops the ones kept waiting: nothing is left running.
    await allExited()
  })
})
