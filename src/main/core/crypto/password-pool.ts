// The password checks' own pool of worker threads. A check is an OWASP-cost
// scrypt (about 300 ms and 128 MiB each): on libuv's four-thread pool, which
// file reads also use, a burst of sign-ins starved static files and took
// 4 x 128 MiB at once. Here at most `threads` derivations run at a time, each
// in a thread of its own, the rest wait in one first-come-first-served queue,
// and a queue that is full refuses at once (DATABASE_BUSY: try again in a
// moment) rather than growing without bound under a flood.
//
// The worker's code is the short constant below, started with `eval: true`:
// so every host (the desktop app, the preview, the command line and its
// RADIUS service, tests, the bench) has the pool without a bundled file to
// find, and the desktop build needs no entry of its own. It is covered by the
// tests that compare its keys with the in-thread scrypt (tests/unit/crypto/).
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { AppError } from '../../../shared/errors'

/** The scrypt cost of one derivation (passwords.ts ScryptParams). */
export interface ScryptCost {
  N: number
  r: number
  p: number
}

export interface ScryptJob extends ScryptCost {
  /** Already NFC-normalised. */
  password: string
  salt: Buffer
  keyLength: number
}

export interface PasswordHasherOptions {
  /** At most this many derivations at once, one per worker thread: the pool's memory is threads x 128 MiB at the OWASP cost. */
  threads?: number
  /** Checks waiting beyond this are refused with DATABASE_BUSY. */
  maxWaiting?: number
  /** Told when a derivation starts and ends (its number in the order of arrival): for tests and the bench. */
  observer?: { started?(seq: number): void; finished?(seq: number): void }
}

/** Two on this two-core machine (one on a single core): enough to keep both cores busy, never more memory than two checks. */
export const DEFAULT_PASSWORD_THREADS = Math.max(1, Math.min(2, availableParallelism()))
/** About five minutes of work for two threads: a bound on memory under a flood, not on anyone's patience. */
export const DEFAULT_MAX_WAITING = 1_000

/** scrypt needs 128 * N * r bytes; Node refuses above maxmem, so it is given twice that. */
export function scryptMaxmem(cost: ScryptCost): number {
  return 128 * cost.N * cost.r * 2
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { scryptSync } = require('node:crypto')
parentPort.on('message', (job) => {
  try {
    const key = scryptSync(job.password, job.salt, job.keyLength, { N: job.N, r: job.r, p: job.p, maxmem: job.maxmem })
    parentPort.postMessage({ key })
  } catch (error) {
    parentPort.postMessage({ error: { message: String(error && error.message), code: error && error.code } })
  }
})`

type WorkerAnswer = { key: Uint8Array } | { error: { message: string; code?: string } }

interface Pending {
  seq: number
  job: ScryptJob
  resolve(key: Buffer): void
  reject(error: Error): void
}

interface Thread {
  worker: Worker
  current: Pending | null
}

function busy(): AppError {
  return new AppError('DATABASE_BUSY', 'Too many sign-ins are being checked at once. Try again in a moment.')
}

function closing(): AppError {
  return new AppError('DATABASE_BUSY', 'The password check stopped because the user directory is closing. Try again in a moment.')
}

export class PasswordHasher {
  private readonly maxThreads: number
  private readonly maxWaiting: number
  private readonly observer: NonNullable<PasswordHasherOptions['observer']>
  private readonly threadsAlive = new Set<Thread>()
  /** First come, first served: `queue[head]` is next. */
  private queue: Pending[] = []
  private head = 0
  private nextSeq = 0
  private closed: Promise<void> | null = null

  constructor(options: PasswordHasherOptions = {}) {
    this.maxThreads = Math.max(1, Math.floor(options.threads ?? DEFAULT_PASSWORD_THREADS))
    this.maxWaiting = Math.max(0, Math.floor(options.maxWaiting ?? DEFAULT_MAX_WAITING))
    this.observer = options.observer ?? {}
  }

  /** Derivations running now. */
  get running(): number {
    let count = 0
    for (const thread of this.threadsAlive) if (thread.current !== null) count++
    return count
  }

  /** Derivations waiting for a thread. */
  get waiting(): number {
    return this.queue.length - this.head
  }

  /** Worker threads alive (started and not yet exited). */
  get threads(): number {
    return this.threadsAlive.size
  }

  /**
   * The scrypt key of `job`, in FIFO order behind those already waiting. `mayRefuse: false`
   * queues even beyond the bound: for hashes, which only the signed-in, the first-run form and a
   * successful sign-in's upgrade ask for (and the sign-in's one timing hash, which must never fail).
   */
  derive(job: ScryptJob, { mayRefuse = true }: { mayRefuse?: boolean } = {}): Promise<Buffer> {
    if (this.closed !== null) return Promise.reject(closing())
    // Nothing waits while a thread is free, so this refuses only when every thread is busy too.
    if (mayRefuse && this.waiting >= this.maxWaiting && this.running >= this.maxThreads) return Promise.reject(busy())
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ seq: this.nextSeq++, job, resolve, reject })
      this.pump()
    })
  }

  /** Refuses what waits and what runs, and stops the threads; resolves once every thread has exited. */
  close(): Promise<void> {
    if (this.closed !== null) return this.closed
    const waiting = this.queue.slice(this.head)
    this.queue = []
    this.head = 0
    for (const pending of waiting) pending.reject(closing())
    const exits: Promise<unknown>[] = []
    for (const thread of [...this.threadsAlive]) {
      const running = thread.current
      thread.current = null
      running?.reject(closing())
      exits.push(thread.worker.terminate().catch(() => undefined))
    }
    this.closed = Promise.all(exits).then(() => undefined)
    return this.closed
  }

  private idleThread(): Thread | null {
    for (const thread of this.threadsAlive) if (thread.current === null) return thread
    return null
  }

  /** Hands the next waiting derivations to idle threads, starting threads up to the bound. */
  private pump(): void {
    while (this.waiting > 0) {
      let thread = this.idleThread()
      if (thread === null && this.threadsAlive.size < this.maxThreads) {
        try {
          thread = this.startThread()
        } catch (error) {
          // No thread can be started here: the next in line fails with the reason, not silently.
          ;(this.queue[this.head++] as Pending).reject(error as Error)
          continue
        }
      }
      if (thread === null) return
      const pending = this.queue[this.head++] as Pending
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head)
        this.head = 0
      }
      this.run(thread, pending)
    }
  }

  private run(thread: Thread, pending: Pending): void {
    thread.current = pending
    // Held while it works (a pending check keeps the process alive), let go when idle.
    thread.worker.ref()
    this.observer.started?.(pending.seq)
    const { job } = pending
    thread.worker.postMessage({ password: job.password, salt: job.salt, keyLength: job.keyLength, N: job.N, r: job.r, p: job.p, maxmem: scryptMaxmem(job) })
  }

  private startThread(): Thread {
    const worker = new Worker(WORKER_SOURCE, { eval: true })
    const thread: Thread = { worker, current: null }
    this.threadsAlive.add(thread)
    worker.unref()
    worker.on('message', (answer: WorkerAnswer) => {
      const pending = thread.current
      if (pending === null) return
      thread.current = null
      worker.unref()
      this.observer.finished?.(pending.seq)
      if ('key' in answer) pending.resolve(Buffer.from(answer.key.buffer, answer.key.byteOffset, answer.key.byteLength))
      else pending.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }))
      this.pump()
    })
    const lost = (error: Error): void => {
      if (!this.threadsAlive.delete(thread)) return
      const pending = thread.current
      thread.current = null
      if (pending !== null) {
        this.observer.finished?.(pending.seq)
        pending.reject(error)
      }
      // Only the derivation it held is lost: the others get a new thread.
      if (this.closed === null) this.pump()
    }
    worker.on('error', lost)
    worker.on('exit', (code) => lost(new Error(`The password check's worker thread stopped (exit code ${code}).`)))
    return thread
  }
}
