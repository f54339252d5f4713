// The links of many audit entries (a bulk change writes one per user) made on a
// thread of their own while the caller goes on with its write transaction: at
// 100,000 entries putting them in the order of their target, the canonical
// JSON and one HMAC a link take about 0.3 s, which then overlap the change's
// UPDATE instead of adding to it. The caller's
// transaction is synchronous (better-sqlite3), so the answer is waited for
// with Atomics.wait on a shared flag and read with receiveMessageOnPort: no
// event loop turns while the write lock is held.
//
// The thread's code is the short constant below, started with `eval: true`
// (as the password pool's, crypto/password-pool.ts), so every host has it
// without a bundled file to find. It must make exactly what linksHere makes in
// this thread (the same order, and the links entryMac makes, chain.ts):
// tests/unit/audit/links-thread.test.ts compares the two. What is written is
// never the thread's: the caller gives it the details' JSON (strings and
// numbers only, which a structured clone copies exactly), writes the events
// it holds, takes from the thread only their order (checked to hold each one
// once) and their hashes (the first and the last checked again here). Whatever
// goes wrong on the thread (it does not start, it throws, it answers late or
// otherwise), the caller makes the links itself with linksHere.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'

/** One entry to link, its details already the JSON the row holds. */
export interface LinkEvent {
  actor: string
  action: string
  target: string | null
  details: string
}

export interface LinksJob {
  key: Buffer
  /** The entry the first link chains on: its id and hash. */
  after: { id: number; hash: string }
  at: number
  events: readonly LinkEvent[]
}

/**
 * The links in the order they are written: `order[i]` is the event written i-th (id after.id + 1 + i)
 * and `hashes[i]` its link (the one before it is its prev_hash).
 */
export interface Links {
  order: Int32Array
  hashes: string[]
}

/** A job under way: `take()` waits for its links (at most `waitMs`), or null when the thread gave none. */
export interface LinksUnderWay {
  take(): Links | null
}

/** What the order of the entries compares (targetOrder). */
export function targetKey(target: string | null): string {
  return (target ?? '').toLowerCase()
}

/**
 * The order the entries are written in: by their target as the two target indexes hold it (ASCII case
 * ignored), so those indexes take them one place after another, not at 100,000 random places (0.9 s
 * instead of 1.6 s for 100,000 entries into a log of 600,000, 2026-12-03). Only the speed depends on it.
 */
function targetOrder(targets: readonly (string | null)[]): Int32Array {
  const keys = targets.map(targetKey)
  return Int32Array.from(keys.keys()).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b))
}

/** A link: its record (without the hashes) chained on prevHash (chain.ts entryMac). */
export type LinkMac = (prevHash: string, record: { id: number; at: number; actor: string; action: string; target: string | null; details: string }) => string

/** The job's links made in this thread, each by `mac`. */
export function linksHere(job: LinksJob, mac: LinkMac): Links {
  const { events, at } = job
  const order = targetOrder(events.map((event) => event.target))
  const hashes = new Array<string>(events.length)
  let prevHash = job.after.hash
  for (let i = 0; i < order.length; i++) {
    const { actor, action, target, details } = events[order[i]!]!
    prevHash = hashes[i] = mac(prevHash, { id: job.after.id + 1 + i, at, actor, action, target, details })
  }
  return { order, hashes }
}

const LINKS_SOURCE = `
const { workerData } = require('node:worker_threads')
const { createHmac } = require('node:crypto')
const { key, afterId, afterHash, at, actors, actions, targets, details, flag, port } = workerData
let answer
try {
  const keys = targets.map((target) => (target === null ? '' : target).toLowerCase())
  const order = Int32Array.from(keys.keys()).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b))
  const hashes = new Array(order.length)
  let prev = afterHash
  for (let i = 0; i < order.length; i++) {
    const e = order[i]
    const canonical = JSON.stringify([afterId + 1 + i, at, actors[e], actions[e], targets[e], details[e]])
    prev = createHmac('sha256', key).update(prev).update('\\n').update(canonical).digest('hex')
    hashes[i] = prev
  }
  answer = { order, hashes: hashes.join('') }
} catch (error) {
  answer = { error: String(error && error.message) }
}
port.postMessage(answer, answer.order ? [answer.order.buffer] : [])
Atomics.store(flag, 0, 1)
Atomics.notify(flag, 0)
`

/**
 * The longest wait for the thread (from when its links are taken) before the caller makes them itself: the
 * thread takes about 3 µs an entry and has had the UPDATE's time already; the wait holds the write lock,
 * which other processes wait for 5 s at most.
 */
export function linksWaitMs(entries: number): number {
  return Math.max(1_000, Math.ceil(entries * 0.01))
}

const HASH_CHARS = 64

/** The thread's answer when it is whole (every event once in `order`, a link each), else null. */
function wholeAnswer(message: unknown, count: number): Links | null {
  const answer = message as { order?: unknown; hashes?: unknown } | undefined
  const { order, hashes } = answer ?? {}
  if (!(order instanceof Int32Array) || order.length !== count) return null
  if (typeof hashes !== 'string' || hashes.length !== count * HASH_CHARS) return null
  const seen = new Uint8Array(count)
  for (const e of order) {
    if (e < 0 || e >= count || seen[e] === 1) return null
    seen[e] = 1
  }
  const links = new Array<string>(count)
  for (let i = 0; i < count; i++) links[i] = hashes.slice(i * HASH_CHARS, (i + 1) * HASH_CHARS)
  return { order, hashes: links }
}

/**
 * Starts making a job's links on a thread of their own. `source` replaces the
 * thread's code (tests: a thread that fails or never answers).
 */
export function startLinks(job: LinksJob, options: { waitMs?: number; source?: string } = {}): LinksUnderWay {
  const flag = new Int32Array(new SharedArrayBuffer(4))
  const { port1, port2 } = new MessageChannel()
  const { events } = job
  let worker: Worker
  try {
    worker = new Worker(options.source ?? LINKS_SOURCE, {
      eval: true,
      workerData: {
        key: job.key,
        afterId: job.after.id,
        afterHash: job.after.hash,
        at: job.at,
        actors: events.map((event) => event.actor),
        actions: events.map((event) => event.action),
        targets: events.map((event) => event.target),
        details: events.map((event) => event.details),
        flag,
        port: port2
      },
      transferList: [port2]
    })
  } catch {
    port1.close()
    return { take: () => null }
  }
  worker.unref()
  // A thread that fails says nothing here (its events wait for an event loop that does not turn): its links are simply not taken.
  worker.on('error', () => {})
  const waitMs = options.waitMs ?? linksWaitMs(events.length)
  let taken = false
  return {
    take(): Links | null {
      if (taken) throw new Error('The links of this job were taken already.')
      taken = true
      try {
        if (Atomics.wait(flag, 0, 0, waitMs) === 'timed-out' && Atomics.load(flag, 0) === 0) return null
        return wholeAnswer(receiveMessageOnPort(port1)?.message, events.length)
      } finally {
        port1.close()
        void worker.terminate()
      }
    }
  }
}
